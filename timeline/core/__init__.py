"""Rules every capability shares: errors, the calendar, one-line text, tags, secrets, raw SQL,
throttling (with its one model)."""

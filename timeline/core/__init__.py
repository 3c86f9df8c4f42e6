"""Rules every capability shares: errors, one-line text, secrets, raw SQL, throttling."""

"""The domain of Remember When: accounts, shared timelines and what they hold. No HTTP here."""

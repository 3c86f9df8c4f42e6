"""What the web app, the worker and the CLI share: settings, keys, logs, database, clock."""

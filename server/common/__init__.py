"""What the web app, the worker and the CLI share: settings, keys, logs, database, clock,
storage, absolute links, Jinja filters. No Litestar here (the worker runs without it)."""

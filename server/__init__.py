"""The Litestar app: settings, auth, pages, JSON API, CLI."""

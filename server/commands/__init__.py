"""CLI commands beyond serving: the demo couple and the backend checks."""

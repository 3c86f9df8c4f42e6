"""Serving files: signed links to photos, the media routes, and streamed archives."""

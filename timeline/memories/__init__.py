"""Memories: writing them, their photos, browsing and searching a timeline."""

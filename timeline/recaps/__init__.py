"""Recaps: a relationship year's story, its cache, its collage and its share links."""

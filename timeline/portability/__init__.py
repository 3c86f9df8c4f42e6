"""Taking a timeline away and bringing it back: the archive's format, export, import."""

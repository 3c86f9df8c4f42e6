"""Photos: validation, orientation, metadata stripping, variants and storage backends."""

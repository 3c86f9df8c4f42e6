"""Response compression: brotli where the browser takes it, else gzip; never for photos."""

from __future__ import annotations

from litestar.config.compression import CompressionConfig

# Route option for bodies that are compressed already (photos, zips of photos): squeezing them
# again costs CPU and saves nothing.
ALREADY_COMPRESSED = "already_compressed"

COMPRESSION = CompressionConfig(
    backend="brotli", brotli_gzip_fallback=True, exclude_opt_key=ALREADY_COMPRESSED
)

"""A collage of up to 12 photos under a title band: justified rows, each filling the width,
in which every photo keeps its own orientation (only panoramas and very tall photos are
centre-cropped, to 2:1 and 1:2), as a WebP for pages and a JPEG to download, neither
carrying any metadata.

Blocking Pillow work: callers run it off the event loop."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont, ImageOps

MAX_PHOTOS = 12
WIDTH = 1600
GAP = 8
ROW_HEIGHT = 360
TALLEST_ROW = 720
BAND_HEIGHT = 120
BAND_COLOUR = (122, 59, 46)
TITLE_COLOUR = (250, 246, 241)
BACKGROUND = (250, 246, 241)
# Wider or taller than this is cropped at the centre, so one photo cannot flatten a row.
WIDEST, TALLEST = 2.0, 0.5


@dataclass(frozen=True)
class Collage:
    width: int
    height: int
    webp: bytes
    jpeg: bytes


def make_collage(photos: Sequence[bytes], title: str) -> Collage:
    """The collage of the first MAX_PHOTOS of `photos` (encoded images, best first)."""
    images = [_clamped(_open(data)) for data in photos[:MAX_PHOTOS]]
    rows = _rows([image.width / image.height for image in images])
    height = _height(rows)
    canvas = Image.new("RGB", (WIDTH, height), BACKGROUND)
    _band(canvas, title)
    top, start = BAND_HEIGHT + GAP, 0
    for count, row_height in rows:
        row = images[start : start + count]
        widths = [round(row_height * image.width / image.height) for image in row]
        left = (WIDTH - sum(widths) - GAP * (count - 1)) // 2
        for image, width in zip(row, widths, strict=True):
            canvas.paste(image.resize((width, row_height), Image.Resampling.LANCZOS), (left, top))
            left += width + GAP
        top += row_height + GAP
        start += count
    return Collage(
        WIDTH, height, _encode(canvas, "WEBP", quality=82), _encode(canvas, "JPEG", quality=88)
    )


def collage_size(sizes: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The (width, height) make_collage gives photos of these sizes (upright, as they are
    read, best first), known without reading them: pages give the collage's image its size
    before it arrives."""
    ratios = [width / height for width, height in map(_clamped_size, sizes[:MAX_PHOTOS])]
    return WIDTH, _height(_rows(ratios))


def _height(rows: list[tuple[int, int]]) -> int:
    return BAND_HEIGHT + sum(h for _, h in rows) + GAP * (len(rows) + 1)


def _rows(ratios: list[float]) -> list[tuple[int, int]]:
    """(photos, height) of each row. Every row is scaled to fill the width, and the photos
    are split into rows (in order) so that row heights stay as close to ROW_HEIGHT as they
    can: the classic justified layout, with no half-empty last row. A row that would grow
    taller than TALLEST_ROW (too few photos to fill the width) keeps that height and is
    centred instead."""
    count = len(ratios)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * count
    for end in range(1, count + 1):
        for start in range(end):
            height = _height_filling(ratios[start:end])
            cost = best[start][0] + (height - ROW_HEIGHT) ** 2
            if cost < best[end][0]:
                best[end] = (cost, start)
    rows, end = [], count
    while end:
        start = best[end][1]
        rows.append((end - start, min(TALLEST_ROW, _height_filling(ratios[start:end]))))
        end = start
    return rows[::-1]


def _height_filling(ratios: list[float]) -> int:
    # Rounding each photo's width may overrun by a pixel or two: round the height down.
    return int((WIDTH - GAP * (len(ratios) + 1)) / sum(ratios)) - 1


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", (WIDTH, WIDTH))
    return ImageOps.exif_transpose(image).convert("RGB")


def _clamped(image: Image.Image) -> Image.Image:
    size = _clamped_size(image.size)
    return image if size == image.size else ImageOps.fit(image, size)


def _clamped_size(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    if width / height > WIDEST:
        return round(height * WIDEST), height
    if width / height < TALLEST:
        return width, round(width / TALLEST)
    return width, height


def _band(canvas: Image.Image, title: str) -> None:
    # Pillow's built-in font has no en or em dash.
    title = title.replace("\u2013", "-").replace("\u2014", "-")
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, WIDTH, BAND_HEIGHT), fill=BAND_COLOUR)
    font = ImageFont.load_default(size=48)
    left, top, right, bottom = draw.textbbox((0, 0), title, font=font)
    position = ((WIDTH - (right - left)) / 2, (BAND_HEIGHT - (bottom - top)) / 2 - top)
    draw.text(position, title, fill=TITLE_COLOUR, font=font)


def _encode(image: Image.Image, format_name: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format_name, **options)
    return out.getvalue()

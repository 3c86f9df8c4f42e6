"""The recap collage: every photo in its orientation, a title band, no metadata."""

from __future__ import annotations

import io

from PIL import Image

from media.collage import (
    BACKGROUND,
    BAND_COLOUR,
    BAND_HEIGHT,
    GAP,
    TALLEST_ROW,
    WIDTH,
    collage_size,
    make_collage,
)


def photo(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


COLOURS = [(200, 40, 40), (40, 160, 60), (40, 60, 200), (220, 180, 40)]


def test_twelve_photos_of_both_orientations_fill_the_width_under_a_title_band():
    photos = [photo(*((1200, 800) if n % 3 else (800, 1200)), COLOURS[n % 4]) for n in range(14)]

    collage = make_collage(photos, "Year 3 · 2025–2026")

    image = Image.open(io.BytesIO(collage.jpeg))
    assert image.size == (WIDTH, collage.height)
    assert BAND_HEIGHT + 2 * 300 < collage.height < 3000
    assert image.getpixel((5, 5)) == BAND_COLOUR or _close(image.getpixel((5, 5)), BAND_COLOUR)
    # Every colour made it in; the 13th and 14th photos did not add a row of their own.
    body = image.crop((0, BAND_HEIGHT, WIDTH, collage.height)).convert("RGB")
    seen = {colour for colour in COLOURS if _somewhere(body, colour)}
    assert seen == set(COLOURS)
    assert "exif" not in image.info
    assert Image.open(io.BytesIO(collage.webp)).format == "WEBP"


def test_a_panorama_is_cropped_so_the_row_keeps_a_useful_height():
    collage = make_collage([photo(6000, 1000, COLOURS[0])], "A trip")

    # Cropped to 2:1, at most the row height: not a 1600 x 267 sliver.
    assert collage.height >= BAND_HEIGHT + 300


def test_an_empty_year_still_gets_its_title_band():
    collage = make_collage([], "Year 1 · 2019–2020")

    assert collage.height == BAND_HEIGHT + 8


def _close(a, b, tolerance: int = 12) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _somewhere(image: Image.Image, colour) -> bool:
    small = image.resize((image.width // 20, image.height // 20))
    return any(_close(pixel, colour, 30) for pixel in small.get_flattened_data())


def test_no_row_is_left_half_empty():
    # Five landscape photos: filling rows one by one left two alone in a last, short row.
    photos = [photo(1500, 1000, COLOURS[n % 4]) for n in range(5)]

    collage = make_collage(photos, "Year 2 · 2020–2021")

    image = Image.open(io.BytesIO(collage.jpeg)).convert("RGB")
    bottom_row = collage.height - GAP - 20
    right_edge = image.getpixel((WIDTH - GAP - 20, bottom_row))
    assert not _close(right_edge, BACKGROUND)


def test_two_photos_share_one_row_at_most_twice_the_usual_height():
    collage = make_collage([photo(1200, 800, COLOURS[0]), photo(800, 1200, COLOURS[1])], "Two")

    assert collage.height == BAND_HEIGHT + TALLEST_ROW + 2 * GAP


def test_the_collages_size_is_known_from_its_photos_sizes_before_it_is_built():
    # Both orientations, a panorama and a very tall photo (cropped), more than fit.
    sizes = [(1200, 800), (800, 1200), (3000, 1000), (500, 1600), (1000, 1000)] * 3

    for count in (0, 1, 2, 5, 15):
        built = make_collage([photo(w, h, COLOURS[0]) for w, h in sizes[:count]], "Year 2")
        assert collage_size(sizes[:count]) == (built.width, built.height), count

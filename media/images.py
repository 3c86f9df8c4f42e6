"""The photo pipeline: recognise an image by its bytes, refuse bombs and over-budget batches
before decoding, make upright sRGB variants with no metadata, and read when the photo was taken.

Everything here is blocking (Pillow); callers run it off the event loop, and whatever decodes
pixels in an image thread (media.image_threads)."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, BinaryIO

import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

from media.errors import BrokenImage, ImageTooLarge, UnsupportedImage

pillow_heif.register_heif_opener()

# Pillow format name -> the MIME type we record for the original.
ACCEPTED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "HEIF": "image/heic",
    "AVIF": "image/avif",
}
# JPEG decodes at 1/2..1/8 scale through draft(), so a 200 MP phone photo (16320x12240) costs
# little (0.2-0.6 s of CPU); other formats decode every pixel, about 20 ms of CPU per million
# here, so they get a budget that costs at most a second and still takes a 48 MP phone HEIC.
MAX_PIXELS_JPEG = 210_000_000
MAX_PIXELS_OTHER = 50_000_000
# What the photos of one request (a form takes several) may cost to decode between them, in
# pixels decoded: a JPEG counts an eighth of its own. About three seconds of CPU at most.
MAX_DECODE_PIXELS_AT_ONCE = 150_000_000
JPEG_COST_SHARE = 8
# Pillow's own guard stays on as a backstop: it raises at twice this number.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS_JPEG

DISPLAY_EDGE = 1600
THUMB_EDGE = 400
# Letters show a photo at their 552 px column: made larger, for phones' denser screens,
# and small enough that a letter with five photos stays under 1 MB.
MAIL_EDGE = 800
MAIL_JPEG_QUALITY = 72
WEBP_OPTIONS = {"display": {"quality": 80, "method": 2}, "thumb": {"quality": 80, "method": 4}}
FULL_JPEG_QUALITY = 90
# The "full size" we serve: 16 MP (4,618 x 3,464 at 4:3) fills a 5K screen; larger photos are
# shrunk to it, so one view never costs gigabytes. A larger JPEG decodes at the smallest DCT
# scale that still gives 3/4 of that edge, and may be served at that size: the 14,400 x 14,400
# one decodes at 1/4 (3,600 x 3,600) instead of 1/2, a quarter of the memory.
FULL_SIZE_PIXELS = 16_000_000
FULL_SIZE_LEAST_EDGE = 0.75
_SRGB = ImageCms.createProfile("sRGB")
# What decoders raise on damaged or cut files (pillow-heif raises EOFError on a cut HEIC).
BROKEN = (OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True)
class Variant:
    """One encoded rendition of a photo."""

    name: str
    data: bytes
    content_type: str
    extension: str


@dataclass(frozen=True)
class ProcessedImage:
    """What the pipeline learnt about a photo and the variants it made."""

    original_type: str
    width: int
    height: int
    taken_at: datetime | None
    placeholder: str
    variants: list[Variant]


def process(source: BinaryIO) -> ProcessedImage:
    """Validate `source` and make the display and thumb variants (WebP, upright, sRGB),
    and one for letters as a JPEG (not every mail client shows WebP), 800 px at most.

    `width` and `height` are those of the upright original."""
    image = _open(source)
    original = _original_of(image)
    display = _fitted_or_broken(image, DISPLAY_EDGE)
    mail = display.copy()
    mail.thumbnail((MAIL_EDGE, MAIL_EDGE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    thumb = mail.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return ProcessedImage(
        **original,
        placeholder=_average_colour(thumb),
        variants=[_webp("display", display), _webp("thumb", thumb), _mail_jpeg(mail)],
    )


def preview(source: BinaryIO) -> ProcessedImage:
    """Validate `source` as `process` does, and make the thumb variant only (WebP, upright,
    sRGB, no metadata): what a photo waiting in a draft shows, at a fraction of the cost
    (a JPEG decodes at the thumb's DCT scale)."""
    image = _open(source)
    original = _original_of(image)
    thumb = _fitted_or_broken(image, THUMB_EDGE)
    return ProcessedImage(
        **original, placeholder=_average_colour(thumb), variants=[_webp("thumb", thumb)]
    )


def _fitted_or_broken(image: Image.Image, edge: int) -> Image.Image:
    try:
        return _fitted(image, fitted_size(image.width, image.height, edge))
    except BROKEN as error:
        raise BrokenImage(f"This image is damaged or incomplete ({error}).") from None


def _original_of(image: Image.Image) -> dict[str, Any]:
    """What the original is: its type, upright size and when it was taken. Read before the
    image is reduced (a JPEG decoded at a smaller scale reports that size)."""
    # The EXIF first: its reading turns a damaged file into a refusal (a PNG cut short fails
    # on its first full read); the orientation's reading would fail with no words.
    taken_at = _taken_at(_exif(image))
    width, height = _upright_size(image)
    return {
        "original_type": ACCEPTED_FORMATS[image.format],
        "width": width,
        "height": height,
        "taken_at": taken_at,
    }


def taken_at_of(source: BinaryIO) -> datetime | None:
    """When the photo was taken, by its EXIF, reading no more than the header; raises like
    `process` for what is not an image we accept."""
    return _taken_at(_exif(_open(source)))


def letter_jpeg_is_small(mail: bytes, long_edge: int) -> bool:
    """Whether `mail`, the JPEG letters show, is smaller than a photo whose upright long edge
    is `long_edge` gets today (photos stored before letters showed photos at their column's
    width have a 400 px one). Reads the header only."""
    with Image.open(io.BytesIO(mail)) as current:
        return max(current.size) < min(MAIL_EDGE, long_edge) - 1


def letter_jpeg_from(display: BinaryIO) -> bytes:
    """The JPEG letters show, made from the display variant (a WebP of ours)."""
    image = _served_mode(_open(display))
    image.thumbnail((MAIL_EDGE, MAIL_EDGE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return _mail_jpeg(image).data


def full_size_jpeg(source: BinaryIO) -> bytes:
    """The photo as large as we serve it (`FULL_SIZE_PIXELS` at most), upright, sRGB, as a
    JPEG with no metadata: the "original" link's image."""
    image = _open(source)
    width, height = budget_size(image.width, image.height, FULL_SIZE_PIXELS)
    least = max(1, int(width * FULL_SIZE_LEAST_EDGE)), max(1, int(height * FULL_SIZE_LEAST_EDGE))
    try:
        served = _fitted(image, (width, height), decode_at_least=least)
    except BROKEN as error:
        raise BrokenImage(f"This image is damaged or incomplete ({error}).") from None
    return _jpeg(served, quality=FULL_JPEG_QUALITY, optimize=True, progressive=True)


def check_decode_budget(sources: list[BinaryIO]) -> None:
    """Refuse, from their headers alone, photos that together would cost more to decode than
    one request may spend; each must also be an image within its own budget."""
    cost = 0
    for source in sources:
        source.seek(0)
        image = _open(source)
        share = JPEG_COST_SHARE if image.format == "JPEG" else 1
        cost += image.width * image.height // share
        source.seek(0)
    if cost > MAX_DECODE_PIXELS_AT_ONCE:
        raise ImageTooLarge(
            "These photos are too large to add all at once; add them a few at a time."
        )


def fitted_size(width: int, height: int, edge: int) -> tuple[int, int]:
    """The size of a `width` x `height` image shrunk to fit `edge` (never enlarged), as
    thumbnail() computes it, so pages can reserve the space before the image arrives."""
    scale = min(edge / width, edge / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def budget_size(width: int, height: int, pixels: int) -> tuple[int, int]:
    """The size of a `width` x `height` image shrunk to at most `pixels` (never enlarged)."""
    scale = min((pixels / (width * height)) ** 0.5, 1.0)
    return max(1, int(width * scale)), max(1, int(height * scale))


def _open(source: BinaryIO) -> Image.Image:
    """Open lazily (header only) and check the pixel budget before any decoding."""
    try:
        image = Image.open(source, formats=list(ACCEPTED_FORMATS))
    except UnidentifiedImageError:
        raise UnsupportedImage(
            "This file is not a photo we can read: use JPEG, PNG, WebP, GIF, HEIC or AVIF."
        ) from None
    except Image.DecompressionBombError:
        raise ImageTooLarge("This image claims far more pixels than any photo.") from None
    except BROKEN as error:
        raise BrokenImage(f"This image is damaged or incomplete ({error}).") from None
    budget = MAX_PIXELS_JPEG if image.format == "JPEG" else MAX_PIXELS_OTHER
    if image.width * image.height > budget:
        raise ImageTooLarge(_too_large_message(budget))
    return image


def _exif(image: Image.Image) -> Image.Exif:
    """The image's EXIF. Reading it may decode a whole PNG (its eXIf chunk can follow the
    pixels), so a broken file can fail here first."""
    try:
        return image.getexif()
    except BROKEN as error:
        raise BrokenImage(f"This image is damaged or incomplete ({error}).") from None


def _too_large_message(budget: int) -> str:
    return f"This image has more than {budget // 1_000_000} million pixels; we cannot take it."


def _fitted(
    image: Image.Image, size: tuple[int, int], *, decode_at_least: tuple[int, int] | None = None
) -> Image.Image:
    """Shrink to fit `size` (as stored, before rotation), upright and sRGB: DCT-scaled decode
    for JPEG (to `decode_at_least`, by default `size`), reduce() first for other formats, then
    bicubic, and rotation last, on the small image. From the half-scale decode, bicubic came
    closer to a full-size LANCZOS than LANCZOS itself did (49.5 against 48.6 dB PSNR,
    bench/ingest.py) and took 30 % less time."""
    image.draft("RGB", decode_at_least or size)
    exif = image.getexif()
    resized = _resizable(image)
    resized.thumbnail(size, Image.Resampling.BICUBIC, reducing_gap=2.0)
    resized = _served_mode(_to_srgb(resized))
    # Rotate last, on the small image; the orientation is read from the source's EXIF.
    return ImageOps.exif_transpose(_with_orientation(resized, exif))


def _resizable(image: Image.Image) -> Image.Image:
    """A mode LANCZOS can resize well: 16-bit grey scaled to 8 bits (convert() would clip it
    to white), palettes and bilevel expanded. The ICC profile rides along in `info`."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        converted = image.convert("I").point(lambda value: value / 256).convert("L")
    elif image.mode in ("P", "PA"):
        has_alpha = image.mode == "PA" or "transparency" in image.info
        converted = image.convert("RGBA" if has_alpha else "RGB")
    elif image.mode == "1":
        converted = image.convert("L")
    else:
        return image
    converted.info = {k: v for k, v in image.info.items() if k == "icc_profile"}
    return converted


def _with_orientation(image: Image.Image, exif: Image.Exif) -> Image.Image:
    """Carry only the Orientation tag over, for exif_transpose to act on."""
    orientation = exif.get(ExifTags.Base.Orientation, 1)
    image.getexif().clear()
    if orientation != 1:
        image.getexif()[ExifTags.Base.Orientation] = orientation
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert through the embedded ICC profile (Display P3, CMYK, …) to sRGB."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image if image.mode != "CMYK" else image.convert("RGB")
    try:
        source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
        if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
            image = image.convert(mode)
        return ImageCms.profileToProfile(image, source_profile, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError):
        return image


def _served_mode(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency."""
    if image.mode in ("RGB", "RGBA"):
        return image
    has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _upright_size(image: Image.Image) -> tuple[int, int]:
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    if orientation in (5, 6, 7, 8):
        return image.height, image.width
    return image.width, image.height


def _mail_jpeg(image: Image.Image) -> Variant:
    data = _jpeg(image, quality=MAIL_JPEG_QUALITY, optimize=True, progressive=True)
    return Variant(name="mail", data=data, content_type="image/jpeg", extension="jpg")


def _webp(name: str, image: Image.Image) -> Variant:
    data = _bare_bytes(image, "WEBP", **WEBP_OPTIONS[name])
    return Variant(name=name, data=data, content_type="image/webp", extension="webp")


def _jpeg(image: Image.Image, **options: object) -> bytes:
    """A JPEG of `image` (RGB or RGBA, as `_served_mode` leaves it), transparency flattened
    on white."""
    flat = _on_white(image) if image.mode == "RGBA" else image
    return _bare_bytes(flat, "JPEG", **options)


def _bare_bytes(image: Image.Image, format: str, **options: object) -> bytes:
    """`image` encoded with its pixels (sRGB) and nothing else: no EXIF, XMP, ICC profile or
    comment. Encoders fall back to `info` for some of these (JPEG writes info["comment"]
    back), so this empties `image.info` first."""
    image.info = {}
    # Into a real file Pillow encodes without the GIL; into a BytesIO it holds it throughout,
    # and the event loop stalled 100 ms for each full-size JPEG.
    with tempfile.TemporaryFile() as out:
        image.save(out, format, **options)
        out.seek(0)
        return out.read()


def _on_white(image: Image.Image) -> Image.Image:
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def _average_colour(image: Image.Image) -> str:
    flat = _on_white(image) if image.mode == "RGBA" else image
    red, green, blue = flat.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))[:3]
    return f"#{red:02x}{green:02x}{blue:02x}"


def _taken_at(exif: Image.Exif) -> datetime | None:
    """`DateTimeOriginal`, with its offset when the camera wrote one; None when absent or junk."""
    details = exif.get_ifd(ExifTags.IFD.Exif)
    raw = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        taken = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = details.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, str) and len(offset) == 6 and offset[0] in "+-":
        try:
            hours, minutes = int(offset[1:3]), int(offset[4:6])
        except ValueError:
            return taken
        sign = 1 if offset[0] == "+" else -1
        return taken.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
    return taken

"""Test photos made on the spot with Pillow and pillow-heif: every shape of input we expect."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pillow_heif
from PIL import ExifTags, Image, ImageDraw, PngImagePlugin

# A photo 600 wide and 400 tall as the camera stored it; with Orientation 6 it is upright
# when turned 90 degrees clockwise, so the upright photo is 400 wide and 600 tall.
STORED_SIZE = (600, 400)


def _scene(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A picture with a red block at the top-left of the stored pixels, to check rotation."""
    image = Image.new("RGB", size, (40, 120, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] // 4, size[1] // 4), fill=(220, 30, 30))
    draw.ellipse((size[0] // 3, size[1] // 3, size[0] // 2, size[1] // 2), fill=(250, 220, 60))
    return image.convert(mode)


def rotated_jpeg_with_gps() -> bytes:
    """A JPEG stored sideways (Orientation 6), with GPS, a camera model and a taken-at time."""
    out = io.BytesIO()
    _scene(STORED_SIZE).save(out, "JPEG", quality=90, exif=_camera_exif())
    return out.getvalue()


def _camera_exif() -> Image.Exif:
    """What a phone writes: Orientation 6, GPS, a camera model and a taken-at time."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2019:07:14 18:30:05"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = "+02:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 29.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 17.0, 40.0)
    return exif


def large_jpeg(width: int, height: int, quality: int = 90) -> bytes:
    """A photo-like JPEG of the given size (gradients and shapes, not flat colour)."""
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge(
        "RGB",
        (
            gradient,
            gradient.transpose(Image.Transpose.ROTATE_180),
            Image.effect_noise((width, height), 40),
        ),
    )
    draw = ImageDraw.Draw(image)
    for n in range(12):
        draw.ellipse(
            (
                n * width // 14,
                n * height // 16,
                n * width // 14 + width // 6,
                n * height // 16 + height // 5,
            ),
            fill=(30 + n * 18, 200 - n * 10, 90),
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def huge_jpeg(edge: int = 14_400) -> bytes:
    """A small file with a great many pixels: flat colour and optimised Huffman tables make
    14,400 x 14,400 pixels (207 MP) fit in about 1.4 MB."""
    image = Image.new("RGB", (edge, edge), (40, 120, 200))
    draw = ImageDraw.Draw(image)
    for n in range(12):
        left, top = n * edge // 14, n * edge // 16
        draw.ellipse((left, top, left + edge // 6, top + edge // 5), fill=(30 + n * 18, 90, 90))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


# What photo_with_every_metadata() writes, so a test can look for it in what is served.
COMMENT = b"Shot at 12 Rue des Lilas, door code 4417"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Phone 15"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def display_p3_profile() -> bytes:
    """An ICC v4 matrix/TRC profile of Display P3 (the primaries of Apple's, adapted to D50;
    the sRGB tone curve), built here: no ICC file ships with the system."""

    def fixed(*values: float) -> bytes:
        return b"".join(struct.pack(">i", round(v * 65536)) for v in values)

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ \0\0\0\0" + fixed(x, y, z)

    text = "Display P3".encode("utf-16-be")
    description = b"mluc\0\0\0\0" + struct.pack(">II2s2sII", 1, 12, b"en", b"US", len(text), 28)
    curve = b"para\0\0\0\0" + struct.pack(">HH", 3, 0)
    curve += fixed(2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045)
    tags = [
        (b"desc", description + text),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.5151, 0.2412, -0.0011)),
        (b"gXYZ", xyz(0.2919, 0.6922, 0.0419)),
        (b"bXYZ", xyz(0.1571, 0.0666, 0.7841)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = struct.pack(
        ">I4sI4s4s4s", offset + len(data), b"\0" * 4, 0x04300000, b"mntr", b"RGB ", b"XYZ "
    )
    header += b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0) + fixed(0.9642, 1.0, 0.8249)
    header += b"\0" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + data


METADATA = ("exif", "xmp", "comment", "icc_profile")


def photo_with_metadata(*kinds: str, format: str = "JPEG") -> bytes:
    """A photo carrying the given kinds of metadata (all of `METADATA` by default), none of
    which a served image may keep: EXIF with GPS, XMP, a comment (a JPEG COM segment; a PNG
    text chunk) and a Display P3 ICC profile."""
    kinds = kinds or METADATA
    values = {
        "exif": _camera_exif(),
        "xmp": XMP,
        "comment": COMMENT,
        "icc_profile": display_p3_profile(),
    }
    options = {kind: values[kind] for kind in kinds}
    if format == "PNG":
        text = PngImagePlugin.PngInfo()
        if options.pop("comment", None):
            text.add_text("Comment", COMMENT.decode())
        if options.pop("xmp", None):
            text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options["pnginfo"] = text
    out = io.BytesIO()
    _scene(STORED_SIZE).save(out, format, **options)
    return out.getvalue()


def cmyk_jpeg() -> bytes:
    out = io.BytesIO()
    _scene((500, 300), "CMYK").save(out, "JPEG", quality=90)
    return out.getvalue()


def png_with_alpha() -> bytes:
    image = _scene((300, 200)).convert("RGBA")
    image.putalpha(Image.linear_gradient("L").resize((300, 200)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_16_bit() -> bytes:
    """A 16-bit greyscale gradient from black to white."""
    image = Image.linear_gradient("L").resize((256, 256)).convert("I")
    image = image.point(lambda value: value * 257).convert("I;16")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def heic() -> bytes:
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    _scene((640, 480)).save(out, "HEIF", quality=80)
    return out.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (120, 80), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def truncated_jpeg() -> bytes:
    whole = large_jpeg(800, 600)
    return whole[: len(whole) // 3]


def black_png(width: int, height: int) -> bytes:
    """A valid black RGB PNG of any size, compressed row by row: a 50 MP one is 150 KB and
    never exists whole in memory here."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb() -> bytes:
    """A tiny PNG that claims 100,000 x 100,000 pixels (10 gigapixels)."""
    width = height = 100_000
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * width
    data = zlib.compress(row * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def text_named_jpg() -> bytes:
    return b"Dear diary, today we went to the lake.\n"


def scenery_image(width: int, height: int, seed: int) -> Image.Image:
    """A photo-like picture: a sky, a sun and hills, in colours of its own (by `seed`)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), tuple(rng.randint(110, 210) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    x, y, r = rng.randint(width // 5, width * 4 // 5), height // 4, height // 9
    draw.ellipse((x - r, y - r, x + r, y + r), fill=(250, 210, 110))
    for n in range(3):
        base = height // 2 + n * height // 7
        hills = [
            (x, base + rng.randint(-height // 12, height // 12)) for x in range(0, width + 1, 160)
        ]
        draw.polygon(
            [(0, height), *hills, (width, height)],
            fill=tuple(rng.randint(40, 130) for _ in range(3)),
        )
    return image


def scenery(width: int, height: int, seed: int) -> bytes:
    """`scenery_image` as a JPEG, as a phone would upload it."""
    out = io.BytesIO()
    scenery_image(width, height, seed).save(out, "JPEG", quality=80)
    return out.getvalue()


def photo_taken(taken: str, seed: int) -> bytes:
    """A phone's JPEG (`scenery`, 800 x 600) with the camera's DateTimeOriginal (`taken`,
    "YYYY:MM:DD HH:MM:SS") and its GPS position, as a gallery shares it."""
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 54.0, 0.0)
    out = io.BytesIO()
    scenery_image(800, 600, seed).save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()

"""Photo ingest: milliseconds and peak memory per photo for our pipeline, naive Pillow and
libvips, on generated 12 MP and 24 MP photo-like JPEGs stored sideways (EXIF Orientation 6).

Run with `make bench` (or `python bench/ingest.py`). Each pipeline runs in a fresh process so
its peak RSS is its own. Prints figures; asserts nothing. libvips is measured when pyvips
imports (`pip install pyvips pyvips-binary`), else skipped with a note."""

from __future__ import annotations

import io
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {"12 MP": (4032, 3024), "24 MP": (6000, 4000)}
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def make_photo(width: int, height: int) -> bytes:
    """A photo-like JPEG (gradients, noise, shapes) stored sideways, with a taken-at time."""
    from PIL import ExifTags, Image

    from tests.images import large_jpeg

    image = Image.open(io.BytesIO(large_jpeg(width, height, quality=92)))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:05:01 10:00:00"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


# --- the pipelines, each run in a child process --------------------------------------------


def ours(data: bytes, folder: Path) -> dict[str, bytes]:
    """What an upload does: process() then store original and variants on the local folder."""
    import asyncio

    from media.images import process
    from media.signing import UrlSigner
    from media.storage import FileStorage

    processed = process(io.BytesIO(data))
    storage = FileStorage(folder, signer=UrlSigner(b"k"))

    async def store() -> None:
        await storage.put("photos/x/original.jpg", data, "image/jpeg")
        for variant in processed.variants:
            await storage.put(f"photos/x/{variant.name}.webp", variant.data, "image/webp")

    asyncio.run(store())
    return {v.name: v.data for v in processed.variants}


def naive(data: bytes, folder: Path) -> dict[str, bytes]:
    """The obvious Pillow code: full decode, rotate, LANCZOS from full size for each variant."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    outputs = {}
    for name, edge in (("display", 1600), ("thumb", 400)):
        scale = min(edge / image.width, edge / image.height)
        resized = image.resize(
            (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
        )
        out = io.BytesIO()
        resized.save(out, "WEBP", quality=80, method=4)
        outputs[name] = out.getvalue()
    (folder / "original.jpg").write_bytes(data)
    for name, encoded in outputs.items():
        (folder / f"{name}.webp").write_bytes(encoded)
    return outputs


def libvips(data: bytes, folder: Path) -> dict[str, bytes]:
    """libvips: shrink-on-load thumbnail to 1600 (auto-rotated), then 400 from that."""
    import pyvips

    display = pyvips.Image.thumbnail_buffer(data, 1600, height=1600)
    thumb = display.thumbnail_image(400, height=400)
    outputs = {
        "display": display.webpsave_buffer(Q=80, strip=True),
        "thumb": thumb.webpsave_buffer(Q=80, strip=True),
    }
    (folder / "original.jpg").write_bytes(data)
    for name, encoded in outputs.items():
        (folder / f"{name}.webp").write_bytes(encoded)
    return outputs


PIPELINES = {"ours (tuned Pillow)": ours, "naive Pillow": naive, "libvips": libvips}


def child(pipeline: str, photo: str) -> None:
    """Run one pipeline RUNS times in this process; print JSON with timings and memory.
    The photo was made by the parent, so making it does not count towards the peak."""
    data = Path(photo).read_bytes()
    function = PIPELINES[pipeline]
    if pipeline == "libvips":
        import pyvips  # noqa: F401  (import cost is not ingest cost)
    else:
        import media.images  # noqa: F401
    reset_peak_rss()
    baseline = peak_rss_kb()
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(RUNS):
            started = time.perf_counter()
            outputs = function(data, Path(folder))
            timings.append((time.perf_counter() - started) * 1000)
    peak = peak_rss_kb()
    print(
        json.dumps(
            {
                "ms": statistics.median(timings),
                "growth_mb": (peak - baseline) / 1024,
                "display": outputs["display"].hex(),
                "sizes": {k: len(v) for k, v in outputs.items()},
            }
        )
    )


def reset_peak_rss() -> None:
    """Make the high-water mark the current RSS (Linux); getrusage's maxrss would also carry
    the parent's peak across exec."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


def psnr(reference: bytes, candidate: bytes) -> float:
    from PIL import Image, ImageChops, ImageStat

    a = Image.open(io.BytesIO(reference)).convert("RGB")
    b = Image.open(io.BytesIO(candidate)).convert("RGB").resize(a.size)
    mse = sum(v**2 for v in ImageStat.Stat(ImageChops.difference(a, b)).rms) / 3
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def encoders(size: str) -> None:
    """The display variant's encoder is the lever: time, bytes and PSNR for each choice."""
    from PIL import Image

    from media.images import DISPLAY_EDGE, _fitted, fitted_size

    width, height = SIZES[size]
    photo = Image.open(io.BytesIO(make_photo(width, height)))
    display = _fitted(photo, fitted_size(width, height, DISPLAY_EDGE))
    lossless = io.BytesIO()
    display.save(lossless, "PNG")
    print(f"\nDisplay-variant encoders on the {size} photo (PSNR against the unencoded pixels):")
    for label, fmt, options in [
        ("WebP q80 method 4", "WEBP", {"quality": 80, "method": 4}),
        ("WebP q80 method 2 (ours)", "WEBP", {"quality": 80, "method": 2}),
        ("AVIF q50 speed 8", "AVIF", {"quality": 50, "speed": 8}),
        ("AVIF q50 speed 6 (Pillow default)", "AVIF", {"quality": 50}),
    ]:
        timings, encoded = [], b""
        for _ in range(3):
            out = io.BytesIO()
            started = time.perf_counter()
            display.save(out, fmt, **options)
            timings.append((time.perf_counter() - started) * 1000)
            encoded = out.getvalue()
        quality = psnr(lossless.getvalue(), encoded)
        print(
            f"  {label:36} {min(timings):6.0f} ms {len(encoded) / 1024:6.0f} KB  "
            f"PSNR {quality:5.2f} dB"
        )


def main() -> None:
    try:
        import pyvips  # noqa: F401

        pipelines = list(PIPELINES)
    except (ImportError, OSError):
        pipelines = [p for p in PIPELINES if p != "libvips"]
        print("libvips: skipped (pip install pyvips pyvips-binary to compare)\n")
    print(
        f"Ingest of one sideways photo (decode, orient, 1600 + 400 px WebP, store); "
        f"median of {RUNS}, {os.cpu_count()} cores\n"
    )
    print(f"{'photo':7} {'pipeline':22} {'ms/photo':>9} {'peak growth':>12} {'PSNR vs naive':>14}")
    for size, (width, height) in SIZES.items():
        results = {}
        with tempfile.NamedTemporaryFile(suffix=".jpg") as photo:
            photo.write(make_photo(width, height))
            photo.flush()
            for pipeline in pipelines:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", pipeline, photo.name],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=ROOT,
                ).stdout
                results[pipeline] = json.loads(out.strip().splitlines()[-1])
        reference = bytes.fromhex(results["naive Pillow"]["display"])
        for pipeline, r in results.items():
            quality = psnr(reference, bytes.fromhex(r["display"]))
            shown = "—" if pipeline == "naive Pillow" else f"{quality:.1f} dB"
            print(f"{size:7} {pipeline:22} {r['ms']:9.0f} {r['growth_mb']:9.0f} MB {shown:>14}")
        speedup = results["naive Pillow"]["ms"] / results["ours (tuned Pillow)"]["ms"]
        line = f"{size:7} ours is {speedup:.2f}x faster than naive Pillow"
        if "libvips" in results:
            line += f", {results['ours (tuned Pillow)']['ms'] / results['libvips']['ms']:.2f}x "
            line += "the time of libvips"
        print(line + "\n")
    encoders("12 MP")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()

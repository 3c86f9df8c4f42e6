"""The demo's photos, painted with Pillow: skies, light, hills, water, towns, rooms, two people."""

from __future__ import annotations

import functools
import io
import itertools
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Colour = tuple[int, int, int]

# Small enough to paint quickly; the photo pipeline makes the served sizes from them.
SHAPES = {"landscape": (1280, 960), "portrait": (960, 1280), "wide": (1280, 720)}
SETTINGS = (
    "park",
    "hills",
    "lake",
    "sea",
    "city",
    "river_city",
    "snow",
    "home",
    "kitchen",
    "window",
)
LIGHTS = ("dawn", "day", "golden", "dusk", "night")
SEASONS = ("spring", "summer", "autumn", "winter")


@dataclass(frozen=True)
class Scene:
    """What a photo shows: where (a setting of `SETTINGS`), in which light, in which season,
    its shape, and how many people stand in it (0, 1 or 2)."""

    setting: str
    light: str = "day"
    season: str = "summer"
    shape: str = "landscape"
    people: int = 2


@dataclass(frozen=True)
class Sky:
    top: Colour
    middle: Colour
    horizon: Colour
    haze: Colour
    glow: Colour
    # How bright the land is under this sky, 0..1.
    light: float


SKIES = {
    "dawn": Sky(
        (62, 84, 150), (214, 150, 160), (255, 206, 160), (226, 184, 176), (255, 226, 180), 0.78
    ),
    "day": Sky(
        (58, 118, 204), (124, 174, 228), (206, 226, 242), (188, 208, 228), (255, 250, 225), 1.0
    ),
    "golden": Sky(
        (82, 116, 186), (236, 178, 124), (255, 214, 146), (236, 196, 156), (255, 214, 140), 0.9
    ),
    "dusk": Sky(
        (34, 40, 94), (160, 84, 124), (250, 146, 88), (176, 112, 132), (255, 170, 100), 0.55
    ),
    "night": Sky((6, 10, 30), (18, 28, 66), (46, 58, 104), (44, 54, 96), (236, 236, 214), 0.3),
}
LAND = {
    "spring": (88, 150, 74),
    "summer": (96, 138, 58),
    "autumn": (160, 112, 52),
    "winter": (104, 112, 92),
}


def paint(scene: Scene, seed: int) -> bytes:
    """A JPEG of `scene`; the same scene and seed always give the same bytes."""
    rng = random.Random(seed)  # noqa: S311 (a picture, not a secret)
    width, height = SHAPES[scene.shape]
    if scene.setting in ("home", "kitchen", "window"):
        image = _room(scene, rng, width, height)
    else:
        image = _outdoors(scene, rng, width, height)
    image = _finish(image, rng, scene.light)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=86)
    return out.getvalue()


# Colours -----------------------------------------------------------------------------------


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    t = max(0.0, min(1.0, t))
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _scale(colour: Colour, factor: float) -> Colour:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)  # type: ignore[return-value]


def _gradient(size: tuple[int, int], stops: list[tuple[float, Colour]]) -> Image.Image:
    """A vertical gradient through `stops` (position 0..1, colour), made as one column and
    stretched: cheap at any size."""
    column = Image.new("RGB", (1, 256))
    for y in range(256):
        at = y / 255
        for (p0, c0), (p1, c1) in itertools.pairwise(stops):
            if p0 <= at <= p1:
                column.putpixel((0, y), _mix(c0, c1, (at - p0) / max(p1 - p0, 1e-6)))
                break
        else:
            column.putpixel((0, y), stops[-1][1] if at > stops[-1][0] else stops[0][1])
    return column.resize(size, Image.Resampling.BILINEAR)


def _glow(
    image: Image.Image, centre: tuple[float, float], radius: float, colour: Colour, strength: float
) -> None:
    """Light spreading around `centre`, strongest in the middle, gone at `radius`."""
    size = max(2, int(radius * 2))
    mask = Image.radial_gradient("L").resize((size, size), Image.Resampling.BILINEAR)
    mask = mask.point(lambda v: int(255 * strength * max(0.0, 1 - v / 255) ** 2.2))
    box = (int(centre[0] - size / 2), int(centre[1] - size / 2))
    image.paste(Image.new("RGB", (size, size), colour), box, mask)


# Outdoors ----------------------------------------------------------------------------------


def _outdoors(scene: Scene, rng: random.Random, width: int, height: int) -> Image.Image:
    sky = SKIES[scene.light]
    if scene.setting == "snow":
        # An overcast winter sky: the palette drained towards grey, the light kept.
        grey = (196, 204, 216) if scene.light != "night" else (40, 48, 78)
        sky = Sky(
            *(_mix(c, grey, 0.55) for c in (sky.top, sky.middle, sky.horizon, sky.haze)),
            sky.glow,
            sky.light,
        )
    water = scene.setting in ("lake", "sea", "river_city")
    horizon = int(height * rng.uniform(0.52, 0.6) if water else height * rng.uniform(0.5, 0.62))
    image = _gradient(
        (width, height),
        [
            (0.0, sky.top),
            (0.45 * horizon / height, sky.middle),
            (horizon / height, sky.horizon),
            (1.0, sky.horizon),
        ],
    )
    unit = min(width, height) / 1000
    if scene.light == "night":
        _stars(image, rng, horizon, unit)
    sun = _sun(image, rng, scene.light, horizon, unit, sky)
    if scene.light in ("day", "golden", "dawn") and scene.setting != "snow":
        _clouds(image, rng, horizon, unit, sky)
    land = LAND["winter" if scene.setting == "snow" else scene.season]
    if scene.setting in ("city", "river_city"):
        _hills(image, rng, horizon, unit, sky, land, layers=1, far=True)
        _skyline(image, rng, horizon, unit, sky, scene.light)
    elif scene.setting == "sea":
        _headland(image, rng, horizon, unit, sky, land)
    else:
        mountains = scene.setting in ("lake", "snow")
        _hills(
            image,
            rng,
            horizon,
            unit,
            sky,
            land,
            layers=3 if mountains else 2,
            far=True,
            tall=mountains,
        )
    if water:
        _water(image, rng, horizon, sun, unit, sky)
        ground = height
    else:
        ground = _near_ground(image, rng, horizon, unit, sky, land, scene)
    if scene.setting == "snow":
        _snowfall(image, rng, unit)
    if scene.people:
        foot = int(height - unit * rng.uniform(40, 90)) if water else ground
        if water:
            _shore(image, rng, foot, unit, sky, scene)
        scale = unit * (1.0 if scene.shape != "portrait" else 1.15)
        x = width * rng.choice([0.32, 0.4, 0.6, 0.68])
        _people(image, rng, x, foot, scale * rng.uniform(230, 290), scene.people, sky, scene.light)
    return image


def _stars(image: Image.Image, rng: random.Random, horizon: int, unit: float) -> None:
    draw = ImageDraw.Draw(image)
    for _ in range(int(420 * image.width / 1600)):
        x, y = rng.uniform(0, image.width), rng.uniform(0, horizon * 0.85) ** 1.0
        level = rng.randint(120, 255) * (1 - 0.6 * y / horizon)
        r = rng.choice([0.6, 0.8, 1.0, 1.0, 1.6]) * unit * 1.6
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(int(level), int(level), int(level * 0.95)))


def _sun(image, rng, light, horizon, unit, sky) -> tuple[float, float]:
    """The sun (or the moon at night) with its glow; where it is."""
    x = image.width * rng.uniform(0.2, 0.8)
    y = {
        "dawn": horizon - unit * 60,
        "day": horizon * rng.uniform(0.18, 0.32),
        "golden": horizon - unit * rng.uniform(120, 200),
        "dusk": horizon - unit * 20,
        "night": horizon * rng.uniform(0.2, 0.4),
    }[light]
    radius = unit * (34 if light == "night" else 46)
    _glow(
        image,
        (x, y),
        radius * (9 if light != "day" else 7),
        sky.glow,
        0.55 if light != "night" else 0.25,
    )
    _glow(image, (x, y), radius * 3, sky.glow, 0.7 if light != "night" else 0.35)
    draw = ImageDraw.Draw(image)
    core = (255, 250, 236) if light in ("day", "night") else _mix(sky.glow, (255, 255, 240), 0.5)
    if light == "night":
        # A crescent: the lit disc less the same disc moved aside.
        size = int(radius * 2) + 2
        lit = Image.new("L", (size, size), 0)
        ImageDraw.Draw(lit).ellipse((0, 0, size - 1, size - 1), fill=255)
        dark = Image.new("L", (size, size), 0)
        ImageDraw.Draw(dark).ellipse((size * 0.3, -size * 0.12, size * 1.3, size * 0.88), fill=255)
        image.paste(
            Image.new("RGB", (size, size), core),
            (int(x - radius), int(y - radius)),
            ImageChops.subtract(lit, dark),
        )
        _glow(image, (x, y), radius * 2, sky.glow, 0.15)
    else:
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=core)
    return x, y


def _clouds(image, rng, horizon, unit, sky) -> None:
    layer = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(2, 5)):
        cx, cy = rng.uniform(0, image.width), rng.uniform(horizon * 0.1, horizon * 0.75)
        for _ in range(rng.randint(4, 8)):
            w, h = unit * rng.uniform(80, 220), unit * rng.uniform(25, 60)
            x, y = cx + rng.uniform(-180, 180) * unit, cy + rng.uniform(-20, 20) * unit
            draw.ellipse((x - w, y - h, x + w, y + h), fill=rng.randint(110, 190))
    # Blurred small and grown back: the same softness for a sixteenth of the work.
    small = layer.resize((layer.width // 4, layer.height // 4), Image.Resampling.BILINEAR)
    layer = small.filter(ImageFilter.GaussianBlur(unit * 5.5)).resize(
        layer.size, Image.Resampling.BILINEAR
    )
    lit = _mix(sky.glow, (255, 255, 255), 0.4)
    image.paste(Image.new("RGB", image.size, lit), (0, 0), layer)


def _ridge(
    rng: random.Random, width: int, base: float, amplitude: float, step: int = 8
) -> list[tuple[float, float]]:
    """A hill line: a few long waves and a little roughness."""
    waves = [
        (rng.uniform(0.6, 3.2), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0)) for _ in range(4)
    ]
    total = sum(w for _, _, w in waves)
    points = []
    for x in range(-step, width + 2 * step, step):
        t = x / width
        y = sum(w * math.sin(f * math.tau * t + p) for f, p, w in waves) / total
        points.append(
            (x, base - amplitude * (0.5 + 0.5 * y) + rng.uniform(-1, 1) * amplitude * 0.03)
        )
    return points


def _fill_below(
    image: Image.Image, points, colour_top: Colour, colour_bottom: Colour
) -> Image.Image:
    """Fill under a line with a vertical gradient; returns the mask it used."""
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).polygon(
        [*points, (image.width + 20, image.height), (-20, image.height)], fill=255
    )
    top = int(min(y for _, y in points))
    fill = _gradient(
        (image.width, max(1, image.height - top)), [(0, colour_top), (1, colour_bottom)]
    )
    image.paste(fill, (0, top), mask.crop((0, top, image.width, image.height)))
    return mask


def _hills(image, rng, horizon, unit, sky, land, *, layers, far, tall=False) -> None:
    """Ranges of hills, the farther ones paler and bluer (the air between)."""
    lit = _scale(land, sky.light)
    for n in range(layers):
        distance = 1 - n / max(layers, 1)  # 1 = farthest
        haze = _mix(sky.haze, (150, 170, 210), 0.3)
        colour = _mix(lit, haze, 0.25 + 0.6 * distance if far else 0.2)
        amplitude = unit * (rng.uniform(180, 320) if tall and n == 0 else rng.uniform(50, 130))
        base = horizon + unit * 4 * n
        points = _ridge(rng, image.width, base, amplitude, step=6 if tall else 10)
        if tall and n == 0:
            # Sharper peaks for mountains: fold the waves.
            points = [(x, base - (base - y) ** 1.15 / amplitude**0.15) for x, y in points]
        _fill_below(image, points, _mix(colour, sky.haze, 0.1), _mix(colour, sky.horizon, 0.45))
        if tall and n == 0 and sky.light > 0.4:
            _snowcaps(image, points, amplitude, base, sky)


def _snowcaps(image, points, amplitude, base, sky) -> None:
    # The snow line dips into the gullies: a wave along the range, not a ruler's edge.
    line = base - amplitude * 0.6
    cap = [
        (x, max(y, line + amplitude * 0.07 * math.sin(x / (amplitude * 0.35)) + (line - y) * 0.3))
        for x, y in points
    ]
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    draw.polygon([*points, *reversed(cap)], fill=200)
    image.paste(Image.new("RGB", image.size, _mix((240, 244, 250), sky.glow, 0.25)), (0, 0), mask)


def _headland(image, rng, horizon, unit, sky, land) -> None:
    """A cliff running into the sea at one side, hazy."""
    left = rng.random() < 0.5
    width = image.width
    reach = width * rng.uniform(0.25, 0.4)
    points = []
    for i in range(0, 41):
        t = i / 40
        x = reach * t
        y = horizon - unit * 170 * (1 - t**2.2) - unit * rng.uniform(0, 6)
        points.append((x if left else width - x, y))
    points.append((reach if left else width - reach, horizon))
    colour = _mix(_scale(land, sky.light), sky.haze, 0.5)
    poly = [*points, ((0 if left else width), horizon)]
    ImageDraw.Draw(image).polygon(poly, fill=colour)


def _skyline(image, rng, horizon, unit, sky, light) -> None:
    """Two rows of buildings, the back row hazier; lit windows after dark; a tower or dome."""
    night = light in ("dusk", "night")
    for row in (0, 1):
        draw = ImageDraw.Draw(image)
        base_colour = (96, 82, 92) if night else (214, 186, 160)
        colour = _mix(
            _scale(base_colour, 0.6 + 0.4 * sky.light), sky.haze, 0.55 if row == 0 else 0.15
        )
        x = -rng.uniform(0, 40) * unit
        while x < image.width:
            w = unit * rng.uniform(40, 95)
            h = unit * rng.uniform(50, 170) * (0.75 if row == 0 else 1.0)
            top = horizon - unit * (26 if row == 0 else 0) - h
            if not night and row == 1:
                facade = rng.choice(
                    [
                        (232, 200, 160),
                        (226, 170, 140),
                        (236, 222, 196),
                        (200, 172, 190),
                        (246, 214, 150),
                    ]
                )
                colour = _mix(_scale(facade, 0.6 + 0.4 * sky.light), sky.haze, 0.15)
            draw.rectangle((x, top, x + w, horizon + unit * 10), fill=colour)
            roof = (
                _scale(colour, 0.82)
                if night
                else _mix((176, 84, 56), sky.haze, 0.25 if row else 0.5)
            )
            draw.polygon(
                [(x - unit * 3, top), (x + w / 2, top - unit * 18), (x + w + unit * 3, top)],
                fill=roof,
            )
            if rng.random() < 0.08:
                # A church: a tower with a dome.
                tw = w * 0.4
                tx = x + w * 0.3
                draw.rectangle((tx, top - unit * 90, tx + tw, top), fill=colour)
                draw.pieslice(
                    (
                        tx - unit * 4,
                        top - unit * 90 - tw * 0.6,
                        tx + tw + unit * 4,
                        top - unit * 90 + tw * 0.6,
                    ),
                    180,
                    360,
                    fill=roof,
                )
            if row == 1:
                _windows(draw, rng, x, top, w, horizon, unit, night, colour)
            x += w + unit * rng.uniform(0, 6)
        if night:
            _glow(image, (image.width / 2, horizon), image.width * 0.9, (255, 170, 110), 0.18)


def _windows(draw, rng, x, top, w, bottom, unit, night, wall) -> None:
    size = unit * 9
    for wy in range(int(top + unit * 14), int(bottom - unit * 10), int(unit * 26)):
        for wx in range(int(x + unit * 8), int(x + w - size - unit * 4), int(unit * 22)):
            if night:
                if rng.random() < 0.45:
                    warm = rng.choice([(255, 206, 120), (255, 226, 160), (250, 186, 100)])
                    draw.rectangle((wx, wy, wx + size, wy + size * 1.4), fill=warm)
            else:
                draw.rectangle((wx, wy, wx + size, wy + size * 1.4), fill=_scale(wall, 0.72))


def _water(image, rng, horizon, sun, unit, sky) -> None:
    """Everything above the waterline mirrored, darker and bluer, smeared sideways, with
    ripples and the sun's path on it."""
    width, height = image.size
    depth = height - horizon
    above = image.crop((0, max(0, horizon - depth), width, horizon)).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM
    )
    if above.height < depth:
        above = above.resize((width, depth))
    tint = Image.new("RGB", above.size, _mix(sky.top, (20, 50, 80), 0.5))
    mirror = Image.blend(above, tint, 0.35)
    # Smear sideways: shrink across, grow back.
    mirror = mirror.resize((max(1, width // 10), depth), Image.Resampling.BILINEAR).resize(
        (width, depth), Image.Resampling.BICUBIC
    )
    draw = ImageDraw.Draw(mirror)
    for _ in range(int(depth / unit * 0.9)):
        y = rng.uniform(0, depth)
        length = unit * rng.uniform(30, 200) * (0.4 + y / depth)
        x = rng.uniform(-length, width)
        shade = (
            _mix(sky.horizon, (255, 255, 255), 0.2) if rng.random() < 0.5 else _scale(sky.top, 0.6)
        )
        draw.line((x, y, x + length, y), fill=shade, width=max(1, int(unit * (1 + 2 * y / depth))))
    if sun[1] < horizon:
        for _ in range(int(60 * unit)):
            y = rng.uniform(0, depth) ** 1.0
            spread = unit * (20 + 120 * y / depth)
            x = sun[0] + rng.gauss(0, spread * 0.5)
            length = unit * rng.uniform(10, 50)
            draw.line(
                (x - length, y, x + length, y),
                fill=_mix(sky.glow, (255, 255, 255), 0.3),
                width=max(1, int(unit * 2)),
            )
    mirror = mirror.filter(ImageFilter.SMOOTH_MORE)
    image.paste(mirror, (0, horizon))


def _shore(image, rng, foot, unit, sky, scene) -> None:
    """A strip of shore or jetty for the people to stand on."""
    colour = _scale(
        (196, 174, 130) if scene.setting == "sea" else (94, 74, 54), sky.light * 0.9 + 0.1
    )
    points = _ridge(rng, image.width, foot + unit * 6, unit * 12)
    _fill_below(image, points, colour, _scale(colour, 0.7))


def _near_ground(image, rng, horizon, unit, sky, land, scene) -> int:
    """The grass (or snow) the people stand on, with trees along it; where their feet go."""
    width, height = image.size
    snow = scene.setting == "snow"
    near = (236, 240, 248) if snow else land
    near = _scale(near, 0.55 + 0.45 * sky.light)
    base = horizon + (height - horizon) * 0.38
    points = _ridge(rng, width, base, unit * 40, step=12)
    if scene.setting == "city":
        return _terrace(image, rng, horizon, unit, sky, scene.light)
    if scene.setting == "park" or snow:
        _trees(image, rng, points, unit, sky, land, snow, scene.season)
    _fill_below(image, points, _mix(near, sky.glow, 0.12), _scale(near, 0.72))
    return int(height - (height - base) * rng.uniform(0.25, 0.45))


FACADES = ((232, 200, 160), (226, 170, 140), (236, 222, 196), (200, 172, 190), (246, 214, 150))


def _terrace(image, rng, horizon, unit, sky, light) -> int:
    """A lookout over the town: rows of houses stepping down the hill below the skyline, a
    stone terrace and its railing in front; where the people stand."""
    width, height = image.size
    night = light in ("dusk", "night")
    deck = int(horizon + (height - horizon) * 0.45)
    rail_top = deck - unit * 90
    draw = ImageDraw.Draw(image)
    for row in range(3):
        grow = 1 + 0.35 * row
        base = horizon + (rail_top - horizon) * (row + 1) / 3 + unit * 12
        x = -rng.uniform(0, 30) * unit
        while x < width:
            w, h = unit * rng.uniform(34, 66) * grow, unit * rng.uniform(26, 48) * grow
            top = base - h
            facade = _scale(rng.choice(FACADES), (0.4 if night else 0.55) + 0.45 * sky.light)
            wall = _mix(facade, sky.haze, 0.35 - 0.12 * row)
            roof = _mix(_scale((178, 86, 58), 0.45 + 0.55 * sky.light), sky.haze, 0.3 - 0.1 * row)
            draw.rectangle((x, top, x + w, deck), fill=wall)
            draw.polygon(
                [(x - unit * 3, top), (x + w / 2, top - unit * 14 * grow), (x + w + unit * 3, top)],
                fill=roof,
            )
            for wx in (x + w * 0.2, x + w * 0.6):
                lit = night and rng.random() < 0.5
                window = (
                    rng.choice(((255, 206, 120), (250, 186, 100))) if lit else _scale(wall, 0.7)
                )
                draw.rectangle((wx, top + h * 0.3, wx + w * 0.18, top + h * 0.6), fill=window)
            x += w + unit * rng.uniform(-4, 4)
    deck = int(horizon + (height - horizon) * 0.45)
    stone = _scale((196, 178, 150), 0.45 + 0.55 * sky.light)
    _fill_below(image, [(-20, deck), (width + 20, deck)], stone, _scale(stone, 0.7))
    rail = _scale((60, 52, 50), 0.5 + 0.5 * sky.light)
    top = deck - unit * 90
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, top, width, top + unit * 10), fill=rail)
    for post in range(0, width, max(4, int(unit * 34))):
        draw.rectangle((post, top, post + unit * 6, deck), fill=rail)
    return int(deck + (height - deck) * rng.uniform(0.4, 0.6))


def _trees(image, rng, line, unit, sky, land, snow, season) -> None:
    draw = ImageDraw.Draw(image)
    leaves = {
        "spring": (70, 120, 60),
        "summer": (52, 96, 44),
        "autumn": (178, 104, 40),
        "winter": (46, 70, 52),
    }[season]
    colour = _mix(_scale(leaves, 0.5 + 0.5 * sky.light), sky.haze, 0.25)
    for x, y in line[:: rng.randint(3, 6)]:
        if rng.random() < 0.45:
            continue
        size = unit * rng.uniform(35, 80)
        if snow or season == "winter":
            # Pines, dusted with snow when it snows.
            for k in range(3):
                w, top = size * (0.9 - 0.25 * k), y - size * (0.6 + 0.7 * k)
                draw.polygon(
                    [(x - w, top + size), (x, top - size * 0.3), (x + w, top + size)], fill=colour
                )
                if snow:
                    draw.polygon(
                        [
                            (x - w * 0.4, top + size * 0.1),
                            (x, top - size * 0.3),
                            (x + w * 0.4, top + size * 0.1),
                        ],
                        fill=(234, 238, 246),
                    )
        else:
            draw.rectangle(
                (x - size * 0.08, y - size, x + size * 0.08, y + 4), fill=_scale(colour, 0.6)
            )
            for _ in range(5):
                dx, dy, r = (
                    rng.uniform(-0.5, 0.5) * size,
                    rng.uniform(-1.6, -0.9) * size,
                    size * rng.uniform(0.45, 0.7),
                )
                draw.ellipse(
                    (x + dx - r, y + dy - r, x + dx + r, y + dy + r),
                    fill=_scale(colour, rng.uniform(0.9, 1.1)),
                )


def _snowfall(image, rng, unit) -> None:
    layer = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(layer)
    for _ in range(int(900 * image.width / 1600)):
        x, y = rng.uniform(0, image.width), rng.uniform(0, image.height)
        r = unit * rng.choice([1.5, 2, 2.5, 3, 4.5])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(140, 230))
    layer = layer.filter(ImageFilter.SMOOTH)
    image.paste(Image.new("RGB", image.size, (250, 250, 255)), (0, 0), layer)


# People ------------------------------------------------------------------------------------


def _people(image, rng, x, foot, tall, count, sky, light, *, seated=False) -> None:
    """One or two people side by side, as silhouettes against the light; drawn three times
    larger and shrunk, so their edges are soft like a photo's."""
    k = 3
    box_w, box_h = int(tall * 1.6), int(tall * 1.15)
    mask = Image.new("L", (box_w * k, box_h * k), 0)
    draw = ImageDraw.Draw(mask)
    heights = [tall, tall * rng.uniform(0.88, 0.94)]
    rng.shuffle(heights)
    offsets = [-0.16, 0.16] if count == 2 else [0.0]
    for n, dx in enumerate(offsets):
        h = heights[n] * k
        cx = (box_w / 2 + dx * tall) * k
        _person(
            draw,
            cx,
            box_h * k,
            h,
            long_hair=(heights[n] != max(heights)) or (count == 1 and rng.random() < 0.5),
            seated=seated,
            towards=-dx,
        )
    if count == 2 and not seated:
        # Holding hands between them.
        y = box_h * k - heights[1] * k * 0.48
        draw.ellipse(
            (
                box_w / 2 * k - tall * k * 0.04,
                y - tall * k * 0.03,
                box_w / 2 * k + tall * k * 0.04,
                y + tall * k * 0.03,
            ),
            fill=255,
        )
    mask = mask.resize((box_w, box_h), Image.Resampling.LANCZOS)
    dark = (28, 24, 30) if light in ("dusk", "night", "golden", "dawn") else (54, 50, 56)
    origin = (int(x - box_w / 2), int(foot - box_h))
    image.paste(Image.new("RGB", mask.size, dark), origin, mask)
    if light in ("dusk", "golden", "dawn"):
        # Rim light: the edge facing the low sun catches it.
        rim = ImageChops.subtract(mask, ImageChops.offset(mask, int(tall * 0.012) + 1, 0))
        image.paste(Image.new("RGB", mask.size, sky.glow), origin, rim.point(lambda v: v // 2))


def _person(draw, cx, foot, h, *, long_hair, seated, towards) -> None:
    head = h * 0.065
    shoulder = h * 0.12
    neck_y = foot - h + head * 2.2
    hip_y = foot - h * 0.5 if not seated else foot - h * 0.28
    hip = h * 0.085
    lean = towards * h * 0.04
    # Head, neck.
    hx = cx + lean
    draw.ellipse((hx - head, foot - h, hx + head, foot - h + head * 2.3), fill=255)
    if long_hair:
        draw.polygon(
            [
                (hx - head * 1.05, foot - h + head),
                (hx + head * 1.05, foot - h + head),
                (hx + head * 1.2, neck_y + head * 1.2),
                (hx - head * 1.2, neck_y + head * 1.2),
            ],
            fill=255,
        )
    draw.rectangle(
        (
            cx + lean * 0.6 - head * 0.4,
            neck_y - head * 0.4,
            cx + lean * 0.6 + head * 0.4,
            neck_y + head * 0.6,
        ),
        fill=255,
    )
    # Torso: shoulders rounded, narrowing to the hips.
    draw.rounded_rectangle(
        (
            cx + lean * 0.5 - shoulder,
            neck_y + head * 0.3,
            cx + lean * 0.5 + shoulder,
            neck_y + head * 1.6,
        ),
        radius=head * 0.8,
        fill=255,
    )
    draw.polygon(
        [
            (cx + lean * 0.5 - shoulder, neck_y + head),
            (cx + lean * 0.5 + shoulder, neck_y + head),
            (cx + hip, hip_y),
            (cx - hip, hip_y),
        ],
        fill=255,
    )
    # Arms hanging, the inner one reaching towards the other person.
    for side in (-1, 1):
        sx = cx + lean * 0.5 + side * shoulder * 0.92
        reach = towards * h * 0.03 if side * towards > 0 else 0
        draw.line(
            (sx, neck_y + head, sx + side * h * 0.02 + reach * 3, hip_y + h * 0.04),
            fill=255,
            width=int(h * 0.045),
        )
    if seated:
        return
    for side in (-1, 1):
        draw.polygon(
            [
                (cx + side * hip * 0.05, hip_y - h * 0.02),
                (cx + side * hip * 1.02, hip_y - h * 0.02),
                (cx + side * hip * 0.55, foot),
                (cx + side * hip * 0.12, foot),
            ],
            fill=255,
        )
        toe = (cx + side * hip * 0.2, cx + side * hip * 0.75 + side * h * 0.012)
        draw.ellipse((min(toe), foot - h * 0.018, max(toe), foot + h * 0.004), fill=255)


# Rooms -------------------------------------------------------------------------------------


def _room(scene: Scene, rng: random.Random, width: int, height: int) -> Image.Image:
    """A room at home in lamplight, a window onto the sky outside; a sofa with two people;
    or, for a quiet window, the room cool and empty."""
    unit = min(width, height) / 1000
    quiet = scene.setting == "window"
    wall_top, wall_low = (
        ((150, 160, 176), (98, 104, 122)) if quiet else ((176, 122, 78), (120, 76, 48))
    )
    floor = int(height * 0.74)
    image = _gradient(
        (width, height),
        [
            (0, wall_top),
            (floor / height, wall_low),
            (floor / height + 0.001, (70, 46, 34)),
            (1, (44, 30, 24)),
        ],
    )
    draw = ImageDraw.Draw(image)
    # The window: the sky at the scene's hour, a city or hills beyond.
    wx0, wx1 = width * rng.uniform(0.08, 0.16), width * rng.uniform(0.42, 0.52)
    wy0, wy1 = height * 0.12, height * 0.6
    outside = Scene(
        "river_city" if rng.random() < 0.6 else "hills",
        scene.light,
        scene.season,
        "landscape",
        people=0,
    )
    view = _outdoors(outside, rng, int(wx1 - wx0), int(wy1 - wy0))
    image.paste(view, (int(wx0), int(wy0)))
    frame = (236, 226, 210) if not quiet else (214, 218, 226)
    frame = _scale(frame, 0.75)
    bar = max(2, int(unit * 12))
    draw.rectangle((wx0 - bar, wy0 - bar, wx1 + bar, wy1 + bar), outline=frame, width=bar)
    draw.line(((wx0 + wx1) / 2, wy0, (wx0 + wx1) / 2, wy1), fill=frame, width=bar)
    draw.line((wx0, (wy0 + wy1) / 2, wx1, (wy0 + wy1) / 2), fill=frame, width=bar)
    draw.rectangle(
        (wx0 - bar * 2, wy1 + bar, wx1 + bar * 2, wy1 + bar * 2.5), fill=_scale(frame, 0.9)
    )
    # Light from the window falls on the floor.
    sky = SKIES[scene.light]
    _glow(image, ((wx0 + wx1) / 2, floor + unit * 40), (wx1 - wx0) * 1.6, sky.glow, 0.25)
    if quiet:
        # A chair, a cup on the sill: somebody was here.
        draw.rounded_rectangle(
            (width * 0.6, floor - unit * 260, width * 0.78, floor + unit * 40),
            radius=unit * 20,
            fill=(70, 76, 92),
        )
        draw.rectangle(
            (wx1 - unit * 90, wy1 - unit * 40, wx1 - unit * 60, wy1), fill=(232, 232, 236)
        )
        return image
    if scene.setting == "kitchen":
        _kitchen(image, rng, scene, floor, unit, wx1, sky)
        return image
    # A picture on the wall, a plant.
    px = width * rng.uniform(0.6, 0.72)
    draw.rectangle(
        (px, height * 0.18, px + unit * 170, height * 0.18 + unit * 130), fill=(60, 44, 34)
    )
    draw.rectangle(
        (px + unit * 12, height * 0.18 + unit * 12, px + unit * 158, height * 0.18 + unit * 118),
        fill=(214, 170, 120),
    )
    draw.polygon(
        [
            (px + unit * 12, height * 0.18 + unit * 118),
            (px + unit * 70, height * 0.18 + unit * 60),
            (px + unit * 158, height * 0.18 + unit * 118),
        ],
        fill=(120, 140, 96),
    )
    # The lamp and its warm pool of light.
    lx = width * rng.uniform(0.84, 0.9)
    shade_y = floor - unit * 430
    _glow(image, (lx, shade_y + unit * 40), unit * 900, (255, 196, 120), 0.55)
    _glow(image, (lx, shade_y + unit * 40), unit * 260, (255, 226, 170), 0.6)
    draw = ImageDraw.Draw(image)
    draw.line((lx, shade_y, lx, floor + unit * 30), fill=(40, 30, 26), width=max(2, int(unit * 8)))
    draw.polygon(
        [
            (lx - unit * 50, shade_y),
            (lx + unit * 50, shade_y),
            (lx + unit * 80, shade_y + unit * 90),
            (lx - unit * 80, shade_y + unit * 90),
        ],
        fill=(250, 222, 170),
    )
    # The sofa: its back, the two of them, its seat in front.
    sx0, sx1 = width * 0.3, width * 0.8
    sofa = (86, 58, 54)
    draw.rounded_rectangle(
        (sx0, floor - unit * 260, sx1, floor - unit * 60), radius=unit * 40, fill=sofa
    )
    if scene.people:
        _people(
            image,
            rng,
            (sx0 + sx1) / 2,
            floor - unit * 70,
            unit * 420,
            scene.people,
            sky,
            "night",
            seated=True,
        )
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (sx0 - unit * 30, floor - unit * 120, sx1 + unit * 30, floor + unit * 30),
        radius=unit * 30,
        fill=_scale(sofa, 1.1),
    )
    for end in (sx0 - unit * 40, sx1 - unit * 40):
        draw.rounded_rectangle(
            (end, floor - unit * 170, end + unit * 80, floor + unit * 30),
            radius=unit * 30,
            fill=_scale(sofa, 0.95),
        )
    # A rug.
    draw.ellipse(
        (width * 0.2, floor + unit * 60, width * 0.9, height - unit * 20), fill=(120, 70, 52)
    )
    return image


def _kitchen(image, rng, scene, floor, unit, window_right, sky) -> None:
    """Cupboards and a counter along the wall, a pendant lamp's pool of light, and the two
    of them standing close in the middle of the floor."""
    width, height = image.size
    # The lamp's light first, so the cupboards stand in it rather than behind a haze.
    lamp_x = width * 0.55
    _glow(image, (lamp_x, floor - unit * 200), unit * 1100, (255, 200, 130), 0.5)
    _glow(image, (lamp_x, height * 0.2), unit * 300, (255, 230, 180), 0.6)
    draw = ImageDraw.Draw(image)
    wood, counter = (112, 74, 50), (226, 212, 190)
    left = window_right + unit * 40
    for x in range(int(left), int(width - unit * 20), int(unit * 130)):
        draw.rectangle((x, height * 0.1, x + unit * 120, height * 0.32), fill=wood)
        draw.rectangle(
            (x + unit * 50, height * 0.29, x + unit * 70, height * 0.3), fill=(90, 70, 54)
        )
    top = floor - unit * 230
    draw.rectangle((0, top, width, top + unit * 24), fill=counter)
    draw.rectangle((0, top + unit * 24, width, floor), fill=_scale(wood, 0.8))
    for x in range(0, width, int(unit * 160)):
        draw.line(
            (x, top + unit * 24, x, floor), fill=_scale(wood, 0.6), width=max(1, int(unit * 3))
        )
    # A pot on the stove, steam over it; a bowl of lemons.
    pot = width * rng.uniform(0.7, 0.8)
    draw.rectangle((pot, top - unit * 70, pot + unit * 110, top), fill=(70, 70, 76))
    _glow(image, (pot + unit * 55, top - unit * 130), unit * 140, (255, 255, 255), 0.25)
    draw = ImageDraw.Draw(image)
    bowl = width * rng.uniform(0.05, 0.15)
    for n in range(4):
        draw.ellipse(
            (
                bowl + n * unit * 28,
                top - unit * 40,
                bowl + n * unit * 28 + unit * 34,
                top - unit * 8,
            ),
            fill=(240, 204, 60),
        )
    # Floor tiles.
    for x in range(-int(width), 2 * width, int(unit * 120)):
        draw.line(
            (x, height, width / 2 + (x - width / 2) * 0.4, floor),
            fill=(60, 40, 30),
            width=max(1, int(unit * 3)),
        )
    # The pendant lamp.
    draw.line((lamp_x, 0, lamp_x, height * 0.16), fill=(40, 30, 26), width=max(2, int(unit * 5)))
    draw.pieslice(
        (
            lamp_x - unit * 90,
            height * 0.16 - unit * 60,
            lamp_x + unit * 90,
            height * 0.16 + unit * 60,
        ),
        180,
        360,
        fill=(60, 48, 40),
    )
    draw.ellipse(
        (
            lamp_x - unit * 30,
            height * 0.16 - unit * 10,
            lamp_x + unit * 30,
            height * 0.16 + unit * 20,
        ),
        fill=(255, 240, 200),
    )
    if scene.people:
        foot = floor + (height - floor) * 0.6
        _people(image, rng, lamp_x, foot, unit * 480, scene.people, sky, "night")


# Finish ------------------------------------------------------------------------------------


@functools.cache
def _grain(size: tuple[int, int]) -> Image.Image:
    """Film grain from a fixed seed, not from Pillow's own noise (which cannot be seeded);
    made once per photo shape."""
    rng = random.Random(1)  # noqa: S311 (grain, not a secret)
    tile = Image.new("L", (192, 192))
    tile.putdata([max(0, min(255, int(rng.gauss(128, 7)))) for _ in range(192 * 192)])
    grain = Image.new("L", size)
    for x in range(0, size[0], 192):
        for y in range(0, size[1], 192):
            grain.paste(tile, (x, y))
    return Image.merge("RGB", (grain, grain, grain))


@functools.cache
def _vignette(size: tuple[int, int], depth: float) -> Image.Image:
    """How much each pixel darkens towards the corners; made once per shape and depth."""
    width, height = size
    ring = Image.radial_gradient("L").resize((int(width * 1.25), int(height * 1.25)))
    left, top = (ring.width - width) // 2, (ring.height - height) // 2
    ring = ring.crop((left, top, left + width, top + height))
    return ring.point(lambda v: int(255 * depth * max(0.0, (v - 90) / 165) ** 1.6))


def _finish(image: Image.Image, rng: random.Random, light: str) -> Image.Image:
    """A little softness, film grain and darker corners, as a camera would leave them."""
    image = image.filter(ImageFilter.SMOOTH)
    image = ImageChops.add(image, _grain(image.size), scale=1.0, offset=-128)
    vignette = _vignette(image.size, 0.45 if light == "night" else 0.3)
    image.paste(Image.new("RGB", image.size, (10, 8, 12)), (0, 0), vignette)
    return image

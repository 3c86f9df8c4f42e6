"""`remember-when demo`: a couple with a year and a half of memories, made through the same
domain functions and photo pipeline as real use, so a newcomer sees a living timeline."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PIL import Image, ImageDraw

from media.storage import Storage
from timeline.accounts.credentials import account_with_email, sign_up
from timeline.memories.photos import add_photo
from timeline.memories.writing import MemoryDraft, add_reply, create_memory, set_connection
from timeline.timelines.invites import accept_invite, create_invite
from timeline.timelines.membership import create_timeline

# Printed for anyone to use: the demo is for looking around, never for real memories.
PASSWORD = "remember-when-demo"  # noqa: S105
ANA, SAM = "ana@demo.example", "sam@demo.example"
SPAN_DAYS = 540

# (title, kind, place, tags, story) to draw from; stories use {partner} for the other name.
MOMENTS = [
    (
        "Sunday pancakes",
        "ritual",
        "Home",
        ["sunday", "breakfast"],
        "{partner} burnt the first one, as always. The second was perfect.",
    ),
    (
        "Walk along the river",
        "everyday",
        "The old towpath",
        ["walks"],
        "We talked about nothing for two hours and it was the best part of the week.",
    ),
    (
        "Weekend in Lisbon",
        "trip",
        "Lisbon",
        ["travel", "city"],
        "Tram 28, custard tarts, and getting lost in Alfama on purpose.",
    ),
    (
        "Our first concert together",
        "first",
        "The Roundhouse",
        ["music"],
        "{partner} knew every word. I knew none and loved it anyway.",
    ),
    (
        "Rainy cinema night",
        "date",
        "Picturehouse",
        ["films"],
        "We shared the popcorn and argued about the ending all the way home.",
    ),
    (
        "Camping by the lake",
        "trip",
        "Lake Bled",
        ["travel", "outdoors", "summer"],
        "The tent leaked. We laughed until we could not breathe.",
    ),
    (
        "Cooking your grandmother's soup",
        "everyday",
        "Home",
        ["cooking", "family"],
        "It was nothing like hers, and {partner} said it was exactly like hers.",
    ),
    (
        "Friday check-in",
        "ritual",
        "The kitchen table",
        ["check-in"],
        "What went well this week, what was hard, what we are looking forward to.",
    ),
    (
        "Moving into the flat",
        "milestone",
        "Our flat",
        ["home"],
        "Boxes everywhere, one chair, a bottle of wine and a lot of hope.",
    ),
    (
        "Picnic in the park",
        "date",
        "Victoria Park",
        ["summer", "picnic"],
        "You forgot the bread. We ate the cheese with our fingers.",
    ),
    (
        "First snow of the year",
        "everyday",
        "Our street",
        ["winter"],
        "{partner} ran outside in slippers to catch a snowflake.",
    ),
    (
        "Birthday surprise",
        "date",
        "The little Italian place",
        ["birthday"],
        "I was sure you had forgotten. You had booked the table a month ago.",
    ),
]
REPLIES = [
    "I still think about this one.",
    "We should do this again soon.",
    "This is my favourite memory of us.",
    "I had forgotten this. Thank you for writing it down.",
    "Let's go back next year?",
]


@dataclass(frozen=True)
class DemoCouple:
    email_a: str
    email_b: str
    password: str
    created: bool


async def create_demo(storage: Storage, *, now: datetime, seed: int = 7) -> DemoCouple:
    """The demo couple, their timeline and memories; does nothing if they exist already."""
    if await account_with_email(ANA) is not None:
        return DemoCouple(ANA, SAM, PASSWORD, created=False)
    rng = random.Random(seed)  # noqa: S311 (made-up memories, not secrets)
    start = now - timedelta(days=SPAN_DAYS)
    ana = await sign_up(ANA, PASSWORD, "Ana", "Europe/Lisbon", now=start)
    sam = await sign_up(SAM, PASSWORD, "Sam", "Europe/London", now=start)
    timeline = await create_timeline(ana, "Ana & Sam", date(2019, 6, 12), now=start)
    invite = await create_invite(ana, timeline.id, now=start)
    await accept_invite(sam, invite.token, now=start)

    day = start.date()
    while day < now.date() - timedelta(days=2):
        day += timedelta(days=rng.randint(4, 9))
        await _memory(storage, rng, timeline.id, (ana, sam), day, now)
    return DemoCouple(ANA, SAM, PASSWORD, created=True)


async def _memory(storage, rng, timeline_id, couple, day: date, now: datetime) -> None:
    author, partner = couple if rng.random() < 0.5 else couple[::-1]
    title, kind, place, tags, story = rng.choice(MOMENTS)
    precision = rng.choices(["day", "month", "year"], weights=[85, 12, 3])[0]
    written = datetime.combine(day, datetime.min.time(), now.tzinfo) + timedelta(hours=20)
    memory = await create_memory(
        author,
        timeline_id,
        MemoryDraft(
            title=title,
            occurred_on=day,
            date_precision=precision,
            kind=kind,
            place=place,
            tags=tags,
            body=story.format(partner=partner.display_name),
        ),
        now=written,
    )
    for member in couple:
        if rng.random() < 0.8:
            score = rng.choices([2, 3, 4, 5], weights=[1, 3, 5, 4])[0]
            note = rng.choice(["", "Your laugh.", "How calm it felt.", "That we took our time."])
            await set_connection(member, memory.id, score, note, now=written)
    if rng.random() < 0.35:
        await add_reply(partner, memory.id, rng.choice(REPLIES), now=written + timedelta(hours=1))
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        await add_photo(author, memory.id, io.BytesIO(_picture(rng)), storage, now=written)


def _picture(rng: random.Random) -> bytes:
    """A small landscape: sky, sun and hills in colours of its own."""
    width, height = rng.choice([(1200, 900), (900, 1200), (1280, 853)])
    sky = tuple(rng.randint(90, 200) for _ in range(3))
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    sun = rng.randint(width // 8, width - width // 8), rng.randint(height // 8, height // 3)
    radius = rng.randint(40, 110)
    draw.ellipse(
        (sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius),
        fill=(250, rng.randint(180, 230), 90),
    )
    for n in range(3):
        ground = tuple(rng.randint(40, 140) for _ in range(3))
        base = height // 2 + n * height // 7
        points = (
            [(0, height)]
            + [(x, base + rng.randint(-60, 60)) for x in range(0, width + 200, 200)]
            + [(width, height)]
        )
        draw.polygon(points, fill=ground)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()

"""Letters rendered from templates/emails: one a day at most, a plain-text part that reads
well on its own and an HTML part laid out in tables for mail clients (styles inlined with
css-inline), with photos carried inside the message (multipart/related, by Content-ID), so
private photos show without any public link. Links are absolute; each memory can be written
back to (a reply to the letter lands on it) or kept from coming back in one click; every
letter can be turned off in one click (RFC 8058)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit
from uuid import UUID

import css_inline
import jinja2

from media.errors import MediaError
from media.storage import Storage
from server.common.links import not_this_one_url, reply_address, unsubscribe_url
from server.common.settings import Settings
from server.common.templating import TEMPLATES, at_precision, excerpt, long_date
from server.worker.mailer import POLICY, header_text, recipient
from timeline.core.calendar import local_time
from timeline.mail.deliveries import ANNIVERSARY, LETTERS, ON_THIS_DAY, WEEKLY
from timeline.mail.letters import Letter, first_name
from timeline.memories.photos import letter_jpeg
from timeline.models import Memory

MAX_IMAGES = 5
# The whole message stays under 1 MB: images that would pass it are left out.
MAX_MESSAGE_BYTES = 1_000_000
HEADERS_ALLOWANCE = 4_000
# How long a reply to a letter is taken in (`remember-when inbound`).
REPLIES_TAKEN_FOR = timedelta(days=60)
# The letter's column: 600 px less its padding, the width photos are shown at.
COLUMN = 552
KIND_NAMES = {
    ON_THIS_DAY: "On this day",
    WEEKLY: "Remember when…",
    ANNIVERSARY: "Anniversaries",
    LETTERS: "Remember When letters",
}


@dataclass(frozen=True)
class Inline:
    content_id: str
    data: bytes


@dataclass(frozen=True)
class Shown:
    """How a letter shows a memory's photo: its Content-ID, size at the column's width, and
    alt text (the caption, or what the photo is of)."""

    content_id: str
    width: int
    height: int
    alt: str


@functools.cache
def mail_templates() -> jinja2.Environment:
    """The Jinja2 environment of e-mails: HTML escaped, plain text as written. Built once
    per process, so templates are compiled once."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(long_date=long_date, at_precision=at_precision, excerpt=excerpt)
    return environment


@functools.cache
def _inliner() -> css_inline.CSSInliner:
    """Moves the letter's stylesheet onto each element (most mail clients drop <style> or
    parts of it), keeping the dark-theme and phone rules in a <style> for those that read
    it. Nothing is fetched."""
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


async def compose(
    letter: Letter,
    delivery_id: UUID,
    *,
    at: datetime,
    settings: Settings,
    storage: Storage,
    templates: jinja2.Environment,
) -> EmailMessage:
    """The message for `letter`, its Message-ID derived from the delivery it belongs to."""
    images = await _photos(letter.memories, storage)
    unsubscribe = unsubscribe_url(settings, letter.user.id, LETTERS)
    host = urlsplit(settings.base_url).hostname
    context = {
        "letter": letter,
        "base_url": settings.base_url,
        "shown": {memory_id: shown for memory_id, (shown, _) in images.items()},
        "not_this_one": {
            m.id: not_this_one_url(settings, letter.user.id, m.id) for m in letter.memories
        },
        "unsubscribe_url": unsubscribe,
        "preferences_url": f"{settings.base_url}/settings#emails",
        "quiet_url": f"{settings.base_url}/settings#quiet-times",
        "greeting": greeting(letter, at),
        "headline": headline(letter),
        "preheader": preheader(letter),
        "column": COLUMN,
    }
    message = EmailMessage(policy=POLICY)
    message["From"] = settings.mail_from
    message["To"] = recipient(letter.user.display_name, letter.user.email)
    message["Subject"] = header_text(subject_of(letter))
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{delivery_id}@{host}>"
    if letter.answered_on is not None:
        # A reply lands on that memory, as the member who was sent the letter.
        until = letter.local_date + REPLIES_TAKEN_FOR
        address = reply_address(settings, letter.user.id, letter.answered_on.id, until)
        message["Reply-To"] = address
    # As written: the header policy would turn a URL longer than a line into an encoded
    # word that no mail client reads as a link.
    message.set_raw("List-Unsubscribe", f"<{unsubscribe}>")
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["List-Id"] = f"Remember When letters <letters.{host}>"
    message["Auto-Submitted"] = "auto-generated"
    text = templates.get_template("emails/letter.txt").render(context)
    body = _inliner().inline(templates.get_template("emails/letter.html").render(context))
    message.set_content(text)
    message.add_alternative(body, subtype="html")
    html = message.get_payload()[1]
    # Text is at most a third larger once encoded; measuring by serialising would double
    # the cost of writing the message.
    room = MAX_MESSAGE_BYTES - 4 * (len(text) + len(body)) // 3 - HEADERS_ALLOWANCE
    for shown, inline in images.values():
        # Base64 makes each image a third larger on the wire.
        if len(inline.data) * 4 // 3 + 500 > room:
            continue
        room -= len(inline.data) * 4 // 3 + 500
        html.add_related(
            inline.data,
            "image",
            "jpeg",
            cid=f"<{shown.content_id}>",
            disposition="inline",
            filename=f"{shown.content_id.split('@')[0]}.jpg",
        )
    if html.get_content_type() == "multipart/related":
        # RFC 2387: `type` names the root part, here the HTML the images belong to.
        html.set_param("type", "text/html")
    return message


def headline(letter: Letter) -> str:
    """The best of what the letter carries, in a few words: an anniversary, then a
    milestone, then on this day ("3 years ago today: Our first flat"), then the pick."""
    if letter.anniversaries:
        return letter.anniversaries[0].headline
    if letter.days:
        groups = [group for day in letter.days for group in day.groups]
        first = min(groups, key=lambda g: g.years)
        count = sum(len(g.memories) for g in groups)
        ago = "A year ago today" if first.years == 1 else f"{first.years} years ago today"
        more = f" and {count - 1} more" if count > 1 else ""
        return f"{ago}: {first.memories[0].title}{more}"
    return f"Remember when… {letter.picks[0].memory.title}"


def subject_of(letter: Letter) -> str:
    """The headline, to the member by name: "Zoë, 3 years ago today: Our first flat"."""
    return f"{first_name(letter.user.display_name)}, {_lower_first(headline(letter))}"


def greeting(letter: Letter, at: datetime) -> str:
    """ "Good morning, Zoë" before noon in the member's zone, "Hello, Zoë" after."""
    name = first_name(letter.user.display_name)
    local_hour = local_time(letter.user.timezone, at).hour
    return f"Good morning, {name}" if local_hour < 12 else f"Hello, {name}"


def preheader(letter: Letter) -> str:
    """The line a mail client shows after the subject: the first words someone wrote about
    the letter's first memory, else the start of its story, else the headline."""
    for memory in letter.memories:
        voices = letter.voices[memory.id]
        if voices.notes:
            said = voices.notes[0]
            return excerpt(f"{said.who} wrote: “{said.text}”", 110)
        if memory.body.strip():
            return excerpt(f"{voices.author} wrote: “{memory.body}”", 110)
    return headline(letter)


def _lower_first(text: str) -> str:
    """ "3 years…" stays, "A year ago today" becomes "a year ago today" after a name, and a
    title keeps its own capitals ("Remember when…" is ours: "remember when…")."""
    return text[0].lower() + text[1:] if text[:1].isupper() and not text.isupper() else text


async def _photos(memories: list[Memory], storage: Storage) -> dict[UUID, tuple[Shown, Inline]]:
    """The first photo of up to MAX_IMAGES memories, as the JPEGs made for letters at upload;
    a photo that cannot be read is left out rather than holding the letter back."""
    images: dict[UUID, tuple[Shown, Inline]] = {}
    for memory in memories:
        if len(images) == MAX_IMAGES:
            break
        if memory.id in images or not memory.photos:
            continue
        photo = min(memory.photos, key=lambda p: p.position)
        try:
            data = await letter_jpeg(photo, storage)
        except (MediaError, OSError):
            continue
        content_id = f"photo-{photo.id}@remember-when"
        height = round(COLUMN * photo.height / photo.width) if photo.width else COLUMN
        alt = photo.caption.strip() or f"A photo of “{memory.title}”"
        images[memory.id] = (Shown(content_id, COLUMN, height, alt), Inline(content_id, data))
    return images

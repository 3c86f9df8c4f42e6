"""E-mails rendered from templates/emails: a plain-text part that reads well on its own, an
HTML part, and thumbnails carried inside the message (multipart/related, by Content-ID), so
private photos show without any public link. Links are absolute; every message says how to
turn its kind off in one click (RFC 8058)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import BinaryIO
from urllib.parse import urlsplit
from uuid import UUID

import anyio
import jinja2

from media.errors import MediaError
from media.storage import Storage
from server.common.links import unsubscribe_url
from server.common.settings import Settings
from server.common.templating import TEMPLATES, at_precision, excerpt, long_date
from server.worker.mailer import POLICY, header_text, recipient
from timeline.mail.deliveries import ANNIVERSARY, ON_THIS_DAY, WEEKLY
from timeline.mail.letters import Letter
from timeline.memories.photos import variant_key
from timeline.models import Memory

MAX_IMAGES = 6
# The whole message stays under 1 MB: images that would pass it are left out.
MAX_MESSAGE_BYTES = 1_000_000
HEADERS_ALLOWANCE = 4_000
KIND_NAMES = {
    ON_THIS_DAY: "On this day",
    WEEKLY: "Remember when…",
    ANNIVERSARY: "Anniversaries",
}


@dataclass(frozen=True)
class Inline:
    content_id: str
    data: bytes


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
    images = await _thumbnails(letter.memories, storage)
    unsubscribe = unsubscribe_url(settings, letter.user.id, letter.kind)
    context = {
        "letter": letter,
        "base_url": settings.base_url,
        "image_of": {memory_id: inline.content_id for memory_id, inline in images.items()},
        "unsubscribe_url": unsubscribe,
        "preferences_url": f"{settings.base_url}/settings#emails",
        "kind_name": KIND_NAMES[letter.kind],
    }
    message = EmailMessage(policy=POLICY)
    message["From"] = settings.mail_from
    message["To"] = recipient(letter.user.display_name, letter.user.email)
    message["Subject"] = header_text(subject_of(letter))
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{delivery_id}@{urlsplit(settings.base_url).hostname}>"
    # As written: the header policy would turn a URL longer than a line into an encoded
    # word that no mail client reads as a link.
    message.set_raw("List-Unsubscribe", f"<{unsubscribe}>")
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    text = templates.get_template(f"emails/{letter.kind}.txt").render(context)
    body = templates.get_template(f"emails/{letter.kind}.html").render(context)
    message.set_content(text)
    message.add_alternative(body, subtype="html")
    html = message.get_payload()[1]
    # Text is at most a third larger once encoded; measuring by serialising would double
    # the cost of writing the message.
    room = MAX_MESSAGE_BYTES - 4 * (len(text) + len(body)) // 3 - HEADERS_ALLOWANCE
    for inline in images.values():
        # Base64 makes each image a third larger on the wire.
        if len(inline.data) * 4 // 3 + 500 > room:
            continue
        room -= len(inline.data) * 4 // 3 + 500
        html.add_related(
            inline.data,
            "image",
            "jpeg",
            cid=f"<{inline.content_id}>",
            disposition="inline",
            filename=f"{inline.content_id.split('@')[0]}.jpg",
        )
    if html.get_content_type() == "multipart/related":
        # RFC 2387: `type` names the root part, here the HTML the images belong to.
        html.set_param("type", "text/html")
    return message


def subject_of(letter: Letter) -> str:
    """What is inside, in a few words: "3 years ago today: Picnic at the lake"."""
    if letter.kind == ON_THIS_DAY:
        groups = [group for day in letter.days for group in day.groups]
        first = min(groups, key=lambda g: g.years)
        count = sum(len(g.memories) for g in groups)
        ago = "A year ago today" if first.years == 1 else f"{first.years} years ago today"
        more = f" and {count - 1} more" if count > 1 else ""
        return f"{ago}: {first.memories[0].title}{more}"
    if letter.kind == WEEKLY:
        return f"Remember when… {letter.picks[0].memory.title}"
    return letter.anniversaries[0].headline


def _read(source: BinaryIO) -> bytes:
    with source:
        return source.read()


async def _thumbnails(memories: list[Memory], storage: Storage) -> dict[UUID, Inline]:
    """The first photo of up to MAX_IMAGES memories, as the small JPEGs made for e-mails at
    upload; a photo that cannot be read is left out rather than holding the e-mail back."""
    images: dict[UUID, Inline] = {}
    for memory in memories:
        if len(images) == MAX_IMAGES:
            break
        if memory.id in images or not memory.photos:
            continue
        photo = min(memory.photos, key=lambda p: p.position)
        try:
            source = await storage.open(variant_key(photo, "mail"))
            data = await anyio.to_thread.run_sync(_read, source)
        except (MediaError, OSError):
            continue
        images[memory.id] = Inline(f"photo-{photo.id}@remember-when", data)
    return images

"""Replies to letters by e-mail: an SMTP or LMTP server that lands each on its memory."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import dkim
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

from media.errors import MediaError, StorageUnavailable
from media.storage import Storage
from server.common.clock import Clock
from server.common.links import ReplyToken, read_reply_address
from server.common.settings import Settings
from server.worker.letters import REPLIES_TAKEN_FOR
from server.worker.mailer import POLICY, Mailer, MailError, recipient
from timeline.accounts.credentials import account_with_email
from timeline.core.errors import Conflict, DomainError, InvalidInput, NotFound
from timeline.memories.photos import add_photo
from timeline.memories.writing import MAX_REPLY, add_reply
from timeline.models import User
from timeline.timelines.access import live_memory, memory_for
from timeline.timelines.membership import members_of, timeline_with_members

log = logging.getLogger("remember_when.inbound")

# A reply goes to one letter's address; a few more are allowed for a copy to oneself.
MAX_RECIPIENTS = 3
# A message may carry a few photos at the upload limit (base64 makes them a third larger).
PHOTOS_PER_MESSAGE = 4
MAX_MESSAGE_BYTES = 40 * 1024 * 1024
# Messages read at once: each is held whole, parsed and decoded, off the event loop.
AT_ONCE = 4
# A reply keeps its first 2,000 characters: only the start of a body is read for them (the
# reply parser and the HTML reader take time in proportion to what they are given).
MAX_BODY_CHARS = 64 * 1024
# The file names a photo may arrive under when a mail client calls it application/octet-stream.
PHOTO_NAMES = re.compile(r"\.(jpe?g|png|gif|webp|heic|heif|avif)$", re.IGNORECASE)
# Every language the reply parser knows "On … wrote:" lines for ("david" is a mail program).
LANGUAGES = [language for language in MAIL_LANGUAGES if language != "david"]
# Precedence values of mailing lists and automatic answers (RFC 3834, 2076).
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}

ACCEPTED = "250 2.0.0 Thank you"
ADDED = "250 2.0.0 Reply added to the memory"
RETRY = "451 4.3.0 Could not store the reply now; try again later"
NOT_OURS = "550 5.1.1 No such mailbox here"
TOO_MANY = "452 4.5.3 Too many recipients"

DnsLookup = Callable[..., bytes | None]


class Dropped(Exception):
    """A reply not added on purpose: `reason` for the log (never the content nor the
    address), and `explanation` for the member who sent it (None: they are not told)."""

    def __init__(self, reason: str, *, member: User | None = None, explanation: str = "") -> None:
        super().__init__(reason)
        self.member = member
        self.explanation = explanation


@dataclass(frozen=True)
class ReplyContent:
    """What a reply brings: its new text (quotes and signature removed) and its photos."""

    text: str
    photos: list[bytes]


def message_size_limit(settings: Settings) -> int:
    """The largest message taken: a few photos at the upload limit, encoded, bounded."""
    encoded = PHOTOS_PER_MESSAGE * settings.max_upload_bytes * 4 // 3 + 1024 * 1024
    return min(encoded, MAX_MESSAGE_BYTES)


async def start_inbound(
    settings: Settings,
    storage: Storage,
    mailer: Mailer,
    clock: Clock,
    *,
    host: str,
    port: int,
    lmtp: bool = False,
    dnsfunc: DnsLookup | None = None,
) -> asyncio.Server:
    """Listen on `host`:`port` for replies, speaking LMTP or SMTP, on the running loop (the
    database must be open on it)."""
    loop = asyncio.get_running_loop()
    handler = ReplyHandler(settings, storage, mailer, clock, dnsfunc=dnsfunc)
    protocol = LMTP if lmtp else SMTP
    domain = settings.mail_reply_to.rpartition("@")[2]
    return await loop.create_server(
        lambda: protocol(
            handler,
            data_size_limit=message_size_limit(settings),
            hostname=domain,
            ident="Remember When",
            loop=loop,
        ),
        host,
        port,
    )


class ReplyHandler:
    """aiosmtpd's handler: takes only our reply addresses, and lands each message on the
    memory its address names, or drops it saying why."""

    def __init__(
        self,
        settings: Settings,
        storage: Storage,
        mailer: Mailer,
        clock: Clock,
        *,
        dnsfunc: DnsLookup | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage
        self.mailer = mailer
        self.clock = clock
        self.dnsfunc = dnsfunc
        self.at_once = asyncio.Semaphore(AT_ONCE)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if read_reply_address(self.settings, address) is None:
            return NOT_OURS
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return TOO_MANY
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        async with self.at_once:
            return await self.handle_message(server, envelope)

    async def handle_message(self, server: SMTP, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = await asyncio.to_thread(BytesParser(policy=policy.default).parsebytes, raw)
        # An address given twice is taken once (LMTP still answers for each).
        taken: dict[str, str] = {}
        for address in envelope.rcpt_tos:
            if address.lower() not in taken:
                answer = await self.take(message, raw, envelope.mail_from or "", address)
                taken[address.lower()] = answer
        answers = [taken[address.lower()] for address in envelope.rcpt_tos]
        if isinstance(server, LMTP):
            # LMTP answers once per recipient, in their order.
            return "\r\n".join(answers)
        return RETRY if RETRY in answers else answers[0]

    async def take(self, message: EmailMessage, raw: bytes, mail_from: str, address: str) -> str:
        """The SMTP answer for one recipient: the reply added, dropped (both taken: 250), or
        to be sent again later (451)."""
        token = read_reply_address(self.settings, address)
        assert token is not None  # RCPT took only our addresses
        try:
            photos = await self.land(message, raw, mail_from, token)
        except Dropped as dropped:
            log.info("Reply not added: %s.", dropped)
            if dropped.member is not None and dropped.explanation:
                await self.bounce(dropped.member, message, dropped.explanation)
            return ACCEPTED
        except Exception as error:
            # The database or the photo store did not answer: the sender's server retries.
            log.warning(
                "Reply to memory %s left for a retry: %s",
                token.memory_id,
                type(error).__name__,
                exc_info=True,
            )
            return RETRY
        log.info("Reply added to memory %s with %d photos.", token.memory_id, photos)
        return ADDED

    async def land(
        self, message: EmailMessage, raw: bytes, mail_from: str, token: ReplyToken
    ) -> int:
        """Add the reply to its memory as its sender; the photos added. `Dropped` when it
        is not taken."""
        if is_automatic(message, mail_from):
            raise Dropped("an automatic message (auto-submitted, a list, or a bounce)")
        member = await self.sender(message)
        await self.check_signature(raw, member)
        now = self.clock()
        if not token.made_for(self.settings, member.id):
            # Without DKIM, the From may be anyone's: telling its owner each time would let
            # anyone fill their inbox. A signed sender is told.
            raise Dropped(
                "the address was made for someone else",
                member=member if self.settings.inbound_dkim else None,
                explanation=await self.made_for_whom(member, token),
            )
        if now.astimezone(ZoneInfo(member.timezone)).date() > token.until:
            raise Dropped(
                "the address has expired",
                member=member,
                explanation=(
                    f"This letter is more than {REPLIES_TAKEN_FOR.days} days old, so we could "
                    "not add your reply. You can still write back on the memory's page: "
                    f"{memory_url(self.settings, token)}"
                ),
            )
        await self.check_memory(member, token)
        try:
            content = await asyncio.to_thread(
                reply_content, message, self.settings.max_upload_bytes
            )
        except Exception as error:
            # A message our reader cannot take would fail the same way at every retry.
            raise Dropped(f"an unreadable message ({type(error).__name__})") from None
        added = await self.add_photos(member, token, content.photos)
        if content.text:
            await add_reply(member, token.memory_id, content.text, now=now)
        elif not added:
            raise Dropped(
                "no text and no photo",
                member=member,
                explanation=(
                    "We found no words and no photo we could read in your reply, so nothing "
                    "was added to the memory."
                ),
            )
        return added

    async def sender(self, message: EmailMessage) -> User:
        """The member the From header names; `Dropped` (told nothing) for anyone else."""
        address = from_address(message)
        if address is None:
            raise Dropped("no single sender address")
        try:
            member = await account_with_email(address)
        except InvalidInput:
            member = None
        if member is None:
            raise Dropped("the sender has no account")
        return member

    async def check_signature(self, raw: bytes, member: User) -> None:
        """With INBOUND_DKIM on, `Dropped` unless a DKIM signature of the sender's domain
        verifies. Not told: the From of an unsigned message may be anyone's."""
        if not self.settings.inbound_dkim:
            return
        domain = member.email.rpartition("@")[2]
        signers = await asyncio.to_thread(dkim_domains, raw, self.dnsfunc)
        if not any(domain == signer or domain.endswith(f".{signer}") for signer in signers):
            raise Dropped("no DKIM signature of the sender's domain verifies")

    async def made_for_whom(self, member: User, token: ReplyToken) -> str:
        """What to tell a member who replied through an address made for someone else: the
        partner's name when the memory is in the member's timeline."""
        try:
            memory = await memory_for(member, token.memory_id)
            timeline = await timeline_with_members(member, memory.timeline_id)
        except NotFound:
            return (
                "This address was made for a letter to someone else, so we could not add "
                "your reply."
            )
        names = [
            u.display_name for u in members_of(timeline) if token.made_for(self.settings, u.id)
        ]
        whom = names[0] if names else "someone else"
        return (
            f"This address was made for a letter to {whom}, so we could not add your reply. "
            f"You can write back on the memory's page: {memory_url(self.settings, token)}"
        )

    async def check_memory(self, member: User, token: ReplyToken) -> None:
        """`Dropped` when the memory is gone from the member's timelines or in the trash."""
        try:
            await live_memory(member, token.memory_id)
        except NotFound:
            raise Dropped(
                "the memory is gone",
                member=member,
                explanation=(
                    "The memory this letter was about is no longer on your timeline, so we "
                    "could not add your reply."
                ),
            ) from None
        except Conflict:
            raise Dropped(
                "the memory is in the trash",
                member=member,
                explanation=(
                    "The memory this letter was about is in the trash, so we could not add "
                    "your reply. Restore it, then write back on its page: "
                    f"{memory_url(self.settings, token)}"
                ),
            ) from None

    async def add_photos(self, member: User, token: ReplyToken, photos: list[bytes]) -> int:
        """Add each photo through the upload pipeline, one failing alone; how many were
        added. Run before the text: a retried message finds its photos already there."""
        added = 0
        for number, data in enumerate(photos, 1):
            try:
                await add_photo(
                    member, token.memory_id, io.BytesIO(data), self.storage, now=self.clock()
                )
            except StorageUnavailable:
                raise
            except (MediaError, DomainError) as error:
                log.info("Photo %d of a reply skipped: %s", number, type(error).__name__)
                continue
            added += 1
        return added

    async def bounce(self, member: User, original: EmailMessage, explanation: str) -> None:
        """Tell `member` why their reply was not added; a failure to is only logged."""
        try:
            message = compose_bounce(self.settings, member, original, explanation, self.clock())
            await self.mailer.send(message)
        except MailError as error:
            log.warning("Could not tell a member why their reply was not added: %s", error)


def memory_url(settings: Settings, token: ReplyToken) -> str:
    return f"{settings.base_url}/m/{token.memory_id}"


def is_automatic(message: EmailMessage, mail_from: str) -> bool:
    """Whether a machine sent the message (RFC 3834): an auto-reply, a list, a bounce (its
    envelope sender is empty). Never added, never answered."""
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        mail_from.strip("<> ") == ""
        or not auto_submitted.startswith("no")
        or precedence in AUTOMATIC_PRECEDENCE
    )


def from_address(message: EmailMessage) -> str | None:
    """The one address of the From header, lower-cased, or None."""
    try:
        addresses = message["From"].addresses
    except (AttributeError, TypeError, IndexError):
        return None
    if len(addresses) != 1 or "@" not in addresses[0].addr_spec:
        return None
    return addresses[0].addr_spec.lower()


def dkim_domains(raw: bytes, dnsfunc: DnsLookup | None) -> set[str]:
    """The domains (d=) of the message's DKIM signatures that verify, leaving out any that
    signs only the start of the body (l=: anything may follow it)."""
    lookup: dict[str, Any] = {"dnsfunc": dnsfunc} if dnsfunc else {}
    try:
        checker = dkim.DKIM(raw)
    except dkim.DKIMException:
        return set()
    count = sum(1 for name, _ in checker.headers if name.lower() == b"dkim-signature")
    domains = set()
    for index in range(count):
        try:
            verified = checker.verify(idx=index, **lookup)
        except dkim.DKIMException:
            continue
        if verified and b"l" not in checker.signature_fields:
            domains.add(checker.domain.decode("ascii", "replace").lower())
    return domains


def reply_content(message: EmailMessage, max_photo_bytes: int) -> ReplyContent:
    """The new text of a reply and its photos (any up to `max_photo_bytes`)."""
    return ReplyContent(reply_text(body_text(message)), photos_of(message, max_photo_bytes))


def body_text(message: EmailMessage) -> str:
    """The message's text: its text/plain part, else its HTML part as text."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    if body.get_content_subtype() == "html":
        return html_text(part_text(body)[: 4 * MAX_BODY_CHARS])[:MAX_BODY_CHARS]
    return part_text(body)[:MAX_BODY_CHARS]


def part_text(part: EmailMessage) -> str:
    """A text part decoded with its charset, or with UTF-8 when that one is unknown."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError):
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def reply_text(text: str) -> str:
    """Only what the sender wrote this time: the quoted letter ("On … wrote:" and what
    follows, "> " lines) and the signature removed; line breaks kept, other control
    characters gone, cut to the length a reply holds."""
    replies = EmailReplyParser(languages=LANGUAGES).read(text).replies
    # A first part under a header ("On … wrote:") is the quoted letter: nothing new.
    latest = replies[0].body if replies and not replies[0].headers else ""
    lines = [line for line in latest.split("\n") if not line.lstrip().startswith(">")]
    cleaned = without_controls("\n".join(lines))
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned).strip()
    if len(cleaned) > MAX_REPLY:
        cleaned = cleaned[: MAX_REPLY - 1].rstrip() + "…"
    return cleaned


def without_controls(text: str) -> str:
    """Line breaks as \\n, tabs as spaces, and no other control character."""
    text = re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", text).replace("\t", " ")
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


class _HtmlText(HTMLParser):
    """The visible text of an HTML body, without quoted letters (blockquote) or scripts: a
    line per block or line break, a blank line after a paragraph."""

    HIDDEN = frozenset({"blockquote", "head", "script", "style", "title"})
    BLOCKS = frozenset({"div", "li", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # Pieces joined at the end: adding to one string would copy it at every piece.
        self.pieces: list[str] = []
        self.hidden = 0

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.pieces.append("\n")
        elif tag in self.BLOCKS or tag == "p":
            self.end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.end_line()
        elif tag == "p":
            self.end_line()
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden and data:
            self.pieces.append(re.sub(r"\s+", " ", data))

    def end_line(self) -> None:
        if self.pieces and not self.pieces[-1].endswith("\n"):
            self.pieces.append("\n")


def html_text(html: str) -> str:
    """The text a reader sees in `html`."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in parser.text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def photos_of(message: EmailMessage, max_bytes: int) -> list[bytes]:
    """The bytes of the message's images (HEIC included), attached or inline, up to
    `max_bytes` each (larger ones are skipped with a log line)."""
    photos = []
    for part in message.walk():
        if part.is_multipart() or not is_photo(part):
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            continue
        if len(data) > max_bytes:
            log.info("A photo of a reply skipped: over the upload limit.")
            continue
        if len(photos) == PHOTOS_PER_MESSAGE:
            log.info("Photos of a reply skipped: more than %d.", PHOTOS_PER_MESSAGE)
            break
        photos.append(data)
    return photos


def is_photo(part: EmailMessage) -> bool:
    """An image part, or a file named like a photo that a mail client did not type."""
    if part.get_content_maintype() == "image":
        return True
    name = part.get_filename() or ""
    return part.get_content_type() == "application/octet-stream" and bool(PHOTO_NAMES.search(name))


def compose_bounce(
    settings: Settings, member: User, original: EmailMessage, explanation: str, now: datetime
) -> EmailMessage:
    """A short automatic answer telling `member` why their reply was not added, threaded
    under it."""
    message = EmailMessage(policy=POLICY)
    message["From"] = settings.mail_from
    message["To"] = recipient(member.display_name, member.email)
    message["Subject"] = "We could not add your reply"
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=urlsplit(settings.base_url).hostname)
    message["Auto-Submitted"] = "auto-replied"
    original_id = str(original.get("Message-ID", "")).strip()
    if original_id.startswith("<") and original_id.endswith(">") and original_id.isascii():
        message["In-Reply-To"] = original_id
        message["References"] = original_id
    message.set_content(f"Hello {member.display_name},\n\n{explanation}\n\nRemember When\n")
    return message

"""Sending e-mail, chosen by MAIL_URL: each message written as an .eml file (the default, no
mail server needed) or sent through SMTP. Both hand over the same bytes, written once with
`POLICY`. A failure says whether a later pass may retry."""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib
import anyio

SMTP_TIMEOUT = 20.0
# How every message is written, on the wire and in .eml files: CRLF line ends, lines of 78
# (base64 bodies stay at 76 columns), and headers set with `set_raw` left exactly as written
# (a `List-Unsubscribe` URL is one word longer than 78: refolding it would encode it).
POLICY = policy.SMTP.clone(refold_source="none")


class MailError(Exception):
    """A message that was not delivered; `temporary` when a later attempt may succeed."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


def header_text(text: str) -> str:
    """`text` on one line for a header. Names and titles from before they were checked may
    hold line breaks or other controls, which a header refuses: they become spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def recipient(display_name: str, email: str) -> Address:
    """The `To` of a message for a member: their name, then their address with its domain in
    ASCII (IDNA). `MailError` (permanent) when the address cannot be written in ASCII: this
    service does not ask servers for SMTPUTF8."""
    name = header_text(display_name)
    local, _, domain = email.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise MailError("the address cannot be written in ASCII", temporary=False) from None
    if not local.isascii():
        raise MailError("the address cannot be written in ASCII", temporary=False)
    return Address(display_name=name, username=local, domain=domain)


@dataclass(frozen=True)
class Envelope:
    """A message as it is handed over: who sends it, to whom, and its bytes."""

    sender: str
    recipients: list[str]
    data: bytes


def envelope_of(message: EmailMessage) -> Envelope:
    """The bytes of `message` written with `POLICY`, and the addresses of its From and To.
    `MailError` (permanent) for a message no transport may write: no recipient, or one
    whose address is not ASCII (the library would crash, or write an encoded word where an
    address belongs)."""
    try:
        recipients = [address.addr_spec for address in message["To"].addresses]
        sender = message["From"].addresses[0].addr_spec
    except (AttributeError, IndexError, TypeError):
        raise MailError("the message has no sender or no recipient", temporary=False) from None
    if not recipients or not all(a.isascii() and "@" in a for a in [sender, *recipients]):
        raise MailError("an address cannot be written in ASCII", temporary=False)
    return Envelope(sender, recipients, message.as_bytes(policy=POLICY))


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...

    async def close(self) -> None: ...

    async def answers(self) -> bool:
        """True when messages can be handed over (the folder is writable, the server
        accepts a connection and our credentials)."""
        ...


class FileMailer:
    """Writes each message to `folder` as `<name>.eml`, whole or not at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: EmailMessage) -> None:
        envelope = envelope_of(message)
        await anyio.to_thread.run_sync(self._write, message["Message-ID"], envelope.data)

    async def answers(self) -> bool:
        def writable() -> bool:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError:
                return False
            return os.access(self.folder, os.W_OK)

        return await anyio.to_thread.run_sync(writable)

    async def close(self) -> None:
        pass

    def _write(self, message_id: str | None, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = (message_id or "").strip("<>").split("@")[0] or os.urandom(8).hex()
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            Path(temporary).replace(self.folder / f"{name}.eml")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class SmtpMailer:
    """Sends through an SMTP server: `smtp://user:password@host:port`, with `?starttls=1`
    to upgrade the connection or `?tls=1` for TLS from the start."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        self.hostname = parts.hostname or "localhost"
        self.port = parts.port
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.use_tls = options.get("tls") == "1"
        self.start_tls = options.get("starttls") == "1"
        # Connections stay open between the messages of a pass (one per message at once),
        # instead of a handshake per message; `close` ends them.
        self._idle: list[aiosmtplib.SMTP] = []

    async def send(self, message: EmailMessage) -> None:
        envelope = envelope_of(message)
        try:
            client = self._idle.pop() if self._idle else await self._connect()
            try:
                # The bytes as written, not `send_message`: it would write the message again
                # with its own policy, which encodes long headers.
                await client.sendmail(envelope.sender, envelope.recipients, envelope.data)
            except BaseException:
                client.close()
                raise
            self._idle.append(client)
        except aiosmtplib.SMTPRecipientsRefused as refused:
            codes = [error.code for error in refused.recipients]
            raise MailError(
                f"recipients refused ({', '.join(map(str, codes))})",
                temporary=all(400 <= code < 500 for code in codes),
            ) from None
        except aiosmtplib.SMTPResponseException as answer:
            raise MailError(f"SMTP answered {answer.code}", temporary=answer.code < 500) from None
        except (aiosmtplib.SMTPException, OSError) as failure:
            # Connection refused, timed out or dropped: the server may be back next pass.
            raise MailError(f"SMTP unreachable: {type(failure).__name__}", temporary=True) from None

    async def close(self) -> None:
        """Say goodbye on every connection kept open for the next message."""
        while self._idle:
            client = self._idle.pop()
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError):
                client.close()

    async def answers(self) -> bool:
        try:
            client = await self._connect()
        except (aiosmtplib.SMTPException, OSError):
            return False
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await client.quit()
        return True

    async def _connect(self) -> aiosmtplib.SMTP:
        client = aiosmtplib.SMTP(
            hostname=self.hostname,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            start_tls=self.start_tls,
            timeout=SMTP_TIMEOUT,
        )
        await client.connect()
        return client


def mailer_for(url: str) -> Mailer:
    """The transport MAIL_URL names (already checked by the settings)."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return FileMailer(Path(unquote(parts.netloc + parts.path)))
    return SmtpMailer(url)

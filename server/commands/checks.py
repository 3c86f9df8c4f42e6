"""`remember-when check`: the settings as read, and whether each backend answers."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit, urlunsplit

from server.common.database import database, database_answers
from server.common.settings import Settings
from server.common.storage import storage_for
from server.worker.mailer import mailer_for


@dataclass(frozen=True)
class Check:
    part: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{self.part:<9} {'ok' if self.ok else 'FAILED':<6} {self.detail}"


def redacted(url: str) -> str:
    """`url` without its password, fit for a terminal or a log."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


async def check_backends(settings: Settings) -> list[Check]:
    """One check per part the service needs: the database, the photo storage, the mail."""
    try:
        async with database(settings.database_url):
            answers = await database_answers()
    except Exception:
        answers = False
    storage = await storage_for(settings).answers()
    mailer = mailer_for(settings.mail_url)
    mail = await mailer.answers()
    where = f" at {settings.s3_endpoint_url}" if settings.s3_endpoint_url else ""
    return [
        Check("database", answers, redacted(settings.database_url)),
        Check("storage", storage, f"{settings.media_storage}{where}"),
        Check("mail", mail, redacted(settings.mail_url)),
    ]


def warnings(settings: Settings) -> list[str]:
    """What works here but not for a couple's real mail and phones: letters sent from, or
    answered to, an address at localhost are refused by most mail servers and cannot be
    replied to; browsers install the app and take notifications only over HTTPS, and push
    services refuse a VAPID contact at localhost."""
    found = []
    for name, address in (
        ("MAIL_FROM", parseaddr(settings.mail_from)[1]),
        ("MAIL_REPLY_TO", settings.mail_reply_to),
    ):
        if address.lower().endswith("@localhost"):
            found.append(
                f"{'warning':<9} {name} is {address}: letters need a real domain to be "
                "delivered and answered"
            )
    host = urlsplit(settings.base_url).hostname or ""
    if not settings.https and host not in {"localhost", "127.0.0.1", "::1"}:
        found.append(
            f"{'warning':<9} BASE_URL is not https: phones will not install the app or "
            "turn notifications on"
        )
    if settings.vapid_subject.lower().endswith("@localhost"):
        found.append(
            f"{'warning':<9} VAPID_SUBJECT is {settings.vapid_subject}: push services want "
            "a real contact (mailto: at your domain, or your https site)"
        )
    return found

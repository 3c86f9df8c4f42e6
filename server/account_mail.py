"""The e-mails that carry account links: confirming a new address, resetting a password."""

from __future__ import annotations

import logging
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from server.emails import mail_templates
from server.mail import POLICY, MailError, mailer_for, recipient
from server.settings import Settings
from timeline.account_settings import IssuedLink
from timeline.models import AccountLink

log = logging.getLogger("remember_when.accounts")

WORDS = {
    AccountLink.CONFIRM_EMAIL: {
        "subject": "Confirm your new e-mail address",
        "lead": "To use this address for Remember When, follow this link:",
        "action": "Confirm this address",
        "expiry": "The link works once, for a day.",
        "path": "/confirm-email/",
    },
    AccountLink.RESET_PASSWORD: {
        "subject": "Choose a new password",
        "lead": "Someone (we hope you) asked to choose a new password. Follow this link:",
        "action": "Choose a new password",
        "expiry": "The link works once, for an hour.",
        "path": "/reset/",
    },
}


async def send_reset(settings: Settings, link: IssuedLink | None, *, at: datetime) -> None:
    """Send a reset link if there is one. A mail server that cannot take it is logged, not
    shown: the one asking gets the same answer whatever happens, or the answer would tell
    which addresses have accounts."""
    if link is None:
        return
    try:
        await send_link(settings, link, AccountLink.RESET_PASSWORD, at=at)
    except MailError:
        log.warning("password reset e-mail not sent: the mail server did not take it")


def link_url(settings: Settings, purpose: str, token: str) -> str:
    return f"{settings.base_url}{WORDS[purpose]['path']}{token}"


async def send_link(settings: Settings, link: IssuedLink, purpose: str, *, at: datetime) -> None:
    """Send the link now; `MailError` (503) when the mail server cannot take it."""
    words = WORDS[purpose]
    context = {**words, "user": link.user, "url": link_url(settings, purpose, link.token)}
    templates = mail_templates()
    message = EmailMessage(policy=POLICY)
    message["From"] = settings.mail_from
    message["To"] = recipient(link.user.display_name, link.send_to)
    message["Subject"] = words["subject"]
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(domain=urlsplit(settings.base_url).hostname)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(templates.get_template("emails/account_link.txt").render(context))
    message.add_alternative(
        templates.get_template("emails/account_link.html").render(context), subtype="html"
    )
    mailer = mailer_for(settings.mail_url)
    try:
        await mailer.send(message)
    except MailError as error:
        raise MailError(
            "We could not send the e-mail just now. Try again in a few minutes.",
            temporary=error.temporary,
        ) from None
    finally:
        await mailer.close()

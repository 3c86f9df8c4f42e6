"""The e-mails that carry account links: confirming a new address, resetting a password.
Written by the e-mail pass (server.scheduler), which issues each link as it sends it."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

import jinja2

from server.common.settings import Settings
from server.worker.mailer import POLICY, recipient
from timeline.accounts.settings import IssuedLink
from timeline.models import AccountLink

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


def link_url(settings: Settings, purpose: str, token: str) -> str:
    return f"{settings.base_url}{WORDS[purpose]['path']}{token}"


def compose_link(
    settings: Settings,
    link: IssuedLink,
    purpose: str,
    *,
    at: datetime,
    templates: jinja2.Environment,
) -> EmailMessage:
    """The message carrying `link`, addressed to where it must go."""
    words = WORDS[purpose]
    context = {**words, "user": link.user, "url": link_url(settings, purpose, link.token)}
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
    return message

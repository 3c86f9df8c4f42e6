"""The ORM models of the domain, one import for all: each capability keeps its own beside it.

Tortoise reads the models from this module (app label `models`), so migrations stay valid.
"""

from timeline.accounts.models import AccountLink, AccountMail, Credential, User
from timeline.core.models import LoginFailure
from timeline.mail.models import Delivery, EmailPreference
from timeline.memories.models import (
    Connection,
    Memory,
    MemoryTag,
    Photo,
    Reply,
    ShareDraft,
    ShareDraftPhoto,
)
from timeline.push.models import PushMessage, PushPreference, PushSubscription
from timeline.recaps.models import RecapShare
from timeline.resurfacing.models import QuietRule, Suggestion
from timeline.timelines.models import MAX_MEMBERS, Invite, Membership, Milestone, Timeline

__all__ = [
    "MAX_MEMBERS",
    "AccountLink",
    "AccountMail",
    "Connection",
    "Credential",
    "Delivery",
    "EmailPreference",
    "Invite",
    "LoginFailure",
    "Membership",
    "Memory",
    "MemoryTag",
    "Milestone",
    "Photo",
    "PushMessage",
    "PushPreference",
    "PushSubscription",
    "QuietRule",
    "RecapShare",
    "Reply",
    "ShareDraft",
    "ShareDraftPhoto",
    "Suggestion",
    "Timeline",
    "User",
]

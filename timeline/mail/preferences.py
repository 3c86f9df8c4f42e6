"""Which e-mails a member wants and when: each kind on or off, the hour, the weekly day and
the time zone; and turning one kind off from an unsubscribe link."""

from __future__ import annotations

from dataclasses import dataclass

from timeline.accounts.credentials import check_timezone
from timeline.core.errors import InvalidInput, NotFound
from timeline.mail.deliveries import KINDS, LETTERS
from timeline.models import EmailPreference, User

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Choices:
    on_this_day: bool
    weekly: bool
    anniversary: bool
    hour: int
    weekly_day: int
    weekly_hour: int
    timezone: str


async def choices_of(user: User) -> Choices:
    """The member's choices, the defaults where they made none."""
    preference = await EmailPreference.get_or_none(user=user) or EmailPreference()
    return Choices(
        on_this_day=preference.on_this_day,
        weekly=preference.weekly,
        anniversary=preference.anniversary,
        hour=preference.hour,
        weekly_day=preference.weekly_day,
        weekly_hour=preference.weekly_hour,
        timezone=user.timezone,
    )


async def choose(user: User, choices: Choices) -> Choices:
    """Replace the member's choices; hours are 0 to 23, weekdays 0 (Monday) to 6."""
    for field in ("hour", "weekly_hour"):
        if not 0 <= getattr(choices, field) <= 23:
            raise InvalidInput("Choose an hour from 0 to 23.", field=field)
    if not 0 <= choices.weekly_day <= 6:
        raise InvalidInput("Choose a weekday from 0 (Monday) to 6 (Sunday).", field="weekly_day")
    timezone = check_timezone(choices.timezone)
    await EmailPreference.update_or_create(
        user=user,
        defaults={
            "on_this_day": choices.on_this_day,
            "weekly": choices.weekly,
            "anniversary": choices.anniversary,
            "hour": choices.hour,
            "weekly_day": choices.weekly_day,
            "weekly_hour": choices.weekly_hour,
        },
    )
    if timezone != user.timezone:
        user.timezone = timezone
        await user.save(update_fields=["timezone"])
    return await choices_of(user)


async def turn_off(user_id, kind: str) -> User:
    """Stop one kind of e-mail for a member, or every letter (`LETTERS`), from an
    unsubscribe link; doing it twice is fine."""
    user = await User.get_or_none(id=user_id)
    if user is None or kind not in (*KINDS, LETTERS):
        raise NotFound("This unsubscribe link is not valid.")
    kinds = KINDS if kind == LETTERS else (kind,)
    await EmailPreference.update_or_create(user=user, defaults=dict.fromkeys(kinds, False))
    return user

"""Today's pick as a notification, once a day, from the member's morning hour (the hour of
their morning letters) until the evening; a pick already answered is not announced."""

from __future__ import annotations

from datetime import datetime

from timeline.core.calendar import local_time
from timeline.models import EmailPreference, PushPreference, PushSubscription, User
from timeline.push.outbox import DAILY_PICK, Notice, tell_member, topic_of
from timeline.resurfacing.daily_pick import todays_pick
from timeline.timelines.access import member_timelines

# After this local hour a missed morning is not made up for: no notifications at night.
LAST_HOUR = 21


async def tell_daily_picks(at: datetime) -> int:
    """Record today's pick for each member whose morning hour has come and who has not been
    told today. Each member-day is claimed (compare and set) before anything is recorded,
    so workers running together tell it once. Returns how many notices were recorded."""
    subscribed = await PushSubscription.all().distinct().values_list("user_id", flat=True)
    wanting = await PushPreference.filter(daily_pick=True, user_id__in=subscribed).values(
        "user_id", "pick_told_on", "user__timezone"
    )
    hours = dict(
        await EmailPreference.filter(user_id__in=[row["user_id"] for row in wanting]).values_list(
            "user_id", "hour"
        )
    )
    # A member who never chose has the default preferences' morning hour.
    default_hour = EmailPreference().hour
    told = 0
    for row in wanting:
        local = local_time(row["user__timezone"], at)
        today = local.date()
        hour = hours.get(row["user_id"], default_hour)
        # A late morning hour (22:00) still gets its hour.
        if not hour <= local.hour < max(LAST_HOUR, hour + 1):
            continue
        if row["pick_told_on"] is not None and row["pick_told_on"] >= today:
            continue
        claimed = await PushPreference.filter(
            user_id=row["user_id"], pick_told_on=row["pick_told_on"]
        ).update(pick_told_on=today)
        if claimed:
            told += await _tell_picks(await User.get(id=row["user_id"]), at)
    return told


async def _tell_picks(user: User, at: datetime) -> int:
    told = 0
    for timeline in await member_timelines(user):
        pick = await todays_pick(user, timeline.id, now=at)
        if pick is None or pick.action is not None:
            continue
        memory = await pick.memory
        notice = Notice(
            kind=DAILY_PICK,
            title=f"Remember when… “{memory.title}”",
            body="Today’s pick, for you both. Open it to remember it together.",
            url="/",
            topic=topic_of(DAILY_PICK, timeline.id),
        )
        told += await tell_member(user, notice, now=at)
    return told

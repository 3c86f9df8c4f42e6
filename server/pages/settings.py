"""Pages: settings, in sections a person can find (each heading has an id other pages link
to): you (name, time zone, e-mail address, password), the two of you (each timeline's name,
dates and milestones, the invitation), e-mails, quiet times, the memories never brought back
(each undoable), and the danger zone (leaving a timeline, deleting the account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import available_timezones

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.response import Template
from msgspec import UNSET, UnsetType

from server.common.push_endpoints import checked_subscription
from server.http.auth import SESSION_COOKIE, signed_in
from server.http.dependencies import Member, Now, SettingsDep, StorageDep
from server.http.errors import status_of
from server.pages.forms import FORM, optional_date, read_form, typed
from server.pages.rendering import page, redirect
from server.pages.timeline_view import Shown
from server.pages.trash import thumb_of
from timeline.accounts.credentials import check_timezone
from timeline.accounts.settings import change_password, request_email_change, update_profile
from timeline.core import throttle
from timeline.core.calendar import check_date, local_time
from timeline.core.errors import DomainError, InvalidInput
from timeline.mail.preferences import WEEKDAYS, Choices, choices_of, choose
from timeline.models import Milestone, QuietRule, Timeline, User
from timeline.push.subscriptions import (
    PushChoices,
    choose_pushes,
    push_choices_of,
    subscribe,
    subscription_count,
    unsubscribe_endpoint,
)
from timeline.resurfacing.quiet import add_rule, remove_rule, rules_of
from timeline.resurfacing.vetoes import bring_back, vetoed_in
from timeline.timelines.access import timeline_for
from timeline.timelines.leaving import delete_account
from timeline.timelines.membership import (
    TimelineChanges,
    members_of,
    timelines_of,
    update_timeline,
)
from timeline.timelines.milestones import (
    MilestoneDraft,
    add_milestone,
    check_milestone,
    milestones_of,
    remove_milestone,
)

# The one time-zone field offers these as its list (typing "Lis" finds Europe/Lisbon); the
# server still checks what is sent.
TIME_ZONES = sorted(zone for zone in available_timezones() if "/" in zone or zone == "UTC")

MILESTONE_KINDS = (
    ("first_date", "Our first date"),
    ("wedding", "Our wedding"),
    ("custom", "Our own"),
)


# Checkboxes send "true" when ticked and nothing otherwise; free text (dates, numbers, the
# timeline chosen) stays text, read by the page so a wrong value is shown beside its field.


class QuietRuleForm(msgspec.Struct):
    timeline_id: str = ""
    tag: str = ""
    starts_on: str = ""
    ends_on: str = ""
    yearly: str = ""


class EmailsForm(msgspec.Struct):
    on_this_day: str = ""
    weekly: str = ""
    anniversary: str = ""
    hour: str = ""
    weekly_day: str = ""
    weekly_hour: str = ""
    timezone: str = ""


class NotificationsForm(msgspec.Struct):
    partner_memory: str = ""
    partner_feeling: str = ""
    partner_reply: str = ""
    daily_pick: str = ""


class DeviceForm(msgspec.Struct):
    """What the page's script sends of the browser's PushSubscription."""

    endpoint: str = ""
    p256dh: str = ""
    auth: str = ""


class TogetherSinceForm(msgspec.Struct):
    together_since: str = ""


class TimelineNameForm(msgspec.Struct):
    name: str = ""


class MilestoneForm(msgspec.Struct):
    kind: str = ""
    label: str = ""
    # Unset when not sent at all, which the domain words differently from a wrong date.
    occurred_on: str | UnsetType = UNSET
    date_precision: str = ""


class ProfileForm(msgspec.Struct):
    display_name: str = ""
    timezone: str = ""


class EmailChangeForm(msgspec.Struct):
    email: str = ""
    password: str = ""


class PasswordForm(msgspec.Struct):
    current_password: str = ""
    new_password: str = ""


class DeletionForm(msgspec.Struct):
    password: str = ""
    take_my_memories: str = ""


@dataclass(frozen=True)
class ShownVeto:
    memory: Any
    thumb: Shown | None
    asked_by: User | None
    asked_on: date | None


@dataclass(frozen=True)
class TimelineSettings:
    """What the page shows of one of the member's timelines, in each of its sections."""

    timeline: Timeline
    members: list[User]
    milestones: list[Milestone]
    rules: list[QuietRule]
    vetoed: list[ShownVeto]


class SettingsPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @get("/settings")
    async def show(self, request: Request, member: Member) -> Template:
        return await _settings_page(request, member)

    @post("/settings/never-shown/{memory_id:uuid}/undo")
    async def undo_veto(self, member: Member, memory_id: FromPath[UUID]) -> Response:
        await bring_back(member, memory_id)
        return redirect("/settings#never-shown", flash="veto_undone")

    @post("/settings/quiet-rules")
    async def add(
        self,
        request: Request,
        member: Member,
        data: Annotated[QuietRuleForm, FORM],
        now: Now,
    ) -> Response:
        try:
            await add_rule(
                member,
                _uuid(data.timeline_id),
                now=now,
                tag=data.tag or None,
                starts_on=_date(data.starts_on, "starts_on"),
                ends_on=_date(data.ends_on, "ends_on"),
                yearly=data.yearly == "true",
            )
        except DomainError as error:
            return await _settings_page(request, member, error=error, form=typed(data))
        return redirect("/settings#quiet-times", flash="rule_added")

    @post("/settings/emails")
    async def emails(
        self, request: Request, member: Member, data: Annotated[EmailsForm, FORM]
    ) -> Response:
        try:
            await choose(
                member,
                Choices(
                    on_this_day=data.on_this_day == "true",
                    weekly=data.weekly == "true",
                    anniversary=data.anniversary == "true",
                    hour=_number(data.hour, "hour"),
                    weekly_day=_number(data.weekly_day, "weekly_day"),
                    weekly_hour=_number(data.weekly_hour, "weekly_hour"),
                    # The time zone is set under You; a form that sends one (the API's
                    # older clients, scripts) still changes it.
                    timezone=data.timezone.strip() or member.timezone,
                ),
            )
        except DomainError as error:
            return await _settings_page(
                request, member, error=error, form=typed(data), section="emails"
            )
        return redirect("/settings#emails", flash="emails_saved")

    @post("/settings/notifications")
    async def notifications(
        self, member: Member, data: Annotated[NotificationsForm, FORM]
    ) -> Response:
        await choose_pushes(
            member,
            PushChoices(
                partner_memory=data.partner_memory == "true",
                partner_feeling=data.partner_feeling == "true",
                partner_reply=data.partner_reply == "true",
                daily_pick=data.daily_pick == "true",
            ),
        )
        return redirect("/settings#notifications", flash="notifications_saved")

    @post("/settings/notifications/devices")
    async def subscribe_device(
        self, member: Member, settings: SettingsDep, now: Now, data: Annotated[DeviceForm, FORM]
    ) -> Response:
        """Notifications on in this browser (the page's script, after the member said yes):
        checked as the API checks it; 422 with the reason in words."""
        try:
            await throttle.count_push_subscription(member.id, now)
            new = await checked_subscription(
                data.endpoint,
                data.p256dh,
                data.auth,
                allow_private=settings.push_allow_private_endpoints,
            )
            await subscribe(member, new, now=now)
        except DomainError as error:
            return Response(str(error), status_code=status_of(error), media_type="text/plain")
        return Response(b"", status_code=201)

    @post("/settings/notifications/devices/remove")
    async def unsubscribe_device(
        self, member: Member, data: Annotated[DeviceForm, FORM]
    ) -> Response:
        await unsubscribe_endpoint(member, data.endpoint)
        return Response(b"", status_code=204)

    @post("/settings/timelines/{timeline_id:uuid}/together-since")
    async def together_since(
        self,
        request: Request,
        member: Member,
        timeline_id: FromPath[UUID],
        data: Annotated[TogetherSinceForm, FORM],
        now: Now,
    ) -> Response:
        try:
            changed = _date(data.together_since, "together_since")
            await update_timeline(
                member, timeline_id, TimelineChanges(together_since=changed), now=now
            )
        except DomainError as error:
            return await _settings_page(
                request, member, error=error, form=typed(data), section=_dates(timeline_id)
            )
        return redirect(f"/settings#{_dates(timeline_id)}", flash="dates_saved")

    @post("/settings/timelines/{timeline_id:uuid}/name")
    async def rename(
        self,
        request: Request,
        member: Member,
        timeline_id: FromPath[UUID],
        data: Annotated[TimelineNameForm, FORM],
        now: Now,
    ) -> Response:
        try:
            await update_timeline(member, timeline_id, TimelineChanges(name=data.name), now=now)
        except DomainError as error:
            return await _settings_page(
                request, member, error=error, form=typed(data), section=_dates(timeline_id)
            )
        return redirect(f"/settings#{_dates(timeline_id)}", flash="timeline_renamed")

    @post("/settings/timelines/{timeline_id:uuid}/milestones")
    async def keep_milestone(
        self,
        request: Request,
        member: Member,
        timeline_id: FromPath[UUID],
        data: Annotated[MilestoneForm, FORM],
        now: Now,
    ) -> Response:
        try:
            draft = await read_form(
                lambda: _milestone(data, now.date()), lambda: timeline_for(member, timeline_id)
            )
            await add_milestone(member, timeline_id, draft, now=now)
        except DomainError as error:
            return await _settings_page(
                request, member, error=error, form=typed(data), section=_dates(timeline_id)
            )
        return redirect(f"/settings#{_dates(timeline_id)}", flash="milestone_added")

    @post("/settings/milestones/{milestone_id:uuid}/delete")
    async def forget_milestone(self, member: Member, milestone_id: FromPath[UUID]) -> Response:
        await remove_milestone(member, milestone_id)
        return redirect("/settings#us", flash="milestone_removed")

    @post("/settings/profile")
    async def profile(
        self, request: Request, member: Member, data: Annotated[ProfileForm, FORM]
    ) -> Response:
        try:
            await update_profile(
                member, display_name=data.display_name, timezone=_time_zone(data.timezone)
            )
        except DomainError as error:
            return await _settings_page(
                request, member, error=error, form=typed(data), section="you"
            )
        return redirect("/settings#you", flash="profile_saved")

    @post("/settings/email")
    async def email(
        self,
        request: Request,
        member: Member,
        data: Annotated[EmailChangeForm, FORM],
        now: Now,
    ) -> Response:
        try:
            new_email = await request_email_change(member, data.email, data.password, now=now)
        except DomainError as error:
            return await _settings_page(
                request, member, error=error, form=typed(data), section="address"
            )
        return await _settings_page(request, member, section="address", sent_to=new_email)

    @post("/settings/password")
    async def password(
        self,
        request: Request,
        member: Member,
        data: Annotated[PasswordForm, FORM],
        now: Now,
    ) -> Response:
        try:
            await change_password(
                member,
                data.current_password,
                data.new_password,
                keep_secret=request.auth,
                now=now,
            )
        except DomainError as error:
            return await _settings_page(request, member, error=error, section="password")
        return redirect("/settings#password", flash="password_changed")

    @post("/settings/delete-account")
    async def delete_my_account(
        self,
        request: Request,
        member: Member,
        storage: StorageDep,
        data: Annotated[DeletionForm, FORM],
    ) -> Response:
        try:
            await delete_account(
                member,
                data.password,
                storage,
                take_my_memories=data.take_my_memories == "true",
            )
        except DomainError as error:
            return await _settings_page(request, member, error=error, section="delete")
        response = redirect("/", flash="account_deleted")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @post("/settings/quiet-rules/{rule_id:uuid}/delete")
    async def remove(self, member: Member, rule_id: FromPath[UUID]) -> Response:
        await remove_rule(member, rule_id)
        return redirect("/settings#quiet-times", flash="rule_removed")


async def _settings_page(
    request: Request,
    member: User,
    error: DomainError | None = None,
    form: dict[str, Any] | None = None,
    section: str = "",
    sent_to: str | None = None,
) -> Template:
    """The page, with `error` shown beside the form of `section` and what was typed kept."""
    state: State = request.app.state
    now: datetime = state.clock()
    timelines = [
        TimelineSettings(
            timeline=timeline,
            members=members_of(timeline),
            milestones=await milestones_of(member, timeline.id),
            rules=await rules_of(member, timeline.id),
            vetoed=[
                ShownVeto(
                    memory=vetoed.memory,
                    thumb=thumb_of(state, vetoed.memory, now),
                    asked_by=vetoed.asked_by,
                    asked_on=local_time(member.timezone, vetoed.asked_at).date()
                    if vetoed.asked_at
                    else None,
                )
                for vetoed in await vetoed_in(member, timeline.id)
            ],
        )
        for timeline in await timelines_of(member)
    ]
    return page(
        request,
        "settings.html",
        {
            "timelines": timelines,
            # With one timeline, the header names the couple and its menu leads to it.
            "timeline": timelines[0].timeline if len(timelines) == 1 else None,
            "emails": await choices_of(member),
            "pushes": await push_choices_of(member),
            "push_devices": await subscription_count(member),
            "weekdays": WEEKDAYS,
            "milestone_kinds": MILESTONE_KINDS,
            "time_zones": TIME_ZONES,
            "error": error,
            "form": form or {},
            "section": section,
            "sent_to": sent_to,
        },
        status_code=status_of(error) if error else 200,
    )


def _time_zone(raw: str) -> str:
    """The time zone typed, checked here so a wrong one is named against its own field."""
    try:
        return check_timezone(raw.strip())
    except InvalidInput as error:
        raise InvalidInput(str(error), field="timezone") from None


def _dates(timeline_id: UUID) -> str:
    """The id of a timeline's dates section, where its errors are shown."""
    return f"dates-{timeline_id}"


def _uuid(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput("Choose one of your timelines.", field="timeline_id") from None


def _number(raw: str, field: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput("Choose one of the listed values.", field=field) from None


def _date(text: str, field: str) -> date | None:
    return optional_date(text, message="Enter dates as YYYY-MM-DD.", field=field)


def _milestone(form: MilestoneForm, today: date) -> MilestoneDraft:
    """The draft the domain takes, the date read from its text. A date that cannot be read is
    refused only after the domain's earlier checks (kind, name, precision) pass on a stand-in,
    so the form is refused for the field the API would name."""
    fields = {"kind": form.kind, "date_precision": form.date_precision, "label": form.label}
    try:
        sent_on = None if form.occurred_on is UNSET else form.occurred_on
        return MilestoneDraft(**fields, occurred_on=check_date(sent_on, today))
    except InvalidInput as unread:
        check_milestone(MilestoneDraft(**fields, occurred_on=today), today)
        raise unread from None

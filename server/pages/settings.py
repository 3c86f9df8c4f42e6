"""Pages: settings: which e-mails and when, each timeline's dates (the anniversary and
milestones), and what each timeline should never bring back."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template
from msgspec import UNSET, UnsetType

from server.http.auth import SESSION_COOKIE, signed_in
from server.http.dependencies import Member, Now, StorageDep
from server.http.errors import status_of
from server.pages.forms import FORM, optional_date, read_form, typed
from server.pages.rendering import page, redirect
from timeline.accounts.settings import change_password, request_email_change, update_profile
from timeline.core.calendar import check_date
from timeline.core.errors import DomainError, InvalidInput
from timeline.mail.preferences import WEEKDAYS, Choices, choices_of, choose
from timeline.models import User
from timeline.resurfacing.quiet import add_rule, remove_rule, rules_of
from timeline.timelines.access import timeline_for
from timeline.timelines.leaving import delete_account
from timeline.timelines.membership import TimelineChanges, timelines_of, update_timeline
from timeline.timelines.milestones import (
    MilestoneDraft,
    add_milestone,
    check_milestone,
    milestones_of,
    remove_milestone,
)

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


class SettingsPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @get("/settings")
    async def show(self, request: Request, member: Member) -> Template:
        return await _settings_page(request, member)

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
        return redirect("/settings", flash="rule_added")

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
                    timezone=data.timezone.strip(),
                ),
            )
        except DomainError as error:
            return await _settings_page(
                request, member, error=error, form=typed(data), section="emails"
            )
        return redirect("/settings#emails", flash="emails_saved")

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
        return redirect("/settings", flash="milestone_removed")

    @post("/settings/profile")
    async def profile(
        self, request: Request, member: Member, data: Annotated[ProfileForm, FORM]
    ) -> Response:
        try:
            await update_profile(
                member, display_name=data.display_name, timezone=data.timezone.strip()
            )
        except DomainError as error:
            return await _settings_page(
                request, member, error=error, form=typed(data), section="account"
            )
        return redirect("/settings#account", flash="profile_saved")

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
        return redirect("/settings", flash="rule_removed")


async def _settings_page(
    request: Request,
    member: User,
    error: DomainError | None = None,
    form: dict[str, Any] | None = None,
    section: str = "",
    sent_to: str | None = None,
) -> Template:
    """The page, with `error` shown beside the form of `section` and what was typed kept."""
    timelines = [
        (t, await rules_of(member, t.id), await milestones_of(member, t.id))
        for t in await timelines_of(member)
    ]
    return page(
        request,
        "settings.html",
        {
            "timelines": timelines,
            # With one timeline, the header names the couple and its menu leads to it.
            "timeline": timelines[0][0] if len(timelines) == 1 else None,
            "emails": await choices_of(member),
            "weekdays": WEEKDAYS,
            "milestone_kinds": MILESTONE_KINDS,
            "error": error,
            "form": form or {},
            "section": section,
            "sent_to": sent_to,
        },
        status_code=status_of(error) if error else 200,
    )


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

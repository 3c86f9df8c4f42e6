"""Pages: settings: which e-mails and when, each timeline's dates (the anniversary and
milestones), and what each timeline should never bring back."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from server.common.clock import Now
from server.http.auth import SESSION_COOKIE, current_user, signed_in
from server.http.errors import status_of
from server.pages.forms import Form
from server.pages.rendering import page, redirect
from timeline.accounts.settings import change_password, request_email_change, update_profile
from timeline.core.errors import DomainError, InvalidInput
from timeline.mail.preferences import WEEKDAYS, Choices, choices_of, choose
from timeline.resurfacing.quiet import add_rule, remove_rule, rules_of
from timeline.timelines.leaving import delete_account
from timeline.timelines.membership import timelines_of, update_timeline
from timeline.timelines.milestones import add_milestone, milestones_of, remove_milestone

MILESTONE_KINDS = (
    ("first_date", "Our first date"),
    ("wedding", "Our wedding"),
    ("custom", "Our own"),
)


class SettingsPages(Controller):
    include_in_schema = False
    guards = [signed_in]

    @get("/settings")
    async def show(self, request: Request) -> Template:
        return await _settings_page(request)

    @post("/settings/quiet-rules")
    async def add(self, request: Request, data: Form, now: Now) -> Response:
        try:
            await add_rule(
                current_user(request),
                _uuid(data.get("timeline_id", "")),
                now=now,
                tag=data.get("tag") or None,
                starts_on=_date(data.get("starts_on", ""), "starts_on"),
                ends_on=_date(data.get("ends_on", ""), "ends_on"),
                yearly=data.get("yearly") == "true",
            )
        except DomainError as error:
            return await _settings_page(request, error=error, form=data)
        return redirect("/settings", flash="rule_added")

    @post("/settings/emails")
    async def emails(self, request: Request, data: Form) -> Response:
        try:
            await choose(
                current_user(request),
                Choices(
                    on_this_day=data.get("on_this_day") == "true",
                    weekly=data.get("weekly") == "true",
                    anniversary=data.get("anniversary") == "true",
                    hour=_number(data.get("hour", ""), "hour"),
                    weekly_day=_number(data.get("weekly_day", ""), "weekly_day"),
                    weekly_hour=_number(data.get("weekly_hour", ""), "weekly_hour"),
                    timezone=data.get("timezone", "").strip(),
                ),
            )
        except DomainError as error:
            return await _settings_page(request, error=error, form=data, section="emails")
        return redirect("/settings#emails", flash="emails_saved")

    @post("/settings/timelines/{timeline_id:uuid}/together-since")
    async def together_since(
        self, request: Request, timeline_id: FromPath[UUID], data: Form, now: Now
    ) -> Response:
        try:
            changed = _date(data.get("together_since", ""), "together_since")
            await update_timeline(
                current_user(request), timeline_id, {"together_since": changed}, now=now
            )
        except DomainError as error:
            return await _settings_page(
                request, error=error, form=data, section=_dates(timeline_id)
            )
        return redirect(f"/settings#{_dates(timeline_id)}", flash="dates_saved")

    @post("/settings/timelines/{timeline_id:uuid}/milestones")
    async def keep_milestone(
        self, request: Request, timeline_id: FromPath[UUID], data: Form, now: Now
    ) -> Response:
        try:
            await add_milestone(current_user(request), timeline_id, data, now=now)
        except DomainError as error:
            return await _settings_page(
                request, error=error, form=data, section=_dates(timeline_id)
            )
        return redirect(f"/settings#{_dates(timeline_id)}", flash="milestone_added")

    @post("/settings/milestones/{milestone_id:uuid}/delete")
    async def forget_milestone(self, request: Request, milestone_id: FromPath[UUID]) -> Response:
        await remove_milestone(current_user(request), milestone_id)
        return redirect("/settings", flash="milestone_removed")

    @post("/settings/profile")
    async def profile(self, request: Request, data: Form) -> Response:
        try:
            await update_profile(
                current_user(request),
                display_name=data.get("display_name", ""),
                timezone=data.get("timezone", "").strip(),
            )
        except DomainError as error:
            return await _settings_page(request, error=error, form=data, section="account")
        return redirect("/settings#account", flash="profile_saved")

    @post("/settings/email")
    async def email(self, request: Request, data: Form, now: Now) -> Response:
        try:
            new_email = await request_email_change(
                current_user(request), data.get("email", ""), data.get("password", ""), now=now
            )
        except DomainError as error:
            return await _settings_page(request, error=error, form=data, section="address")
        return await _settings_page(request, section="address", sent_to=new_email)

    @post("/settings/password")
    async def password(self, request: Request, data: Form, now: Now) -> Response:
        try:
            await change_password(
                current_user(request),
                data.get("current_password", ""),
                data.get("new_password", ""),
                keep_secret=request.auth,
                now=now,
            )
        except DomainError as error:
            return await _settings_page(request, error=error, form={}, section="password")
        return redirect("/settings#password", flash="password_changed")

    @post("/settings/delete-account")
    async def delete_my_account(self, request: Request, data: Form) -> Response:
        try:
            await delete_account(
                current_user(request),
                data.get("password", ""),
                request.app.state.storage,
                take_my_memories=data.get("take_my_memories") == "true",
            )
        except DomainError as error:
            return await _settings_page(request, error=error, form={}, section="delete")
        response = redirect("/", flash="account_deleted")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @post("/settings/quiet-rules/{rule_id:uuid}/delete")
    async def remove(self, request: Request, rule_id: FromPath[UUID]) -> Response:
        await remove_rule(current_user(request), rule_id)
        return redirect("/settings", flash="rule_removed")


async def _settings_page(
    request: Request,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
    section: str = "",
    sent_to: str | None = None,
) -> Template:
    """The page, with `error` shown beside the form of `section` and what was typed kept."""
    user = current_user(request)
    timelines = [
        (t, await rules_of(user, t.id), await milestones_of(user, t.id))
        for t in await timelines_of(user)
    ]
    return page(
        request,
        "settings.html",
        {
            "timelines": timelines,
            "emails": await choices_of(user),
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


def _date(raw: str, field: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput("Enter dates as YYYY-MM-DD.", field=field) from None

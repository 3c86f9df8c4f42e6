"""API: the caller's e-mail preferences, and their shape."""

from __future__ import annotations

import dataclasses

import msgspec
from litestar import Controller, get, put
from litestar.params import JSONBody

from server.http.auth import signed_in
from server.http.dependencies import Member
from timeline.mail.preferences import Choices, choices_of, choose


class EmailPreferences(msgspec.Struct):
    """Which e-mails and when: `hour` for on this day and anniversaries, `weekly_day` 0
    (Monday) to 6 (Sunday) and `weekly_hour` for the weekly "Remember when…", all in
    `timezone`."""

    on_this_day: bool
    weekly: bool
    anniversary: bool
    hour: int
    weekly_day: int
    weekly_hour: int
    timezone: str


class PreferencesController(Controller):
    path = "/api/v1/me/email-preferences"
    tags = ["accounts"]
    guards = [signed_in]

    @get(operation_id="emailPreferences")
    async def show(self, member: Member) -> EmailPreferences:
        """Which e-mails the caller gets, and when."""
        return _out(await choices_of(member))

    @put(operation_id="setEmailPreferences")
    async def replace(self, member: Member, data: JSONBody[EmailPreferences]) -> EmailPreferences:
        """Replace them all; 422 for an hour, weekday or time zone that does not exist."""
        choices = Choices(**{f.name: getattr(data, f.name) for f in dataclasses.fields(Choices)})
        return _out(await choose(member, choices))


def _out(choices: Choices) -> EmailPreferences:
    return EmailPreferences(**dataclasses.asdict(choices))

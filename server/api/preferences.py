"""API: the caller's e-mail preferences."""

from __future__ import annotations

import dataclasses

from litestar import Controller, Request, get, put
from litestar.params import JSONBody

from server.api.schemas import EmailPreferences
from server.http.auth import current_user, signed_in
from timeline.mail.preferences import Choices, choices_of, choose


class PreferencesController(Controller):
    path = "/api/v1/me/email-preferences"
    tags = ["accounts"]
    guards = [signed_in]

    @get(operation_id="emailPreferences")
    async def show(self, request: Request) -> EmailPreferences:
        """Which e-mails the caller gets, and when."""
        return _out(await choices_of(current_user(request)))

    @put(operation_id="setEmailPreferences")
    async def replace(self, request: Request, data: JSONBody[EmailPreferences]) -> EmailPreferences:
        """Replace them all; 422 for an hour, weekday or time zone that does not exist."""
        choices = Choices(**{f.name: getattr(data, f.name) for f in dataclasses.fields(Choices)})
        return _out(await choose(current_user(request), choices))


def _out(choices: Choices) -> EmailPreferences:
    return EmailPreferences(**dataclasses.asdict(choices))

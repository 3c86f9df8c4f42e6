"""Rendering a page with what every page needs: the user, the flash message, the CSRF field."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.response import Redirect, Template

FLASH_COOKIE = "rw_flash"
# The cookie carries only a key, so nobody can make the site display words of their choosing.
FLASH_MESSAGES = {
    "welcome": "Welcome! Your account is ready.",
    "logged_in": "Welcome back.",
    "logged_out": "You are logged out.",
    "timeline_created": "Your timeline is ready. Invite your partner when you like.",
    "joined": "You're in. This is your shared timeline.",
    "started": "Welcome! This is your timeline: add a first memory, and invite your partner.",
    "invite_gone": "That invitation link no longer works. Ask your partner for a new one.",
    "left": "You left the timeline.",
    "memory_saved": "Saved.",
    "memory_trashed": "Moved to the trash. You can restore it from the trash for 30 days.",
    "memory_restored": "Restored from the trash.",
    "trash_restored": "Restored. It is back on your timeline.",
    "trash_emptied": "The trash is empty. Those memories and their photos are deleted for good.",
    "veto_undone": "It may come back again, some day.",
    "photo_removed": "The photo is removed.",
    "pick_planned": "Lovely. It is in your plans.",
    "pick_snoozed": "Not now, then. It will wait a month.",
    "pick_vetoed": "It will not come back.",
    "pick_recreated": "Then and now, side by side.",
    "pick_taken_back": "Done: it is today's pick again.",
    "plan_changed": "The plan has its new day.",
    "rule_added": "Those memories will stay quiet.",
    "rule_removed": "Those memories may come back again.",
    "emails_saved": "Your e-mail settings are saved.",
    "notifications_saved": "Your notification settings are saved.",
    "password_reset": "Your new password is saved. Log in with it.",
    "password_changed": "Your new password is saved. Your other devices are logged out.",
    "email_confirmed": "Your new e-mail address is confirmed.",
    "profile_saved": "Saved.",
    "account_deleted": "Your account is deleted. Take care.",
    "share_revoked": "The link no longer works.",
    "invite_revoked": "That invitation link no longer works.",
    "dates_saved": "Your dates are saved.",
    "timeline_renamed": "Your timeline has its new name.",
    "milestone_added": "Milestone kept.",
    "milestone_removed": "Milestone removed.",
    "share_waiting": "Log in, and your photos will be waiting in a new memory.",
}

# A flash that says where to go next links there: (words, path with {timeline} for the id of
# the page's timeline). Shown only on a page of a timeline when the path needs one.
FLASH_LINKS = {
    "memory_trashed": ("Open the trash", "/t/{timeline}/trash"),
}


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Template:
    """Render `pages/<name>` with the signed-in user and any pending flash message."""
    key = request.cookies.get(FLASH_COOKIE, "")
    flash = FLASH_MESSAGES.get(key)
    response = Template(
        f"pages/{name}",
        context={
            "user": request.user,
            "flash": flash,
            "flash_link": _flash_link(key, (context or {}).get("timeline")) if flash else None,
            **(context or {}),
        },
        status_code=status_code,
    )
    if flash:
        response.delete_cookie(FLASH_COOKIE)
    return response


def _flash_link(key: str, timeline: Any) -> tuple[str, str] | None:
    if key not in FLASH_LINKS:
        return None
    words, path = FLASH_LINKS[key]
    if "{timeline}" in path:
        timeline_id = getattr(timeline, "id", None)
        if timeline_id is None:
            return None
        path = path.format(timeline=timeline_id)
    return words, path


def redirect(to: str, *, flash: str | None = None) -> Redirect:
    """A 303 to `to` (so a form POST becomes a GET), optionally carrying a flash message."""
    response = Redirect(to, status_code=303)
    if flash:
        response.set_cookie(FLASH_COOKIE, flash, max_age=60, httponly=True, samesite="lax")
    return response


def local_path(target: str | None, default: str = "/") -> str:
    """`target` when it is a path on this site, else `default`: no open redirects."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return default
    return target

"""A planned recreation as an iCalendar file (RFC 5545): one all-day VEVENT."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

# RFC 5545 §3.1: content lines are folded at 75 octets, continued with a space.
LINE_OCTETS = 75


def plan_event(
    *, uid: UUID, day: date, title: str, description: str, link: str, now: datetime
) -> bytes:
    """The calendar file of a plan to recreate `title` on `day`, linking back to it."""
    summary, details = _text(f"Recreate “{title}”"), _text(description + "\n\n" + link)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Remember When//Planned recreations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@remember-when",
        f"DTSTAMP:{now.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{_date(day)}",
        f"DTEND;VALUE=DATE:{_date(day + timedelta(days=1))}",
        f"SUMMARY:{summary}",
        f"DESCRIPTION:{details}",
        f"URL:{link}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_folded(line) + "\r\n" for line in lines).encode()


def _date(day: date) -> str:
    # Eight digits always: strftime's %Y does not pad years before 1000 on glibc.
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _text(value: str) -> str:
    """A TEXT value escaped (§3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n")


def _folded(line: str) -> str:
    """The line cut into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = LINE_OCTETS if not pieces else LINE_OCTETS - 1
        if len(current) + len(encoded) > limit:
            pieces.append(current.decode())
            current = b""
        current += encoded
    pieces.append(current.decode())
    return "\r\n ".join(pieces)

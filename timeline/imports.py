"""Bringing a timeline in: an archive made by `timeline.export`, restored whole (photos
through the real pipeline), or a folder of photos from a camera roll, one memory per day
that has photos.

An archive either comes in whole or not at all: on any failure the new timeline, its rows
and its stored photos are removed, and the failure is raised."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

from media.errors import MediaError
from media.images import taken_at_of
from media.storage import Storage
from timeline.access import timeline_for
from timeline.errors import DomainError, InvalidInput
from timeline.export import FORMAT
from timeline.leaving import discard_timeline
from timeline.memories import create_memory, date_fields
from timeline.models import (
    Connection,
    Membership,
    Memory,
    MemoryTag,
    Milestone,
    Photo,
    QuietRule,
    Reply,
    Suggestion,
    Timeline,
    User,
)
from timeline.photos import add_photo
from timeline.shortlist import refresh_ceilings


async def import_archive(
    document: Mapping[str, Any],
    photo: Callable[[str], BinaryIO],
    owner: User,
    partner: User | None,
    storage: Storage,
    *,
    now: datetime,
) -> Timeline:
    """A new timeline holding what `document` (a parsed timeline.json) describes, with its
    photos read through `photo(name)`. The archive's first member becomes `owner`, the
    second `partner`; without a partner, their words stay as a former partner's (their
    ratings, which need an account, are left out)."""
    if document.get("format") != FORMAT:
        raise InvalidInput(f"This is not a Remember When archive ({FORMAT}).")
    about = document["timeline"]
    timeline = await Timeline.create(
        name=about["name"],
        together_since=_date(about.get("together_since")),
        timezone=about.get("timezone") or owner.timezone,
        created_at=now,
    )
    try:
        await _restore(timeline, document, photo, owner, partner, storage, now)
    except (DomainError, MediaError, KeyError, ValueError, TypeError):
        await discard_timeline(timeline, storage)
        raise
    return timeline


async def _restore(
    timeline: Timeline,
    document: Mapping[str, Any],
    photo: Callable[[str], BinaryIO],
    owner: User,
    partner: User | None,
    storage: Storage,
    now: datetime,
) -> None:
    people: dict[str, User | None] = {}
    for order, (member, user) in enumerate(
        zip(document["members"], (owner, partner), strict=False)
    ):
        people[str(member["id"])] = user
        if user is not None:
            # A second apart, so the members keep the archive's order.
            await Membership.create(
                timeline=timeline, user=user, joined_at=now + timedelta(seconds=order)
            )

    def who(ref: str | None) -> User | None:
        return people.get(ref) if ref else None

    memories: dict[str, Memory] = {}
    for raw in document["memories"]:
        memory = await _memory(timeline, raw, who(raw.get("author")), now)
        memories[str(raw["id"])] = memory
        for entry in raw["photos"]:
            source = photo(entry["file"])
            try:
                added = await add_photo(owner, memory.id, source, storage, now=now)
            finally:
                source.close()
            await Photo.filter(id=added.photo.id).update(
                caption=entry.get("caption", ""), position=entry.get("position", 0)
            )
        for connection in raw["connections"]:
            rater = who(connection["member"])
            if rater is not None:
                await Connection.create(
                    memory=memory,
                    user=rater,
                    score=connection["score"],
                    appreciation=connection.get("appreciation", ""),
                    updated_at=datetime.fromisoformat(connection["updated_at"]),
                )
        for reply in raw["replies"]:
            await Reply.create(
                memory=memory,
                author=who(reply["member"]),
                text=reply["text"],
                created_at=datetime.fromisoformat(reply["at"]),
            )
        if raw.get("deleted_at"):
            await Memory.filter(id=memory.id).update(
                deleted_at=datetime.fromisoformat(raw["deleted_at"])
            )
    for raw in document["memories"]:
        if raw.get("recreates") and str(raw["recreates"]) in memories:
            await Memory.filter(id=memories[str(raw["id"])].id).update(
                recreates_id=memories[str(raw["recreates"])].id
            )
    await _dates_and_rules(timeline, document, memories, who, now)
    await refresh_ceilings(timeline)


async def _memory(
    timeline: Timeline, raw: Mapping[str, Any], author: User | None, now: datetime
) -> Memory:
    fields = date_fields(date.fromisoformat(raw["occurred_on"]), raw["date_precision"])
    memory = await Memory.create(
        timeline=timeline,
        author=author,
        title=raw["title"],
        body=raw.get("body", ""),
        date_precision=raw["date_precision"],
        place=raw.get("place", ""),
        kind=raw.get("kind", "everyday"),
        never_resurface=raw.get("never_resurface", False),
        created_at=datetime.fromisoformat(raw["created_at"]),
        updated_at=datetime.fromisoformat(raw["updated_at"]),
        **fields,
    )
    await MemoryTag.bulk_create([MemoryTag(memory=memory, name=tag) for tag in raw["tags"]])
    return memory


async def _dates_and_rules(
    timeline: Timeline,
    document: Mapping[str, Any],
    memories: dict[str, Memory],
    who: Callable[[str | None], User | None],
    now: datetime,
) -> None:
    for milestone in document.get("milestones", []):
        await Milestone.create(
            timeline=timeline,
            kind=milestone["kind"],
            label=milestone.get("label", ""),
            occurred_on=date.fromisoformat(milestone["occurred_on"]),
            date_precision=milestone.get("date_precision", "day"),
            created_at=now,
        )
    for rule in document.get("quiet_rules", []):
        await QuietRule.create(
            timeline=timeline,
            tag=rule.get("tag"),
            starts_on=_date(rule.get("starts_on")),
            ends_on=_date(rule.get("ends_on")),
            yearly=rule.get("yearly", False),
            created_at=now,
        )
    for suggestion in document.get("suggestions", []):
        memory = memories.get(str(suggestion["memory"]))
        if memory is None:
            continue
        answered_by = who(suggestion.get("answered_by"))
        await Suggestion.create(
            timeline=timeline,
            local_date=date.fromisoformat(suggestion["local_date"]),
            memory=memory,
            score=suggestion.get("score", 0),
            reasons=suggestion.get("reasons", []),
            prompt=suggestion.get("prompt", ""),
            action=suggestion.get("action"),
            snoozed_until=_date(suggestion.get("snoozed_until")),
            planned_on=_date(suggestion.get("planned_on")),
            answered_by=answered_by,
            answered_at=now if suggestion.get("action") else None,
            created_at=now,
        )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class FolderReport:
    """What a folder import did: memories made, photos added, and the files it could not
    read, each with the reason."""

    memories: int = 0
    photos: int = 0
    duplicates: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)


async def import_folder(
    owner: User,
    timeline_id: UUID,
    paths: Sequence[Path],
    storage: Storage,
    *,
    now: datetime,
    progress: Callable[[int, int, str], None],
) -> FolderReport:
    """One memory per day that has photos among `paths`, dated by each photo's EXIF (or,
    without one, by the file's date). A file that is no photo we can read is listed in the
    report, never fatal. `progress(done, total, name)` follows along."""
    timeline = await timeline_for(owner, timeline_id)
    report = FolderReport()
    days: dict[date, list[Path]] = defaultdict(list)
    for number, path in enumerate(paths, 1):
        progress(number, len(paths) * 2, path.name)
        try:
            with path.open("rb") as source:
                taken = await asyncio.to_thread(taken_at_of, source)
        except (MediaError, OSError) as error:
            report.unreadable.append((path.name, _reason(error)))
            continue
        day = taken.date() if taken else date.fromtimestamp(path.stat().st_mtime)
        days[min(day, now.date())].append(path)
    done = len(paths)
    for day, files in sorted(days.items()):
        memory = await create_memory(
            owner,
            timeline.id,
            {"title": f"{day.day} {day:%B %Y}", "occurred_on": day, "kind": "everyday"},
            now=now,
        )
        added = 0
        for path in files:
            done += 1
            progress(done, len(paths) * 2, path.name)
            try:
                with path.open("rb") as source:
                    photo = await add_photo(owner, memory.id, source, storage, now=now)
            except (MediaError, OSError) as error:
                report.unreadable.append((path.name, _reason(error)))
                continue
            if photo.duplicate:
                report.duplicates += 1
            else:
                added += 1
        if added:
            report.memories += 1
            report.photos += added
        else:
            await memory.delete()
    return report


def _reason(error: Exception) -> str:
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error)

"""Bringing a timeline in: an archive made by `timeline.export`, restored whole (photos
through the real pipeline), or a folder of photos from a camera roll, one memory per day
that has photos.

An archive either comes in whole or not at all. It is read within size limits, decoded
strictly against the archive's schema, and every value goes through the checks the API
runs; the rows are written in one transaction, and on any failure the photos already
stored are deleted too. Each refusal names where in the archive it is
("memories[3].title: …")."""

from __future__ import annotations

import asyncio
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

from tortoise.transactions import in_transaction

from media.errors import MediaError
from media.images import taken_at_of
from media.storage import Storage, delete_folders
from timeline.accounts.credentials import check_display_name, check_timezone
from timeline.core.errors import DomainError, InvalidInput
from timeline.core.text import check_one_line
from timeline.memories.photos import add_photo
from timeline.memories.writing import (
    MemoryDraft,
    add_reply,
    check_fields,
    create_memory,
    date_fields,
    set_connection,
)
from timeline.models import (
    MAX_MEMBERS,
    Memory,
    MemoryTag,
    Photo,
    Reply,
    Suggestion,
    Timeline,
    User,
)
from timeline.portability.archive_format import (
    FORMER_PARTNER,
    Archive,
    MemoryEntry,
    SuggestionEntry,
    decode,
)
from timeline.portability.archive_zip import ArchiveZip
from timeline.resurfacing.candidates import refresh_ceilings
from timeline.resurfacing.quiet import add_rule
from timeline.timelines.access import add_member, timeline_for
from timeline.timelines.membership import check_name, check_together_since
from timeline.timelines.milestones import MilestoneDraft, add_milestone

# The photo table's caption column; nothing but an archive sets a caption.
MAX_CAPTION = 300
# A photo is copied out of the zip in memory up to this size, to a temporary file beyond.
IN_MEMORY = 8 * 1024 * 1024


async def import_archive(
    source: ArchiveZip, owner: User, partner: User | None, storage: Storage, *, now: datetime
) -> Timeline:
    """A new timeline holding what the archive `source` holds. The archive's first member
    becomes `owner`, the second `partner`; without a partner, their words stay as a former
    partner's (their ratings, which need an account, are left out). Raises `InvalidInput`
    (or the pipeline's `MediaError`) naming where the archive is at fault; nothing is kept."""
    archive = await asyncio.to_thread(_read_document, source)
    plan = _Plan.checked(archive, source, owner, partner, today=now.date())
    stored = _RecordedStorage(storage)
    try:
        async with in_transaction():
            return await _restore(plan, source, stored, now)
    except BaseException:
        # The rows went with the transaction; the objects of photos stored meanwhile must
        # be deleted by hand, whatever the failure was.
        await delete_folders(storage, stored.folders)
        raise


def _read_document(source: ArchiveZip) -> Archive:
    return decode(source.document())


@contextmanager
def _at(where: str, part: str | None = None) -> Iterator[None]:
    """Name the part of the archive at fault in a refusal raised within: `where`, then the
    field the refusal names, else `part`."""
    try:
        yield
    except DomainError as error:
        named = getattr(error, "field", None) or part
        location = f"{where}.{named}" if named else where
        raise InvalidInput(f"{location}: {error}", field=location) from None
    except MediaError as error:
        raise type(error)(f"{where}: {error}") from None


@dataclass
class _Plan:
    """An archive whose every value passed its check, with each memory's cleaned fields
    and the account each member reference stands for (None: a former partner)."""

    archive: Archive
    name: str
    owner: User
    partner: User | None
    people: dict[str, User | None]
    fields: list[dict[str, Any]]

    @classmethod
    def checked(
        cls, archive: Archive, source: ArchiveZip, owner: User, partner: User | None, today: date
    ) -> _Plan:
        people = _people(archive, owner, partner)
        with _at("timeline", "name"):
            name = check_name(archive.timeline.name)
        with _at("timeline", "together_since"):
            check_together_since(archive.timeline.together_since, today=today)
        if archive.timeline.timezone is not None:
            with _at("timeline", "timezone"):
                check_timezone(archive.timeline.timezone)
        ids = _memory_ids(archive.memories)
        fields = [
            _checked_memory(f"memories[{n}]", memory, source, people, ids, today)
            for n, memory in enumerate(archive.memories)
        ]
        _check_suggestions(archive.suggestions, people, ids)
        return cls(archive, name, owner, partner, people, fields)


def _people(archive: Archive, owner: User, partner: User | None) -> dict[str, User | None]:
    members = archive.members
    if len(members) > MAX_MEMBERS:
        raise InvalidInput(f"members: a timeline has at most {MAX_MEMBERS} members.")
    if partner is not None and len(members) < 2:
        raise InvalidInput("members: the archive has no second member to be the partner.")
    people: dict[str, User | None] = {FORMER_PARTNER: None}
    for n, (member, user) in enumerate(zip(members, (owner, partner), strict=False)):
        with _at(f"members[{n}]", "display_name"):
            check_display_name(member.display_name)
        if str(member.id) in people:
            raise InvalidInput(f"members[{n}].id: the same id as another member.")
        people[str(member.id)] = user
    return people


def _memory_ids(memories: list[MemoryEntry]) -> set[UUID]:
    ids: set[UUID] = set()
    for n, memory in enumerate(memories):
        if memory.id in ids:
            raise InvalidInput(f"memories[{n}].id: the same id as another memory.")
        ids.add(memory.id)
    return ids


def _checked_memory(
    where: str,
    memory: MemoryEntry,
    source: ArchiveZip,
    people: dict[str, User | None],
    ids: set[UUID],
    today: date,
) -> dict[str, Any]:
    """The memory's fields as the API would store them; its ratings and replies are checked
    as they are written (by the very functions the API calls)."""
    with _at(where):
        fields = check_fields(
            MemoryDraft(
                title=memory.title,
                occurred_on=memory.occurred_on,
                body=memory.body,
                date_precision=memory.date_precision,
                place=memory.place,
                kind=memory.kind,
                tags=memory.tags,
            ),
            today=today,
        )
    _check_member(f"{where}.author", memory.author, people)
    if memory.recreates is not None and memory.recreates not in ids:
        raise InvalidInput(f"{where}.recreates: no memory with this id in the archive.")
    for n, photo in enumerate(memory.photos):
        with _at(f"{where}.photos[{n}]", "file"):
            source.check_photo(photo.file)
        if len(photo.caption) > MAX_CAPTION:
            raise InvalidInput(f"{where}.photos[{n}].caption: over {MAX_CAPTION} characters.")
        with _at(f"{where}.photos[{n}]", "caption"):
            check_one_line(photo.caption, field="caption", label="The caption")
    for n, connection in enumerate(memory.connections):
        _check_member(f"{where}.connections[{n}].member", connection.member, people)
    for n, reply in enumerate(memory.replies):
        _check_member(f"{where}.replies[{n}].member", reply.member, people)
    return fields


def _check_member(where: str, ref: str | None, people: dict[str, User | None]) -> None:
    if ref is not None and ref not in people:
        raise InvalidInput(f"{where}: no member {ref!r} in the archive.")


def _check_suggestions(
    suggestions: list[SuggestionEntry], people: dict[str, User | None], ids: set[UUID]
) -> None:
    """Suggestions are the daily pick's own writing, with no check of their own in the
    domain: what the table holds them to."""
    days: set[date] = set()
    for n, suggestion in enumerate(suggestions):
        where = f"suggestions[{n}]"
        if suggestion.memory not in ids:
            raise InvalidInput(f"{where}.memory: no memory with this id in the archive.")
        if suggestion.action is not None and suggestion.action not in Suggestion.ACTIONS:
            actions = ", ".join(Suggestion.ACTIONS)
            raise InvalidInput(f"{where}.action: one of {actions}, or null.")
        if suggestion.local_date in days:
            raise InvalidInput(f"{where}.local_date: a second suggestion for one day.")
        days.add(suggestion.local_date)
        _check_member(f"{where}.answered_by", suggestion.answered_by, people)


class _RecordedStorage:
    """The storage, noting the folder of every object written, so that a failed import can
    take back what it stored."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self.folders: set[str] = set()

    async def put(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        # Noted before writing: a write that fails halfway may have left something.
        self.folders.add(key.rpartition("/")[0])
        await self._storage.put(key, data, content_type)

    async def open(self, key: str) -> BinaryIO:
        return await self._storage.open(key)

    async def delete(self, key: str) -> None:
        await self._storage.delete(key)

    async def delete_many(self, keys: Sequence[str]) -> None:
        await self._storage.delete_many(keys)

    async def exists(self, key: str) -> bool:
        return await self._storage.exists(key)

    async def keys(self, prefix: str) -> list[str]:
        return await self._storage.keys(prefix)

    def signed_url(self, key: str, now: datetime) -> str:
        return self._storage.signed_url(key, now)

    async def answers(self) -> bool:
        return await self._storage.answers()


async def _restore(plan: _Plan, source: ArchiveZip, storage: Storage, now: datetime) -> Timeline:
    """Write the checked archive: rows first (what can still be refused is refused before
    any photo is processed), then photos, then the trash."""
    archive = plan.archive
    about = archive.timeline
    timeline = await Timeline.create(
        name=plan.name,
        together_since=about.together_since,
        timezone=about.timezone or plan.owner.timezone,
        created_at=now,
    )
    for order, user in enumerate((plan.owner, plan.partner)):
        if user is not None:
            # A second apart, so the members keep the archive's order.
            await add_member(timeline, user, joined_at=now + timedelta(seconds=order))
    memories = [
        await _memory(timeline, entry, fields, plan)
        for entry, fields in zip(archive.memories, plan.fields, strict=True)
    ]
    by_id = {entry.id: memory for entry, memory in zip(archive.memories, memories, strict=True)}
    for n, (entry, memory) in enumerate(zip(archive.memories, memories, strict=True)):
        await _words(f"memories[{n}]", entry, memory, plan)
        if entry.recreates is not None:
            await Memory.filter(id=memory.id).update(recreates_id=by_id[entry.recreates].id)
    await _dates_and_rules(timeline, archive, by_id, plan, now)
    for n, (entry, memory) in enumerate(zip(archive.memories, memories, strict=True)):
        await _photos(f"memories[{n}]", entry, memory, source, storage, plan.owner, now)
    for entry, memory in zip(archive.memories, memories, strict=True):
        if entry.deleted_at is not None:
            await Memory.filter(id=memory.id).update(deleted_at=entry.deleted_at)
    await refresh_ceilings(timeline)
    return timeline


async def _memory(
    timeline: Timeline, entry: MemoryEntry, fields: dict[str, Any], plan: _Plan
) -> Memory:
    fields = dict(fields)
    tags = fields.pop("tags")
    fields.update(date_fields(fields["occurred_on"], fields["date_precision"]))
    memory = await Memory.create(
        timeline=timeline,
        author=plan.people.get(entry.author),
        never_resurface=entry.never_resurface,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
        **fields,
    )
    await MemoryTag.bulk_create([MemoryTag(memory=memory, name=tag) for tag in tags])
    return memory


async def _words(where: str, entry: MemoryEntry, memory: Memory, plan: _Plan) -> None:
    """The ratings and replies of a memory, through the API's own functions (and checks)."""
    for n, connection in enumerate(entry.connections):
        rater = plan.people.get(connection.member)
        if rater is None:
            continue
        with _at(f"{where}.connections[{n}]"):
            await set_connection(
                rater,
                memory.id,
                connection.score,
                connection.appreciation,
                now=connection.updated_at,
                announce=False,
            )
    for n, reply in enumerate(entry.replies):
        author = plan.people.get(reply.member)
        with _at(f"{where}.replies[{n}]"):
            # A former partner's reply is written in the owner's name, then given back.
            written = await add_reply(
                author or plan.owner, memory.id, reply.text, now=reply.at, announce=False
            )
        if author is None:
            await Reply.filter(id=written.id).update(author_id=None)


async def _photos(
    where: str,
    entry: MemoryEntry,
    memory: Memory,
    source: ArchiveZip,
    storage: Storage,
    owner: User,
    now: datetime,
) -> None:
    """Each photo through the upload's pipeline (formats, pixel budgets, variants)."""
    for n, photo in enumerate(entry.photos):
        with (
            _at(f"{where}.photos[{n}] ({photo.file})"),
            tempfile.SpooledTemporaryFile(max_size=IN_MEMORY) as copy,
        ):
            await asyncio.to_thread(source.copy_photo, photo.file, copy)
            added = await add_photo(owner, memory.id, copy, storage, now=now)
        if not added.duplicate:
            await Photo.filter(id=added.photo.id).update(
                caption=photo.caption, position=photo.position
            )


async def _dates_and_rules(
    timeline: Timeline,
    archive: Archive,
    memories: dict[UUID, Memory],
    plan: _Plan,
    now: datetime,
) -> None:
    for n, milestone in enumerate(archive.milestones):
        with _at(f"milestones[{n}]"):
            await add_milestone(
                plan.owner,
                timeline.id,
                MilestoneDraft(
                    kind=milestone.kind,
                    occurred_on=milestone.occurred_on,
                    date_precision=milestone.date_precision,
                    label=milestone.label,
                ),
                now=now,
            )
    for n, rule in enumerate(archive.quiet_rules):
        with _at(f"quiet_rules[{n}]"):
            await add_rule(
                plan.owner,
                timeline.id,
                now=now,
                tag=rule.tag,
                starts_on=rule.starts_on,
                ends_on=rule.ends_on,
                yearly=rule.yearly,
            )
    for suggestion in archive.suggestions:
        await Suggestion.create(
            timeline=timeline,
            local_date=suggestion.local_date,
            memory=memories[suggestion.memory],
            score=suggestion.score,
            reasons=suggestion.reasons,
            prompt=suggestion.prompt,
            action=suggestion.action,
            snoozed_until=suggestion.snoozed_until,
            planned_on=suggestion.planned_on,
            answered_by=plan.people.get(suggestion.answered_by),
            answered_at=now if suggestion.action else None,
            created_at=now,
        )


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
            MemoryDraft(title=f"{day.day} {day:%B %Y}", occurred_on=day),
            now=now,
            announce=False,
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

"""What handlers receive by parameter name (Litestar `Provide`): the request's reading of the
clock, the signed-in member, the storage and the settings.

A handler declares `member: Member` (guarded by `signed_in`), `storage: StorageDep`,
`settings: SettingsDep` or `now: Now`, instead of reaching into the request or the app state."""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from media.storage import Storage
from server.common.clock import provide_now
from server.common.settings import Settings
from timeline.models import User

Member = NamedDependency[User]
StorageDep = NamedDependency[Storage]
SettingsDep = NamedDependency[Settings]


def provide_member(request: Request) -> User:
    """Dependency `member`: the signed-in user. Only guarded handlers (`signed_in`) declare
    it, so it is never None there."""
    return request.user


def provide_storage(state: State) -> Storage:
    """Dependency `storage`: the app's one storage backend."""
    return state.storage


def provide_settings(state: State) -> Settings:
    """Dependency `settings`: the app's one settings object."""
    return state.settings


DEPENDENCIES = {
    "now": Provide(provide_now, sync_to_thread=False),
    "member": Provide(provide_member, sync_to_thread=False),
    "storage": Provide(provide_storage, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
}

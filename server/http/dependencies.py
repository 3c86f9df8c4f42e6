"""What handlers receive by parameter name (Litestar `Provide`): the request's reading of the
clock, the signed-in member, the storage and the settings.

A handler declares `member: Member` (guarded by `signed_in`), `storage: StorageDep`,
`settings: SettingsDep` or `now: Now`, instead of reaching into the request or the app state."""

from __future__ import annotations

from datetime import datetime

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation

from media.storage import Storage
from server.common.settings import Settings
from timeline.models import User

Now = NamedDependency[datetime]
Member = NamedDependency[User]
# The app's own objects, not input: not validated, which msgspec could not do anyway (Storage
# is a Protocol, Settings holds a union of two network types).
StorageDep = NamedDependency[SkipValidation[Storage]]
SettingsDep = NamedDependency[SkipValidation[Settings]]


def provide_now(state: State) -> datetime:
    """Dependency `now`: the app clock's reading for this request."""
    return state.clock()


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

"""The app factory: wires settings, database, auth, CSRF, templates, pages and API together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from tortoise.exceptions import ValidationError

from media.errors import MediaError, MissingObject
from server.api.accounts import AccountsController
from server.api.exports import ExportController
from server.api.health import healthz, readyz
from server.api.memories import MemoriesController
from server.api.photos import PhotosController
from server.api.preferences import PreferencesController
from server.api.push import PushController
from server.api.recaps import RecapsController
from server.api.resurfacing import ResurfacingController
from server.api.timelines import TimelinesController
from server.common.clock import Clock, system_clock
from server.common.database import database
from server.common.keys import subkey
from server.common.logs import configure_logging
from server.common.settings import Settings, load_settings
from server.common.storage import signer_for, storage_for
from server.common.templating import TEMPLATES, add_filters
from server.files.routes import full_size_photo, stored_object
from server.http.auth import AuthenticationMiddleware
from server.http.body_limits import BodyLimitMiddleware
from server.http.compression import COMPRESSION
from server.http.dependencies import DEPENDENCIES
from server.http.errors import (
    on_expected_error,
    on_http_error,
    on_missing_object,
    on_too_deep,
    on_unexpected_error,
    on_unfit_value,
)
from server.http.input_guard import refuse_nul_characters
from server.http.request_log import RequestLogMiddleware
from server.http.security_headers import security_headers_for
from server.http.static_assets import StaticAssets, static_file
from server.pages.account_links import AccountLinkPages
from server.pages.accounts import AccountPages
from server.pages.app_shell import AppShellPages
from server.pages.invites import InvitePages
from server.pages.memories import MemoryPages
from server.pages.not_this_one import NotThisOnePages
from server.pages.recaps import RecapPages
from server.pages.resurfacing import ResurfacingPages
from server.pages.settings import SettingsPages
from server.pages.share import SharePages
from server.pages.timelines import TimelinePages
from server.pages.trash import TrashPages
from server.pages.unsubscribe import UnsubscribePages
from server.worker.scheduler import scheduler_lifespan
from timeline.core.errors import DomainError

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, clock: Clock = system_clock) -> Litestar:
    """Build the ASGI app. With no arguments it reads settings from the environment."""
    settings = settings or load_settings()
    configure_logging(settings.log_format)
    state = app_state(settings, clock, StaticAssets(STATIC))
    storage = state["storage"]
    return Litestar(
        route_handlers=[
            AccountsController,
            TimelinesController,
            MemoriesController,
            PhotosController,
            ResurfacingController,
            PreferencesController,
            PushController,
            RecapsController,
            ExportController,
            AccountPages,
            AccountLinkPages,
            TimelinePages,
            InvitePages,
            MemoryPages,
            ResurfacingPages,
            RecapPages,
            SettingsPages,
            TrashPages,
            UnsubscribePages,
            NotThisOnePages,
            AppShellPages,
            SharePages,
            healthz,
            readyz,
            stored_object,
            full_size_photo,
            static_file,
        ],
        state=State(state),
        dependencies=DEPENDENCIES,
        lifespan=[
            lambda _: database(settings.database_url),
            *([scheduler_lifespan(settings, storage, clock)] if settings.scheduler else []),
        ],
        middleware=[
            RequestLogMiddleware(),
            BodyLimitMiddleware(settings.max_upload_bytes),
            DefineMiddleware(AuthenticationMiddleware),
        ],
        csrf_config=CSRFConfig(
            secret=subkey(settings.secret_key, "csrf"),
            cookie_name="rw_csrf",
            cookie_secure=settings.https,
            cookie_samesite="lax",
            # Unsubscribe and "not this one" links are authorised by their signed token alone
            # (RFC 8058 for unsubscribing). The share target is posted by the phone's share
            # sheet, which cannot hold a token; it only makes a draft the member then saves.
            exclude=[
                "^/api/",
                "^/healthz$",
                "^/readyz$",
                "^/unsubscribe/",
                "^/not-this-one/",
                "^/share$",
            ],
        ),
        template_config=TemplateConfig(
            directory=TEMPLATES,
            engine=JinjaTemplateEngine,
            engine_callback=lambda engine: _add_filters(engine, state["assets"]),
        ),
        compression_config=COMPRESSION,
        openapi_config=OpenAPIConfig(
            title="Remember When",
            version="1",
            path="/schema",
            render_plugins=[JsonRenderPlugin()],
        ),
        exception_handlers={
            DomainError: on_expected_error,
            MediaError: on_expected_error,
            MissingObject: on_missing_object,
            ValidationError: on_unfit_value,
            RecursionError: on_too_deep,
            HTTPException: on_http_error,
            Exception: on_unexpected_error,
        },
        before_send=[security_headers_for(settings)],
        before_request=refuse_nul_characters,
        request_max_body_size=settings.max_upload_bytes,
    )


def app_state(settings: Settings, clock: Clock, assets: StaticAssets) -> dict[str, Any]:
    """What handlers and the middleware read from the app's state: the clock every request
    reads, the settings, the storage, the signer of media links, the static files."""
    return {
        "settings": settings,
        "clock": clock,
        "storage": storage_for(settings),
        "signer": signer_for(settings),
        "assets": assets,
    }


def _add_filters(engine: JinjaTemplateEngine, assets: StaticAssets) -> None:
    # Litestar builds the pages' Jinja2 environment; the filters are the templates' own.
    add_filters(engine.engine)
    engine.engine.globals["static"] = assets.url

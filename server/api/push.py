"""API: the VAPID key and the caller's Web Push subscriptions."""

from __future__ import annotations

from litestar import Controller


class PushController(Controller):
    tags = ["push"]

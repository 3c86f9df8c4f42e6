"""The threads that decode and encode photos: a few per process, shared by uploads and
full-size builds, so that N requests at once cannot take N times the memory."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Two builds keep two cores busy; more at once would finish no sooner and multiply the memory
# (a build peaks at a few hundred MB). More cores are used by more processes (serve --workers).
BUILDS_AT_ONCE = 2
_builders = ThreadPoolExecutor(max_workers=BUILDS_AT_ONCE, thread_name_prefix="image-build")


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None elsewhere (musl, macOS)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
    return getattr(libc, "malloc_trim", None)


_trim = _malloc_trim()


async def in_image_thread(call: Callable[..., T], *args: object) -> T:
    """`call(*args)` in one of the image threads, once one is free; queued calls hold no
    decoded pixels while they wait."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_builders, functools.partial(_then_trim, call, *args))


def _then_trim(call: Callable[..., T], *args: object) -> T:
    """Run `call`, then hand the memory its pixels took back to the system: glibc keeps freed
    blocks in its arenas, and after three 48 MP PNGs the process stayed 400 MB larger."""
    try:
        return call(*args)
    finally:
        if _trim is not None:
            _trim(0)

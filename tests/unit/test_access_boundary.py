"""Only timeline/timelines/access.py scopes queries by membership; server/ never queries models."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ACCESS = Path("timeline/timelines/access.py")
MEMBERSHIP_LOOKUPS = ("memberships__", "timeline__memberships__")
# Loading a timeline's members for display, once access was checked, reads no one else's data.
MEMBERS_FOR_DISPLAY = {
    ("fetch_related", "memberships__user"),
    ("prefetch_related", "memberships__user"),
}
QUERY_METHODS = {
    "all",
    "annotate",
    "bulk_create",
    "bulk_update",
    "count",
    "create",
    "delete",
    "exclude",
    "exists",
    "filter",
    "first",
    "get",
    "get_or_create",
    "get_or_none",
    "in_bulk",
    "raw",
    "select_for_update",
    "update",
    "update_or_create",
    "values",
    "values_list",
}
# ORM queries in server/ that are another change's to move into domain functions; this list
# may only shrink. Entries are (path, model, method), so a new query is caught even in these files.
SERVER_ALLOWED: set[tuple[str, str, str]] = set()


def membership_leaks(source: str, filename: str = "<source>") -> list[str]:
    """Lines of a timeline/ module that scope by membership themselves or query `Membership`."""
    found = []
    tree = ast.parse(source, filename)
    allowed = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and (node.func.attr, _first_string(node)) in MEMBERS_FOR_DISPLAY
        ):
            allowed.add(id(node.args[0]))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and (node.arg or "").startswith(MEMBERSHIP_LOOKUPS):
            found.append((node.value.lineno, f"filters on {node.arg}"))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.startswith(MEMBERSHIP_LOOKUPS)
            and node.value.isidentifier()
            and id(node) not in allowed
        ):
            found.append((node.lineno, f"names {node.value!r}"))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Membership"
        ):
            found.append((node.lineno, f"Membership.{node.attr}"))
    return [f"{filename}:{line}: {what}" for line, what in sorted(found)]


def model_queries(source: str, filename: str = "<source>") -> list[tuple[str, str, str]]:
    """(file:line, model, method) for every query a server/ module makes on a model class."""
    tree = ast.parse(source, filename)
    models = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module is not None
        and (node.module == "timeline.models" or node.module.endswith(".models"))
        for alias in node.names
    }
    found = [
        (node.lineno, node.col_offset, node.value.id, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in models
        and node.attr in QUERY_METHODS
    ]
    return [(f"{filename}:{line}", model, method) for line, _, model, method in sorted(found)]


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _modules(package: str) -> list[Path]:
    return sorted(
        path.relative_to(ROOT)
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def test_only_access_scopes_by_membership() -> None:
    leaks = [
        leak
        for path in _modules("timeline")
        if path != ACCESS
        for leak in membership_leaks((ROOT / path).read_text(), str(path))
    ]
    assert not leaks, "Scope through timeline.timelines.access instead:\n" + "\n".join(leaks)


def test_server_queries_no_models() -> None:
    queries = [
        query
        for path in _modules("server")
        for query in model_queries((ROOT / path).read_text(), str(path))
    ]
    new = [
        f"{where}: {model}.{method}"
        for where, model, method in queries
        if (where.split(":")[0], model, method) not in SERVER_ALLOWED
    ]
    assert not new, "Call a domain function in timeline/ instead:\n" + "\n".join(new)
    gone = SERVER_ALLOWED - {
        (where.split(":")[0], model, method) for where, model, method in queries
    }
    assert not gone, f"No longer needed, remove from SERVER_ALLOWED: {sorted(gone)}"


def test_membership_checker_catches_each_way_of_leaking() -> None:
    source = """
from timeline.models import Membership, Memory, Timeline
async def leaky(user, timeline):
    await Memory.filter(timeline__memberships__user_id=user.id)
    await Timeline.filter(memberships__user=user).first()
    await Timeline.filter(**{"memberships__user_id": user.id})
    await Membership.filter(timeline=timeline).exists()
    await timeline.fetch_related("memberships__user")
    await Timeline.all().prefetch_related("memberships__user")
"""
    assert membership_leaks(source, "leaky.py") == [
        "leaky.py:4: filters on timeline__memberships__user_id",
        "leaky.py:5: filters on memberships__user",
        "leaky.py:6: names 'memberships__user_id'",
        "leaky.py:7: Membership.filter",
    ]


def test_model_query_checker_sees_imported_models_only() -> None:
    source = """
from timeline.models import Memory as M, User
from timeline.timelines.access import scoped
async def page(user: User):
    kinds = M.KINDS
    mine = await scoped(M, user)
    return await M.filter(recreates_id=mine[0].id), await User.get_or_none(id=user.id)
"""
    assert model_queries(source, "page.py") == [
        ("page.py:7", "M", "filter"),
        ("page.py:7", "User", "get_or_none"),
    ]

"""Tags: how a typed tag becomes the name stored and looked up, and a memory's list of them."""

from __future__ import annotations

from timeline.core.errors import InvalidInput
from timeline.core.text import check_one_line

MAX_TAGS = 20
MAX_TAG = 40
# What may arrive before cleaning: repeated or blank entries and padding are forgiven, within
# bounds checked before any work is done on them.
MAX_TAG_ITEMS = 4 * MAX_TAGS
MAX_TAG_INPUT = 4 * MAX_TAG


def tag_name(text: str) -> str:
    """A tag as stored and looked up: lower case, without padding or a leading '#'."""
    return text.strip().lstrip("#").lower()


def split_tags(text: str) -> list[str]:
    """The tags of a comma-separated field, as a form sends them, uncleaned."""
    # Count the commas before splitting: a huge field is refused without building a list.
    if text.count(",") >= MAX_TAG_ITEMS:
        raise InvalidInput(f"Use at most {MAX_TAGS} tags.", field="tags")
    return text.split(",")


def clean_tags(values: list[str]) -> list[str]:
    """A memory's tags: named as stored, inner spaces collapsed, blanks and repeats dropped,
    in the order given; at most `MAX_TAGS` of at most `MAX_TAG` characters."""
    if len(values) > MAX_TAG_ITEMS:
        raise InvalidInput(f"Use at most {MAX_TAGS} tags.", field="tags")
    tags: dict[str, None] = {}  # insertion-ordered set: de-duplicating stays linear
    for tag in values:
        if len(tag) > MAX_TAG_INPUT:
            raise InvalidInput(f"Keep each tag under {MAX_TAG} characters.", field="tags")
        name = " ".join(tag_name(tag).split())
        if len(name) > MAX_TAG:
            raise InvalidInput(f"Keep each tag under {MAX_TAG} characters.", field="tags")
        check_one_line(name, field="tags", label="A tag")
        if name:
            tags[name] = None
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"Use at most {MAX_TAGS} tags.", field="tags")
    return list(tags)

"""One-line text: names, titles, places, tags and labels, trimmed and free of control
characters, because they travel into e-mail headers, file names and single-line layouts."""

from __future__ import annotations

import unicodedata

from timeline.core.errors import InvalidInput

# Line and paragraph separators are not control characters to Unicode, but mail headers and
# many readers break lines on them all the same.
_SEPARATORS = frozenset("\u2028\u2029")


def has_control_character(text: str) -> bool:
    """True when `text` holds a C0 or C1 control (tab, CR, LF, NEL, …) or a line or
    paragraph separator."""
    # Most text is plain printable ASCII: one C-level test settles it.
    if text.isascii() and text.isprintable():
        return False
    return any(unicodedata.category(char) == "Cc" or char in _SEPARATORS for char in text)


def check_one_line(text: str, *, field: str, label: str) -> str:
    """`text` unchanged, or `InvalidInput` naming `field` when it holds a line break or
    another control character. `label` names the field in a sentence ("The title")."""
    if has_control_character(text):
        raise InvalidInput(f"{label} must be one line, without control characters.", field=field)
    return text

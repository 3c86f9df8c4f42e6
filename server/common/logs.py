"""Where our log lines go and in what shape: readable text, or one JSON object per line
(`LOG_FORMAT=json`) for log shippers. Request lines carry their request id either way."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

LOGGER = "remember_when"
# Fields a log call may add with `extra=` that the JSON lines carry as their own keys.
FIELDS = ("request_id", "method", "route", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the request fields, and
    the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({f: getattr(record, f) for f in FIELDS if hasattr(record, f)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class _Stderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time (test runners swap it)."""

    stream = property(lambda _: sys.stderr, lambda _, __: None)  # type: ignore[assignment]


def configure_logging(log_format: str) -> None:
    """Send our loggers' INFO and above to stderr in `log_format` ("text" or "json"). Safe
    to call again: the handler is replaced, not added twice."""
    logger = logging.getLogger(LOGGER)
    for handler in [h for h in logger.handlers if getattr(h, "ours", False)]:
        logger.removeHandler(handler)
    handler = _Stderr()
    handler.ours = True  # type: ignore[attr-defined]
    handler.setFormatter(
        JsonFormatter()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # The server (granian) gives the root logger a handler of its own: passing our records
    # on to it would print every line twice.
    logger.propagate = False

"""The ``json`` report: the stable version-1 contract (see docs/architecture.md).

``{"version": 1, "tickets": N, "findings": [...], "summary": {...}}``; keys beyond these may be
added, never removed or renamed. Output is deterministic: findings sorted, keys in fixed order.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

from backlint.hookspecs import hookimpl
from backlint.report.report import Report, report_to_dict

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


#: Characters gathered before each write: the text of a big report is never held whole.
_CHUNK = 1 << 16


def write_json(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    pending: list[str] = []
    size = 0
    for piece in encoder.iterencode(report_to_dict(report)):
        pending.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            _write(stream, pending)
            pending, size = [], 0
    _write(stream, pending)
    stream.write("\n")


def _write(stream: IO[str], pieces: list[str]) -> None:
    # A lone surrogate (a tracker's "\\ud800") is no character UTF-8 can encode: U+FFFD
    # instead. The encoder yields a string whole, so no surrogate is split between chunks.
    stream.write(_LONE_SURROGATE.sub("\ufffd", "".join(pieces)))


@hookimpl
def register_reporters(register):
    register("json", write_json)

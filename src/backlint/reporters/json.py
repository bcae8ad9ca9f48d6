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


def write_json(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    text = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False)
    # A lone surrogate (a tracker's "\\ud800") is no character UTF-8 can encode: U+FFFD instead.
    stream.write(_LONE_SURROGATE.sub("\ufffd", text))
    stream.write("\n")


@hookimpl
def register_reporters(register):
    register("json", write_json)

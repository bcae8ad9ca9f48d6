"""The ``json`` report: the stable version-1 contract of DESIGN section 6.

``{"version": 1, "tickets": N, "findings": [...], "summary": {...}}``; keys beyond these may be
added, never removed or renamed. Output is deterministic: findings sorted, keys in fixed order.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

from backlint.hookspecs import hookimpl
from backlint.report.report import REPORT_VERSION, Report

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def report_to_dict(report: Report) -> dict[str, Any]:
    """The JSON-ready dict of a report."""
    data: dict[str, Any] = {
        "version": REPORT_VERSION,
        "tickets": len(report.tickets),
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": report.summary,
        "score": report.score.to_dict(),
        "source": report.source,
        "generated_at": report.generated_at.isoformat(),
        "ticket_details": [
            {
                "key": t.key,
                "title": t.title,
                "url": t.url,
                "kind": t.kind,
                "status": t.status,
                "status_category": t.status_category,
                "priority": t.priority,
                "priority_rank": t.priority_rank,
                "labels": list(t.labels),
                "created": t.created,
                "updated": t.updated,
            }
            for t in report.tickets
        ],
    }
    if report.rules:
        data["rules"] = {code: dict(meta) for code, meta in sorted(report.rules.items())}
    if report.plans:
        data["plans"] = list(report.plans)
    data.update(report.extra)
    return data


def write_json(report: Report, stream: IO[str], options: dict[str, Any]) -> None:
    text = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False)
    # A lone surrogate (a tracker's "\\ud800") is no character UTF-8 can encode: U+FFFD instead.
    stream.write(_LONE_SURROGATE.sub("\ufffd", text))
    stream.write("\n")


@hookimpl
def register_reporters(register):
    register("json", write_json)

"""Load the hygiene fixtures (tests/fixtures/hygiene/*.json) as normalised tickets."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from backlint.model import Activity, Link, Ticket
from backlint.testing import make_ticket

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hygiene"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def ticket(data: dict[str, Any]) -> Ticket:
    """A ticket from a fixture dict: ISO dates, activity dicts and a parent_link dict."""
    values = dict(data)
    key = values.pop("key")
    for name in ("created", "updated"):
        if name in values:
            values[name] = datetime.fromisoformat(values[name])
    if "activity" in values:
        values["activity"] = [
            Activity(
                at=datetime.fromisoformat(entry["at"]),
                actor=entry["actor"],
                kind=entry.get("kind", "comment"),
                is_bot=entry.get("is_bot", False),
            )
            for entry in values["activity"]
        ]
    fields = dict(values.get("fields", {}))
    if "parent_link" in fields:
        fields["parent_link"] = Link(**fields["parent_link"])
        values["fields"] = fields
    if "estimate" in values:
        values["estimate"] = float(values["estimate"])
    return make_ticket(key, **values)

"""Reading WSJF inputs from a ticket: extra fields, then labels, then description lines. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping

from backlint import Ticket

#: The inputs and the names each may appear under (fields, label prefixes, description lines).
NAMES: Mapping[str, tuple[str, ...]] = {
    "wsjf": ("wsjf", "wsjf score"),
    "business_value": ("business_value", "business value", "user business value", "bv", "ubv"),
    "time_criticality": ("time_criticality", "time criticality", "tc"),
    "risk_reduction": (
        "risk_reduction",
        "risk reduction",
        "rr|oe",
        "rr/oe",
        "rroe",
        "rr",
        "opportunity enablement",
    ),
    "job_size": ("job_size", "job size", "js", "size"),
}
INPUTS = ("business_value", "time_criticality", "risk_reduction", "job_size")

_NUMBER = r"(-?\d+(?:\.\d+)?)"


def _line(names: tuple[str, ...]) -> re.Pattern[str]:
    """A description line that states one of ``names`` with a number ("BV: 8")."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        rf"^\W*(?:{alternatives})\W*[:=]\s*\**\s*{_NUMBER}\b", re.IGNORECASE | re.MULTILINE
    )


#: Compiled once: a rule runs on every ticket of the backlog.
_LINES = {key: _line(names) for key, names in NAMES.items()}


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*" + _NUMBER + r"\s*", value)
        return float(match.group(1)) if match else None
    return None


def read_scores(ticket: Ticket) -> dict[str, float]:
    """Every WSJF value the ticket states, keyed by the names in :data:`NAMES`."""
    found: dict[str, float] = {}
    fields = {str(k).lower(): v for k, v in ticket.fields.items()}
    for key, names in NAMES.items():
        for name in names:
            value = _number(fields.get(name))
            if value is not None:
                found[key] = value
                break
        if key in found:
            continue
        for label in ticket.labels:
            prefix, sep, rest = label.partition(":")
            if sep and prefix.strip().lower() in names and _number(rest) is not None:
                found[key] = _number(rest)
                break
        if key in found:
            continue
        match = _LINES[key].search(ticket.body)
        if match:
            found[key] = float(match.group(1))
    return found


def computed_wsjf(scores: Mapping[str, float]) -> float | None:
    """(BV + TC + RR) / JS when all four inputs are known and the job size is positive."""
    if not all(name in scores for name in INPUTS) or scores["job_size"] <= 0:
        return None
    cost_of_delay = scores["business_value"] + scores["time_criticality"] + scores["risk_reduction"]
    return cost_of_delay / scores["job_size"]


def effective_wsjf(scores: Mapping[str, float]) -> float | None:
    """The stated WSJF, else the one computed from its inputs."""
    return scores.get("wsjf", computed_wsjf(scores))

"""Acceptance-criteria rule BL203: a Given/When/Then scenario is incomplete.

Scenarios are runs of consecutive step lines; narrative prose that starts with "Given" or
"When", and job stories ("When I ..., I want ..."), are not steps.
"""

from __future__ import annotations

import re

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.rules.text.criteria import GHERKIN
from backlint.rules.text.document import document
from backlint.rules.text.patterns import lazy


@rule("BL203", "malformed-gherkin", family="acceptance-criteria", severity="warning")
def malformed_gherkin(ticket, ctx):
    """What: A Given/When/Then scenario is incomplete: a Given and a When with no Then, or a
    Then under a "Scenario:" with no Given or When. Steps must be consecutive lines: a
    narrative "Given the fact that ...", "When ..." or "Then I ..." is prose, and so is a
    line that runs on into another sentence; job stories ("When I ..., I want ...") are not
    steps. Scenarios are read in the whole description (under any heading: "Acceptance
    criteria", "Definition of done", ...) and in the configured Jira criteria field.

    Why: The Then is the part that is checked; a scenario without it describes a situation and
    an action but not the result, so it cannot pass or fail.

    Example: "Given I have €10.00 of store credit / When I reach the payment step" and nothing
    after it.

    Fix: Finish each scenario with "Then <what the user sees or the system does>", e.g. "Then
    €10.00 is deducted from the total".
    """
    if not ticket.is_open:
        return
    field = ticket.fields.get("acceptance_criteria")
    field = field if isinstance(field, str) else ""
    read = document(ticket.body)
    if not (_may_hold_scenario(read.code_free, read.code_free_lower) or _may_hold_scenario(field)):
        return  # the cheap look, on the lower-cased text the other rules read too
    text = read.code_free + "\n" + field
    if not re.search(r"^\W{0,4}(?:given|scenario)\b", text, re.IGNORECASE | re.MULTILINE):
        return  # no scenario at all: a narrative "Then I found ..." is not a step
    yield from _scenario_problems(text)


def _may_hold_scenario(text: str, lowered: str | None = None) -> bool:
    """False only when ``text`` has no "given" and no "scenario" in any case (text that is
    not ASCII is always read in full)."""
    if not text.isascii():
        return True
    low = text.lower() if lowered is None else lowered
    return "given" in low or "scenario" in low


_JOB_LINE = lazy(r",\s*(?:i|we)\s+(?:want|need|would like)\b", re.IGNORECASE)
#: A step is one clause; a line that goes on into another sentence ("Given this sample; A
#: component ... . Both are ...") is a paragraph of prose that happens to start with "Given".
_NARRATIVE = lazy(r"[.;!?]\s+[A-Z]|^(?:\S+\s+){40}")


def _scenario_problems(text: str) -> list[str]:
    """Problems of the scenarios in ``text``: runs of consecutive Given/When/Then/And lines.

    A run that starts with Given and has a When is a scenario; without a Then it is
    unfinished. A Then right under a "Scenario:" line with no Given or When is orphaned. A
    lone "Given the fact that ..." sentence is prose, not a scenario.
    """
    runs: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in text.splitlines():
        match = GHERKIN.match(line)
        word = match.group("word").lower() if match else ""
        if (
            not match
            or (word == "when" and _JOB_LINE.search(match.group("rest")))
            or _NARRATIVE.search(match.group("rest"))
        ):
            if line.strip() or (current and set(current) - {"scenario"}):
                current = None  # prose or a blank line after steps ends a run
            continue
        if (
            word.startswith("scenario")
            or current is None
            or (word == "given" and "then" in current)
        ):
            current = {"scenario": "1"} if word.startswith("scenario") else {}
            runs.append(current)
        rest = match.group("rest").strip()
        if word in ("given", "when", "then"):
            current.setdefault(word, rest)
            for inner in ("when", "then"):
                if re.search(rf"\b{inner}\b", rest, re.IGNORECASE):
                    current.setdefault(inner, rest)
    problems = []
    for steps in runs:
        if "given" in steps and "when" in steps and "then" not in steps:
            problems.append(
                f'A scenario has Given and When but no Then ("When {steps["when"][:50]}"); '
                "finish it with the result someone can check."
            )
        elif "then" in steps and "scenario" in steps and not ("given" in steps or "when" in steps):
            problems.append(
                f'A Then ("Then {steps["then"][:50]}") has no Given or When before it; say the '
                "situation and the action that lead to it."
            )
    return problems


@hookimpl
def register_rules(register):
    """Register the acceptance-criteria rule BL203."""
    register(malformed_gherkin)

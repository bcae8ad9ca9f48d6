"""What a rule is: a pure function plus its code, name, family, severity, options and docs.

A ticket rule is ``func(ticket, ctx)``; a backlog rule is ``func(backlog, ctx)``. Either yields
messages (``str``) or :class:`Violation` objects; the engine turns them into findings, so a rule
never builds a :class:`~backlint.model.Finding` itself. Rules do no I/O and read "now" from
``ctx.now``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from backlint.model import EMPTY, Backlog, Severity, Ticket

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*[0-9]+$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("What", "Why", "Example", "Fix")

#: Who can act on a rule's findings. ``author``: whoever wrote the ticket can fix it (a clearer
#: title, steps, the benefit, acceptance criteria), so it belongs in the ticket's comment.
#: ``maintainer``: a triage field only maintainers set (priority, milestone or objective,
#: estimate, assignee, status), shown as managed labels and in reports. ``backlog``: a finding
#: about the backlog as a whole (priority inflation, WIP), stated once in reports, never on a
#: ticket.
AUDIENCES = ("author", "maintainer", "backlog")
FAMILY_AUDIENCE = {
    "clarity": "author",
    "duplicate": "author",
    "acceptance-criteria": "author",
    "objective-link": "maintainer",
    "priority": "maintainer",
    "hygiene": "maintainer",
    "run": "maintainer",
}


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields when it needs more than a message.

    ``ticket`` names the ticket (required from backlog rules, ignored from ticket rules);
    ``severity`` overrides the rule's severity for this one finding, and ``audience`` who can act
    on it (see :data:`AUDIENCES`), where that depends on the ticket.
    """

    message: str
    ticket: str | None = None
    severity: Severity | None = None
    audience: str | None = None


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may know besides the ticket: the clock, its options, the whole backlog."""

    now: datetime
    options: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    backlog: Backlog = field(default_factory=lambda: Backlog(()))
    settings: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    def option(self, name: str) -> Any:
        return self.options[name]


RuleFunc = Callable[[Any, RuleContext], Iterable["str | Violation"] | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule. ``scope`` is ``ticket`` or ``backlog``; ``kinds`` limits which ticket
    kinds a ticket rule sees (empty: all kinds); ``audience`` says who can act on its findings
    (see :data:`AUDIENCES`; empty: the family's default, ``author`` for a family of one's own);
    ``replaces`` names rules that check the same gap: when this rule runs, they do not."""

    code: str
    name: str
    family: str
    severity: Severity
    func: RuleFunc
    scope: str = "ticket"
    kinds: frozenset[str] = frozenset()
    options: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    doc: str = ""
    origin: str = ""
    audience: str = ""
    replaces: frozenset[str] = frozenset()

    @property
    def reader(self) -> str:
        """Who can act on this rule's findings: the declared audience or the family's default."""
        return self.audience or FAMILY_AUDIENCE.get(self.family, "author")

    def applies_to(self, ticket: Ticket) -> bool:
        return not self.kinds or ticket.kind in self.kinds

    def doc_sections(self) -> dict[str, str]:
        """The docstring split into its ``What:`` / ``Why:`` / ... sections."""
        return parse_doc_sections(self.doc)


def rule(
    code: str,
    name: str,
    *,
    family: str,
    severity: str | Severity = Severity.WARNING,
    scope: str = "ticket",
    kinds: Iterable[str] = (),
    options: Mapping[str, Any] | None = None,
    audience: str = "",
    replaces: Iterable[str] = (),
) -> Callable[[RuleFunc], Rule]:
    """Decorate a pure function to make it a :class:`Rule`; the docstring is its documentation.

    Example::

        @rule("BL101", "title-too-short", family="clarity", options={"min_words": 3})
        def title_too_short(ticket, ctx):
            \"\"\"What: ... Why: ... Example: ... Fix: ...\"\"\"
            if len(ticket.title.split()) < ctx.options["min_words"]:
                yield "The title has fewer than 3 words."
    """
    if scope not in ("ticket", "backlog"):
        raise ValueError(f"rule {code}: scope must be 'ticket' or 'backlog', not {scope!r}")
    if audience and audience not in AUDIENCES:
        raise ValueError(f"rule {code}: audience must be one of {', '.join(AUDIENCES)}")

    def decorate(func: RuleFunc) -> Rule:
        return Rule(
            code=code,
            name=name,
            family=family,
            severity=Severity.parse(severity),
            func=func,
            scope=scope,
            kinds=frozenset(kinds),
            options=MappingProxyType(dict(options or {})),
            doc=clean_doc(func.__doc__ or ""),
            origin=func.__module__,
            audience=audience,
            replaces=frozenset(replaces),
        )

    return decorate


def validate_rule(candidate: object) -> list[str]:
    """Problems that make ``candidate`` unusable as a rule (empty when it is fine)."""
    if not isinstance(candidate, Rule):
        return [f"expected a backlint Rule, got {type(candidate).__name__}"]
    problems = []
    if not CODE_PATTERN.match(candidate.code):
        problems.append(f"code {candidate.code!r} is not letters followed by digits (e.g. BL201)")
    if not NAME_PATTERN.match(candidate.name):
        problems.append(f"name {candidate.name!r} is not kebab-case")
    if not NAME_PATTERN.match(candidate.family):
        problems.append(f"family {candidate.family!r} is not kebab-case")
    if not callable(candidate.func):
        problems.append("its function is not callable")
    return problems


def clean_doc(doc: str) -> str:
    """Dedent a docstring the way ``inspect.cleandoc`` does."""
    import inspect

    return inspect.cleandoc(doc) if doc else ""


_SECTION_LINE = re.compile(r"^(What|Why|Example|Fix|Options):\s*(.*)$")


def parse_doc_sections(doc: str) -> dict[str, str]:
    """Split ``What: ...`` / ``Why: ...`` / ``Example:`` / ``Fix:`` / ``Options:`` sections.

    A section starts with its name and a colon at the start of a line and runs to the next one.
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        match = _SECTION_LINE.match(line)
        if match:
            current = sections.setdefault(match.group(1), [])
            if match.group(2):
                current.append(match.group(2))
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in sections.items()}

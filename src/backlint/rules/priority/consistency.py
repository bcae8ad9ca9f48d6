"""Priority-consistency rules (BL401-BL407): does the priority say what the ticket says?

Ranks come from :mod:`backlint.config.conventions`: 0 is the top of the configured scale (default
Highest, High, Medium, Low, Lowest; Jira's Blocker/Critical/Major/Minor/Trivial and ``P0``-``P4``
map onto it). "Low" means the bottom ``low_levels`` levels of the scale, "top" the first
``top_levels``, so the rules work on a three-level scale as well as on a five-level one.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from backlint.config.config import DEFAULT_PRIORITY_SCALE
from backlint.config.conventions import priority_rank
from backlint.engine.rule import Violation, rule
from backlint.hookspecs import hookimpl
from backlint.model import Priority, Ticket
from backlint.rules.text.util import find_terms, quote, word_list


def scale_of(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The configured priority scale (``[priority] scale``), most urgent first."""
    section = settings.get("priority", {}) if isinstance(settings, Mapping) else {}
    scale = section.get("scale") if isinstance(section, Mapping) else None
    return tuple(scale or DEFAULT_PRIORITY_SCALE)


def rank_of(priority: Priority | None, scale: tuple[str, ...]) -> int | None:
    """The rank of a priority signal, resolving names the adapter left unranked."""
    if priority is None:
        return None
    return priority.rank if priority.rank is not None else priority_rank(priority.name, scale)


def is_low(rank: int | None, scale: tuple[str, ...], low_levels: int) -> bool:
    return rank is not None and rank >= len(scale) - low_levels


@rule(
    "BL401",
    "missing-priority",
    family="priority",
    severity="warning",
    options={"kinds": ["story", "feature", "bug", "epic"]},
)
def missing_priority(ticket, ctx):
    """What: An open story, feature, bug or epic has no priority: no priority field value and
    no priority label (`P0`..`P4`, `priority: high`, ...).

    Why: Unprioritised tickets are either ignored or argued about at every planning; triage
    exists to give each ticket a place in the order.

    Example: A bug "Refund emails sent twice" with no priority set.

    Fix: Set the priority field (Jira, or the Projects "Priority" field), or add one priority
    label such as `P2`.

    Options: `kinds` are the kinds that need a priority; `[priority] require-for` in the config
    overrides it for the whole run.
    """
    section = ctx.settings.get("priority", {})
    kinds = section.get("require-for") if isinstance(section, Mapping) else None
    if ticket.is_open and ticket.kind in (kinds or ctx.options["kinds"]) and not ticket.priority:
        yield f"This {ticket.kind} has no priority; set one so it can be ordered against the rest."


def _describe(signal: Priority) -> str:
    return f'{"label" if signal.source == "label" else "field"} "{signal.name}"'


@rule("BL402", "conflicting-priority", family="priority", severity="warning")
def conflicting_priority(ticket, ctx):
    """What: The ticket carries priority signals that disagree: the field says one level and a
    label another, or two priority labels name different levels.

    Why: People read whichever signal their view shows. Half the team treats the ticket as
    urgent and half as a someday item, and reports built on either are wrong.

    Example: Priority field Low with a `P0` label; labels `P1` and `priority: low` together.

    Fix: Decide the level, set it in one place (the field, or one label), and remove the other.
    """
    if not ticket.is_open:
        return
    scale = scale_of(ctx.settings)
    ranked = [(s, rank_of(s, scale)) for s in ticket.priority_signals]
    ranked = [(s, r) for s, r in ranked if r is not None]
    if len({r for _, r in ranked}) > 1:
        listed = " and ".join(_describe(s) for s, _ in ranked)
        yield f"Priority signals disagree: {listed}; keep one and remove the others."


SEVERITY_LABELS = [
    "severity*critical",
    "severity*blocker",
    "sev*0",
    "sev*1",
    "critical",
    "blocker",
    "security",
    "security-*",
    "security/*",
    "vulnerability",
    "cve*",
    "data-loss",
    "data loss",
    "dataloss",
    "outage",
    "type: security",
    "kind/security",
]
SEVERITY_WORDS = word_list(
    "security|vulnerability|data loss|data-loss|loses data|lost data|data corruption|"
    "corrupts data|corrupted data|outage|exploit|xss|sql injection|csrf|"
    "remote code execution|privilege escalation|leaks personal data|exposes personal data",
    "|",
)


@lru_cache(maxsize=64)
def _label_matcher(patterns: tuple[str, ...]):
    """One compiled test for a list of ``*`` label patterns (case-insensitive)."""
    joined = "|".join(fnmatch.translate(p.lower()) for p in patterns) or r"(?!x)x"
    return re.compile(joined).match


@rule(
    "BL403",
    "severity-priority-mismatch",
    family="priority",
    severity="error",
    options={"severity_labels": SEVERITY_LABELS, "title_words": SEVERITY_WORDS, "low_levels": 2},
)
def severity_priority_mismatch(ticket, ctx):
    """What: A ticket signals a severe problem (a critical/blocker severity, security,
    data loss or an outage) but sits at a low priority.

    Why: Severe problems at low priority are how security holes and data-loss bugs wait for a
    quiet sprint. Either the severity is overstated or the priority is wrong; both mislead.

    Example: A bug labelled `security` and `severity:critical` at `P4`; a bug "Data loss when
    the session expires" at priority Low.

    Fix: Raise the priority, or if the severity is overstated, correct the label and say why in
    a comment.

    Options: `severity_labels` are label patterns (`*` wildcards); `title_words` are looked for
    in bug titles; `low_levels` is how many levels at the bottom of the scale count as low.
    """
    if not ticket.is_open or ticket.priority is None:
        return
    scale = scale_of(ctx.settings)
    rank = rank_of(ticket.priority, scale)
    if not is_low(rank, scale, ctx.options["low_levels"]):
        return
    matcher = _label_matcher(tuple(ctx.options["severity_labels"]))
    signals = [
        label for label in ticket.labels if matcher(re.sub(r"\s*([:/])\s*", r"\1", label.lower()))
    ]
    if ticket.kind == "bug":
        signals += find_terms(ticket.title, ctx.options["title_words"])
    if signals:
        yield (
            f"Severity signals ({quote(signals, 4)}) at priority {ticket.priority.name}; raise "
            "the priority or correct the severity."
        )


def _parent_priority(ticket: Ticket, ctx) -> tuple[str, Priority | None]:
    parent = ctx.backlog.get(ticket.parent) if ticket.parent else None
    if parent is not None:
        return parent.kind, parent.priority
    link = ticket.fields.get("parent_link")
    return (getattr(link, "kind", None) or "parent"), getattr(link, "priority", None)


@rule(
    "BL404",
    "child-above-parent",
    family="priority",
    severity="warning",
    scope="backlog",
    options={"min_gap": 2, "kinds": ["story", "feature", "task", "subtask", "epic"]},
)
def child_above_parent(backlog, ctx):
    """What: A ticket is ranked well above the epic or initiative it serves: at least `min_gap`
    levels more urgent than its parent.

    Why: If the child matters that much, so does the goal it serves, and the parent's priority
    is stale; if not, the child is inflated. Either way the order of work is decided twice,
    differently.

    Example: The story "Redeem loyalty points on the payment step" at Highest, under the epic
    "Loyalty points at checkout" at Low.

    Fix: Raise the parent, lower the child, or move the child under the epic it really serves.

    Options: `min_gap` is how many levels apart counts (1 flags Highest under High); `kinds`
    are the child kinds checked (bugs are not: a severe bug in a minor epic is normal).
    """
    scale = scale_of(ctx.settings)
    for ticket in backlog.tickets():
        if not (ticket.is_open and ticket.parent and ticket.kind in ctx.options["kinds"]):
            continue
        child = rank_of(ticket.priority, scale)
        kind, parent_priority = _parent_priority(ticket, ctx)
        parent = rank_of(parent_priority, scale)
        if child is not None and parent is not None and parent - child >= ctx.options["min_gap"]:
            yield Violation(
                f"This {ticket.kind} is {ticket.priority.name} but the {kind.lower()} it serves, "
                f"{ticket.parent}, is {parent_priority.name}; raise the parent or lower this "
                "ticket.",
                ticket=ticket.key,
            )


@rule(
    "BL405",
    "priority-inflation",
    family="priority",
    severity="info",
    scope="backlog",
    audience="backlog",
    options={"max_share": 0.3, "min_tickets": 10, "top_levels": 1},
)
def priority_inflation(backlog, ctx):
    """What: Too many open tickets of one project sit at the top priority: more than
    `max_share` of the project's open tickets that have a priority (counted once `min_tickets`
    have one). Each top-priority ticket of that project gets the finding, so the people who set
    them see it. Projects are counted apart (a Jira project key, a GitHub repository), so a
    calm project never hides an inflated one in a mixed audit.

    Why: When everything is Highest, nothing is: the top level stops telling the team what to
    do first, and real emergencies queue behind inflated ones.

    Example: 12 of the 25 open SHOP tickets with a priority at Highest (48%).

    Fix: Re-rank together: keep the top level for what must be done before anything else
    (aim for well under a third), and move the rest down.

    Options: `max_share` is the largest healthy share (0.3 = 30%); `top_levels` counts the
    first N levels of the scale as "top"; `min_tickets` keeps small backlogs quiet. The message
    carries no counts on purpose: a written-back comment must not change each time one other
    ticket is re-ranked.
    """
    scale = scale_of(ctx.settings)
    projects: dict[str, list[tuple[object, int]]] = {}
    for ticket in backlog.tickets():
        rank = rank_of(ticket.priority, scale) if ticket.is_open and ticket.priority else None
        if rank is not None:
            projects.setdefault(_project_of(ticket.key), []).append((ticket, rank))
    level = " or ".join(scale[: ctx.options["top_levels"]])
    for project, ranked in sorted(projects.items()):
        top = [t for t, r in ranked if r < ctx.options["top_levels"]]
        if len(ranked) < ctx.options["min_tickets"]:
            continue
        if len(top) <= ctx.options["max_share"] * len(ranked):
            continue
        for ticket in top:
            yield Violation(
                f"More than {ctx.options['max_share']:.0%} of {project}'s open tickets are at "
                f"{level}. Re-rank them together and keep the top level for the few that must "
                "come first.",
                ticket=ticket.key,
            )


def _project_of(key: str) -> str:
    """``SHOP`` for ``SHOP-12``, ``acme/shop`` for ``acme/shop#12``; the key itself otherwise."""
    if "#" in key:
        return key.rsplit("#", 1)[0] or key
    head, sep, tail = key.rpartition("-")
    return head if sep and tail.isdigit() else key


@hookimpl
def register_rules(register):
    """Register the priority rules BL401-BL405 (BL406-BL407 are in
    :mod:`backlint.rules.priority.urgency`)."""
    for item in (
        missing_priority,
        conflicting_priority,
        severity_priority_mismatch,
        child_above_parent,
        priority_inflation,
    ):
        register(item)

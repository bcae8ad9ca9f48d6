"""Objective-link rules (BL301-BL305): does the ticket serve a strategic objective, and say how?

Links follow the default conventions (docs/architecture.md): a parent (epic, initiative,
parent issue), an issue link to an epic / initiative / objective, a milestone, or a label
matching ``objective*`` / ``okr*`` / ``goal*``. The ``[objectives]`` config section can name the
objectives (labels, keys, milestones) and, with ``require-configured = true``, require the
link to reach one of them, directly or through the parent chain.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.rules.clarity.stories import STORY_LABELS
from backlint.rules.text.folded import Folded
from backlint.rules.text.impact import QUANTITY, impact_claim
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import prose, without_criteria
from backlint.rules.text.reasons import stated_reason
from backlint.rules.text.story import is_story, written_as_story
from backlint.rules.text.util import label_lines, quote

OBJECTIVE_KINDS = {"epic", "initiative", "objective"}
DEFAULT_LABEL_PATTERNS = ("objective*", "okr*", "goal*")


def _objectives(settings: Mapping[str, Any]) -> Mapping[str, Any]:
    section = settings.get("objectives", {}) if isinstance(settings, Mapping) else {}
    return section if isinstance(section, Mapping) else {}


def objective_links(ticket: Ticket, settings: Mapping[str, Any]) -> list[str]:
    """What links ``ticket`` to an objective under the default conventions."""
    objectives = _objectives(settings)
    patterns = tuple(objectives.get("label-patterns", DEFAULT_LABEL_PATTERNS))
    patterns += tuple(objectives.get("labels", ()))
    found = []
    if ticket.parent:
        found.append(f"parent {ticket.parent}")
    for link in ticket.links:
        if (link.kind or "").lower() in OBJECTIVE_KINDS or link.key in objectives.get("keys", ()):
            found.append(f"link to {link.key}")
    if ticket.milestone:
        found.append(f"milestone {ticket.milestone}")
    if ticket.labels and patterns:
        matches = _label_matcher(patterns)
        for label in ticket.labels:
            if matches(label.lower()):
                found.append(f"label {label}")
    return found


@lru_cache(maxsize=64)
def _label_matcher(patterns: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    """Whether a lower-cased label matches any of the glob ``patterns`` (as ``fnmatch`` reads
    each, case-insensitively), in one compiled pattern rather than one call per pattern."""
    globs = (fnmatch.translate(pattern.lower()) for pattern in patterns)
    return re.compile("|".join(f"(?:{glob})" for glob in globs)).match


_OUTCOME_HEADING = lazy(
    r"^(?:outcomes?|goals?|objectives?|success\s+(?:metrics?|measures?|criteria)|metrics?|"
    r"kpis?|key\s+results?|why|business\s+value|value|benefits?|impact|hypothesis|"
    r"expected\s+(?:outcome|impact|results?)|motivation|problem(?:\s+statement)?|rationale|"
    r"measurement|purpose)\b",
    re.IGNORECASE,
)
_OUTCOME_TEXT = Folded(
    r"\b(?:so\s+that|in\s+order\s+to|so\s+(?:we|they|users?|customers?)\s+can|the\s+goal\s+is|"
    r"our\s+goal|aims?\s+to|the\s+aim\s+is|kpis?|okrs?|success\s+(?:is|means|looks)|"
    r"measured\s+by|we\s+will\s+know|(?:increase|reduce|raise|lower|cut|grow|improve|decrease|"
    r"lift|drop)s?\s+(?:the\s+)?[\w\s-]{0,40}?(?:from|to|by)\s+\d|conversion|retention|"
    r"churn|revenue|baseline|target(?:s|ed)?\s+(?:of|is|by)|because)\b",
)


def states_outcome(ticket: Ticket) -> bool:
    """True when the ticket says what it should achieve: an outcome/goal/metric heading, a
    "so that" / "in order to", a goal or KPI, or a from-to target."""
    if any(_OUTCOME_HEADING.match(line) for line in label_lines(ticket.body)):
        return True
    return bool(_OUTCOME_TEXT.search(ticket.title + "\n" + prose(ticket.body)))


@rule(
    "BL301",
    "missing-objective-link",
    family="objective-link",
    severity="warning",
    options={"kinds": ["story", "feature"]},
)
def missing_objective_link(ticket, ctx):
    """What: An open story or feature has no link to a strategic objective: no parent epic or
    initiative, no issue link to an epic / initiative / objective, no milestone, and no label
    such as `okr:*`, `objective:*` or `goal:*` (or the labels configured under `[objectives]`).

    Why: Work that cannot say which goal it serves is hard to prioritise and easy to drop; a
    backlog where half the tickets are orphans hides what the team is really working towards.

    Example: A story "Add dark mode to the order history page" with no epic, no milestone and no
    objective label.

    Fix: Give it a parent epic, add it to the milestone of the objective it serves, or label it
    with the objective (e.g. `okr:conversion`).

    Options: `kinds` are the kinds that must link to an objective (bugs and tasks usually do
    not; epics and initiatives are checked by BL303).
    """
    wanted = ticket.is_open and ticket.kind in ctx.options["kinds"]
    if wanted and not objective_links(ticket, ctx.settings):
        yield (
            f"This {ticket.kind} is not linked to any objective: give it a parent epic, a "
            "milestone or an objective label (okr:*, objective:*, goal:*)."
        )


def _configured_reached(ticket: Ticket, ctx) -> bool | None:
    """None when no objectives are configured; else whether the chain reaches one."""
    objectives = _objectives(ctx.settings)
    labels = {x.lower() for x in objectives.get("labels", ())}
    keys = set(objectives.get("keys", ()))
    milestones = {x.lower() for x in objectives.get("milestones", ())}
    if not (labels or keys or milestones):
        return None
    for item in (ticket, *ctx.backlog.ancestors(ticket)):
        if item.key in keys or (item.parent and item.parent in keys):
            return True
        if any(link.key in keys for link in item.links):
            return True
        if {x.lower() for x in item.labels} & labels:
            return True
        if item.milestone and item.milestone.lower() in milestones:
            return True
    return False


@rule("BL302", "dead-objective-link", family="objective-link", severity="warning")
def dead_objective_link(ticket, ctx):
    """What: An open ticket's link to its objective leads nowhere useful: its parent epic or
    initiative is closed, its milestone is closed, or (with `[objectives] require-configured =
    true`) neither the ticket nor its parent chain reaches one of the configured objectives.

    Why: A closed parent no longer tracks the work: the child drops out of roadmaps and
    reports, and the objective it claims to serve was already declared done.

    Example: The open story "Show the Klarna instalment price" whose parent epic "Klarna
    pay-later rollout" was closed in September.

    Fix: Move the ticket under a live epic (or the follow-up epic), or close it if it is no
    longer needed; with configured objectives, link it to one of them.
    """
    if not ticket.is_open or ticket.kind == "subtask":
        return  # a subtask's parent is its story, not an objective
    if ticket.parent:
        parent = ctx.backlog.get(ticket.parent)
        link = ticket.fields.get("parent_link")
        closed = (parent is not None and not parent.is_open) or (
            parent is None and getattr(link, "status_category", None) == "done"
        )
        if closed:
            status = parent.status if parent is not None else getattr(link, "status", "")
            yield (
                f"Its parent {ticket.parent} is {status or 'closed'}; move this ticket under a "
                "live epic or close it."
            )
    if ticket.milestone and str(ticket.fields.get("milestone_state", "")).lower() == "closed":
        yield f'Its milestone "{ticket.milestone}" is closed; move it to a current milestone.'
    objectives = _objectives(ctx.settings)
    if objectives.get("require-configured") and _configured_reached(ticket, ctx) is False:
        named = [*objectives.get("labels", ()), *objectives.get("keys", ())]
        named += list(objectives.get("milestones", ()))
        yield (
            f"Neither this ticket nor its parents reach a configured objective "
            f"({quote(named, 4)}); link it to one."
        )


@rule(
    "BL303",
    "epic-without-objective",
    family="objective-link",
    severity="warning",
    options={"kinds": ["epic", "initiative"]},
)
def epic_without_objective(ticket, ctx):
    """What: An epic or initiative neither links to an objective (parent, objective link,
    milestone or objective label) nor states the outcome it is for (an "Outcome", "Goal" or
    "Objective" section, a "so that", a metric).

    Why: An epic is where strategy meets the backlog. One that serves no stated objective and
    promises no outcome is a bucket of work that nobody can say is finished or worth it.

    Example: "Epic: Checkout revamp" with the body "Umbrella for all the checkout revamp work."

    Fix: Link the epic to its objective (parent initiative or `okr:*` label) and add an
    "## Outcome" section: who benefits, what changes, and the metric that shows it.

    Options: `kinds` are the kinds checked.
    """
    wanted = ticket.is_open and ticket.kind in ctx.options["kinds"]
    if wanted and not objective_links(ticket, ctx.settings) and not states_outcome(ticket):
        yield (
            f"This {ticket.kind} is not linked to an objective and does not say what "
            'outcome it is for; link it and add an "Outcome" section with a metric.'
        )


@rule(
    "BL304",
    "missing-outcome",
    family="objective-link",
    # info: whether a request's reason "goes without saying" is a close call (right 4 times
    # in 8 on the judged real tickets), so it goes to reports, not to the author's comment.
    severity="info",
    audience="author",
    options={"kinds": ["feature", "epic", "initiative"]},
)
def missing_outcome(ticket, ctx):
    """What: A feature or epic says nothing about why it is wanted: no outcome, goal or metric,
    and no reason or problem in any words ("so that", "because", "to avoid ...", "Without X,
    Y happens", "currently ... fails", "there is no way to ...", an answered "Is your feature
    request related to a problem?" or "Motivation" section).

    Why: Without a stated outcome or reason nobody can tell whether shipping it worked, and the
    team cannot trade it off against other work on value.

    Example: "Bulk price edit: Bulk edit for product prices and stock in the admin, with CSV
    upload."

    Fix: Say what it is for: the problem it solves for whom, or an "## Outcome" section with
    what should change and how it will be measured.

    Options: `kinds` are the kinds checked. Stories (by kind, label or form) are left to
    BL110 (missing benefit), epics with no objective either to BL303, empty ones to BL103; a
    tracking issue that only lists its sub-issues is not asked.
    """
    if not (ticket.is_open and ticket.kind in ctx.options["kinds"] and ticket.body.strip()):
        return
    if ticket.kind in OBJECTIVE_KINDS and not objective_links(ticket, ctx.settings):
        return
    if is_story(ticket, STORY_LABELS) or written_as_story(ticket) or _tracking(ticket):
        return
    if not states_outcome(ticket) and not stated_reason(ticket):
        yield (
            f"This {ticket.kind} does not say why it is wanted; add the problem it solves or "
            'an "Outcome" section: what changes for whom, and how it will be measured.'
        )


_SUB_ISSUE = lazy(
    r"^\s*[-*+]\s+(?:\[[ xX]\]\s+(?:#\d+|https?://\S+/(?:issues|pull)/\d+|[A-Z]+-\d+)|#\d+)\b"
)
_TRACKING = Folded(
    r"^\W*(?:tracking|track(?:s|ing)?\s+(?:picking\s+up|the|upstream))\b|\btracking\s+issue\b|"
    r"\bto\s+track\s+(?:https?://|#\d|the\s+(?:work|progress|upstream|implementation))",
)


def _tracking(ticket: Ticket) -> bool:
    """A tracking issue: it says so, or its body is mostly a checklist of sub-issues."""
    if _TRACKING.search(ticket.body[:300]) or _TRACKING.search(ticket.title):
        return True
    lines = [line for line in ticket.body.splitlines() if line.strip()]
    listed = sum(1 for line in lines if _SUB_ISSUE.match(line))
    return listed >= 2 and listed * 2 >= len(lines)


@rule(
    "BL305",
    "impact-not-quantified",
    family="objective-link",
    severity="info",
    options={"kinds": ["feature", "epic", "initiative"]},
)
def impact_not_quantified(ticket, ctx):
    """What: A feature or epic claims impact in words only: it promises to move an outcome
    ("increase adoption", "reduce support load", "conversion improves"; on an epic also
    "faster", "improve performance") but gives no figure: no number, share, frequency or
    target.

    Why: A claim that cannot be weighed is a wish. Even a rough figure ("about 300 support
    tickets a month", "2% of orders") lets the team compare and order the work, and later
    check that it worked.

    Example: An epic "Wallets" whose outcome reads "Mobile shoppers pay faster, so that
    conversion improves."

    Fix: Put a figure on the claim: the baseline and the target ("mobile conversion from 1.6%
    to 2.2%"), or how many are affected ("~400 gift-wrap requests to support last December").

    Options: `kinds` are the kinds checked. An info-level nudge, only where impact is claimed:
    small requests (a keybinding, an option, an API addition) that claim none are not asked.
    Stories (by kind, label or form), empty tickets and epics reported by BL303 are skipped;
    figures inside acceptance criteria do not count as impact.
    """
    if not (ticket.is_open and ticket.kind in ctx.options["kinds"] and ticket.body.strip()):
        return
    unlinked = ticket.kind in OBJECTIVE_KINDS and not objective_links(ticket, ctx.settings)
    if unlinked and not states_outcome(ticket):
        return  # reported by BL303
    if is_story(ticket, STORY_LABELS) or written_as_story(ticket):
        return
    text = ticket.title + "\n" + without_criteria(ticket.body)
    if QUANTITY.search(text):
        return
    claim = impact_claim(text, epic=ticket.kind in OBJECTIVE_KINDS)
    if claim:
        yield (
            f'It claims impact ("{claim}") without a figure: say how many are affected, how '
            "often, or what it is worth, in one line with a number."
        )


@hookimpl
def register_rules(register):
    """Register the objective-link rules BL301-BL305."""
    for item in (
        missing_objective_link,
        dead_objective_link,
        epic_without_objective,
        missing_outcome,
        impact_not_quantified,
    ):
        register(item)

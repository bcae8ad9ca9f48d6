"""Clarity rules for stories (BL107-BL111): user-story form and atomicity.

A ticket counts as a story when its kind is ``story`` or it carries a story label (GitHub teams
often file stories as issue type Feature with a ``story`` label). The parts are read by
:mod:`backlint.rules.text.story`; job stories ("When ..., I want ..., so I can ...") are accepted.
Each missing part is its own rule, so a team can turn off the benefit check and keep the rest.
"""

from __future__ import annotations

import re

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.rules.text.patterns import lazy
from backlint.rules.text.prose import prose
from backlint.rules.text.reasons import answered_reason_heading, reason_in, stated_reason
from backlint.rules.text.story import StoryParts, is_story, story_parts
from backlint.rules.text.story_verbs import two_actions

__all__ = ["ACTION_VERBS", "STORY_LABELS", "two_actions"]

STORY_LABELS = ["story", "user story", "user-story", "userstory", "type: story", "kind/story"]
_STORY_OPTIONS = {"story_labels": STORY_LABELS}
_FORM = '"As a <role>, I want <means>, so that <benefit>"'


@rule("BL107", "not-a-user-story", family="clarity", severity="warning", options=_STORY_OPTIONS)
def not_a_user_story(ticket, ctx):
    """What: A story says neither who wants what (as a user story, "As a <role>, I want
    <means>, so that <benefit>", or a job story, "When <situation>, I want <motivation>, so I
    can <outcome>") nor, in any words, what problem it solves or why it is wanted.

    Why: The form makes the author say who needs the change and why. Without either a story is
    a solution without a problem, and nobody can judge whether a cheaper solution would do. A
    technical story that states its problem and goal in prose ("The peer currently parses
    config blocks by hand, which is error-prone; move it to the config manager") is fine.

    Example: A story "Guest checkout address autocomplete" whose body is "We need address
    autocomplete on the guest checkout form using the Google Places API."

    Fix: Start the description with "As a guest shopper, I want the address form to suggest
    my address as I type, so that I finish checkout faster."

    Options: `story_labels` are labels that make a ticket of another kind a story. A reason or
    problem stated in prose ("because ...", "Without X, Y happens", "currently ...", a
    "Motivation" or "Problem" section) counts.
    """
    wanted = ticket.is_open and is_story(ticket, ctx.options["story_labels"])
    if wanted and story_parts(ticket).form == "none" and not stated_reason(ticket):
        yield (
            f"This story says neither who wants what nor why; write it as {_FORM} (or as "
            'a job story: "When <situation>, I want <motivation>, so I can <outcome>"), or '
            "say what problem it solves."
        )


@rule(
    "BL108",
    "story-missing-role",
    family="clarity",
    severity="warning",
    options={**_STORY_OPTIONS, "personas": [], "generic_roles": ["user", "users", "end user"]},
)
def story_missing_role(ticket, ctx):
    """What: A user story has no role ("I want ..." without "As a ..."), or, when `personas`
    are configured, its role is a generic one such as "user" or is not one of the personas.

    Why: The role tells the team whose problem this is, which decides the design, the wording
    and how to test it. "As a user" says nothing when every story has a user.

    Example: "I want to split my payment across two cards" (no role); with personas configured,
    "As a user, I want ..." instead of "As a returning customer, I want ...".

    Fix: Name the person who benefits: "As a returning customer, I want ...".

    Options: `personas` lists the roles your team uses (a role must contain one of them; empty
    accepts any role); `generic_roles` are rejected when `personas` is set.
    """
    if not (ticket.is_open and is_story(ticket, ctx.options["story_labels"])):
        return
    parts = story_parts(ticket)
    if parts.form == "partial" and not parts.role:
        yield 'This story says what is wanted but not for whom; start it with "As a <role>, ..."'
    elif parts.form == "user" and ctx.options["personas"]:
        role = parts.role.lower()
        personas = [p.lower() for p in ctx.options["personas"]]
        generic = {g.lower() for g in ctx.options["generic_roles"]}
        if role in generic or not any(p in role for p in personas):
            listed = ", ".join(ctx.options["personas"])
            yield f'The role "{parts.role}" is not one of the personas ({listed}); name one.'


@rule("BL109", "story-missing-means", family="clarity", severity="warning", options=_STORY_OPTIONS)
def story_missing_means(ticket, ctx):
    """What: A user story names a role ("As a ...") but not what that person wants: there is
    no "I want / I need / I can ..." part.

    Why: The means is the part the team builds. Without it the story is a persona with a wish
    list somewhere else in the text, and estimates and acceptance drift.

    Example: "As a store manager, the stock report should include returns."

    Fix: Say the want in the person's words: "As a store manager, I want returns in the stock
    report, so that ...".

    Options: `story_labels` are labels that make a ticket of another kind a story.
    """
    if ticket.is_open and is_story(ticket, ctx.options["story_labels"]):
        parts = story_parts(ticket)
        if parts.form == "partial" and parts.role:
            yield (
                f'The story names the role "{parts.role}" but not what they want; add '
                '"I want <means>" after it.'
            )


@rule(
    "BL110", "story-missing-benefit", family="clarity", severity="warning", options=_STORY_OPTIONS
)
def story_missing_benefit(ticket, ctx):
    """What: A user story or job story says who wants what, but gives no reason anywhere: no
    "so that ...", "so I can ...", "in order to ...", "because ...", no purpose clause
    ("... data on my runs to track my progress"), and no problem or reason stated elsewhere
    in the ticket ("Without it, ...", "Currently ... fails", a "Motivation" section).

    Why: The benefit is what lets the team find a better or cheaper way to the same end, and
    what the product owner weighs when ordering the backlog.

    Example: "As a customer, I want to split my payment across two cards."

    Fix: Add the reason: "..., so that I can pay for a large order when one card's limit is too
    low."

    Options: `story_labels` are labels that make a ticket of another kind a story. "I want to
    be able to ..." is part of the want, not its reason; "a way to ...", "the system to ..."
    say what is wanted, not why.
    """
    if ticket.is_open and is_story(ticket, ctx.options["story_labels"]):
        parts = story_parts(ticket)
        stated = parts.form in ("user", "job", "partial") and parts.means and not parts.benefit
        if stated and not _reason_elsewhere(ticket, parts):
            ending = '"so I can ..."' if parts.form == "job" else '"so that ..."'
            yield f"The story does not say why this is wanted; add {ending} with the benefit."


_CRITERIA = lazy(
    r"^\W*(?:acceptance|a\.?c\.?\W*$|definition\s+of\s+done|done\s+when|success\s+criteria)",
    re.IGNORECASE | re.MULTILINE,
)


def _reason_elsewhere(ticket: Ticket, parts: StoryParts) -> bool:
    """A reason in the ticket outside the story statement: the title, the next sentences, a
    "Motivation" section; in the acceptance criteria only a benefit ("that I can reuse"), as a
    negation there is a condition ("if the file does not exist"), not a problem."""
    body = ticket.body
    criteria = _CRITERIA.search(body)
    before, after = (body[: criteria.start()], body[criteria.start() :]) if criteria else (body, "")
    text = ticket.title + "\n" + prose(before)
    if parts.statement:
        text = text.replace(parts.statement, " ", 1)
    if reason_in(text) or answered_reason_heading(body):
        return True
    return bool(after and reason_in(prose(after), problems=False))


#: Verbs an imperative title starts with (used by the wording rules).
ACTION_VERBS = (
    "add allow apply archive build calculate change check choose configure create delete "
    "disable display download edit enable export filter find fix generate hide implement "
    "import improve include install integrate introduce list load make manage migrate modify "
    "move notify open print provide publish receive record redesign refactor remove rename "
    "reorder replace reset restore review run save search see select send set share show "
    "sort start stop store submit support sync track update upgrade upload use validate "
    "verify view write rewrite clean document deploy merge split convert keep access assign "
    "book cancel compare connect copy define email extract fetch invite link mark monitor "
    "pay post print process purchase read register reject report request retrieve schedule "
    "subscribe tag transfer translate visualize visualise approve attach browse collect "
    "contact customize customise determine enter explore follow get locate navigate obtain "
    "organize organise preview rate reply resolve return revert sell vote watch create drop"
)


@rule(
    "BL111",
    "not-atomic",
    family="clarity",
    severity="warning",
    options={"story_labels": STORY_LABELS, "kinds": ["story", "feature"]},
)
def not_atomic(ticket, ctx):
    """What: A story asks for two or more actions that could be delivered separately: in its
    "I want" part, or in the title of a story, actions are joined by "and", "or", "as well as"
    or commas ("I want to create, rename or archive projects", "I want to upload my receipts
    and to see my reimbursement status", "Add PayPal and redesign the cart").

    Why: Two changes in one ticket cannot be estimated, prioritised, tested or released
    separately; one half blocks the other and the ticket stays open for weeks.

    Example: "As a shopper, I want to save my card and see my order history, so that I check
    out faster."

    Fix: Split the ticket into one per change and link them to the same epic.

    Options: Only the want is judged, never the benefit ("so that I can filter and compare
    offers" is one goal). A list of objects of one action ("register with my phone number,
    postcode and date of birth") is one action, and so is a pair that names one feature ("drag
    and drop", "show and hide"). In "use X to ...", what X is used for is the action. Titles
    are judged on stories (`story_labels`, as for BL107); other `kinds` only when written as a
    story.
    """
    if not ticket.is_open:
        return
    story = is_story(ticket, ctx.options["story_labels"])
    if not story and ticket.kind not in ctx.options["kinds"]:
        return
    parts = story_parts(ticket)
    found, where = None, "story"
    if parts.form in ("user", "job", "partial") and parts.action:
        found = two_actions(parts.action)
    if found is None and story and parts.text != ticket.title:
        found, where = two_actions(ticket.title), "title"
    if found:
        yield (
            f'The {where} asks for more than one thing ("... {found} ..."); split it into one '
            "ticket per change."
        )


@hookimpl
def register_rules(register):
    """Register the story rules BL107-BL111."""
    for item in (
        not_a_user_story,
        story_missing_role,
        story_missing_means,
        story_missing_benefit,
        not_atomic,
    ):
        register(item)

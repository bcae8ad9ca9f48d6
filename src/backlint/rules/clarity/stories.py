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
from backlint.rules.text.prose import prose_blocks
from backlint.rules.text.story import REASON, is_story, story_parts
from backlint.rules.text.util import word_list

STORY_LABELS = ["story", "user story", "user-story", "userstory", "type: story", "kind/story"]
_STORY_OPTIONS = {"story_labels": STORY_LABELS}
_FORM = '"As a <role>, I want <means>, so that <benefit>"'


@rule("BL107", "not-a-user-story", family="clarity", severity="warning", options=_STORY_OPTIONS)
def not_a_user_story(ticket, ctx):
    """What: A story is written neither as a user story ("As a <role>, I want <means>, so that
    <benefit>") nor as a job story ("When <situation>, I want <motivation>, so I can
    <outcome>"), in its title or its opening paragraphs.

    Why: The form makes the author say who needs the change and why. Without it a story is a
    solution without a problem, and nobody can judge whether a cheaper solution would do.

    Example: A story "Guest checkout address autocomplete" whose body is "We need address
    autocomplete on the guest checkout form using the Google Places API."

    Fix: Start the description with "As a guest shopper, I want the address form to suggest
    my address as I type, so that I finish checkout faster."

    Options: `story_labels` are labels that make a ticket of another kind a story.
    """
    wanted = ticket.is_open and is_story(ticket, ctx.options["story_labels"])
    if wanted and story_parts(ticket).form == "none":
        yield (
            f"This story does not say who wants what and why; write it as {_FORM} (or as "
            'a job story: "When <situation>, I want <motivation>, so I can <outcome>").'
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
    """What: A user story or job story says who wants what, but not why: there is no "so that
    ...", "in order to ..." or "so I can ..." part.

    Why: The benefit is what lets the team find a better or cheaper way to the same end, and
    what the product owner weighs when ordering the backlog.

    Example: "As a customer, I want to split my payment across two cards."

    Fix: Add the reason: "..., so that I can pay for a large order when one card's limit is too
    low."

    Options: `story_labels` are labels that make a ticket of another kind a story. A reason
    given in the next sentences ("This is to ...", "Because ...") counts as the benefit.
    """
    if ticket.is_open and is_story(ticket, ctx.options["story_labels"]):
        parts = story_parts(ticket)
        stated = parts.form in ("user", "job", "partial") and parts.means and not parts.benefit
        if stated and not REASON.search(" ".join(prose_blocks(ticket.body)[:4])):
            ending = '"so I can ..."' if parts.form == "job" else '"so that ..."'
            yield f"The story does not say why this is wanted; add {ending} with the benefit."


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
_DETERMINERS = (
    "the|a|an|my|our|their|his|her|its|your|all|any|each|every|new|existing|this|that|these|"
    "those|them|it|multiple|other|another"
)
_SPLIT = re.compile(
    rf"\s(?:and|&|as well as|plus|and also|and then)\s+(?:also\s+)?"
    rf"(?P<verb>(?:{'|'.join(word_list(ACTION_VERBS))}))\s+(?P<next>{_DETERMINERS})\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(
    r",|;|:|\b(?:i|we)\s+(?:want|need|can|could|would\s+like|wish|should\s+be\s+able)\b"
    r"(?:\s+to)?|\bto\s+be\s+able\s+to\b",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^\s*(?:to\s+|be\s+able\s+to\s+|have\s+|be\s+)?", re.IGNORECASE)


def two_actions(text: str) -> str | None:
    """The "and <verb> <object>" part when ``text`` asks for two actions, else None."""
    match = _SPLIT.search(text)
    if not match:
        return None
    clause = _CLAUSE.split(text[: match.start()])[-1]  # the words of this action only
    before = _LEAD.sub("", clause).split()
    if len(before) < 2:  # "search and filter the list" is one action on one object
        return None
    return text[match.start() : match.end()].strip()


@rule(
    "BL111",
    "not-atomic",
    family="clarity",
    severity="warning",
    options={"story_labels": STORY_LABELS, "kinds": ["story", "feature"]},
)
def not_atomic(ticket, ctx):
    """What: The title, or the "I want" part of a story, asks for two things: two actions
    joined by "and", "&", "plus" or "as well as" ("Add PayPal and redesign the cart").

    Why: Two changes in one ticket cannot be estimated, prioritised, tested or released
    separately; one half blocks the other and the ticket stays open for weeks.

    Example: "Add PayPal and Apple Pay and redesign the cart"; "As a shopper, I want to save my
    card and see my order history".

    Fix: Split the ticket into one per change and link them to the same epic.

    Options: Only two actions each with its own object count ("save and restore a draft" is
    one thing). Checked on tickets of the listed `kinds` and on story-labelled tickets
    (`story_labels`, as for BL107).
    """
    if not ticket.is_open:
        return
    if ticket.kind not in ctx.options["kinds"] and not is_story(
        ticket, ctx.options["story_labels"]
    ):
        return
    found = two_actions(ticket.title)
    where = "title"
    if found is None:
        parts = story_parts(ticket)
        if parts.means:
            found, where = two_actions(parts.means), "story"
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

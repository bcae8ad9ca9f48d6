"""Clarity rules (BL101-BL103): can someone who was not in the room understand the ticket?

Title length, generic titles and body size. Wording and readability (BL104-BL105) live in
:mod:`backlint.rules.clarity.wording`, unfilled templates (BL106) in
:mod:`backlint.rules.clarity.template`, story form and atomicity in
:mod:`backlint.rules.clarity.stories`, bug reports in :mod:`backlint.rules.clarity.bugs`.
Closed tickets are not judged: nobody will rewrite them.
"""

from __future__ import annotations

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.rules.clarity.thin import thin_reason
from backlint.rules.clarity.titles import (
    GENERIC_TITLE_WORDS,
    SENTENCE_BREAK,
    is_generic_title,
    names_an_action,
)
from backlint.rules.text.util import plural, words

__all__ = ["GENERIC_TITLE_WORDS", "is_generic_title", "thin_body", "title_length", "vague_title"]


@rule(
    "BL101",
    "title-length",
    family="clarity",
    severity="warning",
    options={"min_words": 2, "max_words": 30, "max_chars": 200},
)
def title_length(ticket, ctx):
    """What: The title is missing, shorter than `min_words` words (or exactly that long
    without a verb: "clang-14 ubsan" says neither what nor where, "Rename collection" does), or
    a paragraph: longer than `max_words` words or `max_chars` characters, or two sentences of
    20 words or more.

    Why: The title is all most people ever read of a ticket: in lists, boards, notifications and
    search results. Two words rarely say what is wrong or what is wanted; a paragraph in the title
    hides the point.

    Example: "Checkout" (too short); "Customers on Safari cannot complete checkout with a saved
    card" is fine.

    Fix: Say what and where in one short sentence; move detail into the description.

    Options: Numbers and code-like tokens do not count as words. Generic titles of two or
    more words ("Fix bug") are BL102's.
    """
    if not ticket.is_open:
        return
    title = ticket.title.strip()
    count = len(words(title))
    if not title:
        yield "The ticket has no title; say what is wanted or what is wrong in one line."
    elif count < ctx.options["min_words"] or (
        count == ctx.options["min_words"] and not names_an_action(title)
    ):
        yield (
            f'The title "{title}" has {plural(count, "word")}; say what and where in at '
            f"least {ctx.options['min_words'] + 1} words."
        )
    elif (
        count > ctx.options["max_words"]
        or len(title) > ctx.options["max_chars"]
        or (count >= 20 and SENTENCE_BREAK.search(title))
    ):
        yield (
            f"The title is {count} words / {len(title)} characters long; keep it under "
            f"{ctx.options['max_words']} words and move detail into the description."
        )


@rule(
    "BL102",
    "vague-title",
    family="clarity",
    severity="warning",
    options={"generic_words": list(GENERIC_TITLE_WORDS)},
)
def vague_title(ticket, ctx):
    """What: The title is made only of generic words such as "fix bug", "improvements",
    "update", "issue", "problem" or "misc".

    Why: A generic title cannot be told apart from any other ticket in a list, a search or a
    standup; people open it to find out what it is about, or skip it.

    Example: "Fix bug", "Improvements", "update". "Fix the promo code reset on shipping change"
    is fine.

    Fix: Name the thing and the change: which screen, feature or component, and what should be
    different.

    Options: `generic_words` are the words that say nothing on their own; prefixes such as
    `[bug]` or `feat:` are ignored.
    """
    if ticket.is_open and is_generic_title(ticket.title, ctx.options["generic_words"]):
        yield (
            f'The title "{ticket.title.strip()}" is only generic words; name the feature, '
            "screen or component and what should change."
        )


@rule(
    "BL103",
    "thin-body",
    family="clarity",
    severity="warning",
    options={
        "min_words": {
            "story": 12,
            "feature": 12,
            "bug": 12,
            "epic": 15,
            "initiative": 15,
            "objective": 15,
            "task": 0,
            "subtask": 0,
        },
        "max_short_words": 15,
        "max_own_words": 3,
    },
)
def thin_body(ticket, ctx):
    """What: The description is missing, or it says nothing someone else could act on: only
    a template's headings (or form answers that repeat the title), only a pointer elsewhere (a
    screenshot, a link, "as discussed") under a title that does not say the scope, one short
    line that repeats the title or whose only ask is vague ("should test larger, more
    complicated queries"), one sentence that only says what the title's thing will be for
    ("This scaffolding will be the basis for the feature files"), or fewer words than the
    minimum for the ticket's kind.

    Why: A title alone leaves the reader to guess the context, the reason and the scope; the
    person who picks the ticket up weeks later was usually not in the conversation.

    Example: A story "update" whose whole description is "Update the checkout per the call with
    finance."; a task "Gemfire sink" whose description is "Write a Gemfire sink."

    Fix: Say what is wanted and why, for whom, and how we will know it is done. For a bug: the
    steps, what you expected and what happened.

    Options: An empty description is always flagged, whatever the kind. `min_words` maps each
    kind to its minimum number of words (code counts; 0 turns the word minimum off for that
    kind; kinds not listed use the `task` value). A short body (at most `max_short_words`
    words) is "only the title again" or "only a pointer" when it has at most `max_own_words`
    words of its own (words the title does not say, fillers and pointer words such as "see"
    or "discussion" left out). Not flagged: a body that closes a change ("fixes #12"), tracks
    an upstream issue, lists sub-issues as a task list, or holds code or a log; and a short
    body under a title that is a whole instruction ("Update Electron to 26", "Move the header
    into the sidebar", "Quick diff should not run in the diff editor").
    """
    if not ticket.is_open:
        return
    table = ctx.options["min_words"]
    minimum = table.get(ticket.kind, table.get("task", 0))
    reason = thin_reason(
        ticket, minimum, ctx.options["max_short_words"], ctx.options["max_own_words"]
    )
    if reason:
        yield reason


@hookimpl
def register_rules(register):
    """Register the clarity rules BL101-BL103."""
    for item in (title_length, vague_title, thin_body):
        register(item)

"""Clarity rules (BL101-BL103): can someone who was not in the room understand the ticket?

Title length, generic titles and body size. Wording and readability (BL104-BL105) live in
:mod:`backlint.rules.clarity.wording`, unfilled templates (BL106) in
:mod:`backlint.rules.clarity.template`, story form and atomicity in
:mod:`backlint.rules.clarity.stories`, bug reports in :mod:`backlint.rules.clarity.bugs`.
Closed tickets are not judged: nobody will rewrite them.
"""

from __future__ import annotations

import re

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.rules.clarity.body import (
    delegated,
    has_code,
    is_form,
    own_words,
    points_elsewhere,
    refers_to_conversation,
    says_exactly,
)
from backlint.rules.clarity.stories import ACTION_VERBS
from backlint.rules.clarity.wording import vague_phrase
from backlint.rules.text.prose import sentences
from backlint.rules.text.util import article, lower_set, plural, word_count, word_list, words

GENERIC_TITLE_WORDS = word_list(
    "fix fixes fixed fixing bug bugs bugfix issue issues problem problems error errors "
    "update updates updated improve improved improvement improvements enhance enhancement "
    "enhancements change changes tweak tweaks misc miscellaneous various stuff things thing "
    "todo wip task tasks cleanup clean refactor refactoring minor small quick more new "
    "feature features request question help broken work works working doesn't not please "
    "pls asap urgent test testing placeholder tbd untitled story epic ticket item general "
    "other follow-up followup it everything something"
)
_TITLE_STOP = set(
    word_list(
        "a an the to for of in on and or with some this that is are be my our up all few needed"
    )
)
#: Two sentences in one title: "Broken data binding. Custom events on views are ...".
_SENTENCE_BREAK = re.compile(r"[a-z)][.!?]\s+[A-Z]")
_TITLE_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{1,20}\]\s*|(?:feat|fix|chore|bug|story|epic|task|"
    r"spike|feature|docs?)(?:\([^)]*\))?\s*:\s*)+",
    re.IGNORECASE,
)


def is_generic_title(title: str, generic_words=GENERIC_TITLE_WORDS) -> bool:
    """True when the title, minus prefixes like ``[bug]``, is only generic words, or has no
    word of two letters or more ("#F", "?")."""
    title = _TITLE_PREFIX.sub("", title).strip()
    if title and not any(len(w) > 1 for w in words(title)) and not re.search(r"\d", title):
        return True
    found = [w for w in words(title.lower()) if w not in _TITLE_STOP]
    generic = lower_set(tuple(generic_words))
    return bool(found) and all(w in generic for w in found) and not re.search(r"\d", title)


#: Verbs that make a two-word title a whole instruction ("Rename collection").
_TITLE_VERBS = frozenset(
    (
        *word_list(ACTION_VERBS),
        *word_list("bump pin deprecate register toggle test spike pick bootstrap"),
    )
)


def _names_an_action(title: str) -> bool:
    """True when the title starts with a verb ("Remove retrotranslator", "Moved code")."""
    found = words(_TITLE_PREFIX.sub("", title).lower())
    if not found:
        return False
    first = found[0]
    stems = {first, first[:-1], first[:-2], first[:-3], first[:-2] + "e", first[:-3] + "e"}
    return not _TITLE_VERBS.isdisjoint(stems)


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
        count == ctx.options["min_words"] and not _names_an_action(title)
    ):
        yield (
            f'The title "{title}" has {plural(count, "word")}; say what and where in at '
            f"least {ctx.options['min_words'] + 1} words."
        )
    elif (
        count > ctx.options["max_words"]
        or len(title) > ctx.options["max_chars"]
        or (count >= 20 and _SENTENCE_BREAK.search(title))
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


#: A title that is a whole instruction on its own: a bounded change ("Update X to Y", "Move X
#: into the sidebar"), a version ("Pick up TS 5.1.6"), or a requirement sentence ("X should Y").
_PRECISE_TITLE = re.compile(
    r"^\W*(?:[\w./()&-]+(?:\s+[\w./()&-]+){0,2}(?::|\s-)\s+)?(?:update|upgrade|bump|pin|downgrade|move|rename|remove|delete|"
    r"drop|revert|disable|enable|deprecate|replace|switch|backport)\b|"
    r"\bv?\d+(?:\.\d+)+|\b(?:should|must|shall)\b",
    re.IGNORECASE,
)
#: A title that starts with a bounded change of a named thing ("Add snippets to the query
#: operators", "Extract the sidebar plugin"): a one-line body that restates it is enough.
_BOUNDED_TITLE = re.compile(
    r"^\W*(?:[\w./()&-]+(?:\s+[\w./()&-]+){0,2}(?::|\s-)\s+)?(?:add|extract|migrate|increase|decrease|raise|lower|reduce|set|"
    r"include|exclude|change|use|expose|merge|split|convert|port|inline|hide|show|sort|limit|"
    r"fix|address|obtain|publish|release|tag|prepare|pass|return|log|print|wrap|unify)\b",
    re.IGNORECASE,
)
#: "... to use the store pattern", "... for the new fuzzer": where a bounded change goes.
_TARGET = re.compile(r"\s(?:to|into|from|for|with|as|in|on)\s", re.IGNORECASE)


def _bounded(title: str, body: str) -> bool:
    """A bounded change of a named thing: said by the title ("Add snippets to the query
    operators"), or by a body sentence that also says where it goes ("Change all plugins to
    use the store pattern")."""
    if _BOUNDED_TITLE.search(title) and _specific_title(title):
        return True
    for pattern in (_BOUNDED_TITLE, _PRECISE_TITLE):
        match = pattern.match(body.lstrip())
        if match and _TARGET.search(body, match.end()):
            return True
    return False


#: Title words that leave the scope open ("Misc Python syntax", "Code polishing").
_OPEN_TITLE = frozenset(
    word_list("misc miscellaneous various stuff things polish polishing cleanup tweaks etc")
)


def _specific_title(title: str) -> bool:
    """A title of three or more words with nothing in it that leaves the scope open."""
    found = [w.lower() for w in words(title)]
    return len(found) >= 3 and _OPEN_TITLE.isdisjoint(found) and not is_generic_title(title)


def thin_reason(ticket, minimum: int, max_short: int, max_own: int) -> str | None:
    """Why the body is too thin to act on, or None (see :func:`thin_body`)."""
    title, body = ticket.title, ticket.body
    count = word_count(body)
    if count == 0:
        return (
            f"This {ticket.kind} has no description; say what is wanted, why, and how we will "
            "know it is done."
        )
    if delegated(body) or has_code(body):
        return None  # a change it closes, an upstream issue, sub-issues, code or a log
    bare = len(own_words(title, body)) <= max_own
    if bare and is_form(body):
        return (
            "The description is only a template's headings, or answers that repeat the title; "
            "fill in what happens or what is wanted, in your own words."
        )
    if _PRECISE_TITLE.search(title) and _specific_title(title):
        return None
    if count < minimum:
        return (
            f"The description has only {plural(count, 'word')} (at least {minimum} expected for "
            f"{article(ticket.kind)}); add the context, the reason and what done looks like."
        )
    short = bare and count <= max_short
    # "As we discussed, ...": what was decided lives in someone's memory
    talk = count <= 2 * max_short and refers_to_conversation(body)
    if (talk and not says_exactly(title, body)) or (short and points_elsewhere(body)):
        if talk or not _specific_title(title):
            return (
                "The description only points elsewhere (a link, a screenshot, a conversation); "
                "say here what is wanted and why, so the ticket stands on its own."
            )
    elif (short and not (_bounded(title, body) or _pins_down(title, body))) or (
        count <= 2 * max_short and _only_its_purpose(title, body)
    ):
        return (
            "The description adds next to nothing to the title; add the context, the scope and "
            "what done looks like."
        )
    return None


#: "This scaffolding will be the basis for ...": the body names the title's thing and what it
#: will be for, not what it is or does.
_ABOUT_ITSELF = re.compile(
    r"^\W*(?:this|the)\s+(?P<thing>[\w-]+(?:\s+[\w-]+)?)\s+(?:will|would|is\s+going\s+to)\s+"
    r"(?:be|contain|serve|hold)\b(?![^.]*\b(?:should|must|needs?\s+to|so\s+it)\b)",
    re.IGNORECASE,
)


def _only_its_purpose(title: str, body: str) -> bool:
    """True for a one-sentence body that says what the title's thing will be for."""
    match = _ABOUT_ITSELF.match(body.strip())
    if not match or len(sentences(body)) != 1:
        return False
    said = {w.lower() for w in words(title)}
    return any(w.lower() in said for w in words(match.group("thing")))


def _pins_down(title: str, body: str) -> bool:
    """A short body pins something down (see :func:`says_exactly`) unless what it asks hinges
    on vague words ("should test larger, more complicated queries")."""
    return says_exactly(title, body) and not vague_phrase(body)


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

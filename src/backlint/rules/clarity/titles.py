"""What a title says: generic words, an action, a whole instruction. Pure; no I/O.

Shared by the title rules (BL101-BL102), the thin-body rule (BL103) and the bug rules.
"""

from __future__ import annotations

import re
from functools import lru_cache

from backlint.rules.clarity.stories import ACTION_VERBS
from backlint.rules.text.patterns import lazy
from backlint.rules.text.util import lower_set, word_list, words

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
SENTENCE_BREAK = lazy(r"[a-z)][.!?]\s+[A-Z]")
_TITLE_PREFIX = lazy(
    r"^\s*(?:\[[^\]]{1,20}\]\s*|(?:feat|fix|chore|bug|story|epic|task|"
    r"spike|feature|docs?)(?:\([^)]*\))?\s*:\s*)+",
    re.IGNORECASE,
)


def is_generic_title(title: str, generic_words=GENERIC_TITLE_WORDS) -> bool:
    """True when the title, minus prefixes like ``[bug]``, is only generic words, or has no
    word of two letters or more ("#F", "?")."""
    return _generic(title, tuple(generic_words))


@lru_cache(maxsize=256)
def _generic(title: str, generic_words: tuple[str, ...]) -> bool:
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


def names_an_action(title: str) -> bool:
    """True when the title starts with a verb ("Remove retrotranslator", "Moved code")."""
    found = words(_TITLE_PREFIX.sub("", title).lower())
    if not found:
        return False
    first = found[0]
    stems = {first, first[:-1], first[:-2], first[:-3], first[:-2] + "e", first[:-3] + "e"}
    return not _TITLE_VERBS.isdisjoint(stems)


#: A title that is a whole instruction on its own: a bounded change ("Update X to Y", "Move X
#: into the sidebar"), a version ("Pick up TS 5.1.6"), or a requirement sentence ("X should Y").
PRECISE_TITLE = lazy(
    r"^\W*(?:[\w./()&-]+(?:\s+[\w./()&-]+){0,2}(?::|\s-)\s+)?(?:update|upgrade|bump|pin|downgrade|move|rename|remove|delete|"
    r"drop|revert|disable|enable|deprecate|replace|switch|backport)\b|"
    r"\bv?\d+(?:\.\d+)+|\b(?:should|must|shall)\b",
    re.IGNORECASE,
)
#: A title that starts with a bounded change of a named thing ("Add snippets to the query
#: operators", "Extract the sidebar plugin"): a one-line body that restates it is enough.
BOUNDED_TITLE = lazy(
    r"^\W*(?:[\w./()&-]+(?:\s+[\w./()&-]+){0,2}(?::|\s-)\s+)?"
    # "Please add ...", "Consider adding ...": the same change, asked politely
    r"(?:(?:please|consider)\s+)?(?:adding|"
    r"add|extract|migrate|increase|decrease|raise|lower|reduce|set|"
    r"include|exclude|change|use|expose|merge|split|convert|port|inline|hide|show|sort|limit|"
    r"fix|address|obtain|publish|release|tag|prepare|pass|return|log|print|wrap|unify)\b",
    re.IGNORECASE,
)


#: Title words that leave the scope open ("Misc Python syntax", "Code polishing").
_OPEN_TITLE = frozenset(
    word_list("misc miscellaneous various stuff things polish polishing cleanup tweaks etc")
)


@lru_cache(maxsize=256)
def specific_title(title: str) -> bool:
    """A title of three or more words with nothing in it that leaves the scope open."""
    found = [w.lower() for w in words(title)]
    return len(found) >= 3 and _OPEN_TITLE.isdisjoint(found) and not is_generic_title(title)

"""Sibling tickets: the same template with a different component, entity, format or version.

Pure functions, no I/O. "Migrate the billing service to Python 3.12" and "Migrate the search
service to Python 3.12" share almost every word, yet they are two pieces of work: the words they
do not share are the point. :meth:`Contrast.siblings` tells such a pair from two reports of one
problem by comparing the titles' terms (:func:`terms`: word stems, and identifiers and versions
whole). A *name* is an identifier or version (``v1.0.0-beta``, ``tf.tile``, ``C#``), a word the
title writes with a capital ("Intkey", "XO"), or, in a backlog of 100 tickets or more, a word
few of its tickets use; everyday words ("page", "error") name nothing. Siblings when:

* **Opposites.** One title asks for one of a pair of opposite operations or sides and the other
  for its counterpart ("add" / "remove", "import" / "export", "backend" / "frontend").
* **Negation.** The titles have the same words but one denies, where the other has another
  word ("are both PoET blocks" / "are not PoET blocks").
* **Each names its own.** Each title names something the other ticket never mentions anywhere,
  and is about it: its body uses the word too, the word is an identifier, or the ticket has next
  to no body ("Add python template to the symbol table" / "Expand C# generator").
* **One slot, two names.** The titles are one template with a different name in the same place
  (the words both share make up at least half of the shorter title), each ticket is about its
  own name, and at least one of the two names is never mentioned by the other ticket ("Vary
  prefetch size" / "Vary producers size", "... Java SDK ..." / "... JavaScript SDK ...").
* **One title adds a name.** One title is the other plus a word that the shorter ticket never
  mentions and the longer one's body uses too ("Update Connect to React 16" / "Update Connect Auth
  Roles to React 16").

A paraphrase of the same report differs in wording all over, so its changed title words either
turn up elsewhere in the other ticket, are everyday words, or are not what its own body is about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from backlint.rules.duplicates.signatures import ERROR_MARKER
from backlint.rules.duplicates.stems import MAX_CHARS, STOP_WORDS, stem_word

# Words, and identifiers or versions with their dots, slashes, hyphens, "#" and "+".
_RAW = re.compile(r"[A-Za-z0-9][\w.+#/:-]*[\w+#]|[A-Za-z0-9]")
_QUOTED_NUMBER = re.compile(r"[\"'`]\d+[\"'`]")
_IDENT_CHARS = frozenset("0123456789._/#+-:")
# Words joined by hyphens or slashes ("source/sinks", "auto-focused") are words, not names.
_WORDS_ONLY = re.compile(r"[a-z]+(?:[-/][a-z]+)*$")
_JOINERS = re.compile(r"[-/]")
_NUMBERS = re.compile(r"\b\d[\d.,]*\b")
_PARTS = re.compile(r"[A-Za-z]{2,}")

_OPPOSITE_WORDS = (
    ("add adds added adding", "remove removes removed removing delete deletes deleted deleting"),
    ("create creates created creating", "delete deletes deleted deleting"),
    ("enable enables enabled enabling", "disable disables disabled disabling"),
    ("show shows showing shown", "hide hides hiding hidden"),
    ("install installs installed installing", "uninstall uninstalls uninstalled uninstalling"),
    ("import imports imported importing", "export exports exported exporting"),
    ("upload uploads uploaded uploading", "download downloads downloaded downloading"),
    ("read reads reading", "write writes writing written"),
    ("open opens opened opening", "close closes closed closing"),
    ("start starts started starting", "stop stops stopped stopping"),
    ("backend back-end", "frontend front-end"),
    ("increase increases increased increasing", "decrease decreases decreased decreasing"),
    ("encrypt encrypts encrypted encryption", "decrypt decrypts decrypted decryption"),
    ("upgrade upgrades upgraded upgrading", "downgrade downgrades downgraded downgrading"),
    ("sequential sequentially serial", "parallel"),
    ("horizontal horizontally", "vertical vertically"),
    ("lock locks locked locking", "unlock unlocks unlocked unlocking"),
    ("expand expands expanded expanding", "collapse collapses collapsed collapsing"),
    ("local locally", "remote remotely"),
    ("source sources", "sink sinks"),
    ("producer producers", "consumer consumers"),
    ("publish publishes publishing", "subscribe subscribes subscribing"),
    ("attach attaches attached attaching", "detach detaches detached detaching"),
    ("mount mounts mounted mounting", "unmount unmounts unmounted unmounting"),
    ("min minimum", "max maximum"),
    ("sync synchronous synchronously", "async asynchronous asynchronously"),
    ("static statically", "dynamic dynamically variably"),
    ("public", "private"),
    ("inbound ingress", "outbound egress"),
    ("light", "dark"),
)


_TITLE_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
#: Words that deny a statement.
NEGATIONS = frozenset({"not", "no", "never", "cannot", "without", "non"})


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem_word(word) for word in words.split())


#: Pairs of stem sets that name opposite operations or sides.
OPPOSITES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (_stems(left), _stems(right)) for left, right in _OPPOSITE_WORDS
)
#: A word that more than this share of the tickets use is an everyday word, not a name.
SPECIFIC_SHARE = 0.1
#: Tickets whose terms are kept at once (each ticket's take a few kB).
MAX_SIDES = 4096
#: A body with fewer distinct stems than this (beside the title's) says next to nothing.
THIN_BODY = 5


def terms(text: str, capitalised: set[str] | None = None) -> list[str]:
    """The comparable terms of ``text`` in order: stems of its words (no stop words) and, whole,
    its identifiers and versions (``v1.0.0-beta``, ``tf.tile``, ``maven-war-plugin``, ``C#``)
    with their word parts. Plain integers (ids, counts, line numbers) are left out.

    ``capitalised``, when given, receives the terms written with a capital letter anywhere but
    at the start of the text ("Intkey", "XO", "Auth"): the way a title writes a name."""
    found: list[str] = []
    raws = _RAW.findall(_QUOTED_NUMBER.sub(" ", text))
    if capitalised is None:  # a body: each distinct token once
        raws = list(dict.fromkeys(raws))
    for position, raw in enumerate(raws):
        token = raw.lower().rstrip(".-/:")
        if token.isdigit() or not token:
            continue
        if token.isalpha():
            pieces: list[tuple[str, str]] = [(token, raw)]
        elif _WORDS_ONLY.match(token):  # "source/sinks", "auto-focused": words
            pieces = list(zip(_JOINERS.split(token), _JOINERS.split(raw), strict=False))
        else:
            found.append(token)
            found.extend(
                stem_word(part)
                for part in _PARTS.findall(token)
                if part not in STOP_WORDS and stem_word(part) not in STOP_WORDS
            )
            continue
        for word, raw_word in pieces:
            if word in STOP_WORDS or len(word) < 2:
                continue
            stemmed = stem_word(word)
            if stemmed not in STOP_WORDS:
                found.append(stemmed)
                if capitalised is not None and position and not raw_word.islower():
                    capitalised.add(stemmed)
    return found


def is_identifier(term: str) -> bool:
    """Whether ``term`` is an identifier or version rather than a word stem."""
    return not term.isalpha()


def _negation_swapped(left: list[str], right: list[str]) -> bool:
    """Whether one title has a negation where the other has another word."""
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and _negated(left[i1:i2]) != _negated(right[j1:j2]):
            return True
    return False


def _negated(words: list[str]) -> bool:
    return any(word in NEGATIONS or word.endswith("n't") for word in words)


def _template_slots(left: list[str], right: list[str]) -> list[tuple[list[str], list[str]]]:
    """The replaced parts of two titles that are one template (their common words, in order,
    make up at least half of the shorter title): ``[(left words, right words), ...]``."""
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    if common < 2 or common * 2 < min(len(left), len(right)):
        return []
    return [
        (left[i1:i2], right[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag == "replace"
    ]


@dataclass(frozen=True, slots=True)
class _Side:
    """One ticket as :class:`Contrast` compares it."""

    title: list[str]  # title terms, in order, once each
    body: frozenset[str]  # body terms
    all: frozenset[str]  # title and body terms
    capitalised: frozenset[str]  # title terms written as names
    thin: bool  # next to no body: the title is all there is
    words: list[str]  # the title's words, lower case

    def written(self, terms_: list[str]) -> bool:
        """Whether every term of ``terms_`` is written as a name in this title."""
        return all(is_identifier(t) or t in self.capitalised for t in terms_)

    def about(self, term: str) -> bool:
        """Whether this ticket is about ``term``: an identifier or version, a word its body uses
        too, or any word when it has next to no body."""
        return self.thin or is_identifier(term) or term in self.body


class Contrast:
    """:meth:`siblings` over many pairs: each ticket's terms are worked out once, on demand.

    Tickets are numbered. ``text_of`` gives a ticket's (title, body) as compared; ``body_size``
    how many stems its body has beside the title's; ``specific`` tells whether a word stem is
    rare enough to name something.
    """

    def __init__(
        self,
        text_of: Callable[[int], tuple[str, str]],
        body_size: Callable[[int], int],
        specific: Callable[[str], bool],
    ) -> None:
        self.text_of = text_of
        self.body_size = body_size
        self.specific = specific
        self._sides: dict[int, _Side] = {}

    def _side(self, index: int) -> _Side:
        side = self._sides.get(index)
        if side is None:
            title, body = self.text_of(index)
            marker = ERROR_MARKER.search(title)
            if marker:  # numbers in a quoted error are values, not versions
                title = title[: marker.end()] + _NUMBERS.sub(" ", title[marker.end() :])
            capitalised: set[str] = set()
            words = _TITLE_WORDS.findall(title.lower().replace("\u2019", "'"))
            title_terms = list(dict.fromkeys(terms(title, capitalised)))
            body_terms = frozenset(terms(body[:MAX_CHARS]))
            if len(self._sides) >= MAX_SIDES:
                self._sides.clear()  # a bound on memory; pairs come sorted, so few are lost
            side = self._sides[index] = _Side(
                title=title_terms,
                body=body_terms,
                all=body_terms.union(title_terms),
                capitalised=frozenset(capitalised),
                thin=self.body_size(index) < THIN_BODY,
                words=words,
            )
        return side

    def _names(self, terms_: list[str], side: _Side | None = None) -> list[str]:
        """The terms that name something: identifiers and versions, words few tickets of the
        backlog use, and (in ``side``'s title) words written with a capital."""
        capitalised = side.capitalised if side else frozenset()
        return [t for t in terms_ if is_identifier(t) or t in capitalised or self.specific(t)]

    def siblings(self, first: int, second: int) -> bool:
        """Whether tickets ``first`` and ``second`` are siblings rather than duplicates."""
        left, right = self._side(first), self._side(second)
        left_only = [t for t in left.title if t not in right.title]
        right_only = [t for t in right.title if t not in left.title]
        if not left_only and not right_only:
            # The same words, but one title denies what the other says in its place ("are both
            # X blocks" / "are not X blocks").
            return _negation_swapped(left.words, right.words)
        left_set, right_set = set(left_only), set(right_only)
        for one, other in OPPOSITES:
            if (one & left_set and other & right_set) or (other & left_set and one & right_set):
                return True
        # Each title names something the other ticket never mentions, and is about it.
        if self._named(left, left_only, right) and self._named(right, right_only, left):
            return True
        # One template with a different name in a slot on each side, each ticket about its
        # own name, and at least one of the two never mentioned by the other ticket.
        for old, new in _template_slots(left.title, right.title):
            # a name written as one (an identifier, a capitalised word) on both sides needs no
            # body to say so ("Update Java SDK ..." / "Update JavaScript SDK ...")
            written = left.written(old) and right.written(new)
            old_names = [
                t
                for t in self._names(old, left)
                if t not in right.title and (written or left.about(t))
            ]
            new_names = [
                t
                for t in self._names(new, right)
                if t not in left.title and (written or right.about(t))
            ]
            if (
                old_names
                and new_names
                and (
                    any(t not in right.all for t in old_names)
                    or any(t not in left.all for t in new_names)
                )
            ):
                return True
        # One title is the other plus a word that the shorter ticket never mentions and the
        # longer one's body uses too ("Model data binding" / "Model instance data binding").
        if len(left.title) >= 2 and not left_only and self._adds(right, right_only, left):
            return True
        return len(right.title) >= 2 and not right_only and self._adds(left, left_only, right)

    def _adds(self, side: _Side, only: list[str], other: _Side) -> bool:
        return any(
            t not in other.all and t in side.body and not is_identifier(t)
            for t in self._names(only, side)
        )

    def _named(self, side: _Side, only: list[str], other: _Side) -> list[str]:
        """The specific terms of ``only`` (this title's own) that the other ticket never
        mentions and this ticket is about."""
        return [t for t in self._names(only, side) if t not in other.all and side.about(t)]

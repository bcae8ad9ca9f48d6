"""Pure text helpers the rules share: sections, checklists, labels, words, terms. No I/O.

Rules read :attr:`Ticket.body`, the normalised Markdown-like text every tracker adapter produces.
Prose and sentences are in :mod:`backlint.rules.text.prose`. The readings of a body (code-free
text, sections, label lines, tokens) are those of its
:class:`~backlint.rules.text.document.Document`, built once per text and shared by every rule
that asks; other costly helpers are memoised on their arguments (see :func:`memo`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

from backlint.rules.text.document import document
from backlint.rules.text.lines import MAX_CHARS, TOKEN, WORD, Section, task_items

__all__ = ["MAX_CHARS", "WORD", "Section", "document"]

#: Results kept per memoised function: a few tickets' worth (see :func:`memo`).
_CACHE = 256
T = TypeVar("T")


def memo(func: Callable[..., T]) -> Callable[..., T]:
    """Memoise a pure text function on its arguments, keeping the ``_CACHE`` latest results.

    The engine runs every rule on one ticket before it moves to the next ticket, so a body's
    analysis (prose, sentences, sections, criteria) is computed once and shared by all the
    rules while that ticket is current; a small bounded LRU is enough and memory stays flat on
    any backlog size. Callers that visit tickets in another order still get right answers,
    only recomputed.
    """
    return functools.lru_cache(maxsize=_CACHE)(func)  # type: ignore[return-value]


def strip_code(body: str) -> str:
    """The body without fenced code blocks (logs, stack traces, code), cut at MAX_CHARS."""
    return document(body).code_free


def _sections(body: str) -> tuple[Section, ...]:
    return document(body).sections


def sections(body: str) -> list[Section]:
    """Split a body into sections at headings and at short label lines ending in a colon."""
    return list(_sections(body))


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def find_section(body: str, *patterns: str) -> Section | None:
    """The first section whose title matches one of the regex ``patterns`` (case-insensitive)."""
    compiled = _compiled(patterns)
    for section in _sections(body):
        if section.title and any(p.search(section.title) for p in compiled):
            return section
    return None


def checkboxes(text: str) -> list[tuple[bool, str]]:
    """``(checked, text)`` for every task-list item."""
    return list(task_items(text))


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, apostrophes and hyphens; numbers are not words)."""
    return WORD.findall(text)


def word_count(text: str) -> int:
    """How many words ``text`` has (read up to MAX_CHARS)."""
    return document(text).word_count


def lowered(text: str) -> str:
    """``text`` lower-cased (shared: several rules look for phrases in the same body)."""
    return document(text).lower


# --- terms: listed words and phrases found in text -------------------------------------------


@lru_cache(maxsize=256)
def _term_index(
    terms: tuple[str, ...],
) -> tuple[dict[str, str], frozenset[str], dict[str, tuple[tuple[str, str], ...]]]:
    """Single-word terms by token, their set, and phrases (joined form, term) by first token."""
    singles: dict[str, str] = {}
    phrases: dict[str, list[tuple[str, str]]] = {}
    for term in terms:
        tokens = TOKEN.findall(term.lower())
        if len(tokens) == 1:
            singles.setdefault(tokens[0], term.lower())
        elif tokens:
            phrases.setdefault(tokens[0], []).append((" " + " ".join(tokens) + " ", term.lower()))
    return singles, frozenset(singles), {k: tuple(v) for k, v in phrases.items()}


#: Term indexes by the identity of the tuple they were built from (kept alive here, so an
#: identity is never reused while its entry lives): a module's word tuple is the same object
#: on every call, and hashing a long tuple each time cost more than the search itself.
_INDEX_BY_TUPLE: dict[int, tuple[tuple[str, ...], tuple]] = {}


def _index_of(terms: Iterable[str]) -> tuple:
    if type(terms) is not tuple:  # a list can change: index what it holds now
        return _term_index(tuple(terms))
    entry = _INDEX_BY_TUPLE.get(id(terms))
    if entry is not None and entry[0] is terms:
        return entry[1]
    index = _term_index(terms)
    if len(_INDEX_BY_TUPLE) >= 64:
        _INDEX_BY_TUPLE.clear()
    _INDEX_BY_TUPLE[id(terms)] = (terms, index)
    return index


def find_terms(text: str, terms: Iterable[str]) -> list[str]:
    """The distinct ``terms`` found in ``text`` as whole words, lower-cased, in text order.

    Matching is on word tokens, so "etc" finds "etc." but not "/etc/hosts", and "user
    friendly" finds "user-friendly" only if that spelling is listed too.
    """
    singles, single_set, phrases = _index_of(terms)
    read = document(text)
    token_set = read.token_set
    # each single-word term is one token (terms of one token are one term): where it first is
    hits = {singles[token]: read.tokens.index(token) for token in single_set & token_set}
    for first in phrases.keys() & token_set:  # only phrases whose first word is there
        joined = read.joined_tokens
        for needle, term in phrases[first]:
            at = joined.find(needle)
            if at >= 0 and term not in hits:
                hits[term] = joined.count(" ", 0, at)
    return sorted(hits, key=hits.__getitem__)


def quote(items: Iterable[str], limit: int = 5) -> str:
    """``"a", "b" and "c"`` for messages; at most ``limit`` items, then "and N more"."""
    listed = [f'"{item}"' for item in items]
    if len(listed) > limit:
        listed = [*listed[:limit], f"{len(listed) - limit} more"]
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def article(noun: str) -> str:
    """``a story`` / ``an epic``."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 word`` / ``3 words``."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


# --- labelled parts of a body: headings and "Label:" lines ------------------------------------


def label_lines(body: str) -> tuple[str, ...]:
    """Heading-like lines of the body, lower-cased and stripped of ``#``, ``*``, ``:``.

    A heading, a short line ending in a colon, a short line followed by text (a bold label that
    lost its markup), or the ``Label:`` part of a ``Label: text`` line.
    """
    return document(body).label_lines


def has_label(body: str, pattern: re.Pattern[str]) -> bool:
    """True when a heading-like line of ``body`` starts with ``pattern``."""
    return any(pattern.match(line) for line in label_lines(body))


def without_criteria_body(body: str) -> str:
    """The body without its acceptance-criteria section (judged by the BL2xx rules)."""
    return document(body).without_criteria


def word_list(text: str, sep: str | None = None) -> tuple[str, ...]:
    """A word list written as one string: ``word_list("a b c")``, ``word_list("x y|z", "|")``."""
    return tuple(item.strip() for item in text.split(sep) if item.strip())


@lru_cache(maxsize=64)
def lower_set(items: tuple[str, ...]) -> frozenset[str]:
    """An option's word list as a lower-case set, built once per distinct list."""
    return frozenset(item.lower() for item in items)

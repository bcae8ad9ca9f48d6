"""A ticket's text read once: the parsed document every text rule asks its questions of.

:func:`document` gives the :class:`Document` of a text (a body, a title, a section's text);
each reading of it (the code-free lines, sections, label lines, prose blocks, sentences,
tokens, ...) is computed the first time a rule asks for it and kept, so the thirty text rules
that look at the same body split and search it once between them. Documents are memoised on
the text by a small LRU: the engine runs every rule on one ticket before the next, so a
ticket's document lives while its rules run, and memory stays flat on any backlog size. The
document is a pure function of the text: a rule that asks it stays a pure function of
``(ticket, context)``.

The Markdown → text conversion happens once per body, in the tracker adapter (the body a rule
sees is already normalised text); the document is built on that text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Generic, TypeVar

from backlint.rules.text.lines import (
    MAX_CHARS,
    TOKEN,
    WORD,
    Section,
    fenced_blocks,
    heading_like,
    split_sections,
    task_items,
    without_fences,
)
from backlint.rules.text.patterns import lazy
from backlint.rules.text.sentences import blocks_of, is_prose, reading_ease, sentences_of

T = TypeVar("T")


class cached_property(Generic[T]):
    """A reading computed on first access and stored on the instance, as
    ``functools.cached_property`` does, without the lock Python 3.11's version takes on every
    first access (a document is read by one thread; the lock cost more than most readings)."""

    def __init__(self, func: Callable[[Document], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Document | None, owner: type | None = None) -> T:
        if instance is None:
            return self  # type: ignore[return-value]
        value = instance.__dict__[self.name] = self.func(instance)
        return value


#: Documents kept: a few tickets' worth of texts (see the module docstring).
CACHE_SIZE = 256

_CRITERIA_HEADING = lazy(
    r"acceptance\s*criteri|^\s*a\.?c\.?\s*$|definition\s+of\s+done|^\s*dod\s*$", re.I
)


class Document:
    """One text and everything read from it, each part computed on first use.

    Build one with :func:`document` (memoised), not directly, so every rule shares it.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Document({self.text[:40]!r}...)"

    # --- the text as lines ------------------------------------------------------------------

    @cached_property
    def head(self) -> str:
        """The text cut at MAX_CHARS (past it: pasted logs and dumps, not read)."""
        return self.text[:MAX_CHARS]

    @cached_property
    def lower(self) -> str:
        """The whole text lower-cased."""
        return self.text.lower()

    @cached_property
    def head_lower(self) -> str:
        """:attr:`head` lower-cased."""
        return self.head.lower()

    @cached_property
    def has_fence(self) -> bool:
        """Whether the text holds a code fence (```` ``` ```` or ``~~~``)."""
        return "```" in self.text or "~~~" in self.text

    @cached_property
    def fenced_blocks(self) -> tuple[str, ...]:
        """The text of each fenced block (code, a log, a trace) in :attr:`head`."""
        return fenced_blocks(self.text)

    @cached_property
    def code_free(self) -> str:
        """:attr:`head` without fenced code blocks (logs, stack traces, code)."""
        return without_fences(self.text)

    @cached_property
    def code_free_lower(self) -> str:
        """:attr:`code_free` lower-cased."""
        return self.lower if self.code_free is self.text else self.code_free.lower()

    @cached_property
    def code_free_lines(self) -> list[str]:
        """:attr:`code_free` split into lines (read it, do not change it)."""
        return self.code_free.splitlines()

    # --- structure ---------------------------------------------------------------------------

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        """Sections at headings and at short ``Label:`` lines, code left out."""
        return split_sections(self.code_free_lines)

    @cached_property
    def label_lines(self) -> tuple[str, ...]:
        """Heading-like lines, lower-cased, without ``#``, ``*`` and ``:``."""
        return heading_like(self.code_free_lines)

    @cached_property
    def task_items(self) -> tuple[tuple[bool, str], ...]:
        """``(checked, text)`` for every task-list item."""
        return task_items(self.text)

    @cached_property
    def without_criteria(self) -> str:
        """The text without its acceptance-criteria section (judged by the BL2xx rules)."""
        low = self.lower
        if "criteri" not in low and "done" not in low and "ac" not in low:
            return self.text
        kept = [
            part.text
            for part in self.sections
            if not (part.title and _CRITERIA_HEADING.search(part.title))
        ]
        return "\n\n".join(kept)

    # --- words -------------------------------------------------------------------------------

    @cached_property
    def tokens(self) -> tuple[str, ...]:
        """Lower-case tokens of the whole text ("and/or", "user-friendly", "don't" whole)."""
        return tuple(TOKEN.findall(self.lower))

    @cached_property
    def joined_tokens(self) -> str:
        """The tokens joined by single spaces, with a space before and after (for phrases)."""
        return " " + " ".join(self.tokens) + " "

    @cached_property
    def token_set(self) -> frozenset[str]:
        """The distinct tokens."""
        return frozenset(self.tokens)

    @cached_property
    def word_count(self) -> int:
        """How many words (letters, apostrophes, hyphens) :attr:`head` has."""
        return len(WORD.findall(self.head))

    def words_up_to(self, limit: int) -> int:
        """:attr:`word_count`, or ``limit`` when there are at least that many words.

        A threshold needs no more: the words of a prefix are never more than the whole
        text's (a word cut at the end of the prefix is still one word), so a long body is
        counted on its first few hundred characters.
        """
        if "word_count" in self.__dict__:
            return min(self.word_count, limit)
        prefix = self.head[: 16 * limit]
        if len(prefix) < len(self.head) and len(WORD.findall(prefix)) >= limit:
            return limit
        return min(self.word_count, limit)

    # --- prose -------------------------------------------------------------------------------

    @cached_property
    def prose_blocks(self) -> tuple[str, ...]:
        """The prose as blocks (paragraphs, list items, headings), one string each."""
        return blocks_of(self.code_free_lines)

    @cached_property
    def prose(self) -> str:
        """The prose as one string, one block per line."""
        return "\n".join(self.prose_blocks)

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        """The sentences of the prose."""
        return sentences_of(self.prose_blocks)

    @cached_property
    def prose_flags(self) -> tuple[bool, ...]:
        """For each sentence, whether it is prose rather than pasted code or data."""
        return tuple(is_prose(sentence) for sentence in self.sentences)

    @cached_property
    def longest_sentence(self) -> tuple[str, int, int]:
        """(longest prose sentence, its word count, word count of all sentences)."""
        found = self.sentences
        counts = [len(sentence.split()) for sentence in found]
        total = sum(counts)
        for count, sentence in sorted(zip(counts, found, strict=True), reverse=True):
            if is_prose(sentence):  # usually the first: only the longest are checked
                return sentence, count, total
        return "", 0, total

    @cached_property
    def reading_ease(self) -> float:
        """Flesch reading ease of the prose sentences."""
        flags = self.prose_flags
        return reading_ease(s for s, flag in zip(self.sentences, flags, strict=True) if flag)[0]


@functools.lru_cache(maxsize=CACHE_SIZE)
def document(text: str) -> Document:
    """The :class:`Document` of ``text``, shared by every rule that reads the same text."""
    return Document(text)

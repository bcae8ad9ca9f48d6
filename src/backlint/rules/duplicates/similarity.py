"""How alike two tickets are: documents of word stems and the weighted score of a pair.

Pure functions, no I/O. :func:`document` turns a ticket's title and body (issue-form boilerplate
already removed, :mod:`~.boilerplate`) into title stems and body stems
(:func:`~.stems.normalise_tokens`: code, URLs, Markdown and tables of versions dropped, words
lower-cased, stop words removed, suffixes lightly stemmed, everyday synonyms merged; quoted
numbers, which are ids, left out), plus the error messages it quotes (:mod:`~.signatures`).
:func:`similarity` scores a pair, 0-1: half an IDF-weighted Jaccard similarity of all stems
(rare shared words count more than common ones; title words count double), half how much of each
title turns up in the other ticket. The search over a whole backlog is in :mod:`~.search`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from backlint.rules.duplicates.signatures import error_signatures
from backlint.rules.duplicates.stems import (
    CONCEPTS,
    MAX_CHARS,
    STOP_WORDS,
    clean_text,
    normalise_tokens,
    stem,
)

# The text and hashing steps live in their own modules; their names stay importable from here.
__all__ = [
    "CONCEPTS",
    "MAX_CHARS",
    "STOP_WORDS",
    "Document",
    "SimilarPair",
    "Weights",
    "clean_text",
    "document",
    "normalise_tokens",
    "similarity",
    "stem",
    "title_containment",
    "title_key",
    "weighted_jaccard",
]


_QUOTED_NUMBER = re.compile(r"[\"'`]\d+[\"'`]")


@dataclass(frozen=True, slots=True)
class Document:
    """One ticket as the duplicate search sees it: title stems, body stems (body without the
    title's), the error messages it quotes (:mod:`~.signatures`) and its text as compared (for
    :mod:`~.contrast`, which reads it only for the few pairs that come close)."""

    key: str
    title: frozenset[str]
    body: frozenset[str]
    errors: frozenset[str] = frozenset()
    text: tuple[str, str] = ("", "")
    planned: bool = False

    @property
    def stems(self) -> frozenset[str]:
        return self.title | self.body


def title_key(title: str) -> frozenset[str]:
    """The stems of a title as the search compares titles. A quoted number is an id
    ('Cannot add node "5370"'), which differs between two reports of one failure: left out."""
    return frozenset(normalise_tokens(_QUOTED_NUMBER.sub(" ", title), 50))


def document(key: str, title: str, body: str, limit: int = 400, planned: bool = False) -> Document:
    """Build a :class:`Document` from a ticket's title and plain-text body (issue-form
    boilerplate already removed, see :mod:`~.boilerplate`); ``planned`` marks planned work
    (:func:`~.contrast.planned_work`)."""
    title_stems = title_key(title)
    body_stems = frozenset(normalise_tokens(_QUOTED_NUMBER.sub(" ", body[:MAX_CHARS]), limit))
    body_stems -= title_stems
    return Document(
        key=key,
        title=title_stems,
        body=body_stems,
        errors=error_signatures("", body),
        text=(title, body),
        planned=planned,
    )


class Weights:
    """IDF weights over a set of documents: rare stems weigh more, title stems twice."""

    def __init__(self, documents: Sequence[Document], title_boost: float = 2.0) -> None:
        frequency: dict[str, int] = {}
        for doc in documents:
            for token in doc.stems:
                frequency[token] = frequency.get(token, 0) + 1
        self.count = max(1, len(documents))
        self.frequency = frequency
        self.title_boost = title_boost
        self._idf: dict[str, float] = {}

    def idf(self, token: str) -> float:
        value = self._idf.get(token)
        if value is None:
            value = self._idf[token] = (
                math.log((1 + self.count) / (1 + self.frequency.get(token, 0))) + 1.0
            )
        return value

    def weighted(self, doc: Document) -> dict[str, float]:
        """Each stem of ``doc`` with its weight."""
        weights = {token: self.idf(token) for token in doc.body}
        for token in doc.title:
            weights[token] = self.idf(token) * self.title_boost
        return weights


def weighted_jaccard(left: dict[str, float], right: dict[str, float]) -> float:
    """Σ min(w) / Σ max(w) over the union of two weighted stem sets (0.0 when both are empty)."""
    if len(left) > len(right):
        left, right = right, left
    low = 0.0
    for token, weight in left.items():
        other = right.get(token)
        if other is not None:
            low += min(weight, other)
    # Σ max over the union = Σ left + Σ right - Σ min over the shared stems.
    total = sum(left.values()) + sum(right.values()) - low
    return low / total if total else 0.0


def title_containment(doc: Document, other: Document, weights: Weights) -> float:
    """How much of ``doc``'s title (IDF-weighted) appears anywhere in ``other``, 0-1."""
    total = sum(weights.idf(t) for t in doc.title)
    if not total:
        return 0.0
    found = sum(weights.idf(t) for t in doc.title if t in other.title or t in other.body)
    return found / total


def similarity(
    left: Document, right: Document, weights: Weights, cache: dict[str, dict[str, float]]
) -> float:
    """The duplicate score of two documents, 0-1: half the weighted Jaccard similarity of all
    their stems, half how much of each title the other ticket mentions (averaged both ways).

    The title half is what tells a rewritten report of the same problem (each title's words turn
    up in the other ticket) from two unrelated tickets that happen to paste the same text.
    """
    first = cache.get(left.key) or cache.setdefault(left.key, weights.weighted(left))
    second = cache.get(right.key) or cache.setdefault(right.key, weights.weighted(right))
    overall = weighted_jaccard(first, second)
    titles = (title_containment(left, right, weights) + title_containment(right, left, weights)) / 2
    return (overall + titles) / 2


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two documents (by index), their verified weighted similarity and, when that is below the
    threshold, why they are duplicates all the same ("same title", "same error message")."""

    first: int
    second: int
    similarity: float
    reason: str = ""

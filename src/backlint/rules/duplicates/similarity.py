"""Near-duplicate search for ticket text: normalising, MinHash signatures and LSH banding.

Pure functions, no I/O, deterministic (hashes come from ``hashlib``, never from Python's salted
``hash``). The method, in the order :func:`find_similar_pairs` applies it:

1. :func:`~.stems.normalise_tokens` turns a title and body into a set of word stems:
   code, URLs, HTML comments, Markdown syntax and issue-template boilerplate are dropped, words
   lower-cased, stop words removed and suffixes lightly stemmed, so "Payments failing" and
   "payment fails" share their stems (:mod:`backlint.rules.duplicates.stems`).
2. Words that occur in a large share of the tickets (template phrases, the product's own name)
   are dropped as corpus stop words before hashing.
3. Each ticket's stems get a MinHash signature (``bands × rows`` minimums of independent
   hashes, :mod:`~.minhash`); tickets whose signatures agree on all rows of any band
   become candidate pairs. The chance that a pair with Jaccard similarity ``s`` becomes a
   candidate is ``1 - (1 - s**rows) ** bands``: high for paraphrases, tiny for unrelated
   tickets. Work grows with the number of tickets, not with the number of pairs.
4. Each candidate pair is scored exactly by :func:`similarity`: half an IDF-weighted Jaccard
   similarity of all stems (rare shared words count more than common ones; title words count
   double), half how much of each title turns up in the other ticket. Pairs at or above the
   threshold are kept. Below :data:`EXACT_BELOW` tickets, every pair sharing a stem is scored
   and LSH is skipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from backlint.rules.duplicates.minhash import lsh_candidates, minhash_signatures
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
    "EXACT_BELOW",
    "MAX_CHARS",
    "STOP_WORDS",
    "Document",
    "SimilarPair",
    "Weights",
    "clean_text",
    "document",
    "find_similar_pairs",
    "groups",
    "lsh_candidates",
    "minhash_signatures",
    "normalise_tokens",
    "similarity",
    "stem",
    "title_containment",
    "weighted_jaccard",
]


@dataclass(frozen=True, slots=True)
class Document:
    """One ticket as the duplicate search sees it: title stems and body stems (body without the
    title's)."""

    key: str
    title: frozenset[str]
    body: frozenset[str]

    @property
    def stems(self) -> frozenset[str]:
        return self.title | self.body


def document(key: str, title: str, body: str, limit: int = 400) -> Document:
    """Build a :class:`Document` from a ticket's title and plain-text body."""
    title_stems = frozenset(normalise_tokens(title, 50))
    body_stems = frozenset(normalise_tokens(body, limit)) - title_stems
    return Document(key=key, title=title_stems, body=body_stems)


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


class _Scorer:
    """:func:`similarity` for many pairs: each document's weights and sums are worked out once,
    and a pair whose score cannot reach the threshold is dropped before the weighted Jaccard
    (the scores it returns are exactly :func:`similarity`'s: same sums in the same order)."""

    def __init__(self, documents: Sequence[Document], weights: Weights) -> None:
        self.documents = documents
        self.weights = weights
        self.prepared: dict[str, tuple[dict[str, float], float, list[tuple[str, float]], float]]
        self.prepared = {}

    def _prepare(
        self, doc: Document
    ) -> tuple[dict[str, float], float, list[tuple[str, float]], float]:
        found = self.prepared.get(doc.key)
        if found is None or not found[0]:  # as similarity()'s cache: keyed on the ticket key
            weighted = self.weights.weighted(doc)
            title = [(token, self.weights.idf(token)) for token in doc.title]
            found = (weighted, sum(weighted.values()), title, sum(w for _, w in title))
            self.prepared[doc.key] = found
        return found

    @staticmethod
    def _containment(title: list[tuple[str, float]], total: float, other: Document) -> float:
        if not total:
            return 0.0
        found = sum(w for token, w in title if token in other.title or token in other.body)
        return found / total

    def score(self, first: int, second: int, threshold: float) -> float | None:
        """The pair's :func:`similarity`, or None when it is certainly below ``threshold``."""
        left, right = self.documents[first], self.documents[second]
        left_w, left_sum, left_title, left_title_sum = self._prepare(left)
        right_w, right_sum, right_title, right_title_sum = self._prepare(right)
        titles = (
            self._containment(left_title, left_title_sum, right)
            + self._containment(right_title, right_title_sum, left)
        ) / 2
        # The weighted Jaccard is at most min(sum)/max(sum): the shared weight is at most the
        # smaller side's total.
        largest = max(left_sum, right_sum)
        bound = min(left_sum, right_sum) / largest if largest else 0.0
        if (bound + titles) / 2 < threshold - 1e-9:
            return None
        if len(left_w) > len(right_w):
            left_w, right_w, left_sum, right_sum = right_w, left_w, right_sum, left_sum
        low = 0.0
        for token, weight in left_w.items():
            other = right_w.get(token)
            if other is not None:
                low += min(weight, other)
        total = left_sum + right_sum - low
        overall = low / total if total else 0.0
        return (overall + titles) / 2


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two documents (by index) and their verified weighted similarity."""

    first: int
    second: int
    similarity: float


#: Below this many documents every pair that shares a stem is compared exactly.
EXACT_BELOW = 2000


def _exact_candidates(token_sets: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    postings: dict[str, list[int]] = {}
    for index, tokens in enumerate(token_sets):
        for token in tokens:
            postings.setdefault(token, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        for position, first in enumerate(members):
            pairs.update((first, second) for second in members[position + 1 :])
    return sorted(pairs)


def find_similar_pairs(
    documents: Sequence[Document],
    threshold: float = 0.5,
    bands: int = 32,
    rows: int = 3,
    min_stems: int = 5,
    max_share: float = 0.05,
    jaccard_floor: float = 0.3,
) -> tuple[list[SimilarPair], Weights]:
    """Pairs of ``documents`` at or above ``threshold`` weighted similarity, sorted.

    Documents with fewer than ``min_stems`` stems are too short to judge and never paired.
    Stems that only one document has, and stems in more than ``max_share`` of the documents
    (counted from 200 documents up), are left out of candidate search: the first cannot join
    two documents, the second join too many. From :data:`EXACT_BELOW` documents up, candidates
    come from MinHash LSH, and a candidate whose signature-estimated Jaccard similarity is below
    ``jaccard_floor`` is dropped before the exact (slower) :func:`similarity` check.
    """
    weights = Weights(documents)
    common: set[str] = set()
    if len(documents) >= 200:
        cap = max_share * len(documents)
        common = {token for token, df in weights.frequency.items() if df > cap}
    frequency = weights.frequency
    indices, token_sets = [], []
    for index, doc in enumerate(documents):
        if len(doc.stems) < min_stems:
            continue
        # Sorted so that the work, and so the output, never depends on set order.
        useful = sorted(t for t in doc.stems if frequency[t] > 1 and t not in common)
        if useful:
            indices.append(index)
            token_sets.append(useful)
    if len(documents) < EXACT_BELOW:
        candidates = [(indices[a], indices[b]) for a, b in _exact_candidates(token_sets)]
    else:
        import numpy as np

        signatures = minhash_signatures(token_sets, bands * rows)
        local = lsh_candidates(signatures, bands, rows)
        estimate = (signatures[local[:, 0]] == signatures[local[:, 1]]).mean(axis=1)
        local = local[estimate >= jaccard_floor]
        mapped = np.asarray(indices, dtype=np.int64)[local]
        candidates = [(int(a), int(b)) for a, b in mapped]
    scorer = _Scorer(documents, weights)
    pairs = []
    for first, second in candidates:
        score = scorer.score(first, second, threshold)
        if score is not None and score >= threshold:
            pairs.append(SimilarPair(first, second, score))
    return pairs, weights


def groups(pairs: Iterable[SimilarPair], size: int) -> list[list[int]]:
    """Connected groups (union-find) of the paired indices, each sorted, groups sorted."""
    parent = list(range(size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in pairs:
        a, b = root(pair.first), root(pair.second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for node in range(size):
        members.setdefault(root(node), []).append(node)
    return sorted(group for group in members.values() if len(group) > 1)

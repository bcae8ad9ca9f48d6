"""The documents of one duplicate search, stored compactly, and the exact score of a pair.

Pure functions, no I/O. A :class:`Corpus` keeps, for each ticket, only what the search needs:
its stems as sorted ids into one vocabulary (``array('I')``, 4 bytes a stem), its title stems the
same way, the error messages it quotes and whether it is planned work. Tickets whose stems (title
and body) are the very same share one entry, the *representative*'s: the search looks for
candidates among representatives only and scores each pair of them once.

:meth:`Corpus.score` is :func:`~.similarity.similarity` over ids (half the IDF-weighted Jaccard
similarity of all stems, title stems weighing double; half how much of each title the other
ticket mentions), with cheap upper bounds tried first: from the two tickets' total weights
alone, then after one title's containment, so most pairs that cannot reach the floor stop
before any set is built.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from typing import Any

from backlint.rules.duplicates.similarity import Document

#: The same empty set for the many tickets that quote no error.
NO_ERRORS: frozenset[str] = frozenset()
# Scores are compared with this much slack, so a bound never drops a pair that only rounding
# keeps below the floor.
_SLACK = 1e-9


def _ids(vocabulary: dict[str, int], stems: Iterable[str]) -> array:
    setdefault = vocabulary.setdefault
    return array("I", sorted(setdefault(stem, len(vocabulary)) for stem in stems))


class Corpus:
    """Compact documents (see the module docstring), added one at a time with :meth:`add`; then
    :meth:`freeze` works out the IDF weights and each representative's sums."""

    def __init__(self, title_boost: float = 2.0) -> None:
        self.title_boost = title_boost
        self.vocabulary: dict[str, int] = {}
        self.keys: list[str] = []
        self.errors: list[frozenset[str]] = []
        self.planned = bytearray()
        #: For every document, the index of its representative (itself when it is one).
        self.representative = array("I")
        #: Per representative (indexed by document index; ``None`` elsewhere): stem ids, title ids.
        self.stems: list[array | None] = []
        self.titles: list[array | None] = []
        self._seen: dict[int, int] = {}  # a hash of a representative's stems -> its index
        self.frequency = array("I")  # documents per stem id, over every document
        self.idf = array("d")
        self.sums = array("d")  # a representative's total weight (title stems counted twice)
        self.title_sums = array("d")  # ... and its title stems' weight, once
        self._packed: tuple[Any, ...] | None = None  # numpy copies for :meth:`scores`

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, doc: Document) -> int:
        """Store ``doc`` compactly; its index."""
        index = len(self.keys)
        title = _ids(self.vocabulary, doc.title)
        stems = _ids(self.vocabulary, doc.title | doc.body)
        grow = len(self.vocabulary) - len(self.frequency)
        if grow:
            self.frequency.frombytes(bytes(4 * grow))
        for stem in stems:
            self.frequency[stem] += 1
        self.keys.append(doc.key)
        self.errors.append(doc.errors or NO_ERRORS)
        self.planned.append(doc.planned)
        fingerprint = hash((stems.tobytes(), title.tobytes()))
        other = self._seen.get(fingerprint)
        if other is not None and self.stems[other] == stems and self.titles[other] == title:
            self.representative.append(other)
            self.stems.append(None)
            self.titles.append(None)
            return index
        self._seen.setdefault(fingerprint, index)
        self.representative.append(index)
        self.stems.append(stems)
        self.titles.append(title)
        return index

    def freeze(self) -> None:
        """Work out the IDF weights and each representative's sums (after the last :meth:`add`)."""
        self._seen = {}
        count = max(1, len(self.keys))
        self.idf = array("d", (math.log((1 + count) / (1 + df)) + 1.0 for df in self.frequency))
        idf, boost = self.idf, self.title_boost
        self.sums = array("d", bytes(8 * len(self.keys)))
        self.title_sums = array("d", bytes(8 * len(self.keys)))
        for index, (stems, title) in enumerate(zip(self.stems, self.titles, strict=True)):
            if stems is not None and title is not None:
                title_sum = sum(idf[t] for t in title)
                self.title_sums[index] = title_sum
                self.sums[index] = sum(idf[t] for t in stems) + (boost - 1.0) * title_sum

    def stem_count(self, index: int) -> int:
        stems = self.stems[self.representative[index]]
        return len(stems) if stems is not None else 0

    def body_count(self, index: int) -> int:
        """How many stems the ticket has beside its title's."""
        rep = self.representative[index]
        stems, title = self.stems[rep], self.titles[rep]
        return len(stems) - len(title) if stems is not None and title is not None else 0

    def title_of(self, index: int) -> array:
        title = self.titles[self.representative[index]]
        return title if title is not None else array("I")

    def _contained(self, title: array, total: float, other: set[int]) -> float:
        if not total:
            return 0.0
        idf = self.idf
        return sum(idf[t] for t in title if t in other) / total

    def titles_mentioned(self, first: int, second: int) -> float:
        """How much of each title the other ticket mentions (IDF-weighted, averaged both ways):
        the title half of the score."""
        left, right = self.representative[first], self.representative[second]
        left_stems, right_stems = self.stems[left], self.stems[right]
        left_title, right_title = self.titles[left], self.titles[right]
        assert left_stems is not None and right_stems is not None
        assert left_title is not None and right_title is not None
        return (
            self._contained(left_title, self.title_sums[left], set(right_stems))
            + self._contained(right_title, self.title_sums[right], set(left_stems))
        ) / 2

    def score(self, first: int, second: int, floor: float) -> float | None:
        """The pair's score, or None when it is certainly below ``floor``."""
        left, right = self.representative[first], self.representative[second]
        if left == right:
            return 1.0
        left_sum, right_sum = self.sums[left], self.sums[right]
        largest = max(left_sum, right_sum)
        # The weighted Jaccard is at most min(sum)/max(sum): the shared weight is at most the
        # smaller side's total; each containment is at most 1.
        bound = min(left_sum, right_sum) / largest if largest else 0.0
        floor -= _SLACK
        if bound + 1.0 < 2 * floor:
            return None
        left_stems, right_stems = self.stems[left], self.stems[right]
        left_title, right_title = self.titles[left], self.titles[right]
        assert left_stems is not None and right_stems is not None
        assert left_title is not None and right_title is not None
        right_set = set(right_stems)
        first_half = self._contained(left_title, self.title_sums[left], right_set)
        if bound + (first_half + 1.0) / 2 < 2 * floor:
            return None
        left_set = set(left_stems)
        titles = (first_half + self._contained(right_title, self.title_sums[right], left_set)) / 2
        if bound + titles < 2 * floor:
            return None
        idf = self.idf
        shared = left_set & right_set
        # Title stems weigh ``boost`` times their IDF; the smaller weight of a shared stem is
        # boosted only when it is in both titles.
        low = sum(idf[t] for t in shared)
        if self.title_boost != 1.0:
            both = set(left_title).intersection(right_title)
            low += (self.title_boost - 1.0) * sum(idf[t] for t in both)
        total = left_sum + right_sum - low
        overall = low / total if total else 0.0
        return (overall + titles) / 2

    def _pack(self) -> tuple[Any, ...]:
        """Every representative's stems and title stems end to end (numpy), with where each
        ticket's start and how many there are (a copy is 0 of them: it is scored as its
        representative), and the weights and sums as numpy arrays."""
        import numpy as np

        if self._packed is None:
            packed = []
            for rows in (self.stems, self.titles):
                lengths = np.fromiter((len(r) if r is not None else 0 for r in rows), np.int64)
                starts = np.zeros(len(rows), dtype=np.int64)
                np.cumsum(lengths[:-1], out=starts[1:])
                flat = np.frombuffer(b"".join(r.tobytes() for r in rows if r is not None), "u4")
                packed += [flat.astype(np.int64), starts, lengths]
            self._packed = (
                *packed,
                np.frombuffer(self.idf, dtype=np.float64),
                np.frombuffer(self.sums, dtype=np.float64),
                np.frombuffer(self.title_sums, dtype=np.float64),
                np.frombuffer(self.representative, dtype=np.uint32).astype(np.int64),
            )
        return self._packed

    def scores(self, first: Any, second: Any) -> tuple[Any, Any]:
        """The scores of the pairs ``first[k]``, ``second[k]`` (numpy index arrays), as
        :meth:`score` gives them without a floor, and their title halves: all at once, with
        numpy. Each pair's stems are laid out end to end, so one sorted search finds which of
        the first ticket's stems the second has."""
        import numpy as np

        flat, starts, lengths, title_flat, title_starts, title_lengths = self._pack()[:6]
        idf, sums, title_sums, representative = self._pack()[6:]
        left, right = representative[first], representative[second]
        count = len(left)
        width = len(idf) + 1  # keys pair * width + stem are sorted by pair, then by stem

        def laid_out(rows: Any, begin: Any, size: Any, of: Any) -> tuple[Any, Any]:
            pair = np.repeat(np.arange(count), size[of])
            offset = np.arange(len(pair)) - np.repeat(np.cumsum(size[of]) - size[of], size[of])
            return pair, rows[begin[of][pair] + offset]

        def member(keys: Any, sorted_keys: Any) -> tuple[Any, Any]:
            at = np.minimum(np.searchsorted(sorted_keys, keys), max(len(sorted_keys) - 1, 0))
            found = sorted_keys[at] == keys if len(sorted_keys) else np.zeros(len(keys), bool)
            return found, at

        pair, stem = laid_out(flat, starts, lengths, left)
        other_pair, other_stem = laid_out(flat, starts, lengths, right)
        shared, at = member(pair * width + stem, other_pair * width + other_stem)
        title_pair, title_stem = laid_out(title_flat, title_starts, title_lengths, left)
        in_title, _ = member(pair * width + stem, title_pair * width + title_stem)
        title_pair, title_stem = laid_out(title_flat, title_starts, title_lengths, right)
        in_other_title, _ = member(other_pair * width + other_stem, title_pair * width + title_stem)
        in_other_title = in_other_title[at] & shared
        weight = idf[stem]
        boost = self.title_boost
        smaller = np.where(in_title & in_other_title, boost * weight, weight)
        low = np.bincount(pair, weights=np.where(shared, smaller, 0.0), minlength=count)
        mentioned = np.bincount(
            pair, weights=np.where(shared & in_title, weight, 0.0), minlength=count
        )
        mentions = np.bincount(pair, weights=np.where(in_other_title, weight, 0.0), minlength=count)
        with np.errstate(divide="ignore", invalid="ignore"):
            total = sums[left] + sums[right] - low
            overall = np.where(total > 0, low / total, 0.0)
            one = np.where(title_sums[left] > 0, mentioned / title_sums[left], 0.0)
            two = np.where(title_sums[right] > 0, mentions / title_sums[right], 0.0)
        titles = (one + two) / 2
        score = np.where(left == right, 1.0, (overall + titles) / 2)
        return score, np.where(left == right, 1.0, titles)

"""The near-duplicate search: candidate pairs in linear time, then exact verification.

Pure functions, no I/O, deterministic (hashes that decide anything come from ``hashlib``; the
corpus finds copies by Python's ``hash`` but confirms each by comparing the stems).
:func:`search` takes a :class:`~.corpus.Corpus` of documents (issue-form boilerplate already
removed, :mod:`~.boilerplate`; :func:`find_similar_pairs` builds one from
:class:`~.similarity.Document` s) and, in order:

1. **Candidates** (:mod:`~.candidates`). Each ticket is stored compactly (stem ids; tickets
   with the very same stems share one entry). Stems only one ticket has, and stems in more than
   ``max_share`` of the tickets (from 200 tickets up), join no pair. Below
   :data:`EXACT_BELOW` tickets an exact prefix filter finds every pair that shares a stem and
   can reach its floor, without pairing all that share one; from there up, MinHash/LSH
   (``bands × rows`` minimums, :mod:`~.minhash`; a pair with Jaccard similarity ``s`` becomes a
   candidate with chance ``1 - (1 - s**rows) ** bands``, and is dropped when the signatures
   estimate less than ``jaccard_floor``). Tickets whose titles are the same words, and tickets
   that quote the same rare error message (:mod:`~.signatures`), are candidates too (each group
   capped, so the work grows with the number of tickets, not of pairs).
2. **Score** (:meth:`~.corpus.Corpus.scores`, every candidate at once with numpy; the same as
   :func:`~.similarity.similarity`): half the IDF-weighted Jaccard similarity of all
   stems, half how much of each title turns up in the other ticket. A pair is a duplicate from
   ``threshold`` up; from ``same_title_margin`` below it when the titles are the same words (at
   least :data:`MIN_TITLE_STEMS`); from ``error_margin`` below it when both quote the same rare
   error message and each title is, on average, at least ``error_titles`` mentioned by the
   other ticket. Two
   pieces of planned work (:func:`~.contrast.planned_work`) need ``planned_threshold``: a near
   copy; in two different projects they are never duplicates.
3. **Not duplicates after all.** Two tickets under the same title that quote different errors
   report different failures. A pair whose titles contrast (:mod:`~.contrast`: opposite
   operations, a different name in the same place, one title adding a name the other ticket
   never mentions) is two pieces of work, however similar the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from backlint.rules.duplicates.boilerplate import project_of
from backlint.rules.duplicates.candidates import (
    MAX_SAME_TITLE,
    MIN_TITLE_STEMS,
    codes,
    error_candidates,
    expand,
    lsh_pairs,
    prefix_pairs,
    title_candidates,
)
from backlint.rules.duplicates.contrast import SPECIFIC_SHARE, Contrast
from backlint.rules.duplicates.corpus import Corpus
from backlint.rules.duplicates.similarity import Document, SimilarPair

#: Below this many documents candidates come from an exact prefix filter; from here up, LSH.
EXACT_BELOW = 2000
#: From this many tickets up, a word few of them use counts as a name (see :mod:`~.contrast`).
RARITY_FROM = 100
#: Why a pair below the threshold is still a duplicate (shown in the finding).
SAME_TITLE, SAME_ERROR = "same title", "same error message"

__all__ = ["EXACT_BELOW", "MAX_SAME_TITLE", "MIN_TITLE_STEMS", "find_similar_pairs", "search"]


def _different_errors(left: frozenset[str], right: frozenset[str]) -> bool:
    """Whether both tickets quote errors and no error of one shares even half its words with
    an error of the other (a quoted error is pasted, not reworded)."""
    if not left or not right:
        return False
    for first in left:
        first_words = set(first.split())
        for second in right:
            second_words = set(second.split())
            if 2 * len(first_words & second_words) >= len(first_words | second_words):
                return False
    return True


def _scored(
    corpus: Corpus, candidates: Any, count: int, lowest: float
) -> Iterator[tuple[int, int, float, float]]:
    """The pairs of :func:`~.candidates.codes` ``candidates`` that score ``lowest`` or more,
    in order, with their score and title half; scored a block at a time."""
    for start in range(0, len(candidates), 1 << 14):
        block = candidates[start : start + (1 << 14)]
        first, second = block // count, block % count
        scores, titles = corpus.scores(first, second)
        kept = scores >= lowest
        yield from zip(
            first[kept].tolist(),
            second[kept].tolist(),
            scores[kept].tolist(),
            titles[kept].tolist(),
            strict=True,
        )


def find_similar_pairs(
    documents: Sequence[Document], **options: float
) -> tuple[list[SimilarPair], Corpus]:
    """:func:`search` over ``documents`` (their texts as compared from :attr:`Document.text`):
    the duplicate pairs, sorted, and the :class:`~.corpus.Corpus` searched."""
    corpus = Corpus()
    for doc in documents:
        corpus.add(doc)
    return search(corpus, lambda index: documents[index].text, **options), corpus


def search(
    corpus: Corpus,
    text_of: Callable[[int], tuple[str, str]],
    threshold: float = 0.5,
    min_stems: int = 5,
    max_share: float = 0.05,
    jaccard_floor: float = 0.3,
    planned_threshold: float = 0.9,
    same_title_margin: float = 0.08,
    error_margin: float = 0.18,
    error_titles: float = 0.6,
) -> list[SimilarPair]:
    """Pairs of ``corpus``'s documents that are duplicates (see the module docstring), sorted,
    with their similarity. ``text_of`` gives a document's (title, body) as compared, read only
    for the pairs that come close. Documents with fewer than ``min_stems`` stems are too short
    to judge and never paired."""
    if len(corpus) < 2:
        return []  # nothing to pair (the Action's one ticket): numpy is not even imported
    import numpy as np

    corpus.freeze()
    count = len(corpus)
    same_title_floor, error_floor = threshold - same_title_margin, threshold - error_margin
    frequency = corpus.frequency
    common_above = max_share * count if count >= 200 else float("inf")
    judged = [i for i in range(count) if corpus.stem_count(i) >= min_stems]
    titled, big_titles = title_candidates(corpus, judged)
    if count < EXACT_BELOW:
        floors = {i: min(threshold, same_title_floor) for i in big_titles}
        exact, linked = prefix_pairs(corpus, judged, threshold, floors, common_above)
        found = expand(corpus, codes(exact, count), linked)
    else:  # copies are banded as tickets of their own (see lsh_pairs)
        found, _ = lsh_pairs(corpus, judged, common_above, jaccard_floor)
    quoted, rare = error_candidates(corpus, judged)
    candidates = np.unique(np.concatenate([found, codes(quoted | titled, count)]))
    del found
    # How rare a word must be to name something; a small backlog cannot tell, and then only
    # identifiers and capitalised title words count as names.
    specific_cap = SPECIFIC_SHARE * count if count >= RARITY_FROM else 0.0
    vocabulary = corpus.vocabulary

    def specific(stem: str) -> bool:
        found = vocabulary.get(stem)
        return found is None or frequency[found] <= specific_cap

    contrast = Contrast(text_of, corpus.body_count, specific)
    keys, errors, planned_work = corpus.keys, corpus.errors, corpus.planned
    # Every candidate is scored at once (numpy); only those that reach the lowest floor any
    # pair can have go on.
    lowest = min(threshold, same_title_floor, error_floor) - 1e-9
    pairs = []
    for first, second, score, titles in _scored(corpus, candidates, count, lowest):
        planned = planned_work[first] and planned_work[second]
        if planned and project_of(keys[first]) != project_of(keys[second]):
            continue  # the same chore planned in two projects is each project's own work
        need = max(threshold, planned_threshold) if planned else threshold
        # Below the threshold: the same title words, or the same rare error quoted.
        left_title, right_title = corpus.title_of(first), corpus.title_of(second)
        same_title = not planned and len(left_title) >= MIN_TITLE_STEMS
        same_title = same_title and left_title == right_title
        shared_error = not planned and bool(errors[first] & errors[second] & rare)
        floor = min(
            need,
            same_title_floor if same_title else need,
            error_floor if shared_error else need,
        )
        if score < floor:
            continue
        reason = ""
        if score < need:
            if same_title and score >= same_title_floor:
                reason = SAME_TITLE
            elif shared_error and titles >= error_titles:
                reason = SAME_ERROR
            else:
                continue
        if left_title == right_title and _different_errors(errors[first], errors[second]):
            continue  # the same title ("failure in test X"), but different errors
        if contrast.siblings(first, second):
            continue
        pairs.append(SimilarPair(first, second, score, reason))
    return pairs

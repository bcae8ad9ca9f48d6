"""The near-duplicate search: candidate pairs in linear time, then exact verification.

Pure functions, no I/O, deterministic (hashes come from ``hashlib``, never from Python's salted
``hash``). :func:`find_similar_pairs` takes :class:`~.similarity.Document` s (issue-form
boilerplate already removed, :mod:`~.boilerplate`) and, in order:

1. **Candidates.** Stems only one ticket has cannot join two tickets and are left out; so are
   stems in more than ``max_share`` of the tickets (from 200 tickets up). Below
   :data:`EXACT_BELOW` tickets every pair sharing a stem is a candidate. From there up each
   ticket gets a MinHash signature (``bands × rows`` minimums, :mod:`~.minhash`) and tickets
   agreeing on all rows of a band are candidates (a pair with Jaccard similarity ``s`` becomes
   one with chance ``1 - (1 - s**rows) ** bands``); those whose signatures estimate a Jaccard
   similarity below ``jaccard_floor`` are dropped. Tickets whose titles are the same words, and
   tickets that quote the same rare error message (:mod:`~.signatures`), are candidates too
   (each group capped, so the work grows with the number of tickets, not of pairs).
2. **Score.** :func:`~.similarity.similarity`: half the IDF-weighted Jaccard similarity of all
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

from collections.abc import Sequence

from backlint.rules.duplicates.boilerplate import project_of
from backlint.rules.duplicates.contrast import SPECIFIC_SHARE, Contrast
from backlint.rules.duplicates.minhash import lsh_candidates, minhash_signatures
from backlint.rules.duplicates.similarity import Document, SimilarPair, Weights, _Scorer

#: Below this many documents every pair that shares a stem is compared exactly.
EXACT_BELOW = 2000
#: A title of fewer words than this ("Update docs") says too little to pair tickets on alone.
MIN_TITLE_STEMS = 3
#: More tickets than this under the same title words are paired by their text alone.
MAX_SAME_TITLE = 50
#: An error message quoted by more tickets than this is too common to tell duplicates apart
#: (and would pair too many tickets).
MAX_ERROR_TICKETS = 20
#: From this many tickets up, a word few of them use counts as a name (see :mod:`~.contrast`).
RARITY_FROM = 100
#: Why a pair below the threshold is still a duplicate (shown in the finding).
SAME_TITLE, SAME_ERROR = "same title", "same error message"


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


def _lsh_candidates(
    indices: list[int], token_sets: list[list[str]], bands: int, rows: int, floor: float
) -> set[tuple[int, int]]:
    import numpy as np

    signatures = minhash_signatures(token_sets, bands * rows)
    local = lsh_candidates(signatures, bands, rows)
    estimate = (signatures[local[:, 0]] == signatures[local[:, 1]]).mean(axis=1)
    local = local[estimate >= floor]
    mapped = np.asarray(indices, dtype=np.int64)[local]
    return {(int(a), int(b)) for a, b in mapped}


def _grouped(postings: dict, cap: int) -> set[tuple[int, int]]:
    """Every pair inside each group of 2 to ``cap`` members."""
    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        if 2 <= len(members) <= cap:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs


def _error_candidates(
    documents: Sequence[Document], indices: Sequence[int]
) -> tuple[set[tuple[int, int]], set[str]]:
    """Pairs of ``indices`` that quote the same error message, and the messages rare enough to
    count (quoted by 2 to :data:`MAX_ERROR_TICKETS` tickets, and by at most a fifth of them)."""
    postings: dict[str, list[int]] = {}
    for index in indices:
        for signature in sorted(documents[index].errors):
            postings.setdefault(signature, []).append(index)
    cap = min(MAX_ERROR_TICKETS, max(2, len(documents) // 5))
    rare = {signature for signature, members in postings.items() if 2 <= len(members) <= cap}
    return _grouped({s: postings[s] for s in rare}, cap), rare


def _title_candidates(
    documents: Sequence[Document], indices: Sequence[int]
) -> set[tuple[int, int]]:
    """Pairs of ``indices`` whose titles are the same words (at least :data:`MIN_TITLE_STEMS`
    of them), however different their bodies."""
    postings: dict[frozenset[str], list[int]] = {}
    for index in indices:
        if len(documents[index].title) >= MIN_TITLE_STEMS:
            postings.setdefault(documents[index].title, []).append(index)
    return _grouped(postings, MAX_SAME_TITLE)


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


def find_similar_pairs(
    documents: Sequence[Document],
    threshold: float = 0.5,
    bands: int = 32,
    rows: int = 3,
    min_stems: int = 5,
    max_share: float = 0.05,
    jaccard_floor: float = 0.3,
    planned_threshold: float = 0.9,
    same_title_margin: float = 0.08,
    error_margin: float = 0.18,
    error_titles: float = 0.6,
) -> tuple[list[SimilarPair], Weights]:
    """Pairs of ``documents`` that are duplicates (see the module docstring), sorted, with
    their similarity; and the IDF weights used. Documents with fewer than ``min_stems`` stems are
    too short to judge and never paired."""
    same_title_floor, error_floor = threshold - same_title_margin, threshold - error_margin
    weights = Weights(documents)
    frequency = weights.frequency
    common: set[str] = set()
    if len(documents) >= 200:
        common = {token for token, df in frequency.items() if df > max_share * len(documents)}
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
        candidates = {(indices[a], indices[b]) for a, b in _exact_candidates(token_sets)}
    else:
        candidates = _lsh_candidates(indices, token_sets, bands, rows, jaccard_floor)
    judged = [i for i, doc in enumerate(documents) if len(doc.stems) >= min_stems]
    quoted, rare = _error_candidates(documents, judged)
    candidates |= quoted | _title_candidates(documents, judged)
    # How rare a word must be to name something; a small backlog cannot tell, and then only
    # identifiers and capitalised title words count as names.
    specific_cap = SPECIFIC_SHARE * len(documents) if len(documents) >= RARITY_FROM else 0.0
    contrast = Contrast(
        {doc.key: doc.text for doc in documents},
        {doc.key: doc.body for doc in documents},
        lambda stem: frequency.get(stem, 0) <= specific_cap,
    )
    scorer = _Scorer(documents, weights)
    pairs = []
    for first, second in sorted(candidates):
        left, right = documents[first], documents[second]
        planned = left.planned and right.planned
        if planned and project_of(left.key) != project_of(right.key):
            continue  # the same chore planned in two projects is each project's own work
        need = max(threshold, planned_threshold) if planned else threshold
        # Below the threshold: the same title words, or the same rare error quoted.
        same_title = not planned and len(left.title) >= MIN_TITLE_STEMS
        same_title = same_title and left.title == right.title
        shared_error = not planned and bool(left.errors & right.errors & rare)
        floor = min(
            need,
            same_title_floor if same_title else need,
            error_floor if shared_error else need,
        )
        score = scorer.score(first, second, floor)
        if score is None or score < floor:
            continue
        reason = ""
        if score < need:
            if same_title and score >= same_title_floor:
                reason = SAME_TITLE
            elif shared_error and scorer.titles(first, second) >= error_titles:
                reason = SAME_ERROR
            else:
                continue
        if left.title == right.title and _different_errors(left.errors, right.errors):
            continue  # the same title ("failure in test X"), but different errors
        if contrast.siblings(left.key, right.key):
            continue
        pairs.append(SimilarPair(first, second, score, reason))
    return pairs, weights

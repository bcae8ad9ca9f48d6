"""Candidate pairs for the duplicate search: the few pairs of a backlog worth scoring.

Pure functions, no I/O, deterministic. Stems only one ticket has cannot join two tickets and are
left out; so are stems in more than a given share of the tickets (*common* stems). Candidates are
looked for among representatives (:class:`~.corpus.Corpus`: one per set of identical stems) and
then expanded to their tickets (:func:`expand`).

* :func:`prefix_pairs` (small and medium backlogs) is exact: it finds every pair that shares a
  stem and can reach the floor, without pairing all tickets that share one. Stems are ordered
  rarest first; a pair's score is at most what its first shared stem and the stems after it
  could give on either side (the weighted Jaccard at most the share of a ticket's weight from
  there on, that ticket's title at most the share of its title weight from there on, the other
  title at most all), so only each ticket's *prefix*, the stems before that bound drops below
  the floor, is indexed, and only tickets sharing a prefix stem are paired.
* :func:`lsh_pairs` (large backlogs) signs each ticket with MinHash (:mod:`~.minhash`) and pairs
  tickets that agree on all rows of a band; a pair whose signatures estimate a Jaccard
  similarity below a floor is dropped. Linear in the number of tickets.
* :func:`title_candidates` and :func:`error_candidates`: tickets whose titles are the same words,
  and tickets that quote the same rare error message, each group capped.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

from backlint.rules.duplicates.corpus import Corpus
from backlint.rules.duplicates.minhash import BANDS, ROWS, SIZE, base_hashes, id_signatures
from backlint.rules.duplicates.minhash import lsh_candidates as band_pairs

#: A title of fewer words than this ("Update docs") says too little to pair tickets on alone.
MIN_TITLE_STEMS = 3
#: More tickets than this under the same title words are paired by their text alone.
MAX_SAME_TITLE = 50
#: An error message quoted by more tickets than this is too common to tell duplicates apart
#: (and would pair too many tickets).
MAX_ERROR_TICKETS = 20
#: Tickets with the very same stems are all paired up to this many; a larger group is chained
#: (each ticket paired with the next), so a flood of copies costs linear work.
MAX_GROUP = 50
# Bounds are compared with this much slack, so rounding never drops a pair.
_SLACK = 1e-9

Pairs = set[tuple[int, int]]


def _grouped(postings: Iterable[list[int]], cap: int) -> Pairs:
    """Every pair inside each group of 2 to ``cap`` members."""
    pairs: Pairs = set()
    for members in postings:
        if 2 <= len(members) <= cap:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs


def error_candidates(corpus: Corpus, judged: Sequence[int]) -> tuple[Pairs, set[str]]:
    """Pairs of ``judged`` that quote the same error message, and the messages rare enough to
    count (quoted by 2 to :data:`MAX_ERROR_TICKETS` tickets, and by at most a fifth of them)."""
    postings: dict[str, list[int]] = {}
    for index in judged:
        for signature in sorted(corpus.errors[index]):
            postings.setdefault(signature, []).append(index)
    cap = min(MAX_ERROR_TICKETS, max(2, len(corpus) // 5))
    rare = {signature for signature, members in postings.items() if 2 <= len(members) <= cap}
    return _grouped((postings[s] for s in rare), cap), rare


def title_candidates(corpus: Corpus, judged: Sequence[int]) -> tuple[Pairs, set[int]]:
    """Pairs of ``judged`` whose titles are the same words (at least :data:`MIN_TITLE_STEMS`
    of them), however different their bodies; and the tickets of groups too large to pair."""
    postings: dict[bytes, list[int]] = {}
    for index in judged:
        title = corpus.title_of(index)
        if len(title) >= MIN_TITLE_STEMS:
            postings.setdefault(title.tobytes(), []).append(index)
    large = {i for members in postings.values() if len(members) > MAX_SAME_TITLE for i in members}
    return _grouped(postings.values(), MAX_SAME_TITLE), large


def useful_stems(
    corpus: Corpus, judged: Sequence[int], common_above: float, copies: bool = False
) -> Iterable[tuple[int, list[int]]]:
    """Each representative among ``judged`` (and, with ``copies``, each of its copies too) with
    the stems that can join it to another ticket (in more than one ticket, in at most
    ``common_above``), when it has any."""
    frequency, representative = corpus.frequency, corpus.representative
    for index in judged:
        rep = representative[index]
        stems = corpus.stems[rep]
        if (copies or rep == index) and stems is not None:
            useful = [t for t in stems if 1 < frequency[t] <= common_above]
            if useful:
                yield index, useful


def prefix_pairs(
    corpus: Corpus,
    judged: Sequence[int],
    floor: float,
    floors: dict[int, float],
    common_above: float,
) -> tuple[Pairs, set[int]]:
    """Every pair of representatives that shares a useful stem and can score ``floor`` (a
    ticket's own floor from ``floors`` when lower), exactly (see the module docstring); and the
    representatives with useful stems."""
    idf, frequency, boost, sums = corpus.idf, corpus.frequency, corpus.title_boost, corpus.sums
    # stem -> [(ticket, its weight from this stem on, share of its title weight from here on)]
    postings: dict[int, list[tuple[int, float, float]]] = {}
    linked: set[int] = set()
    for index, useful in useful_stems(corpus, judged, common_above):
        linked.add(index)
        # score <= (a + (t + 1) / 2) / 2 where a and t are the shares of the ticket's weight and
        # title weight from the first shared stem on: it reaches the floor when 2a + t >= need
        need = 4 * (floors.get(index, floor) - _SLACK) - 1
        title, stems = corpus.titles[index], corpus.stems[index]
        assert title is not None and stems is not None
        in_title, keep = set(title), set(useful)
        total, title_total = sums[index], corpus.title_sums[index] or 1.0
        suffix = title_suffix = 0.0
        tail = []
        for stem in sorted(stems, key=lambda t: (-frequency[t], -t)):  # the most common first
            if stem in in_title:
                suffix += boost * idf[stem]
                title_suffix += idf[stem]
            else:
                suffix += idf[stem]
            tail.append((stem, suffix, title_suffix / title_total))
        for stem, weight, share in reversed(tail):
            if 2 * weight / total + share < need:
                break  # this stem and all after it cannot be the first shared one
            if stem in keep:
                postings.setdefault(stem, []).append((index, weight, share))
    pairs: Pairs = set()
    for members in postings.values():
        for position, (first, first_weight, first_share) in enumerate(members):
            first_sum, first_floor = sums[first], floors.get(first, floor)
            for second, second_weight, second_share in members[position + 1 :]:
                # at the first shared stem: the weighted Jaccard is at most the smaller weight
                # from there on over the union's least total; each title share as above
                shared = min(first_weight, second_weight)
                jaccard = shared / (first_sum + sums[second] - shared)
                need = 2 * (max(first_floor, floors.get(second, floor)) - _SLACK)
                if jaccard + (first_share + second_share) / 2 >= need:
                    pairs.add((first, second))
    return pairs, linked


def lsh_pairs(
    corpus: Corpus, judged: Sequence[int], common_above: float, jaccard_floor: float
) -> tuple[Any, set[int]]:
    """Pairs of tickets that agree on a MinHash band of their useful stems and whose signatures
    estimate a Jaccard similarity of at least ``jaccard_floor``, as :func:`codes`; and the
    tickets with useful stems. Copies are banded as tickets of their own, not through their
    representative: a bucket of more than 50 is chained in ticket order, and which neighbours a
    chain joins should not depend on which tickets are copies."""
    import numpy as np

    indices, lengths, flat = array("I"), array("I"), array("I")
    for index, useful in useful_stems(corpus, judged, common_above, copies=True):
        indices.append(index)
        lengths.append(len(useful))
        flat.extend(useful)
    if len(indices) < 2:
        return np.empty(0, dtype=np.int64), set(indices)
    base = base_hashes(list(corpus.vocabulary))
    signatures = id_signatures(
        np.frombuffer(flat, dtype=np.uint32), np.frombuffer(lengths, dtype=np.uint32), base, SIZE
    )
    del flat, base
    local = band_pairs(signatures, BANDS, ROWS, floor=jaccard_floor)
    del signatures
    mapped = np.frombuffer(indices, dtype=np.uint32).astype(np.int64)[local]
    return mapped[:, 0] * len(corpus) + mapped[:, 1], set(indices)


def codes(pairs: Iterable[tuple[int, int]], count: int) -> Any:
    """Pairs ``(a, b)`` of ``count`` tickets as one int64 numpy array of ``a * count + b``:
    8 bytes a pair, and sorted by ``(a, b)`` once sorted."""
    import numpy as np

    return np.fromiter((a * count + b for a, b in pairs), dtype=np.int64)


def expand(corpus: Corpus, found: Any, linked: set[int]) -> Any:
    """The ticket pairs (:func:`codes`) that ``found`` pairs of representatives stand for, and
    the pairs inside each group of identical tickets whose representative is ``linked`` (has
    useful stems): all of them up to :data:`MAX_GROUP` tickets, a chain beyond."""
    import numpy as np

    groups: dict[int, list[int]] = {}
    for index, rep in enumerate(corpus.representative):
        if rep != index:
            groups.setdefault(rep, [rep]).append(index)
    if not groups:
        return found
    count = len(corpus)
    grouped = np.fromiter(groups, dtype=np.int64)
    touched = np.isin(found // count, grouped) | np.isin(found % count, grouped)
    expanded: Pairs = set()
    for code in found[touched].tolist():
        first, second = divmod(code, count)
        left, right = groups.get(first, [first]), groups.get(second, [second])
        if len(left) <= MAX_GROUP and len(right) <= MAX_GROUP:
            expanded.update((min(a, b), max(a, b)) for a in left for b in right)
        else:
            expanded.update((min(first, b), max(first, b)) for b in right)
            expanded.update((min(a, second), max(a, second)) for a in left)
    for rep, members in groups.items():
        if rep not in linked:
            continue
        if len(members) <= MAX_GROUP:
            expanded |= _grouped([members], MAX_GROUP)
        else:
            expanded.update(pairwise(members))
    return np.concatenate([found, codes(expanded, count)])

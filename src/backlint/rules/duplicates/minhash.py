"""MinHash signatures and LSH banding: candidate pairs of similar stem sets, in linear time.

Deterministic: every hash comes from BLAKE2b (``hashlib``), never from Python's salted ``hash``,
so signatures and candidates are the same on every machine and run. numpy is imported on first
use. :mod:`backlint.rules.duplicates.similarity` verifies the candidates exactly.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Sequence
from typing import Any


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


#: Hash functions per signature: :data:`BANDS` bands of :data:`ROWS` rows.
BANDS, ROWS = 32, 3
SIZE = BANDS * ROWS


def _family(size: int) -> tuple[Any, Any]:
    import numpy as np

    mult = np.array([_hash64(f"a{k}") | 1 for k in range(size)], dtype=np.uint64)
    add = np.array([_hash64(f"b{k}") for k in range(size)], dtype=np.uint64)
    return mult, add


def stem_signature(stems: Iterable[str], size: int = SIZE) -> array:
    """The MinHash signature of one set of stems: ``size`` minimums (``array('I')``), the same
    values :func:`minhash_signatures` gives that set. Every stem gets one 64-bit base hash
    (BLAKE2b); hash function ``k`` is ``(a_k·x + b_k) mod 2**64 >> 32``. An empty set signs as
    all ``2**32 - 1``."""
    import numpy as np

    base = np.fromiter((_hash64(t) for t in set(stems)), dtype=np.uint64)
    if not len(base):
        return array("I", [0xFFFFFFFF]) * size
    mult, add = _family(size)
    hashed = (base[:, None] * mult[None, :] + add[None, :]) >> np.uint64(32)
    return array("I", hashed.min(axis=0).astype(np.uint32).tobytes())


def ticket_signature(title: str, body: str, size: int = SIZE) -> array:
    """One ticket's MinHash signature from its text: :func:`stem_signature` of every stem the
    duplicate search reads in it (:func:`~.similarity.document`; issue-form boilerplate, which
    depends on the rest of the backlog, is not removed). Stable across machines and runs, so it
    can be stored and compared later."""
    from backlint.rules.duplicates.similarity import document

    return stem_signature(document("", title, body).stems, size)


def id_signatures(flat_ids: Any, lengths: Any, base: Any, size: int = SIZE) -> Any:
    """A ``len(lengths) × size`` uint32 array of MinHash signatures (numpy) of sets given as
    ids: ``flat_ids`` holds every set's ids one set after the other, ``lengths`` each set's
    size (none empty), ``base`` each id's 64-bit base hash. The same values as
    :func:`stem_signature` of the sets' stems."""
    import numpy as np

    mult, add = _family(size)
    count = len(lengths)
    starts = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    signatures = np.empty((count, size), dtype=np.uint32)
    step = 256  # sets per chunk: bounds the hashed block to a few MB
    for first in range(0, count, step):
        last = min(first + step, count)
        low, high = starts[first], starts[last]
        hashed = base[flat_ids[low:high]][:, None] * mult[None, :] + add[None, :]
        block = (hashed >> np.uint64(32)).astype(np.uint32)
        signatures[first:last] = np.minimum.reduceat(block, starts[first:last] - low, axis=0)
    return signatures


def base_hashes(stems: Sequence[str]) -> Any:
    """The 64-bit base hash (numpy uint64) of each stem."""
    import numpy as np

    return np.fromiter((_hash64(t) for t in stems), dtype=np.uint64, count=len(stems))


def minhash_signatures(token_sets: Sequence[Sequence[str]], size: int) -> Any:
    """A ``len(token_sets) × size`` uint32 array of MinHash signatures (numpy), one row per set
    as :func:`stem_signature`. Every set must be non-empty."""
    import numpy as np

    vocabulary: dict[str, int] = {}
    ids = [vocabulary.setdefault(t, len(vocabulary)) for tokens in token_sets for t in tokens]
    lengths = np.fromiter((len(tokens) for tokens in token_sets), dtype=np.int64)
    flat = np.asarray(ids, dtype=np.int64)
    return id_signatures(flat, lengths, base_hashes(list(vocabulary)), size)


def lsh_candidates(
    signatures: Any, bands: int, rows: int, max_bucket: int = 50, floor: float = 0.0
) -> Any:
    """Index pairs (an ``n × 2`` int64 array, ``i < j``, unique) whose signatures agree on all
    ``rows`` values of at least one band, and on at least ``floor`` of all their values (an
    estimate of their Jaccard similarity).

    A bucket larger than ``max_bucket`` (many tickets with the very same band, such as a flood
    of identical reports) is chained, each member paired with the next, instead of all with
    all: the chain still joins them into one group, and the work stays linear. Each band's
    pairs are checked against ``floor`` before the next band, so memory follows the pairs kept.
    """
    import numpy as np

    count = signatures.shape[0]
    mixers = np.array([_hash64(f"r{k}") | 1 for k in range(rows)], dtype=np.uint64)
    kept = [np.empty(0, dtype=np.int64)]
    for band in range(bands):
        block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        keys = (block * mixers).sum(axis=1)  # wraps mod 2**64: a hash of the band's rows
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        same = ordered[1:] == ordered[:-1]
        if not same.any():
            continue
        # Neighbours in sorted order with equal keys: covers buckets of two, and chains the rest.
        found = [_codes(order[:-1][same], order[1:][same], count)]
        # Members of buckets of three to max_bucket are also paired with the members two,
        # three, ... places on (equal keys ``k`` apart in sorted order are in one bucket).
        starts = np.flatnonzero(np.concatenate(([True], ~same)))
        sizes = np.diff(np.append(starts, count))
        middle = (sizes >= 3) & (sizes <= max_bucket)
        if middle.any():
            inside = np.repeat(middle, sizes)  # only members of those buckets, still in order
            keys_in, order_in = ordered[inside], order[inside]
            for offset in range(2, int(sizes[middle].max())):
                pair = keys_in[offset:] == keys_in[:-offset]
                found.append(_codes(order_in[:-offset][pair], order_in[offset:][pair], count))
        codes = np.unique(np.concatenate(found))
        kept.append(_agreeing(signatures, codes, count, floor) if floor > 0 else codes)
    codes = np.unique(np.concatenate(kept))
    return np.stack([codes // count, codes % count], axis=1)


def _agreeing(signatures: Any, codes: Any, count: int, floor: float) -> Any:
    """The pair ``codes`` whose signatures agree on at least ``floor`` of their values."""
    import numpy as np

    kept = []
    step = 1 << 15  # pairs per block: bounds the gathered signatures to a few MB
    for start in range(0, len(codes), step):
        block = codes[start : start + step]
        agree = (signatures[block // count] == signatures[block % count]).mean(axis=1)
        kept.append(block[agree >= floor])
    return np.concatenate(kept) if kept else codes


def _codes(first: Any, second: Any, count: int) -> Any:
    import numpy as np

    low, high = np.minimum(first, second), np.maximum(first, second)
    return low.astype(np.int64) * count + high

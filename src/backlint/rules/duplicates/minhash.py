"""MinHash signatures and LSH banding: candidate pairs of similar stem sets, in linear time.

Deterministic: every hash comes from BLAKE2b (``hashlib``), never from Python's salted ``hash``,
so signatures and candidates are the same on every machine and run. numpy is imported on first
use. :mod:`backlint.rules.duplicates.similarity` verifies the candidates exactly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def minhash_signatures(token_sets: Sequence[Sequence[str]], size: int) -> Any:
    """A ``len(token_sets) × size`` uint32 array of MinHash signatures (numpy).

    Each stem gets one 64-bit base hash (BLAKE2b); the ``size`` hash functions are
    multiply-shift hashes of it, ``(a·x + b) mod 2**64 >> 32``, with odd multipliers ``a`` and
    offsets ``b`` derived from BLAKE2b too, so signatures are the same on every machine and run.
    Every set must be non-empty.
    """
    import numpy as np

    vocabulary: dict[str, int] = {}
    ids = [vocabulary.setdefault(t, len(vocabulary)) for tokens in token_sets for t in tokens]
    lengths = np.fromiter((len(tokens) for tokens in token_sets), dtype=np.int64)
    base = np.fromiter((_hash64(t) for t in vocabulary), dtype=np.uint64, count=len(vocabulary))
    mult = np.array([_hash64(f"a{k}") | 1 for k in range(size)], dtype=np.uint64)
    add = np.array([_hash64(f"b{k}") for k in range(size)], dtype=np.uint64)
    table = ((base[:, None] * mult[None, :] + add[None, :]) >> np.uint64(32)).astype(np.uint32)
    token_ids = np.asarray(ids, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    signatures = np.empty((len(token_sets), size), dtype=np.uint32)
    step = 2048  # documents per chunk: bounds the gathered block to a few tens of MB
    for first in range(0, len(token_sets), step):
        last = min(first + step, len(token_sets))
        low, high = starts[first], starts[last - 1] + lengths[last - 1]
        block = table[token_ids[low:high]]
        signatures[first:last] = np.minimum.reduceat(block, starts[first:last] - low, axis=0)
    return signatures


def lsh_candidates(signatures: Any, bands: int, rows: int, max_bucket: int = 50) -> Any:
    """Index pairs (an ``n × 2`` int64 array, ``i < j``, unique) whose signatures agree on all
    ``rows`` values of at least one band.

    A bucket larger than ``max_bucket`` (many tickets with the very same band, such as a flood
    of identical reports) is chained, each member paired with the next, instead of all with
    all: the chain still joins them into one group, and the work stays linear.
    """
    import numpy as np

    count = signatures.shape[0]
    mixers = np.array([_hash64(f"r{k}") | 1 for k in range(rows)], dtype=np.uint64)
    found = [np.empty((0, 2), dtype=np.int64)]
    for band in range(bands):
        block = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        keys = (block * mixers).sum(axis=1)  # wraps mod 2**64: a hash of the band's rows
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        same = ordered[1:] == ordered[:-1]
        if not same.any():
            continue
        # Neighbours in sorted order with equal keys: covers buckets of two, and chains the rest.
        found.append(np.stack([order[:-1][same], order[1:][same]], axis=1))
        # Buckets of three or more (rare) also get their remaining pairs, up to max_bucket.
        edges = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            size = end - start + 1
            if 3 <= size <= max_bucket:
                members = order[start : end + 1]
                pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 2 :]]
                found.append(np.asarray(pairs, dtype=np.int64))
    pairs = np.concatenate(found)
    pairs.sort(axis=1)
    codes = np.unique(pairs[:, 0] * count + pairs[:, 1])
    return np.stack([codes // count, codes % count], axis=1)

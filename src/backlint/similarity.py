"""Near-duplicate search for ticket text: normalising, MinHash signatures and LSH banding.

Pure functions, no I/O, deterministic (hashes come from ``hashlib``, never from Python's salted
``hash``). The method, in the order :func:`find_similar_pairs` applies it:

1. :func:`normalise_tokens` turns a title and body into a set of word stems: code, URLs, HTML
   comments, Markdown syntax and issue-template boilerplate are dropped, words lower-cased,
   stop words removed and suffixes lightly stemmed, so "Payments failing" and "payment fails"
   share their stems.
2. Words that occur in a large share of the tickets (template phrases, the product's own name)
   are dropped as corpus stop words before hashing.
3. Each ticket's stems get a MinHash signature (``bands × rows`` minimums of independent
   hashes); tickets whose signatures agree on all rows of any band become candidate pairs. The
   chance that a pair with Jaccard similarity ``s`` becomes a candidate is
   ``1 - (1 - s**rows) ** bands``: high for paraphrases, tiny for unrelated tickets. Work grows
   with the number of tickets, not with the number of pairs.
4. Each candidate pair is scored exactly by :func:`similarity`: half an IDF-weighted Jaccard
   similarity of all stems (rare shared words count more than common ones; title words count
   double), half how much of each title turns up in the other ticket. Pairs at or above the
   threshold are kept. Below :data:`EXACT_BELOW` tickets, every pair sharing a stem is scored
   and LSH is skipped.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_FENCED = re.compile(
    r"^\s*(```|~~~|\{code[^}]*\}|\{noformat\}).*?^\s*(```|~~~|\{code\}|\{noformat\})", re.M | re.S
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# A word that is code, not prose: it holds "/", "@", "\\", "_", "=", "<", ">", "{", "}" or "|",
# is a dotted name ("org.example.Foo", "setup.py"), a call ("get("), or a command-line flag:
# URLs, e-mail addresses, paths, stack frames, identifiers. Each branch scans a word once
# (possessive), and only from word starts, so the pass stays linear in the text's length.
_CODE_WORD = re.compile(
    r"(?<!\S)(?:[^\s/@\\_=<>{}|]*+[/@\\_=<>{}|]"
    r"|[^\s.]*+\.(?<=\w\.)(?=[A-Za-z])"
    r"|[^\s(]*+\((?<=\w\()"
    r"|--?(?=[A-Za-z]))\S*"
)
#: Only the start of a long body is read: it says what the ticket is about; the rest is logs.
MAX_CHARS = 6000
_INLINE_CODE = re.compile(r"`[^`\n]*`|\{\{[^}\n]*\}\}")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>")
# Words, and numbers of two or three digits (versions such as "iOS 17"); longer numbers are
# order ids, ticket numbers and timestamps, which differ between two reports of one problem.
_TOKEN = re.compile(r"[a-z][a-z0-9]+|\b[0-9]{2,3}\b")

#: English function words plus words every issue template uses; they say nothing about which
#: problem a ticket is about.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing
    don down during each either else even ever every few for from further get gets got had hadn
    has hasn have haven having he her here hers herself him himself his how however i if in into
    is isn it its itself just let like ll may me might more most much must mustn my myself need
    needs no nor not now of off on once one only or other our ours ourselves out over own per
    please re same shall she should shouldn so some such than that the their theirs them
    themselves then there these they this those through to too under until up upon us ve very
    via was wasn way we were weren what when where whether which while who whom why will with
    within without won would wouldn yes yet you your yours yourself yourselves etc eg ie thanks
    thank hi hello anyone someone something anything really still already always never sometimes
    able two three four five six seven eight nine ten first second third last
    describe description clear concise expected expect behavior behaviour actual steps step
    reproduce reproduction additional context screenshot screenshots environment version versions
    information info issue issues bug bugs problem report reported summary details detail
    current currently tried try trying instead happen happens happened see seen using use used
    """.split()  # noqa: SIM905 - a word list reads better as text
)

#: Stems that ticket writers use for the same thing, mapped to one. Kept to everyday ticket
#: vocabulary (reporting, UI actions, failure words); domain words are left to the IDF weights.
CONCEPTS = {
    "mail": "email",
    "e-mail": "email",
    "payment": "pay",
    "paid": "pay",
    "sent": "send",
    "receiv": "send",
    "arriv": "send",
    "iphon": "ios",
    "ipad": "ios",
    "unresponsiv": "noth",
    "freez": "noth",
    "hang": "noth",
    "stuck": "noth",
    "effect": "noth",
    "respond": "noth",
    "purchas": "order",
    "buy": "order",
    "finish": "complet",
    "tap": "click",
    "press": "click",
    "shopper": "customer",
    "buyer": "customer",
    "client": "customer",
    "display": "show",
    "shown": "show",
    "appear": "show",
    "visibl": "show",
    "screen": "page",
    "signin": "login",
    "logon": "login",
    "remov": "delet",
    "error": "fail",
    "failur": "fail",
    "broken": "fail",
    "break": "fail",
    "crash": "fail",
    "exception": "fail",
    "lag": "slow",
    "latency": "slow",
    "basket": "cart",
}

_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("isation", "ize"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ies", "y"),
    ("ied", "y"),
    ("sses", "ss"),
    ("ing", ""),
    ("ed", ""),
    ("es", "e"),
    ("s", ""),
    ("ly", ""),
)
_DOUBLE_END = re.compile(r"([bdfgmnprt])\1$")


def stem(word: str) -> str:
    """A light suffix-stripping stem: plurals, -ed, -ing, -ly and a few derivations.

    Light on purpose: "payments"/"payment", "failing"/"failed"/"fails" meet at "fail", while
    words are not cut so far that unrelated ones collide.
    """
    if len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: -len(suffix)] + replacement
            if suffix in ("ing", "ed"):
                base = _DOUBLE_END.sub(r"\1", base)
                if base.endswith("e") and len(base) > 3:
                    base = base[:-1]
            elif suffix == "es":
                base = base[:-1]
            return base.rstrip("e") if len(base) > 4 and base.endswith("e") else base
    return word.rstrip("e") if len(word) > 4 and word.endswith("e") else word


def clean_text(text: str) -> str:
    """Prose only: no code blocks, inline code, HTML comments or tags, no code words (URLs,
    e-mail addresses, paths, identifiers), and no line that is mostly code (log lines, stack
    traces, compiler flags), which two unrelated tickets can share verbatim."""
    if "```" in text or "~~~" in text or "{code" in text or "{noformat" in text:
        text = _FENCED.sub(" ", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", _HTML_COMMENT.sub(" ", text))
    if "`" in text or "{{" in text:
        text = _INLINE_CODE.sub(" ", text)
    lines = []
    for line in text.splitlines():
        prose, removed = _CODE_WORD.subn(" ", line)
        # A line of which more than 40 % of the words are code is a log or trace line.
        if removed >= 3 and removed * 5 > (line.count(" ") + 1) * 2:
            continue
        lines.append(prose)
    return "\n".join(lines)


_STEMS: dict[str, str] = {}


def _stem_of(word: str) -> str:
    stemmed = stem(word)
    stemmed = CONCEPTS.get(stemmed, stemmed)
    if len(_STEMS) < 500_000:  # a cache, bounded so odd input cannot grow it for ever
        _STEMS[word] = stemmed
    return stemmed


def normalise_tokens(text: str, limit: int = 400) -> list[str]:
    """The stems of ``text`` in order of first appearance, without stop words; at most
    ``limit`` distinct stems (the start of a ticket says what it is about)."""
    words = dict.fromkeys(_TOKEN.findall(clean_text(text[:MAX_CHARS]).lower()))
    get = _STEMS.get
    stems = dict.fromkeys(get(word) or _stem_of(word) for word in words if word not in STOP_WORDS)
    return [token for token in stems if token not in STOP_WORDS][:limit]


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

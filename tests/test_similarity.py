"""backlint.rules.duplicates: normalising text, MinHash/LSH candidates, scores, the search."""

from __future__ import annotations

import random

import numpy as np

from backlint.rules.duplicates.minhash import lsh_candidates, minhash_signatures
from backlint.rules.duplicates.search import EXACT_BELOW, find_similar_pairs
from backlint.rules.duplicates.similarity import (
    clean_text,
    document,
    normalise_tokens,
    stem,
)


def test_stem_joins_inflections():
    assert stem("payments") == stem("payment")
    assert stem("failing") == stem("failed") == stem("fails") == "fail"
    assert stem("status") == "status"


def test_clean_text_drops_code_urls_and_log_lines():
    text = (
        "Checkout fails, see https://example.com/a/b and mail ops@example.com\n"
        "```\nTraceback: boom\n```\n"
        "at org.example.Foo.bar(Foo.java:39) at org.example.Baz.run(Baz.java:12) -Wall -Wextra x\n"
        "<!-- template comment --> call `get_config()` now"
    )
    cleaned = clean_text(text)
    for gone in ("https", "ops@", "Traceback", "org.example", "template", "get_config"):
        assert gone not in cleaned
    assert "Checkout fails" in cleaned and "call" in cleaned


def test_normalise_tokens_removes_stop_words_and_maps_concepts():
    assert normalise_tokens("The e-mail was not sent") == normalise_tokens("Mail wasn't received")
    assert "the" not in normalise_tokens("The payment")
    assert normalise_tokens("a b c d e", limit=2) == []


def test_document_separates_title_and_body():
    doc = document("X-1", "Payment fails on Safari", "Payment fails when tapping the button")
    assert doc.title == {"pay", "fail", "safari"}
    assert "pay" not in doc.body and "button" in doc.body


def test_minhash_estimates_jaccard_and_is_deterministic():
    left = [f"w{i}" for i in range(100)]
    right = [f"w{i}" for i in range(50, 150)]  # Jaccard 50/150
    signatures = minhash_signatures([left, right], 256)
    estimate = float((signatures[0] == signatures[1]).mean())
    assert abs(estimate - 1 / 3) < 0.1
    assert np.array_equal(signatures, minhash_signatures([left, right], 256))


def test_lsh_pairs_similar_sets_and_not_disjoint_ones():
    sets = [
        [f"a{i}" for i in range(30)],
        [f"a{i}" for i in range(2, 32)],
        [f"z{i}" for i in range(30)],
    ]
    pairs = lsh_candidates(minhash_signatures(sets, 96), bands=32, rows=3)
    assert [tuple(p) for p in pairs.tolist()] == [(0, 1)]


def _synthetic(count: int, planted: int, seed: int = 3):
    rng = random.Random(seed)
    vocabulary = [f"term{i}" for i in range(20000)]
    docs = []
    for index in range(count):
        words = rng.sample(vocabulary, 30)
        docs.append(document(f"T-{index}", " ".join(words[:5]), " ".join(words[5:])))
    truth = set()
    for index in range(planted):
        source = docs[index]
        words = sorted(source.title) + sorted(source.body)
        kept = words[:3] + words[5:-4] + rng.sample(vocabulary, 3)
        docs.append(document(f"D-{index}", " ".join(words[:4]), " ".join(kept)))
        truth.add((index, len(docs) - 1))
    return docs, truth


def test_find_similar_pairs_uses_lsh_at_scale_and_finds_planted_pairs():
    docs, truth = _synthetic(EXACT_BELOW + 100, 40)
    pairs, _ = find_similar_pairs(docs, threshold=0.5)
    found = {(p.first, p.second) for p in pairs}
    assert len(found & truth) >= 36  # LSH may miss a few; at this similarity, hardly any
    assert len(found - truth) <= 2


def test_find_similar_pairs_skips_short_documents():
    docs = [document("A", "Update", "deps"), document("B", "Update", "deps")]
    assert find_similar_pairs(docs)[0] == []

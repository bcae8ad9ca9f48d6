"""backlint.rules.duplicates: normalising text, MinHash/LSH candidates, scores, the search."""

from __future__ import annotations

import random
from array import array

import numpy as np
import pytest

from backlint.rules.duplicates.boilerplate import Boilerplate, project_of, strip_boilerplate
from backlint.rules.duplicates.candidates import prefix_pairs
from backlint.rules.duplicates.contrast import terms
from backlint.rules.duplicates.corpus import Corpus
from backlint.rules.duplicates.minhash import (
    SIZE,
    lsh_candidates,
    minhash_signatures,
    stem_signature,
    ticket_signature,
)
from backlint.rules.duplicates.planned import planned_work
from backlint.rules.duplicates.search import EXACT_BELOW, find_similar_pairs
from backlint.rules.duplicates.signatures import error_signatures
from backlint.rules.duplicates.similarity import (
    Weights,
    clean_text,
    document,
    normalise_tokens,
    similarity,
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


def test_boilerplate_shared_by_a_project_is_dropped_and_the_rest_kept():
    form = "### Browser\nNo response\n### Steps to reproduce\n"
    problems = ("Cart empties", "Coupon lost", "Badge stale", "Page blank", "Login loops")
    tickets = [(f"WEB-{n}", f"{form}{problem} on reload") for n, problem in enumerate(problems)]
    tickets.append(("API-1", f"{form}A ticket of another project keeps its form"))
    bodies = strip_boilerplate(tickets)
    assert bodies[0] == "Cart empties on reload"
    assert "No response" in bodies[-1]  # one ticket of API is no template to strip
    assert project_of("WEB-12") == "WEB" and project_of("acme/web#12") == "acme/web"
    assert project_of("D-12-0") == "D" and project_of("plain") == "plain"


def test_error_signatures_match_one_failure_with_other_values():
    one = error_signatures("", "TypeError: Unable to serialize 64.0 to JSON. Unrecognized type")
    two = error_signatures("", "TypeError: Unable to serialize 1024.0 to JSON. Unrecognized type")
    assert one and one == two
    quoted = error_signatures("", 'you receive "There was an error saving the page restrictions."')
    assert quoted


def test_generic_errors_are_not_signatures():
    assert not error_signatures("", "KeyError: 'min'")
    assert not error_signatures("", "AttributeError: 'Foo' object has no attribute 'bar'")
    assert not error_signatures("", "ValueError Traceback (most recent call last)")


def test_contrast_terms_keep_identifiers_versions_and_capitals():
    capitalised: set[str] = set()
    found = terms(
        "Upgrade the Intkey CLI to v1.0.0-beta, see tf.tile and source/sinks", capitalised
    )
    assert {"v1.0.0-beta", "tf.tile", "intkey", "sourc", "sink"} <= set(found)
    assert "intkey" in capitalised and "upgrad" not in capitalised
    assert "5370" not in terms('Cannot add node "5370"')


def test_planned_work_is_stories_and_tasks_that_report_no_problem():
    assert planned_work("story", "Checkout fails on Safari")
    assert planned_work("task", "Write load tests for the refund webhook")
    assert not planned_work("task", "Refund webhook fails with a timeout")
    assert planned_work("task", "Refund webhook", "As an operator I want refunds retried")
    assert not planned_work("bug", "Write load tests") and not planned_work("feature", "Dark mode")


def _backlog_documents(count: int = 300, seed: int = 5) -> list:
    """Documents over a small vocabulary, so that many pairs share stems and some come close."""
    rng = random.Random(seed)
    vocabulary = [f"word{i}" for i in range(400)]
    docs = []
    for index in range(count):
        if index and rng.random() < 0.2:  # a rewrite of an earlier ticket
            source = docs[rng.randrange(index)]
            words = sorted(source.title) + rng.sample(sorted(source.body), len(source.body) // 2)
            words += rng.sample(vocabulary, 6)
        else:
            words = rng.sample(vocabulary, rng.randint(8, 30))
        docs.append(document(f"T-{index}", " ".join(words[:4]), " ".join(words[4:])))
    return docs


def test_corpus_scores_are_the_similarity_of_the_documents():
    docs = _backlog_documents()
    corpus = Corpus()
    for doc in docs:
        corpus.add(doc)
    corpus.freeze()
    weights, cache = Weights(docs), {}
    rng = random.Random(1)
    for _ in range(300):
        first, second = sorted(rng.sample(range(len(docs)), 2))
        expected = similarity(docs[first], docs[second], weights, cache)
        assert corpus.score(first, second, 0.0) == pytest.approx(expected, abs=1e-12)
        # a bound never drops a pair that reaches the floor; above it, None or the same score
        assert corpus.score(first, second, expected) is not None
        assert corpus.score(first, second, expected + 0.01) in (
            None,
            corpus.score(first, second, 0.0),
        )
    # most pairs far below the floor stop at a bound
    pruned = sum(corpus.score(0, other, 0.9) is None for other in range(1, len(docs)))
    assert pruned > len(docs) / 2


def test_prefix_filter_keeps_every_pair_that_can_reach_the_floor_and_few_others():
    docs = _backlog_documents()
    corpus = Corpus()
    for doc in docs:
        corpus.add(doc)
    corpus.freeze()
    judged = list(range(len(docs)))
    found, linked = prefix_pairs(corpus, judged, 0.58, {}, float("inf"))
    weights, cache = Weights(docs), {}
    sharing = reaching = 0
    for first in range(len(docs)):
        for second in range(first + 1, len(docs)):
            if not docs[first].stems & docs[second].stems:
                continue
            sharing += 1
            if similarity(docs[first], docs[second], weights, cache) >= 0.58:
                reaching += 1
                assert (first, second) in found
    assert reaching and len(found) < sharing / 2
    assert linked == set(judged)


def test_identical_tickets_share_one_entry_and_a_flood_of_copies_is_chained():
    copies = [document(f"C-{n}", "Export fails for large files", BODY) for n in range(60)]
    docs = [*copies, document("X-1", "Dark mode for the settings page", "colour theme toggle")]
    pairs, corpus = find_similar_pairs(docs)
    assert set(corpus.representative[:60]) == {0} and corpus.representative[60] == 60
    found = {(p.first, p.second) for p in pairs}
    assert found == {(n, n + 1) for n in range(59)}  # linear, and every copy is reached
    assert {p.similarity for p in pairs} == {1.0}


BODY = "Exporting a report of more than ten thousand rows times out and the download never starts"


def test_a_small_group_of_identical_tickets_is_paired_in_full():
    docs = [document(f"C-{n}", "Export fails for large files", BODY) for n in range(3)]
    pairs, _ = find_similar_pairs(docs)
    assert {(p.first, p.second) for p in pairs} == {(0, 1), (0, 2), (1, 2)}


def test_ticket_signature_is_the_searchs_minhash_of_its_stems():
    title, body = "Payment fails on Safari", "Tapping Pay now does nothing on iOS 17 checkout"
    signature = ticket_signature(title, body)
    assert isinstance(signature, array) and signature.typecode == "I" and len(signature) == SIZE
    assert signature == ticket_signature(title, body)
    stems = sorted(document("", title, body).stems)
    assert list(signature) == minhash_signatures([stems], SIZE)[0].tolist()
    assert list(stem_signature(stems)) == list(signature)
    other = ticket_signature("Dark mode", "A dark colour theme for the settings page")
    assert sum(a == b for a, b in zip(signature, other, strict=True)) < SIZE // 4


def test_boilerplate_strips_one_body_as_the_whole_backlog_does():
    form = "### Browser\nNo response\n### Steps to reproduce\n"
    tickets = [(f"WEB-{n}", f"{form}Problem number {n} on reload") for n in range(6)]
    boilerplate = Boilerplate(tickets)
    assert [boilerplate.strip(k, b) for k, b in tickets] == strip_boilerplate(tickets)
    assert boilerplate.strip("WEB-9", f"{form}Another one") == "Another one"


def test_lsh_pairs_small_buckets_in_full_and_chains_a_flood():
    rng = np.random.default_rng(4)
    signatures = rng.integers(0, 2**32, size=(80, 96), dtype=np.uint64).astype(np.uint32)
    signatures[0:5] = signatures[0]  # a bucket of five in every band
    signatures[10:70] = signatures[10]  # a flood of sixty
    pairs = {tuple(p) for p in lsh_candidates(signatures, bands=32, rows=3).tolist()}
    group = {(a, b) for a in range(5) for b in range(a + 1, 5)}
    chain = {(n, n + 1) for n in range(10, 69)}
    assert pairs == group | chain


def test_vectorised_scores_are_the_pair_scores():
    docs = _backlog_documents()
    docs += [document("T-copy", docs[3].text[0] or "x", "")]  # odd shapes: copies, thin bodies
    corpus = Corpus()
    for doc in [*docs, docs[5]]:
        corpus.add(doc)
    corpus.freeze()
    rng = random.Random(2)
    pairs = [tuple(sorted(rng.sample(range(len(corpus)), 2))) for _ in range(500)]
    pairs.append((5, len(corpus) - 1))  # a ticket and its copy
    first, second = (np.array(side) for side in zip(*pairs, strict=True))
    scores, titles = corpus.scores(first, second)
    for (a, b), score, title in zip(pairs, scores.tolist(), titles.tolist(), strict=True):
        assert score == pytest.approx(corpus.score(a, b, 0.0), abs=1e-12)
        if corpus.representative[a] != corpus.representative[b]:
            assert title == pytest.approx(corpus.titles_mentioned(a, b), abs=1e-12)
    assert scores[-1] == 1.0

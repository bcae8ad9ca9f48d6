"""Benchmark of the near-duplicate rule (BL601): time, memory, scaling and accuracy.

Builds backlogs of 25,000 to 200,000 tickets from the real corpora in
``../shared/corpora`` (Tawosi Jira CSVs, NLBSE'24 GitHub CSVs), with planted paraphrased
duplicates, and runs BL601 over each in a fresh subprocess, so that peak memory is per size.

Run from the repository root::

    PYTHONPATH=src python bench/bench_duplicates.py            # 25k, 50k, 100k, 200k
    PYTHONPATH=src python bench/bench_duplicates.py --peer     # and datasketch beside it
    PYTHONPATH=src python bench/bench_duplicates.py --sizes 5000

How the backlog is made (deterministic, seed 8):
- Base tickets: a real title (from the second use on, its first third joined to the middle
  third of another real title and the last third of a third one, the next donors taken until
  the title words are new) and a body of 3-8
  sentences drawn from the pool of real body sentences, after the same markup conversion the
  trackers use (wiki and Markdown to plain text). Real records whose titles are the same words
  as an earlier one's, ids in quotes aside (``similarity.title_key``: 'Cannot add node "47"' /
  '... "792"'), are left out: they are the corpora's own duplicates.
- Planted duplicates: for 2.5 % of the base tickets, one or two paraphrases each. A paraphrase
  substitutes words (a substitution list of its own, only partly shared with the rule's concept
  map), inflects words, drops a title word, moves a title chunk, swaps and drops sentences and
  adds a sentence (a generic remark or an unrelated real sentence).
- Truth: every pair inside a planted group. A reported pair is every pair inside a group the
  rule reports. Precision and recall are over pairs.

Skips cleanly (exit 0, one line) when the corpora are absent.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import glob
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
SEED = 8
DUPLICATE_SHARE = 0.025

#: The paraphraser's own substitutions. About a third of these pairs are also in the rule's
#: concept map (``similarity.CONCEPTS``); the rest are not, so the figure measures
#: robustness to wording the rule was not told about.
SUBSTITUTIONS = {
    "error": ["failure", "exception", "problem"],
    "click": ["tap", "press", "select"],
    "show": ["display", "render"],
    "shows": ["displays", "renders"],
    "display": ["show"],
    "page": ["screen", "view"],
    "user": ["customer", "person"],
    "users": ["customers", "people"],
    "crash": ["failure", "hard crash"],
    "fails": ["breaks", "does not work"],
    "broken": ["not working", "failing"],
    "add": ["introduce", "implement"],
    "create": ["make", "generate"],
    "remove": ["delete", "drop"],
    "update": ["refresh", "change"],
    "support": ["handle", "allow"],
    "allow": ["let", "permit"],
    "should": ["must", "needs to"],
    "cannot": ["can not", "is unable to"],
    "can't": ["cannot", "is not able to"],
    "doesn't": ["does not", "won't"],
    "file": ["document"],
    "files": ["documents"],
    "option": ["setting", "flag"],
    "configuration": ["config", "settings"],
    "application": ["app"],
    "app": ["application"],
    "large": ["big", "huge"],
    "small": ["tiny", "little"],
    "fast": ["quick"],
    "slow": ["sluggish", "laggy"],
    "start": ["launch", "begin"],
    "run": ["execute"],
    "use": ["utilize", "employ"],
    "wrong": ["incorrect", "bad"],
    "correct": ["right", "proper"],
    "new": ["fresh"],
    "issue": ["problem", "defect"],
    "message": ["notice", "text"],
    "window": ["pane", "panel"],
    "button": ["control"],
    "open": ["launch"],
    "get": ["obtain", "fetch"],
    "make": ["build"],
}
REMARKS = [
    "Seen again today on production.",
    "Any update on this?",
    "This blocks our release.",
    "Happens on staging as well.",
    "Reported by two more people this week.",
    "Still reproducible on the latest build.",
    "Not sure whether this is expected.",
    "We worked around it for now.",
]
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_WORDS = re.compile(r"\S+")


def load_records() -> list[tuple[str, str]]:
    """(title, plain-text body) of every corpus ticket, bodies converted as trackers do."""
    from backlint.markup import markdown_to_text, wiki_to_text

    csv.field_size_limit(10**9)
    records = []
    for path in sorted(glob.glob(str(CORPORA / "tawosi-jira-storypoints" / "*_deep-se.csv"))):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                records.append((row["title"].strip(), wiki_to_text(row["description"] or "")))
    for name in ("issues_train.csv", "issues_test.csv"):
        with open(CORPORA / "nlbse24-github-issues" / name, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                records.append((row["title"].strip(), markdown_to_text(row["body"] or "")))
    # The corpora hold some real duplicates (the same title words filed twice, or the same
    # error with another id: 'Cannot add node "47"' / '... "792"'); keep the first, so that
    # the only duplicates in the benchmark are the planted ones.
    from backlint.rules.duplicates.similarity import title_key

    unique: dict[frozenset[str], tuple[str, str]] = {}
    for title, body in records:
        unique.setdefault(title_key(title), (title, body))
    return [record for key, record in unique.items() if key]


def sentence_pool(records: list[tuple[str, str]]) -> list[str]:
    pool = []
    for _, body in records:
        for piece in _SENTENCE_SPLIT.split(body[:3000]):
            if 3 <= len(piece.split()) <= 60:
                pool.append(piece.strip())
    return pool


def _inflect(word: str, rng: random.Random) -> str:
    if not word.isalpha() or len(word) < 4:
        return word
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word + ("s" if rng.random() < 0.6 else "ing")


def paraphrase_words(text: str, rng: random.Random, rate: float) -> str:
    """Substitute and inflect about ``rate`` of the words that have a substitute."""
    out = []
    for word in _WORDS.findall(text):
        lowered = word.lower().strip(".,:;!?")
        if lowered in SUBSTITUTIONS and rng.random() < rate:
            out.append(rng.choice(SUBSTITUTIONS[lowered]))
        elif rng.random() < rate / 4:
            out.append(_inflect(word, rng))
        else:
            out.append(word)
    return " ".join(out)


def paraphrase(title: str, body: list[str], pool: list[str], rng: random.Random):
    """A paraphrased (title, body sentences) of a ticket."""
    words = paraphrase_words(title, rng, 0.6).split()
    if len(words) > 4 and rng.random() < 0.4:
        del words[rng.randrange(len(words))]
    if len(words) > 5 and rng.random() < 0.3:
        cut = rng.randrange(2, len(words) - 2)
        words = words[cut:] + words[:cut]
    sentences = [paraphrase_words(s, rng, 0.5) for s in body]
    for i in range(0, len(sentences) - 1, 2):
        if rng.random() < 0.4:
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    if len(sentences) >= 4 and rng.random() < 0.6:
        del sentences[rng.randrange(len(sentences))]
    extra = rng.choice(REMARKS) if rng.random() < 0.6 else rng.choice(pool)
    sentences.insert(rng.randrange(len(sentences) + 1), extra)
    return " ".join(words), sentences


def build_backlog(size: int, records, pool, seed: int = SEED):
    """``size`` tickets (key, title, body) and the planted groups (lists of keys)."""
    rng = random.Random(seed)
    groups_wanted = int(size * DUPLICATE_SHARE)
    extras = [1 + (rng.random() < 0.3) for _ in range(groups_wanted)]
    base_count = size - sum(extras)
    from backlint.rules.duplicates.similarity import title_key

    bases = []
    seen: set[frozenset[str]] = set()
    for index in range(base_count):
        title = records[index % len(records)][0]
        if index >= len(records):
            # Later uses of a title keep its first third and take the middle third of one
            # other title and the last third of another, different ones for every use, so no
            # two base tickets share a whole title (nor the same title words: the next donors
            # are taken until the words are new). Halves made base tickets near copies of each
            # other by construction: about 30 tickets per half title at 200,000 tickets.
            use = index // len(records)
            words = title.split()
            for step in range(len(records)):
                middle = records[(index + use * 997 + step) % len(records)][0].split()
                last = records[(index * 7 + use * 331 + 1 + step) % len(records)][0].split()
                composed = " ".join(
                    words[: (len(words) + 2) // 3]
                    + middle[len(middle) // 3 : 2 * len(middle) // 3]
                    + last[2 * len(last) // 3 :]
                )
                if title_key(composed) not in seen:
                    break
            title = composed
        seen.add(title_key(title))
        body = [rng.choice(pool) for _ in range(rng.randint(3, 8))]
        bases.append((f"B-{index}", title, body))
    tickets = [(key, title, "\n".join(body)) for key, title, body in bases]
    planted = []
    chosen = rng.sample(range(base_count), groups_wanted)
    for group_number, (base_index, extra) in enumerate(zip(chosen, extras, strict=True)):
        key, title, body = bases[base_index]
        group = [key]
        for copy in range(extra):
            new_title, new_body = paraphrase(title, body, pool, rng)
            new_key = f"D-{group_number}-{copy}"
            tickets.append((new_key, new_title, "\n".join(new_body)))
            group.append(new_key)
        planted.append(group)
    rng.shuffle(tickets)
    return tickets, planted


def pairs_of(groups) -> set[tuple[str, str]]:
    out = set()
    for group in groups:
        members = sorted(group)
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                out.add((first, second))
    return out


def _rss_kb(field: str) -> int:
    """A ``VmRSS`` / ``VmHWM`` figure of this process from ``/proc`` (kB), 0 elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_peak() -> None:
    """Reset the peak RSS (``VmHWM``) to the current RSS, so the next peak is the rule's own."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _truth_and_tickets(size: int):
    from backlint.model import Ticket

    records = load_records()
    pool = sentence_pool(records)
    rows, planted = build_backlog(size, records, pool)
    tickets = [Ticket(key=k, tracker="bench", title=t, body=b, kind="bug") for k, t, b in rows]
    return tickets, pairs_of(planted)


def _scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict:
    hits = len(predicted & truth)
    return {
        "planted_pairs": len(truth),
        "reported_pairs": len(predicted),
        "precision": round(hits / len(predicted), 3) if predicted else 1.0,
        "recall": round(hits / len(truth), 3) if truth else 1.0,
    }


def measure(size: int) -> dict:
    """Build one backlog and time BL601 over it (run in a subprocess).

    Memory is the growth of the process's resident set while BL601 runs: its peak (``VmHWM``,
    reset just before the run) less its size before the run, so the backlog's own tickets and
    the loaded corpora do not count.
    """
    import gc

    from backlint.engine.run import run_rules
    from backlint.rules.duplicates.near_duplicate import near_duplicate
    from backlint.testing import TEST_NOW

    tickets, truth = _truth_and_tickets(size)
    gc.collect()
    rss_before = _rss_kb("VmRSS")
    _reset_peak()
    started = time.perf_counter()
    cpu = time.process_time()
    result = run_rules(tickets, [near_duplicate], TEST_NOW)
    cpu = time.process_time() - cpu
    seconds = time.perf_counter() - started
    growth = max(0, _rss_kb("VmHWM") - rss_before)
    reported: dict[str, set[str]] = {}
    for finding in result.findings:
        others = set(re.findall(r"\b[BD]-[0-9]+(?:-[0-9]+)?\b", finding.message))
        reported[finding.ticket] = others | {finding.ticket}
    return {
        "size": size,
        "seconds": round(seconds, 2),
        "cpu": round(cpu, 2),
        "rss_growth_mb": round(growth / 1024, 1),
        "bytes_per_ticket": round(growth * 1024 / size),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "findings": len(result.findings),
        **_scores(pairs_of(reported.values()), truth),
    }


def measure_datasketch(size: int, threshold: float = 0.5, num_perm: int = 96) -> dict:
    """The peer: datasketch's MinHash and MinHashLSH over the same backlog (run in a
    subprocess). Each ticket's set is its lower-cased words of three letters or more, title and
    body; every ticket is inserted, then queried; a reported pair is any pair a query returns.
    Time covers tokenising, hashing, inserting and querying: candidates only, nothing verified.
    """
    import gc

    from datasketch import MinHash, MinHashLSH

    tickets, truth = _truth_and_tickets(size)
    gc.collect()
    rss_before = _rss_kb("VmRSS")
    _reset_peak()
    started = time.perf_counter()
    cpu = time.process_time()
    words = re.compile(r"[a-z][a-z0-9]{2,}")
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    hashes = []
    for ticket in tickets:
        tokens = {w.encode() for w in words.findall(f"{ticket.title} {ticket.body}".lower())}
        signature = MinHash(num_perm=num_perm, seed=SEED)
        signature.update_batch(list(tokens))
        lsh.insert(ticket.key, signature)
        hashes.append(signature)
    predicted = set()
    for ticket, signature in zip(tickets, hashes, strict=True):
        for other in lsh.query(signature):
            if other != ticket.key:
                predicted.add(tuple(sorted((ticket.key, other))))
    cpu = time.process_time() - cpu
    seconds = time.perf_counter() - started
    growth = max(0, _rss_kb("VmHWM") - rss_before)
    return {
        "size": size,
        "seconds": round(seconds, 2),
        "cpu": round(cpu, 2),
        "rss_growth_mb": round(growth / 1024, 1),
        "bytes_per_ticket": round(growth * 1024 / size),
        **_scores(predicted, truth),
    }


def _run(flag: str, size: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, __file__, flag, str(size)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25000,50000,100000,200000")
    parser.add_argument(
        "--peer", action="store_true", help="also run datasketch's MinHashLSH (if installed)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--one-peer", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not (CORPORA / "tawosi-jira-storypoints").is_dir():
        print(f"skipped: corpora not found at {CORPORA}")
        return 0
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    if args.one_peer:
        print(json.dumps(measure_datasketch(args.one_peer)))
        return 0
    peer = args.peer
    if peer:
        try:
            import datasketch  # noqa: F401
        except ImportError:
            print("datasketch is not installed: the peer columns are left out")
            peer = False
    print(
        "| tickets | BL601 time (s) | CPU (s) | CPU × previous | RSS growth (MB) | bytes/ticket "
        "| marginal bytes/ticket "
        "| planted pairs | reported pairs | precision | recall |"
        + (
            " datasketch time (s) | BL601 / datasketch | datasketch P | datasketch R |"
            if peer
            else ""
        )
    )
    print("|---:" * (11 + 4 * peer) + "|")
    previous = before = None
    for size in (int(s) for s in args.sizes.split(",")):
        row = _run("--one", size)
        # CPU time: on a shared machine the wall time says more about the other jobs
        ratio = f"{row['cpu'] / previous:.2f}" if previous else "—"
        previous = row["cpu"]
        # Growth per added ticket between two sizes: the fixed costs (numpy's import, caches
        # of the stemmer) cancel out.
        marginal = "—"
        if before and row["size"] > before["size"]:
            added = (row["rss_growth_mb"] - before["rss_growth_mb"]) * 1024 * 1024
            marginal = f"{added / (row['size'] - before['size']):,.0f}"
        before = row
        line = (
            f"| {row['size']:,} | {row['seconds']:.2f} | {row['cpu']:.2f} | {ratio} | "
            f"{row['rss_growth_mb']:.0f} | {row['bytes_per_ticket']:,} | {marginal} | "
            f"{row['planted_pairs']:,} | {row['reported_pairs']:,} | {row['precision']:.3f} | "
            f"{row['recall']:.3f} |"
        )
        if peer:
            other = _run("--one-peer", size)
            line += (
                f" {other['seconds']:.2f} | {row['seconds'] / other['seconds']:.2f} | "
                f"{other['precision']:.3f} | {other['recall']:.3f} |"
            )
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: an organisation audit (``github:ORG``) sharded across 1, 4 and 16 jobs.

A fake organisation of 200 repositories and 200,000 open issues lives in the fake GitHub
(generated repositories: issues are built when a page asks for them, in the fake's real
GraphQL shapes). Sizes follow Zipf's law (repository k holds ~1/k of the issues), as real
organisations do: one large repository, a long tail of small ones.

Measured, at the full size:
- the plan: ``backlint shard``'s listing (requests), and the balance of 1, 4 and 16 shards;
- the read: every repository read once with backlint's own paging (two cursor chains) through
  one GraphQL client; requests and GitHub points per repository, from the queries actually
  sent (points by GitHub's documented cost model, api-facts.md section 2.1: each connection
  counts once per parent node it is asked on, assuming ``first``/``last`` is reached; the sum
  over 100, rounded, at least 1).
Measured on a fraction (a full audit process at 200,000 tickets does not fit this shared
2-core box next to the fake): CPU seconds per ticket of a whole ``python -m backlint audit``
process (read, map, rules, JSON report) over one shard of the 16-shard plan.
Computed from an explicit model (printed with the table): wall time per job and for the
workflow, with 50 ms per request, the paging's two requests in flight per repository (the
first page alone), repositories one after another, shards in parallel, and a 5,000-point hourly
budget per token.

Nightly incremental run (``--churn``, default 1 %): after a recorded full run (a history file
per shard), that share of the issues change (spread over the repositories by the same Zipf
sizes; ``updated_at`` moved), then each shard runs ``audit $SOURCES --history shard-N.sqlite
--since last``. Measured at the full size: the requests and points of every repository's
``since`` read (the listing, then at least one request per repository even when nothing
changed). Measured on the sampled shard, with real processes: the history file size per ticket,
and the CPU of a ``--since last`` run with nothing changed and with the churn, against
``backlint --version`` (start-up) in the same run: CPU per stored ticket loaded and per changed
ticket. The wall time of each plan is modelled as for the full runs.

    PYTHONPATH=src python bench/bench_org.py [--repos 200] [--issues 200000] [--cpu-shard 16]
        [--churn 0.01]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from fakes.github_generated import GeneratedRepo  # noqa: E402
from fakes.github_server import FakeGitHub  # noqa: E402

from backlint.cli.shard_command import plan_shards  # noqa: E402
from backlint.config.config import config_from_mapping  # noqa: E402
from backlint.trackers.base import FetchOptions  # noqa: E402
from backlint.trackers.github.graphql import GraphQLClient, QueryShape  # noqa: E402
from backlint.trackers.github.limits import Pacer  # noqa: E402
from backlint.trackers.github.org import repositories_of  # noqa: E402
from backlint.trackers.github.paging import fetch_issue_nodes  # noqa: E402

ORG = "bench-org"
LATENCY = 0.05  # seconds per request, the model's
BUDGET = 5_000  # GraphQL points per hour per user or App installation
SHARDS = (1, 4, 16)


def zipf_sizes(repos: int, issues: int) -> list[int]:
    """``repos`` sizes summing to ``issues``, repository k holding about 1/k of them."""
    weights = [1 / k for k in range(1, repos + 1)]
    scale = issues / sum(weights)
    sizes = [int(w * scale) for w in weights]
    for k in range(issues - sum(sizes)):  # the rounding remainder, one each from the top
        sizes[k % repos] += 1
    return sizes


def points(query: str, variables: dict) -> int:
    """GitHub's cost of one query: connection requests (each asked once per parent node,
    assuming ``first``/``last`` is reached) over 100, rounded, at least 1."""
    from graphql import parse
    from graphql.language import FieldNode, InlineFragmentNode

    def size(field: FieldNode) -> int | None:
        for argument in field.arguments:
            if argument.name.value in ("first", "last"):
                value = argument.value
                if hasattr(value, "name") and not hasattr(value, "value"):  # a $variable
                    return int(variables[value.name.value])
                return int(value.value)  # type: ignore[attr-defined]
        return None

    def is_connection(field: FieldNode) -> bool:
        names = {s.name.value for s in field.selection_set.selections if isinstance(s, FieldNode)}
        return bool(names & {"nodes", "edges", "totalCount", "pageInfo"})

    requests = 0

    def walk(selections, parents: int) -> None:
        nonlocal requests
        for selection in selections:
            if isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set.selections, parents)
            elif isinstance(selection, FieldNode) and selection.selection_set:
                if is_connection(selection):
                    requests += parents
                    walk(selection.selection_set.selections, parents * (size(selection) or 0))
                else:
                    walk(selection.selection_set.selections, parents)

    walk(parse(query).definitions[0].selection_set.selections, 1)  # type: ignore[attr-defined]
    return max(1, round(requests / 100))


def rounds(requests: int) -> int:
    """Round trips of one repository's read: the first page alone (it brings totalCount), then
    the two chains' pages two at a time."""
    return 1 + math.ceil((requests - 1) / 2) if requests else 0


def read_everything(
    fake: FakeGitHub, names: list[str], options: FetchOptions | None = None
) -> dict[str, tuple[int, int, int]]:
    """Each repository read once with backlint's paging: (requests, points, issues)."""
    pacer = Pacer(sleep=lambda seconds: None, notify=lambda message: None)
    client = GraphQLClient(fake.graphql_url, lambda: fake.token, pacer)
    shape = QueryShape()
    per_repo = {}
    try:
        for full_name in names:
            owner, name = full_name.split("/")
            fake.clear_log()
            nodes = fetch_issue_nodes(client, owner, name, options or FetchOptions(), shape)
            count = sum(1 for _ in nodes)
            sent = [(r.body["query"], r.body["variables"]) for r in fake.log]
            cost = sum(points(query, variables) for query, variables in sent)
            per_repo[f"github:{full_name}"] = (len(sent), cost, count)
    finally:
        client.close()
    return per_repo


def cpu_per_ticket(
    fake: FakeGitHub, sources: list[str], folder: Path, *extra: str
) -> tuple[float, ...]:
    """(CPU seconds per ticket, wall seconds, tickets, peak RSS MB, CPU seconds) of one
    ``backlint audit`` process (``extra``: more arguments, e.g. ``--history``)."""
    config = folder / ".backlint.toml"
    config.write_text("[github]\nwrite-delay = 0\n", encoding="utf-8")
    out = folder / "shard.json"
    env = {**os.environ, **fake.env(), "PYTHONPATH": str(ROOT / "src"), "BACKLINT_LOAD_PLUGINS": ""}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "backlint", "audit", *sources, "--format", "json", "--output",
         str(out), "--config", str(config), "--now", "2026-02-01", "--fail-on", "never",
         *extra],
        env=env, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"backlint failed ({done.returncode}): {done.stderr.strip()[:300]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tickets = json.loads(out.read_text(encoding="utf-8"))["tickets"]
    return cpu / max(tickets, 1), wall, tickets, after.ru_maxrss / 1024, cpu


def main() -> None:
    from org_nightly import nightly_sample, report_nightly, since_read

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--issues", type=int, default=200_000)
    parser.add_argument("--cpu-shard", type=int, default=16, help="plan whose smallest shard "
                        "is audited for CPU per ticket (0: skip)")  # fmt: skip
    parser.add_argument("--churn", type=float, default=0.01, help="share of the issues "
                        "changed before the nightly --since run (0: skip)")  # fmt: skip
    args = parser.parse_args()
    sizes = zipf_sizes(args.repos, args.issues)
    with FakeGitHub() as fake, tempfile.TemporaryDirectory() as folder:
        for index, size in enumerate(sizes):
            name = f"{ORG}/repo-{index:03}"
            fake.repos[name] = GeneratedRepo(name, size)

        fake.clear_log()
        started = time.perf_counter()
        listing = repositories_of(ORG, config_from_mapping({}), env=fake.env())
        plan_requests, plan_wall = len(fake.log), time.perf_counter() - started
        plan_points = sum(points(r.body["query"], r.body["variables"]) for r in fake.log)

        started, cpu_before = time.perf_counter(), time.process_time()
        per_repo = read_everything(fake, [r.name_with_owner for r in listing])
        read_wall, read_cpu = time.perf_counter() - started, time.process_time() - cpu_before

        sample: tuple[float, ...] = (0.0, 0.0, 0, 0.0, 0.0)
        nightly: dict = {}
        if args.cpu_shard:
            plan = plan_shards([(r.source, r.open_issues) for r in listing], args.cpu_shard)
            smallest = min(plan, key=lambda shard: shard.open_issues)
            if args.churn:
                nightly = nightly_sample(fake, sorted(smallest.sources), Path(folder), args.churn)
                sample = nightly["full"]
            else:
                sample = cpu_per_ticket(fake, sorted(smallest.sources), Path(folder))
        if args.churn:
            nightly.update(since_read(fake, listing, sizes, args.churn))

    report(args, listing, per_repo, (plan_requests, plan_points, plan_wall),
           (read_wall, read_cpu), sample)  # fmt: skip
    if nightly:
        report_nightly(args, per_repo, (plan_requests, plan_points), nightly)


def report(args, listing, per_repo, plan, read, sample) -> None:
    plan_requests, plan_points, plan_wall = plan
    read_wall, read_cpu = read
    cpu_ticket, sample_wall, sample_tickets, sample_rss = sample[:4]
    requests = sum(r for r, _, _ in per_repo.values())
    total_points = sum(p for _, p, _ in per_repo.values())
    issues = sum(n for _, _, n in per_repo.values())
    print(f"Organisation: {len(listing)} repositories, {issues:,} open issues "
          f"(largest {max(n for _, _, n in per_repo.values()):,}).")  # fmt: skip
    print(f"Plan (backlint shard): {plan_requests} requests, {plan_points} points, "
          f"{plan_wall:.2f} s against the fake.")  # fmt: skip
    costs = sorted(p for _, p, _ in per_repo.values())
    print(f"Read at full size: {requests:,} requests (ceil(n/100) per repository: "
          f"{sum(math.ceil(n / 100) for _, _, n in per_repo.values()):,}), {total_points:,} "
          f"points (per repository min {costs[0]}, median {statistics.median(costs):g}, max "
          f"{costs[-1]}); {read_wall:.1f} s wall, {read_cpu:.1f} s CPU in this process "
          "(client and fake, no latency).")  # fmt: skip
    if sample_tickets:
        print(f"CPU per ticket, one backlint audit process over {sample_tickets:,} tickets: "
              f"{cpu_ticket * 1000:.2f} ms ({sample_wall:.1f} s wall, no latency; peak RSS "
              f"{sample_rss:.0f} MB).")  # fmt: skip
    print()
    print(f"Model: {LATENCY * 1000:.0f} ms per request; per repository 1 + ceil((k-1)/2) round "
          "trips for k requests; repositories one after another; CPU added, not overlapped "
          f"(upper bound); a job over {BUDGET:,} points waits for the hourly reset (+3,600 s "
          "each time, worst case); shards in parallel; job start-up and the merge job left "
          "out. Queries/min: the longest job's request rate while it waits on the network "
          "(GitHub's secondary limit is 2,000 GraphQL queries a minute).")  # fmt: skip
    header = ("| shards | requests (total / largest job) | points (total / largest job) | "
              "tickets, largest job | network s | CPU s | wall, own budget per job | "
              "wall, one shared budget | queries/min, one job |")  # fmt: skip
    print(header)
    print("|" + "---:|" * 9)
    for count in SHARDS:
        jobs = plan_shards([(source, n) for source, (_, _, n) in per_repo.items()], count)
        rows = []
        for job in jobs:
            reqs = sum(per_repo[s][0] for s in job.sources)
            pts = sum(per_repo[s][1] for s in job.sources)
            tickets = sum(per_repo[s][2] for s in job.sources)
            network = sum(rounds(per_repo[s][0]) for s in job.sources) * LATENCY
            cpu = tickets * cpu_ticket
            wait = (math.ceil(pts / BUDGET) - 1) * 3600
            rows.append((reqs, pts, tickets, network, cpu, network + cpu + wait, network + cpu))
        longest = max(rows, key=lambda row: row[5])
        plan_s = plan_requests * LATENCY
        own = plan_s + longest[5]
        shared_wait = (math.ceil((total_points + plan_points) / BUDGET) - 1) * 3600
        shared = plan_s + max(row[6] for row in rows) + shared_wait
        print(f"| {count} | {sum(r[0] for r in rows):,} / {max(r[0] for r in rows):,} | "
              f"{sum(r[1] for r in rows):,} / {max(r[1] for r in rows):,} | "
              f"{max(r[2] for r in rows):,} | {longest[3]:.0f} | {longest[4]:.0f} | "
              f"{own:,.0f} s | {shared:,.0f} s | "
              f"{longest[0] / longest[3] * 60:,.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()

"""The nightly incremental scenario of ``bench_org.py`` (its docstring has the method): churn,
one shard's nightly cycle as real processes, every repository's ``since`` read at the full size,
and the table of modelled wall times."""

from __future__ import annotations

import math
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench_org import (
    BUDGET,
    LATENCY,
    ORG,
    ROOT,
    SHARDS,
    cpu_per_ticket,
    read_everything,
    rounds,
)
from fakes.github_server import FakeGitHub

from backlint.cli.shard_command import plan_shards
from backlint.config.config import config_from_mapping
from backlint.trackers.base import FetchOptions
from backlint.trackers.github.org import repositories_of


def start_up_cpu(repeat: int = 3) -> float:
    """CPU seconds of ``backlint --version`` (the floor: start-up alone), the least of a few."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BACKLINT_LOAD_PLUGINS": ""}
    best = math.inf
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "backlint", "--version"], env=env,
                       capture_output=True, check=True)  # fmt: skip
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def churn_counts(sizes: list[int], churn: float) -> list[int]:
    """Changed issues per repository: ``churn`` of all, spread by the repositories' sizes."""
    total = round(sum(sizes) * churn)
    counts = [int(size * churn) for size in sizes]
    for k in range(total - sum(counts)):
        counts[k % len(sizes)] += 1
    return [min(c, size) for c, size in zip(counts, sizes, strict=True)]


def change_issues(fake: FakeGitHub, counts: dict[str, int], seed: int = 17) -> int:
    """Edit ``counts[repo]`` random issues of each repository now (title and update time)."""
    pick = random.Random(seed)
    stamp = (datetime.now(UTC) + timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name, count in counts.items():
        repo = fake.repos[name]
        for number in pick.sample(range(1, repo.count + 1), count):  # type: ignore[attr-defined]
            issue = dict(repo.issues[number])
            issue["title"], issue["updated_at"] = issue["title"] + " (edited)", stamp
            repo.issues[number] = issue
    return sum(counts.values())


def nightly_sample(fake: FakeGitHub, sources: list[str], folder: Path, churn: float) -> dict:
    """One shard's nightly cycle, each step a real process: full run with a history file, a
    ``--since last`` run with nothing changed, ``churn`` of its issues changed, ``--since last``."""
    history = folder / "shard.sqlite"
    full = cpu_per_ticket(fake, sources, folder, "--history", str(history))
    size = history.stat().st_size
    fake.clear_log()
    idle = cpu_per_ticket(fake, sources, folder, "--history", str(history), "--since", "last")
    idle_requests = len(fake.log)
    names = [source.removeprefix("github:") for source in sources]
    sizes = [fake.repos[name].count for name in names]  # type: ignore[attr-defined]
    changed = change_issues(fake, dict(zip(names, churn_counts(sizes, churn), strict=True)))
    fake.clear_log()
    busy = cpu_per_ticket(fake, sources, folder, "--history", str(history), "--since", "last")
    floor = start_up_cpu()
    stored = int(full[2])
    return {
        "full": full,
        "repos": len(sources),
        "tickets": stored,
        "changed": changed,
        "bytes_per_ticket": size / stored,
        "full_cpu": full[4],
        "idle_cpu": idle[4],
        "idle_requests": idle_requests,
        "busy_cpu": busy[4],
        "busy_requests": len(fake.log),
        "busy_wall": busy[1],
        "floor": floor,
        "per_stored": max(idle[4] - floor, 0.0) / stored,
        "per_changed": max(busy[4] - idle[4], 0.0) / max(changed, 1),
    }


def since_read(fake: FakeGitHub, listing, sizes: list[int], churn: float) -> dict:
    """At the full size: ``churn`` of every repository's issues changed after a recorded run,
    then each repository's ``since`` read (every state, as an incremental audit asks)."""
    since = datetime.now(UTC).replace(microsecond=0)
    time.sleep(1.0)  # whole seconds: the changes come strictly after the recorded run
    names = [r.name_with_owner for r in listing]
    by_size = dict(zip([f"{ORG}/repo-{k:03}" for k in range(len(sizes))], sizes, strict=True))
    counts = churn_counts([by_size[name] for name in names], churn)
    changed = {name: count for name, count in zip(names, counts, strict=True)}
    # Issues the sampled shard edited already count: ask for what the tracker now returns.
    for repo in fake.repos.values():
        repo.issues.touched.clear()  # type: ignore[attr-defined]
    change_issues(fake, changed, seed=18)
    fake.clear_log()
    repositories_of(ORG, config_from_mapping({}), env=fake.env())
    listed = len(fake.log)
    per_repo = read_everything(fake, names, FetchOptions(state="all", since=since))
    return {"since_per_repo": per_repo, "listing": listed, "changed_per_repo": changed}


def report_nightly(args, full_per_repo, plan, nightly) -> None:
    plan_requests, plan_points = plan
    per_repo = nightly["since_per_repo"]
    changed = sum(n for _, _, n in per_repo.values())
    requests = sum(r for r, _, _ in per_repo.values())
    empty = sum(1 for r, _, n in per_repo.values() if n == 0)
    print()
    print(f"Nightly at {args.churn:.0%} churn: {changed:,} issues changed. Incremental read: "
          f"{nightly['listing']} listing + {requests:,} requests ({len(per_repo)} repositories, "
          f"at least one each; {empty} had no change), "
          f"{sum(p for _, p, _ in per_repo.values()):,} points; GitHub search would need "
          f"ceil({changed:,}/100) = {math.ceil(changed / 100)} pages but stops at 1,000 "
          "results.")  # fmt: skip
    if "tickets" in nightly:
        n = nightly
        print(f"Sampled shard ({n['repos']} repositories, {n['tickets']:,} stored tickets, "
              f"{n['changed']} changed): history "
              f"{n['bytes_per_ticket']:,.0f} bytes per ticket; CPU full run {n['full_cpu']:.1f} "
              f"s, --since nothing changed {n['idle_cpu']:.1f} s ({n['idle_requests']} "
              f"requests), --since {n['changed']} changed {n['busy_cpu']:.1f} s "
              f"({n['busy_requests']} requests, {n['busy_wall']:.1f} s wall), start-up floor "
              f"{n['floor']:.2f} s: {n['per_stored'] * 1000:.3f} ms per stored ticket loaded, "
              f"{n['per_changed'] * 1000:.2f} ms per changed ticket; the --since run at "
              f"{n['busy_cpu'] / n['full_cpu']:.2f}x the full run's CPU, "
              f"{(n['busy_cpu'] - n['floor']) / max(n['full_cpu'] - n['floor'], 1e-9):.2f}x "
              "above start-up.")  # fmt: skip
    per_stored = nightly.get("per_stored", 0.0)
    per_changed = nightly.get("per_changed", 0.0)
    print(
        "Model as above; CPU per job = start-up floor + stored tickets x CPU per stored ticket "
        "+ changed tickets x CPU per changed ticket."
    )
    print("| shards | requests (total / largest job) | points (total / largest job) | "
          "changed, largest job | network s | CPU s | wall, own budget per job | "
          "wall, one shared budget |")  # fmt: skip
    print("|" + "---:|" * 8)
    plan_s = plan_requests * LATENCY  # the plan job lists the organisation once, as above
    for count in SHARDS:
        jobs = plan_shards([(s, n) for s, (_, _, n) in full_per_repo.items()], count)
        rows = []
        for job in jobs:
            reqs = sum(per_repo[s][0] for s in job.sources)
            pts = sum(per_repo[s][1] for s in job.sources)
            fresh = sum(per_repo[s][2] for s in job.sources)
            stored = sum(full_per_repo[s][2] for s in job.sources)
            network = sum(rounds(per_repo[s][0]) for s in job.sources) * LATENCY
            cpu = nightly.get("floor", 0.0) + stored * per_stored + fresh * per_changed
            wait = (math.ceil(pts / BUDGET) - 1) * 3600
            rows.append((reqs, pts, fresh, network, cpu, network + cpu + wait, network + cpu))
        longest = max(rows, key=lambda row: row[5])
        total_points = sum(r[1] for r in rows)
        shared_wait = (math.ceil((total_points + plan_points) / BUDGET) - 1) * 3600
        print(
            f"| {count}, {args.churn:.0%} churn, --since last | "
            f"{sum(r[0] for r in rows):,} / {max(r[0] for r in rows):,} | "
            f"{total_points:,} / {max(r[1] for r in rows):,} | {longest[2]:,} | "
            f"{longest[3]:.1f} | {longest[4]:.1f} | {plan_s + longest[5]:,.0f} s | "
            f"{plan_s + max(r[6] for r in rows) + shared_wait:,.0f} s |"
        )

"""Benchmark ``backlint action`` on one event, as the runner starts it, against the fake GitHub.

    PYTHONPATH=src python bench/bench_action.py [--runs 5] [--latency 0.0] [--skip-install]
        [--importtime]

Each run is a fresh ``python -m backlint action`` process (interpreter start, plugin load, rules,
requests), timed from spawn to exit. Scenarios: an opened issue with findings whose labels exist
(target: <= 0.3 s, at most 5 requests when the comment is created), the same issue again with
nothing changed (0 writes), and
an event that is skipped (labeled by backlint itself: 0 requests; target: <= 0.15 s). Then the
cold install the composite action does: a fresh venv and ``pip install`` of this checkout.

On a shared machine the median wall time follows the load; the minimum and the CPU time follow
the code. Where the time goes: ``python -X importtime -m backlint action`` with the same
environment (``--importtime`` prints each scenario's heaviest imports).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.github_server import FakeGitHub  # noqa: E402

REPO = "acme/checkout-web"
PAYLOADS = ROOT / "tests" / "fixtures" / "action"
MANAGED = ("backlint:needs-work", "needs-acceptance-criteria")
#: (wall seconds, CPU seconds, requests, writes) of one run.
Sample = tuple[float, float, int, int]


def action_env(payload: dict, fake: FakeGitHub, folder: Path) -> dict[str, str]:
    """The environment the runner gives ``backlint action`` for PAYLOAD (written to FOLDER)."""
    event = folder / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    # The Action's venv holds bytecode (pip compiles at install): a PYTHONDONTWRITEBYTECODE
    # inherited from the shell would make every run compile every module from source.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "INPUT_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(fake.env())
    env.update(
        GITHUB_EVENT_NAME="issues",
        GITHUB_EVENT_PATH=str(event),
        GITHUB_REPOSITORY=REPO,
        GITHUB_WORKSPACE=str(folder),
        GITHUB_OUTPUT=str(folder / "output"),
        GITHUB_STEP_SUMMARY=str(folder / "summary"),
        PYTHONPATH=str(ROOT / "src"),
        BACKLINT_LOAD_PLUGINS="",
    )
    return env


def run_action(payload: dict, fake: FakeGitHub, folder: Path) -> Sample:
    """(wall seconds, CPU seconds, requests, writes) of one ``backlint action`` process."""
    env = action_env(payload, fake, folder)
    fake.clear_log()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "backlint", "action"], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(f"backlint action failed: {done.stderr.strip()}")
    return seconds, cpu, len(fake.log), len(fake.writes)


def import_profile(payload: dict, fake: FakeGitHub, folder: Path) -> dict[str, float]:
    """Milliseconds of import time per package (``-X importtime`` self times summed) of one run.

    Packages are named by their first part, backlint's by their first two. The plugin modules
    themselves are imported through ``importlib`` and not logged; what they import is.
    """
    env = {**action_env(payload, fake, folder), "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "backlint", "action"], env=env, capture_output=True, text=True
    )
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|")
        parts = name.strip().split(".")
        package = ".".join(parts[:2]) if parts[0] == "backlint" else parts[0]
        totals[package] = totals.get(package, 0.0) + int(own) / 1000
    return totals


def print_import_profiles(latency: float) -> None:
    """Each scenario's total import time and its heaviest packages."""
    with FakeGitHub(latency=latency) as fake, tempfile.TemporaryDirectory() as tmp:
        payload = seed(fake, 299)
        skipped = {**payload, "action": "labeled", "label": {"name": "backlint:needs-work"}}
        for name, event in (("opened", payload), ("skipped", skipped)):
            totals = import_profile(event, fake, Path(tmp))
            heaviest = sorted(totals.items(), key=lambda item: -item[1])[:10]
            listed = ", ".join(f"{package} {ms:.0f}" for package, ms in heaviest)
            print(f"imports, {name}: {sum(totals.values()):.0f} ms; heaviest (ms): {listed}")


def seed(fake: FakeGitHub, number: int) -> dict:
    """Issue ``number``: the fixture story without acceptance criteria, labels existing."""
    payload = json.loads((PAYLOADS / "issues.opened.json").read_text(encoding="utf-8"))
    issue = copy.deepcopy(payload["issue"])
    issue["number"] = number
    issue["html_url"] = f"https://github.com/{REPO}/issues/{number}"
    issue["url"] = f"https://api.github.com/repos/{REPO}/issues/{number}"
    for name in [label["name"] for label in issue["labels"]] + list(MANAGED):
        if name.lower() not in fake.repo(REPO).labels:
            fake.add_label(REPO, name)
    issue["labels"] = [fake.repo(REPO).labels[label["name"].lower()] for label in issue["labels"]]
    fake.repo(REPO).issues[number] = issue
    payload["issue"] = copy.deepcopy(issue)
    return payload


def bench_events(runs: int, latency: float) -> list[tuple[str, list[Sample]]]:
    results: dict[str, list[Sample]] = {
        "opened, findings (labels exist)": [],
        "edited, nothing changed": [],
        "labeled by backlint (skipped)": [],
    }
    with FakeGitHub(latency=latency) as fake, tempfile.TemporaryDirectory() as tmp:
        for index in range(runs):
            folder = Path(tmp) / f"run{index}"
            folder.mkdir()
            payload = seed(fake, 300 + index)
            results["opened, findings (labels exist)"].append(run_action(payload, fake, folder))
            again = {**payload, "action": "edited"}
            again["issue"] = copy.deepcopy(fake.repo(REPO).issues[300 + index])
            results["edited, nothing changed"].append(run_action(again, fake, folder))
            labeled = {**again, "action": "labeled", "label": {"name": "backlint:needs-work"}}
            results["labeled by backlint (skipped)"].append(run_action(labeled, fake, folder))
    return list(results.items())


def bench_install(warm_runs: int = 3) -> tuple[float, float, float, float, float]:
    """The cold install, then the warm path the action's cache gives a later event.

    Returns (seconds to create the venv, seconds to pip install this checkout, MB of the
    cached venv as a gzip tarball, median seconds to restore it from the tarball, median wall
    seconds of an ``opened`` event run by the restored venv's own ``backlint``).
    """
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        cold = _cold_install(venv)
        archive = Path(tmp) / "venv.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:  # what actions/cache saves, compressed
            tar.add(venv, arcname="venv")
        restores, events = [], []
        with FakeGitHub() as fake:
            for index in range(warm_runs):
                shutil.rmtree(venv)
                start = time.perf_counter()
                with tarfile.open(archive) as tar:
                    tar.extractall(Path(tmp), filter="tar")
                restores.append(time.perf_counter() - start)
                folder = Path(tmp) / f"warm{index}"
                folder.mkdir()
                env = action_env(seed(fake, 500 + index), fake, folder)
                env.pop("PYTHONPATH")  # the restored venv's own backlint, not this checkout's
                start = time.perf_counter()
                done = subprocess.run(
                    [str(venv / "bin" / "backlint"), "action"], env=env, capture_output=True
                )
                events.append(time.perf_counter() - start)
                if done.returncode not in (0, 1):
                    raise SystemExit(f"backlint action failed: {done.stderr.decode()[:300]}")
        size = archive.stat().st_size / 1e6
        return (*cold, size, statistics.median(restores), statistics.median(events))


def _cold_install(venv: Path) -> tuple[float, float]:
    """(seconds to create the venv, seconds to pip install this checkout into it)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    created = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
            "--no-cache-dir",
            str(ROOT),
        ],
        check=True,
    )
    return created, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.0, help="fake server delay, seconds")
    parser.add_argument("--skip-install", action="store_true")
    parser.add_argument("--importtime", action="store_true", help="where the import time goes")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    print(
        f"backlint action, {args.runs} runs each, fake latency {args.latency * 1000:.0f} ms, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at start"
    )
    print(
        f"{'scenario':<34} {'wall min':>9} {'wall median':>11} {'wall max':>9} {'CPU median':>11} "
        f"{'requests':>9} {'writes':>7}"
    )
    for name, samples in bench_events(args.runs, args.latency):
        wall = [s[0] for s in samples]
        cpu = [s[1] for s in samples]
        requests = max(s[2] for s in samples)
        writes = max(s[3] for s in samples)
        print(
            f"{name:<34} {min(wall):>8.2f}s {statistics.median(wall):>10.2f}s {max(wall):>8.2f}s "
            f"{statistics.median(cpu):>10.2f}s {requests:>9} {writes:>7}"
        )
    if args.importtime:
        print_import_profiles(args.latency)
    if not args.skip_install:
        created, installed, size, restore, event = bench_install()
        print(f"cold install: venv {created:.1f} s, pip install of the checkout {installed:.1f} s")
        print(
            f"warm cache: {size:.0f} MB tarball, restored in {restore:.1f} s, then the opened "
            f"event in {event:.2f} s: {restore + event:.1f} s of the action's own steps"
        )


if __name__ == "__main__":
    main()

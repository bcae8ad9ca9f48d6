"""Benchmark: ``backlint audit FILE --format json`` on big export files, against a floor.

    PYTHONPATH=src python bench/bench_file_audit.py [--sizes 10000 50000] [--kinds github jira]
        [--stages] [--keep DIR]

For each size and kind it writes one export file (a GitHub REST issues array, or a Jira Cloud
``/search/jql`` response with ADF descriptions and embedded comments, both in the shapes the
trackers send, URLs and avatars included), then measures in fresh processes:

* the audit: ``python -m backlint audit FILE --format json --output ...`` (built-in rules, no
  plugins): wall time and peak RSS (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper
  process that runs only it);
* the floor: a process that parses the same file with ``json.load`` and reads each ticket's
  title and text once (the ADF tree walked), nothing else. Ratios are to this floor, measured
  in the same run, so a loaded machine moves both;
* with ``--stages``: one more process that runs the pipeline's stages one after another and
  times each (read and map, normalise, rules but BL601, BL601, report), with peak RSS after
  each, so the file source's share is visible apart from the rules'.

Bodies come from the real corpora in ``../shared/corpora`` (NLBSE'24 GitHub issues in Markdown,
Tawosi Jira issues in wiki markup, turned into ADF paragraphs and lists) when present, else from
a small synthetic set. Each ticket joins the first half of one record's body with the second
half of another's, so bodies repeat rarely. Seeded: the same arguments write the same files.

Targets (issue 15): 10k tickets <= 8x the floor and <= 160 MB; 50k <= 15 s and <= 500 MB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
NOW = "2026-11-30"

SYNTHETIC = [
    (
        "Export monthly report as CSV for finance",
        "As an admin I want to export the monthly report as CSV so that finance can reconcile "
        "it.\n\n## Acceptance criteria\n- [ ] a CSV file downloads\n- [ ] columns match the "
        "screen",
    ),
    (
        "Export button does nothing on Safari 17",
        "### Steps\n1. open reports\n2. click export\n\n### Expected\nA file downloads.\n\n"
        "### Actual\nNothing happens.",
    ),
    ("Improve things", "It should be faster and more user friendly."),
    ("Crash when saving a draft offline", "```\nTypeError: draft is undefined\n```"),
]


def records(kind: str) -> list[tuple[str, str]]:
    """(title, body) pairs: Markdown for GitHub, wiki markup for Jira; synthetic without corpora."""
    found: list[tuple[str, str]] = []
    csv.field_size_limit(10**9)
    if kind == "github" and (CORPORA / "nlbse24-github-issues").is_dir():
        for name in ("issues_train.csv", "issues_test.csv"):
            with (CORPORA / "nlbse24-github-issues" / name).open(encoding="utf-8") as handle:
                found += [(row["title"], row["body"]) for row in csv.DictReader(handle)]
    if kind == "jira" and (CORPORA / "tawosi-jira-storypoints").is_dir():
        for path in sorted((CORPORA / "tawosi-jira-storypoints").glob("*_deep-se.csv")):
            with path.open(encoding="utf-8", errors="replace") as handle:
                for row in csv.DictReader(handle):
                    text = re.sub(r" {2,}|\u00a0", "\n", row.get("description") or "")
                    found.append((row["title"], text))
    return found or SYNTHETIC


def bodies(kind: str, count: int, seed: int = 15) -> Iterator[tuple[str, str]]:
    """``count`` (title, body) pairs, each joined from two records."""
    pool = records(kind)
    rng = random.Random(seed)
    for index in range(count):
        (title, first), (other, second) = rng.choice(pool), rng.choice(pool)
        if index >= len(pool):  # a title used before: half of it with half of another
            words, more = title.split(), other.split()
            title = " ".join(words[: max(1, len(words) // 2)] + more[len(more) // 2 :])
        head, tail = first.split("\n"), second.split("\n")
        yield title, "\n".join(head[: max(1, len(head) // 2)] + tail[len(tail) // 2 :])


def _github_user(login: str) -> dict[str, object]:
    api = "https://api.github.com/users/" + login
    return {
        "login": login,
        "id": abs(hash(login)) % 10**8,
        "node_id": "MDQ6VXNlcj" + login,
        "avatar_url": f"https://avatars.githubusercontent.com/u/{len(login)}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": "https://github.com/" + login,
        "followers_url": api + "/followers",
        "following_url": api + "/following{/other_user}",
        "gists_url": api + "/gists{/gist_id}",
        "starred_url": api + "/starred{/owner}{/repo}",
        "subscriptions_url": api + "/subscriptions",
        "organizations_url": api + "/orgs",
        "repos_url": api + "/repos",
        "events_url": api + "/events{/privacy}",
        "received_events_url": api + "/received_events",
        "type": "User",
        "user_view_type": "public",
        "site_admin": False,
    }


LABELS = [[], ["bug"], ["enhancement"], ["bug", "P1"], ["question"], ["P2"]]


def github_issue(number: int, title: str, body: str) -> dict[str, object]:
    """One issue as ``GET /repos/{owner}/{repo}/issues`` lists it."""
    api = "https://api.github.com/repos/acme/shop"
    user = _github_user(f"user{number % 97}")
    labels = [
        {
            "id": 1000 + i,
            "node_id": f"LA_kwDO{i}",
            "url": f"{api}/labels/{name}",
            "name": name,
            "color": "d73a4a",
            "default": name == "bug",
            "description": f"{name} label",
        }
        for i, name in enumerate(LABELS[number % len(LABELS)])
    ]
    assignees = [_github_user(f"dev{number % 5}")] if number % 3 == 0 else []
    milestone = (
        {
            "url": f"{api}/milestones/3",
            "html_url": "https://github.com/acme/shop/milestone/3",
            "labels_url": f"{api}/milestones/3/labels",
            "id": 93,
            "node_id": "MI_kwDO93",
            "number": 3,
            "title": "v2.0",
            "description": "",
            "creator": _github_user("lead"),
            "open_issues": 4,
            "closed_issues": 8,
            "state": "open",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-06-01T00:00:00Z",
            "due_on": None,
            "closed_at": None,
        }
        if number % 4 == 0
        else None
    )
    created = f"2026-{1 + number % 11:02d}-{1 + number % 27:02d}T10:00:00Z"
    return {
        "url": f"{api}/issues/{number}",
        "repository_url": api,
        "labels_url": f"{api}/issues/{number}/labels{{/name}}",
        "comments_url": f"{api}/issues/{number}/comments",
        "events_url": f"{api}/issues/{number}/events",
        "html_url": f"https://github.com/acme/shop/issues/{number}",
        "id": 2_000_000 + number,
        "node_id": f"I_kwDOBench{number}",
        "number": number,
        "title": title,
        "user": user,
        "labels": labels,
        "state": "closed" if number % 9 == 0 else "open",
        "locked": False,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": milestone,
        "comments": number % 4,
        "created_at": created,
        "updated_at": created,
        "closed_at": None,
        "author_association": "CONTRIBUTOR",
        "type": None,
        "active_lock_reason": None,
        "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
        "body": body,
        "closed_by": None,
        "reactions": {
            "url": f"{api}/issues/{number}/reactions",
            "total_count": 0,
            **{name: 0 for name in ("+1", "-1", "laugh", "hooray", "confused", "heart")},
            **{name: 0 for name in ("rocket", "eyes")},
        },
        "timeline_url": f"{api}/issues/{number}/timeline",
        "performed_via_github_app": None,
        "state_reason": "completed" if number % 9 == 0 else None,
    }


def adf(text: str) -> dict[str, object]:
    """Wiki-ish lines as an ADF document: headings, bullet lists, code blocks, paragraphs."""
    content: list[dict[str, object]] = []
    for line in (line.strip() for line in text.split("\n")):
        if not line:
            continue
        if re.match(r"h[1-6]\. ", line):
            node = {"type": "heading", "attrs": {"level": int(line[1])}}
            content.append({**node, "content": [{"type": "text", "text": line[4:]}]})
        elif line.startswith(("* ", "- ", "# ")):
            item = {"type": "paragraph", "content": [{"type": "text", "text": line[2:]}]}
            if content and content[-1]["type"] == "bulletList":
                content[-1]["content"].append({"type": "listItem", "content": [item]})
            else:
                content.append(
                    {"type": "bulletList", "content": [{"type": "listItem", "content": [item]}]}
                )
        else:
            parts = re.split(r"(\*[^*]+\*)", line)
            inline = [
                {"type": "text", "text": p[1:-1], "marks": [{"type": "strong"}]}
                if p.startswith("*") and p.endswith("*") and len(p) > 2
                else {"type": "text", "text": p}
                for p in parts
                if p
            ]
            content.append({"type": "paragraph", "content": inline})
    return {"type": "doc", "version": 1, "content": content}


def _jira_user(name: str) -> dict[str, object]:
    return {
        "self": f"https://acme.atlassian.net/rest/api/3/user?accountId=5b10{name}",
        "accountId": f"5b10{name}",
        "emailAddress": f"{name}@acme.example",
        "avatarUrls": {
            size: f"https://secure.gravatar.com/avatar/{name}?d=mm&s={size[:2]}"
            for size in ("48x48", "24x24", "16x16", "32x32")
        },
        "displayName": name.title(),
        "active": True,
        "timeZone": "Europe/Berlin",
        "accountType": "atlassian",
    }


STATUSES = [("To Do", "new", 2), ("In Progress", "indeterminate", 4), ("Done", "done", 3)]


def jira_issue(number: int, title: str, text: str) -> dict[str, object]:
    """One issue as Jira Cloud's ``/rest/api/3/search/jql`` returns it (fields=*navigable)."""
    site = "https://acme.atlassian.net"
    status, category, category_id = STATUSES[number % 3]
    comments = [
        {
            "self": f"{site}/rest/api/3/issue/{10000 + number}/comment/{number * 10 + i}",
            "id": str(number * 10 + i),
            "author": _jira_user(f"dev{i}"),
            "body": adf(f"Looked at this, see comment {i}."),
            "updateAuthor": _jira_user(f"dev{i}"),
            "created": "2026-10-02T09:00:00.000+0000",
            "updated": "2026-10-02T09:00:00.000+0000",
            "jsdPublic": True,
        }
        for i in range(number % 3)
    ]
    kind = ["Story", "Bug", "Task", "Story", "Improvement"][number % 5]
    fields = {
        "summary": title,
        "description": adf(text) if text.strip() else None,
        "issuetype": {
            "self": f"{site}/rest/api/3/issuetype/10001",
            "id": "10001",
            "description": "A piece of work.",
            "iconUrl": f"{site}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10315",
            "name": kind,
            "subtask": False,
            "avatarId": 10315,
            "hierarchyLevel": 0,
        },
        "project": {
            "self": f"{site}/rest/api/3/project/10000",
            "id": "10000",
            "key": "SHOP",
            "name": "Shop",
            "projectTypeKey": "software",
            "simplified": False,
            "avatarUrls": {s: f"{site}/avatar/{s}" for s in ("48x48", "24x24", "16x16", "32x32")},
        },
        "status": {
            "self": f"{site}/rest/api/3/status/{category_id}",
            "description": "",
            "iconUrl": f"{site}/images/icons/statuses/generic.png",
            "name": status,
            "id": str(category_id),
            "statusCategory": {
                "self": f"{site}/rest/api/3/statuscategory/{category_id}",
                "id": category_id,
                "key": category,
                "colorName": "blue-gray",
                "name": status,
            },
        },
        "priority": {
            "self": f"{site}/rest/api/3/priority/3",
            "iconUrl": f"{site}/images/icons/priorities/medium.svg",
            "name": ["Medium", "High", "Low", "Highest"][number % 4],
            "id": "3",
        },
        "labels": [["backend"], [], ["ux", "checkout"]][number % 3],
        "assignee": _jira_user(f"dev{number % 5}") if number % 2 else None,
        "reporter": _jira_user(f"user{number % 97}"),
        "creator": _jira_user(f"user{number % 97}"),
        "created": "2026-09-01T09:00:00.000+0000",
        "updated": "2026-11-01T09:00:00.000+0000",
        "duedate": None,
        "resolution": None,
        "issuelinks": [],
        "subtasks": [],
        "components": [],
        "fixVersions": [],
        "votes": {"self": f"{site}/rest/api/3/issue/SHOP-{number}/votes", "votes": 0},
        "watches": {"self": f"{site}/rest/api/3/issue/SHOP-{number}/watchers", "watchCount": 1},
        "customfield_10016": float(number % 8) if number % 2 else None,
        "customfield_10020": None,
        "comment": {
            "comments": comments,
            "self": f"{site}/rest/api/3/issue/{10000 + number}/comment",
            "maxResults": len(comments),
            "total": len(comments),
            "startAt": 0,
        },
    }
    return {
        "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
        "id": str(10000 + number),
        "self": f"{site}/rest/api/3/issue/{10000 + number}",
        "key": f"SHOP-{number}",
        "fields": fields,
    }


def write_export(kind: str, count: int, path: Path) -> None:
    """The export file: written one issue at a time, as a tracker's paged export would be."""
    with path.open("w", encoding="utf-8") as out:
        out.write("[\n" if kind == "github" else '{"issues": [\n')
        for number, (title, body) in enumerate(bodies(kind, count), 1):
            issue = github_issue(number, title, body) if kind == "github" else None
            issue = issue or jira_issue(number, title, body)
            out.write(("" if number == 1 else ",\n") + json.dumps(issue, ensure_ascii=False))
        out.write("\n]\n" if kind == "github" else '\n], "isLast": true}\n')


FLOOR = """
import json, sys
def text(node):
    if isinstance(node, dict):
        return (node.get("text") or "") + "".join(text(n) for n in node.get("content") or ())
    return node if isinstance(node, str) else ""
with open(sys.argv[1], encoding="utf-8") as handle:
    data = json.load(handle)
issues = data if isinstance(data, list) else data["issues"]
size = 0
for issue in issues:
    fields = issue.get("fields") or issue
    size += len(fields.get("title") or fields.get("summary") or "")
    size += len(text(fields.get("body") or fields.get("description")))
print(len(issues), size)
"""

#: Run by a wrapper process, so RUSAGE_CHILDREN holds only the measured process's peak.
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - started
# 2 with a report written is a run problem the report holds (a rule that crashed on a body)
if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr:
    sys.exit(f"failed ({done.returncode}): {done.stderr.strip()[-500:]}")
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of ``command`` run in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BACKLINT_LOAD_PLUGINS": ""}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr.strip() or done.stdout.strip())
    wall, peak = done.stdout.split()
    return float(wall), float(peak)


STAGES = """
import json, resource, sys, time
from datetime import datetime, UTC
from pathlib import Path
from backlint.audit import _normalised
from backlint.config.config import Config
from backlint.engine.run import run_rules
from backlint.model import Backlog
from backlint.plugins import load_plugins
from backlint.report.report import build_report
from backlint.reporters.json import write_json
from backlint.selection import select_rules
from backlint.trackers.base import FetchOptions
from backlint.trackers.files import FileConnection

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

config, now = Config(), datetime(2026, 11, 30, tzinfo=UTC)
rules = select_rules(config, load_plugins(environ={"BACKLINT_LOAD_PLUGINS": ""}).rules)
rows = []
started = time.perf_counter()
def mark(name):
    global started
    rows.append((name, time.perf_counter() - started, peak()))
    started = time.perf_counter()
tickets = list(FileConnection(Path(sys.argv[1]), config).fetch(FetchOptions()))
mark("read and map")
backlog = Backlog(_normalised(tickets, config))
del tickets
mark("normalise")
engine = run_rules(backlog, [r for r in rules if r.code != "BL601"], now, config.settings)
mark("rules but BL601")
duplicates = run_rules(backlog, [r for r in rules if r.code == "BL601"], now, config.settings)
mark("BL601")
findings = sorted(engine.findings + duplicates.findings)
report = build_report(sys.argv[1], backlog.tickets(), findings, rules, now)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    write_json(report, out, {})
mark("report (JSON)")
print(json.dumps(rows))
"""


def stages(path: Path, out: Path) -> list[tuple[str, float, float]]:
    """Each stage's seconds and the peak RSS after it, in one fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BACKLINT_LOAD_PLUGINS": ""}
    done = subprocess.run(
        [sys.executable, "-c", STAGES, str(path), str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [tuple(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--kinds", nargs="+", default=["github", "jira"])
    parser.add_argument("--stages", action="store_true", help="time each stage too")
    parser.add_argument("--keep", type=Path, help="write (or reuse) the export files here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        results, breakdowns = [], []
        for kind in args.kinds:
            for size in args.sizes:
                path = folder / f"{kind}-{size}.json"
                if not path.exists():
                    write_export(kind, size, path)
                out = Path(scratch) / f"{kind}-{size}.report.json"
                floor = measure([sys.executable, "-c", FLOOR, str(path)])
                command = [sys.executable, "-m", "backlint", "audit", str(path)]
                command += ["--format", "json", "--output", str(out), "--now", NOW]
                audit = measure(command)
                mb = path.stat().st_size / 2**20
                results.append((kind, size, mb, floor, audit))
                if args.stages:
                    breakdowns.append((kind, size, stages(path, out)))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load}")
    print("| export | tickets | file MB | floor s | floor MB | audit s | audit MB | x floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, size, mb, (floor_s, floor_mb), (audit_s, audit_mb) in results:
        cells = [kind, f"{size:,}", f"{mb:.0f}", f"{floor_s:.2f}", f"{floor_mb:.0f}"]
        cells += [f"{audit_s:.2f}", f"{audit_mb:.0f}", f"{audit_s / floor_s:.1f}"]
        print("| " + " | ".join(cells) + " |")
    for kind, size, rows in breakdowns:
        print(f"\nstages, {kind} {size:,} (one process; seconds, peak RSS after the stage)")
        print("| stage | s | peak MB |")
        print("|---|---:|---:|")
        for name, seconds, rss in rows:
            print(f"| {name} | {seconds:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main()

"""``backlint shard github:ORG --jobs N``: a balanced GitHub Actions matrix, against the fake
GitHub; the balancing itself on its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from backlint.cli.main import OWN_PLUGIN_COMMANDS, main
from backlint.cli.shard_command import plan_shards

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fakes.github_server import FakeGitHub

#: Open issues per repository: one large, a few medium, many small, one empty.
SIZES = {"big": 900, "mid-a": 400, "mid-b": 350, "mid-c": 300, "empty": 0} | {
    f"small-{i:02}": 20 + i for i in range(12)
}


@pytest.fixture
def org(monkeypatch):
    with FakeGitHub() as fake:
        for name, count in SIZES.items():
            repo = fake.repo(f"acme/{name}")
            for number in range(1, count + 1):  # REST-shaped issues; only counts matter here
                repo.issues[number] = {"number": number, "state": "open"}
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        yield fake


def _shard(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["shard", *args])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_jobs_are_balanced_by_open_issues_and_cover_every_repository(org, capsys):
    status, out, err = _shard(capsys, "github:acme", "--jobs", "4")
    assert status == 0, err
    assert out.count("\n") == 1  # one line, for "shards=..." in $GITHUB_OUTPUT
    shards = json.loads(out)
    assert [s["shard"] for s in shards] == [1, 2, 3, 4]
    sources = [source for s in shards for source in s["sources"].split(" ")]
    assert sorted(sources) == sorted(f"github:acme/{name}" for name in SIZES)
    loads = [s["open_issues"] for s in shards]
    assert sum(loads) == sum(SIZES.values())
    # Longest-processing-time first: the big repository sits alone (nothing else could catch
    # up with it) and the other jobs end within one small repository of each other.
    assert {"sources": "github:acme/big", "repositories": 1}.items() <= shards[0].items()
    assert max(loads[1:]) - min(loads[1:]) <= max(v for k, v in SIZES.items() if "small" in k)
    assert all(s["repositories"] == len(s["sources"].split(" ")) for s in shards)


def test_the_listing_costs_one_request_per_100_repositories(monkeypatch, capsys):
    with FakeGitHub() as fake:
        for index in range(250):
            fake.repo(f"big-org/repo-{index:03}")
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        status, out, _ = _shard(capsys, "github:big-org", "--jobs", "16")
        assert status == 0
        assert len(fake.requests("POST", "/api/graphql")) == 3  # ceil(250 / 100)
        assert fake.writes == []
    shards = json.loads(out)
    assert len(shards) == 16
    assert sorted(s["repositories"] for s in shards) == [15] * 6 + [16] * 10


def test_more_jobs_than_repositories_gives_fewer_shards_never_an_empty_one(org, capsys):
    status, out, _ = _shard(capsys, "github:acme", "--jobs", "100")
    assert status == 0
    shards = json.loads(out)
    assert len(shards) == len(SIZES)
    assert all(s["repositories"] == 1 for s in shards)


def test_plan_is_deterministic_and_takes_the_largest_first():
    repositories = [("a", 10), ("b", 7), ("c", 5), ("d", 4), ("e", 3)]
    plan = plan_shards(repositories, 2)
    assert [(s.sources, s.open_issues) for s in plan] == [(["a", "d"], 14), (["b", "c", "e"], 15)]
    assert [s.to_dict() for s in plan] == [s.to_dict() for s in plan_shards(repositories[::-1], 2)]
    assert plan_shards([], 3) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["github:acme", "--jobs", "0"], "--jobs 0"),
        (["github:acme", "--jobs", "257"], "--jobs 257"),
        (["github:nobody", "--jobs", "2"], "github:nobody"),
        (["github:acme/big", "--jobs", "2"], "is not github:ORG"),
        (["jira:SHOP", "--jobs", "2"], "is not github:ORG"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(org, capsys, args, says):
    status, out, err = _shard(capsys, *args)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and says in err
    assert org.token not in err


def test_an_owner_without_repositories_to_shard_is_exit_2(monkeypatch, capsys):
    with FakeGitHub() as fake:
        fake.owners.add("lonely")
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        status, _, err = _shard(capsys, "github:lonely", "--jobs", "2")
    assert status == 2 and "no repository with issues" in err


def test_shard_is_on_the_fast_path_without_loading_plugins():
    assert OWN_PLUGIN_COMMANDS["shard"] == "backlint.cli.shard_command"


def test_the_example_org_workflow_feeds_the_plan_to_the_matrix_and_merges():
    text = (
        Path(__file__).resolve().parent.parent / "examples/workflows/backlint-org.yml"
    ).read_text(encoding="utf-8")
    assert 'backlint shard "github:$ORG" --jobs "$JOBS"' in text
    assert "include: ${{ fromJSON(needs.plan.outputs.shards) }}" in text
    # The matrix keys the audit jobs read are the ones shard prints.
    keys = set(plan_shards([("github:o/r", 1)], 1)[0].to_dict())
    assert {"shard", "sources"} <= keys
    assert "SOURCES: ${{ matrix.sources }}" in text and "matrix.shard" in text
    assert "backlint audit $SOURCES --format json" in text
    assert "backlint merge reports/*.json --format markdown" in text

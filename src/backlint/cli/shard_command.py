"""``backlint shard github:ORG --jobs N``: an organisation split into N balanced audit jobs.

It prints one line of JSON, a list for a GitHub Actions matrix
(``strategy.matrix.include: ${{ fromJSON(needs.plan.outputs.shards) }}``)::

    [{"shard": 1, "sources": "github:acme/api github:acme/web", "repositories": 2,
      "open_issues": 1830}, ...]

Each entry's ``sources`` is what the job passes on: ``backlint audit $SOURCES`` (word
splitting on spaces; repository names never hold one). Repositories are read 100 per GraphQL
request with their open-issue counts (:func:`backlint.trackers.github.org.list_repositories`)
and dealt out longest-processing-time first: the largest repository goes to the least-loaded
job, and so on down. A repository with no open issue still costs a request, so it weighs as one
issue. With more jobs than repositories there are fewer shards, never an empty one. Several
``github:ORG`` sources are pooled into one plan; any other source is refused (a repository or a
Jira project is one job already). ``--jobs`` is at most 256, GitHub's limit per matrix.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from backlint.errors import ConfigError, SourceError

#: GitHub Actions runs at most this many jobs per matrix.
MAX_JOBS = 256


@dataclass
class Shard:
    """One matrix job: the repositories it audits and the open issues they hold."""

    number: int
    sources: list[str] = field(default_factory=list)
    open_issues: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "shard": self.number,
            "sources": " ".join(sorted(self.sources)),
            "repositories": len(self.sources),
            "open_issues": self.open_issues,
        }


def plan_shards(repositories: Sequence[tuple[str, int]], jobs: int) -> list[Shard]:
    """Deal ``(source, open_issues)`` pairs into at most ``jobs`` shards, largest first, each
    to the shard with the least weight so far (ties: the lower shard number). Deterministic:
    the same listing gives the same plan. Shards that would be empty are not made."""
    count = min(jobs, len(repositories))
    shards = [Shard(number) for number in range(1, count + 1)]
    loads = [(0, index) for index in range(count)]  # (weight so far, shard index): a heap
    for source, issues in sorted(repositories, key=lambda item: (-item[1], item[0])):
        weight, index = heapq.heappop(loads)
        shards[index].sources.append(source)
        shards[index].open_issues += issues
        heapq.heappush(loads, (weight + max(issues, 1), index))
    return shards


@click.command("shard")
@click.argument("sources", nargs=-1, required=True, metavar="github:ORG [github:ORG ...]")
@click.option("--jobs", "jobs", required=True, type=int, help="How many matrix jobs (1-256).")
@click.option("--config", "config_path", type=click.Path(), help="Config file to use.")
@click.pass_obj
def shard_command(session: Any, sources: tuple[str, ...], jobs: int, config_path: str | None):
    """Split github:ORG into N balanced jobs; print the GitHub Actions matrix as JSON."""
    from backlint.trackers.github.org import owner_of, repositories_of

    if not 1 <= jobs <= MAX_JOBS:
        raise ConfigError(f"--jobs {jobs}: expected a number of jobs from 1 to {MAX_JOBS}")
    logins = []
    for source in sources:
        login = owner_of(source)
        if login is None:
            raise SourceError(
                f"shard: {source!r} is not github:ORG (a repository or a Jira project is one "
                "audit job already)"
            )
        logins.append(login)
    config = session.config(config_path)
    listed: dict[str, int] = {}
    for login in dict.fromkeys(logins):
        for repository in repositories_of(login, config):
            listed[repository.source] = repository.open_issues
    if not listed:
        raise SourceError(f"{', '.join(sources)}: no repository with issues to shard")
    plan = plan_shards(sorted(listed.items()), jobs)
    click.echo(json.dumps([shard.to_dict() for shard in plan], separators=(",", ":")))


def register_commands(cli: click.Group) -> None:
    """Add ``shard`` (``main`` adds it too; this is its fast path, no plugin loaded)."""
    cli.add_command(shard_command)

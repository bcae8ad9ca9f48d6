"""``github:ORG``: every non-archived repository of an organisation or user that has issues.

The listing reads 100 repositories per GraphQL request (``repositoryOwner.repositories``:
GitHub leaves the archived ones out, the ones with issues turned off are skipped here), each
with its open-issue count, which ``backlint shard`` balances jobs on. The audit
(:func:`backlint.trackers.github.tracker.open_owner`) then reads the repositories one after
another, each with the usual paging (:mod:`paging`: its two chains of 100-issue pages), all
through one set of :class:`~backlint.trackers.github.clients.GitHubClients`: one token, one
rate-limit budget, one pacing, one write delay. Tickets are ``owner/repo#N`` as for a single
repository, so write-back goes to the right repository whichever part read it.

An incremental audit (``--history H --since last``) asks each repository for what changed
since, and tells the connection what it stored (:meth:`OrgConnection.resume`): a repository it
has nothing of is read in full, and the stored tickets of repositories no longer listed leave.

Forks count like any repository (GitHub turns issues off on forks by default). A GitHub App
needs ``[github] installation-id`` here: an App token is found through a repository, and the
repositories are not known before the listing (or pass a token in ``GITHUB_TOKEN``, as
actions/create-github-app-token gives one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backlint.errors import SourceError, TrackerError
from backlint.trackers.multi import MultiConnection

if TYPE_CHECKING:
    from backlint.config.config import Config
    from backlint.model import Ticket
    from backlint.trackers.base import Connection, FetchOptions
    from backlint.trackers.github.clients import GitHubClients
    from backlint.trackers.github.graphql import GraphQLClient
    from backlint.trackers.github.limits import Pacer
    from backlint.trackers.github.settings import GitHubSettings

#: A GitHub login: letters, digits and single hyphens (``github:ORG``, no ``/REPO``).
_OWNER = re.compile(r"^github:(?P<login>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)$")

REPOSITORIES_QUERY = """query BacklintRepositories($login: String!, $cursor: String) {
  rateLimit { cost remaining resetAt }
  repositoryOwner(login: $login) {
    login
    repositories(first: 100, after: $cursor, isArchived: false, ownerAffiliations: [OWNER],
        orderBy: {field: NAME, direction: ASC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { nameWithOwner hasIssuesEnabled isArchived issues(states: [OPEN]) { totalCount } }
    }
  }
}
"""


def owner_of(source: str) -> str | None:
    """``github:ORG`` → ``ORG``; None for any other source (``github:o/r``, ``jira:P``)."""
    match = _OWNER.match(source.strip())
    return match.group("login") if match else None


@dataclass(frozen=True, slots=True)
class Repository:
    """One repository of an owner, as the listing saw it."""

    name_with_owner: str
    open_issues: int

    @property
    def source(self) -> str:
        return f"github:{self.name_with_owner}"


class OrgConnection(MultiConnection):
    """``github:ORG``: one part per listed repository (see :func:`open_owner
    <backlint.trackers.github.tracker.open_owner>`), with what an incremental audit needs of a
    set of repositories that changes between runs (:meth:`resume`)."""

    def __init__(
        self,
        login: str,
        parts: Sequence[tuple[str, Connection]],
        on_close: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parts, on_close=on_close)
        self.login = login
        self._listed = {source.removeprefix("github:").lower(): source for source, _ in parts}

    def source_of(self, key: str) -> str | None:
        """The repository of ticket ``key``, whether this run read it or a stored run did."""
        return super().source_of(key) or self._listed.get(_repo_of(key))

    def fetch_many(self, keys: Sequence[str]) -> Iterator[Ticket]:
        """The issues ``keys`` name across the repositories, 100 per request whatever their
        mix (the repositories share one GraphQL client): one by-number query reads several
        repositories. Each ticket is mapped, and later written, by its repository's part."""
        from backlint.trackers.github.graphql import issues_by_number

        refs: list[tuple[str, str, int]] = []
        readers: list[int] = []
        for key in keys:
            index = self.index_of(key)
            number = key.rpartition("#")[2]
            if index is None or not number.isdigit():
                continue
            part: Any = self.parts[index][1]
            refs.append((part.owner, part.name, int(number)))
            readers.append(index)
        if not refs:
            return
        first: Any = self.parts[readers[0]][1]
        for position, node in issues_by_number(first.graphql, first.shape, refs):
            index = readers[position]
            ticket = self.parts[index][1].ticket_of(node)  # type: ignore[attr-defined]
            self._reader.setdefault(ticket.key, index)
            yield ticket

    def resume(self, stored: Iterable[str], options: FetchOptions) -> set[str]:
        """An incremental audit's stored ticket keys and its own filters (see
        :meth:`backlint.history.incremental.Incremental.fetch_options`).

        A listed repository none of the stored tickets comes from (new to the owner, no longer
        archived, or empty last time) is read in full with ``options``: only its changes would
        miss its older issues. Returned: the stored tickets of this owner's repositories that
        are no longer listed (archived, removed, issues turned off); they leave the backlog.
        """
        stored = list(stored)
        known = {_repo_of(key) for key in stored}
        for source, connection in self.parts:
            if source.removeprefix("github:").lower() not in known:
                connection.full_read = options  # type: ignore[attr-defined]
        owner = self.login.lower() + "/"
        return {
            key
            for key in stored
            if _repo_of(key).startswith(owner) and _repo_of(key) not in self._listed
        }


def _repo_of(key: str) -> str:
    """``Owner/Repo#12`` → ``owner/repo`` (GitHub names ignore case); "" for any other key."""
    repo, hash_, number = key.rpartition("#")
    return repo.lower() if hash_ and "/" in repo and number.isdigit() else ""


def list_repositories(client: GraphQLClient, login: str) -> list[Repository]:
    """The owner's non-archived repositories with issues on, sorted by name; 100 a request.

    Raises TrackerError when GitHub knows no organisation or user ``login`` (or the token
    cannot see it), or answers with another GraphQL error.
    """
    repositories: list[Repository] = []
    cursor: str | None = None
    while True:
        body = client.execute(REPOSITORIES_QUERY, {"login": login, "cursor": cursor})
        owner = (body.get("data") or {}).get("repositoryOwner")
        errors = [e for e in body.get("errors") or () if isinstance(e, Mapping)]
        if errors and not all(e.get("type") == "NOT_FOUND" for e in errors):
            messages = "; ".join(str(e.get("message", "")).strip() for e in errors[:3])
            raise TrackerError(f"GitHub GraphQL error: {messages}")
        if not isinstance(owner, Mapping):
            raise TrackerError(
                f"github:{login}: no GitHub organisation or user {login!r}, "
                "or this token cannot see it"
            )
        page = owner.get("repositories") or {}
        repositories.extend(_usable(page.get("nodes") or ()))
        info = page.get("pageInfo") or {}
        cursor = info.get("endCursor")
        if not info.get("hasNextPage") or not cursor:
            break
    return sorted(repositories, key=lambda repo: repo.name_with_owner.lower())


def _usable(nodes: Any) -> list[Repository]:
    return [
        Repository(
            str(node["nameWithOwner"]), int((node.get("issues") or {}).get("totalCount") or 0)
        )
        for node in nodes
        if isinstance(node, Mapping)
        and node.get("nameWithOwner")
        and node.get("hasIssuesEnabled")
        and not node.get("isArchived")
    ]


def repositories_of(
    login: str,
    config: Config,
    env: Mapping[str, str] | None = None,
    pacer: Pacer | None = None,
) -> list[Repository]:
    """The listing alone (``backlint shard``): one request per 100 repositories."""
    import os

    from backlint.trackers.github.settings import GitHubSettings

    env = os.environ if env is None else env
    clients = org_clients(login, config, GitHubSettings.from_env(config, env), env, pacer)
    try:
        return list_repositories(clients.graphql, login)
    finally:
        clients.close()


def org_clients(
    login: str,
    config: Config,
    settings: GitHubSettings,
    env: Mapping[str, str],
    pacer: Pacer | None = None,
) -> GitHubClients:
    """The clients every repository of ``login`` shares: one token, one pacing."""
    from backlint.trackers.github.auth import authenticate
    from backlint.trackers.github.clients import GitHubClients

    table = config.section("github")
    if table.get("app-id") and not table.get("installation-id"):
        raise SourceError(
            f"github:{login} with a GitHub App needs [github] installation-id "
            "(or a token in GITHUB_TOKEN)"
        )
    factory, token = authenticate(login, "", config, settings, env)
    return GitHubClients(settings, factory, token, pacer)

"""The GitHub tracker: ``github:OWNER/REPO`` and ``github:ORG`` (audits; every repository of an
organisation or user, see :mod:`github_org`) and ``github:OWNER/REPO#12`` (checks).

Reads for audits go through one GraphQL query per 100 issues (:mod:`github_graphql`), and so
do issues read again by number (``fetch_many``); a single issue is read over REST; write-back
goes through PyGithub (:mod:`github_write`). The token comes from
``GITHUB_TOKEN`` or ``GH_TOKEN``, or from a GitHub App installation when ``[github] app-id``
is configured (private key in ``GITHUB_APP_PRIVATE_KEY`` or a file named by
``GITHUB_APP_PRIVATE_KEY_PATH``; see :mod:`github_auth`). ``GITHUB_API_URL`` and
``GITHUB_GRAPHQL_URL`` point it at GitHub Enterprise Server or a test server (see
:mod:`github_settings`). PyGithub and httpx are imported on first use, so ``backlint --help``
and file audits stay fast. No message ever carries the token.

A connection also serves one ticket built from a webhook payload
(:func:`backlint.trackers.github.mapping.ticket_from_rest`): ``current_state`` and ``apply``
work from the ticket's key alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from backlint.errors import SourceError, TrackerError
from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.writeback.contract import ExistingComment, Plan, TicketState, WriteResult

# Every run registers this tracker, most never open it (file audits, skipped Action events):
# the modules behind a connection are imported when one is opened or used.
if TYPE_CHECKING:
    from backlint.config.config import Config
    from backlint.trackers.base import FetchOptions, Progress
    from backlint.trackers.github.clients import GitHubClients
    from backlint.trackers.github.graphql import GraphQLClient
    from backlint.trackers.github.limits import Pacer
    from backlint.trackers.github.org import OrgConnection
    from backlint.trackers.github.settings import GitHubSettings
    from backlint.trackers.github.write import GitHubWriter

_SOURCE = re.compile(r"^github:(?P<owner>[\w.-]+)/(?P<name>[\w.-]+)(?:#(?P<number>\d+))?$")


def parse_source(source: str) -> tuple[str, str, int | None]:
    """``github:o/r`` or ``github:o/r#12`` → (owner, name, number or None)."""
    match = _SOURCE.match(source.strip())
    if not match:
        raise SourceError(
            f"{source!r}: expected github:OWNER/REPO, github:OWNER/REPO#NUMBER or github:ORG"
        )
    number = match.group("number")
    return match.group("owner"), match.group("name"), int(number) if number else None


class GitHubConnection:
    """One repository on GitHub: bulk reads, single reads, comment lookup and write-back."""

    def __init__(
        self,
        owner: str,
        name: str,
        config: Config,
        settings: GitHubSettings,
        github_factory: Callable[[], Any],
        token: Callable[[], str],
        pacer: Pacer | None = None,
        transport: Any = None,
        clients: GitHubClients | None = None,
    ) -> None:
        from backlint.trackers.github.clients import GitHubClients
        from backlint.trackers.github.graphql import QueryShape

        self.owner, self.name = owner, name
        self.repo = f"{owner}/{name}"
        self.config = config
        self.settings = settings
        #: Shared by the repositories of an organisation audit (one token, one pacing); a
        #: connection closes only the clients it made itself.
        self._owns_clients = clients is None
        self.clients = clients or GitHubClients(settings, github_factory, token, pacer, transport)
        self.pacer = self.clients.pacer
        self.shape = QueryShape(
            projects=settings.projects,
            issue_type=settings.issue_types,
            priority_field=settings.priority_field,
            comments=settings.comments,
            streams=settings.read_streams,
        )
        #: The filters of a full read, set on a repository an incremental ``github:ORG`` audit
        #: has stored nothing of (see :meth:`~backlint.trackers.github.org.OrgConnection.resume`):
        #: its ``since`` read is replaced by a full one.
        self.full_read: FetchOptions | None = None
        #: backlint's comment per ticket key, where the latest bulk read settled it (see
        #: :func:`comment_from_graphql`); ``current_state`` then makes no request. A write to a
        #: ticket's comments drops its entry: the next state is read afresh.
        self.comments_seen: dict[str, ExistingComment | None] = {}

    # -- reads ---------------------------------------------------------------------------
    @property
    def graphql(self) -> GraphQLClient:
        return self.clients.graphql

    @property
    def writer(self) -> GitHubWriter:
        return self.clients.writer

    def fetch(self, options: FetchOptions, progress: Progress | None = None) -> Iterator[Ticket]:
        """Every issue the options select (no pull requests), 100 per GraphQL request."""
        from backlint.trackers.github.paging import fetch_issue_nodes

        if options.since is not None and self.full_read is not None:
            options = self.full_read
        total: list[int | None] = [None]

        def on_total(count: int) -> None:
            total[0] = count if options.limit is None else min(count, options.limit)

        tickets = fetch_issue_nodes(
            self.graphql, self.owner, self.name, options, self.shape, on_total, self.ticket_of
        )
        for ticket in tickets:
            if progress:
                progress(1, total[0])
            yield ticket

    def ticket_of(self, node: dict[str, Any]) -> Ticket:
        """An Issue node of this repository as a Ticket, noting what it shows of backlint's
        comment (``comments_seen``); an odd node is an unreadable ticket, not a failed run."""
        from backlint.trackers.github.mapping import comment_from_graphql, ticket_from_graphql

        try:
            ticket = ticket_from_graphql(node, self.repo)
            known, comment = comment_from_graphql(node)
            if known:
                self.comments_seen[ticket.key] = comment
            else:  # a later read of the ticket knows less than an earlier one did
                self.comments_seen.pop(ticket.key, None)
            return ticket
        except Exception as err:  # one odd issue must not stop the audit of the others
            return _unreadable(self.repo, node, err)

    def holds(self, key: str) -> bool:
        """Whether ticket ``key`` (``owner/repo#12``) is an issue of this repository."""
        repo, _, number = key.rpartition("#")
        return repo.lower() == self.repo.lower() and number.isdigit()

    def fetch_many(self, keys: Sequence[str]) -> Iterator[Ticket]:
        """The issues ``keys`` name, in their order, 100 per GraphQL request with the bulk
        read's fields, so write-back state is settled as after a bulk read (no REST read of
        the issue, often none of its comments). An issue GitHub no longer has (deleted,
        transferred) is left out."""
        from backlint.trackers.github.graphql import issues_by_number

        refs = [(self.owner, self.name, _number_in(key)) for key in keys]
        for _, node in issues_by_number(self.graphql, self.shape, refs):
            yield self.ticket_of(node)

    def fetch_one(self, ref: str) -> Ticket:
        """One issue over REST (``github:o/r#12`` or ``o/r#12``)."""
        from backlint.trackers.github.mapping import is_pull_request, ticket_from_rest
        from backlint.trackers.github.write import WriteFailed

        number = _number_in(ref)
        session = self.writer.session
        path = f"/repos/{self.owner}/{self.name}/issues/{number}"
        try:
            _, data = session.call(
                lambda: session.github.requester.requestJsonAndCheck("GET", path),
                write=False,
                idempotent=True,
            )
        except WriteFailed as err:
            if err.status == 404:
                raise TrackerError(f"issue {self.repo}#{number} not found") from None
            raise TrackerError(f"reading {self.repo}#{number}: {err}") from None
        if not isinstance(data, Mapping) or is_pull_request(data):
            raise TrackerError(f"{self.repo}#{number} is a pull request, not an issue")
        return ticket_from_rest(data, self.repo)

    # -- write-back ----------------------------------------------------------------------
    def current_state(self, ticket: Ticket, has_findings: bool) -> TicketState:
        """The ticket's labels and backlint comment, reading comments only when it matters.

        The bulk read already says whether backlint's comment is among the last comments (or
        that there are no others), duplicates included when it saw every comment. Otherwise the
        comments are read over REST, except when the ticket has no findings and no managed
        label: then backlint has nothing to create or to clean up there.
        """
        from backlint.trackers.github.write import WriteFailed, split_key

        labels = ticket.labels
        writeback = self.config.writeback
        if not writeback.comment:
            return TicketState(labels=labels)
        if ticket.key in self.comments_seen:
            return TicketState(labels=labels, comment=self.comments_seen[ticket.key])
        managed = writeback.managed_labels()
        if (
            not has_findings
            and writeback.labels
            and not any(label.lower() in managed for label in labels)
        ):
            return TicketState(labels=labels)
        repo, number = split_key(ticket.key)
        try:
            comment = self.writer.find_comment(repo, number)
        except WriteFailed as err:
            raise TrackerError(f"reading comments of {ticket.key}: {err}") from None
        return TicketState(labels=labels, comment=comment)

    def apply(self, plan: Plan) -> WriteResult:
        """Carry out one plan, serially and paced; a failure is this ticket's result."""
        if plan.is_empty:
            return WriteResult(plan.ticket)
        if plan.comment_action or plan.duplicate_ids:
            self.comments_seen.pop(plan.ticket, None)
        return self.writer.apply(plan)

    def close(self) -> None:
        if self._owns_clients:
            self.clients.close()


def _number_in(ref: str) -> int:
    _, _, number = ref.rpartition("#")
    if not number.isdigit():
        raise SourceError(f"{ref!r}: name one issue as github:OWNER/REPO#NUMBER")
    return int(number)


def _unreadable(repo: str, node: Any, err: Exception) -> Ticket:
    number = node.get("number") if isinstance(node, Mapping) else None
    return Ticket(
        key=f"{repo}#{number}",
        tracker="github",
        load_error=f"could not read this issue: {err}",
    )


class GitHubTracker:
    """Claims ``github:`` sources."""

    name = "github"
    writable = True

    def claims(self, source: str) -> bool:
        return source.startswith("github:")

    def open(
        self,
        source: str,
        config: Config,
        env: Mapping[str, str] | None = None,
        pacer: Pacer | None = None,
    ) -> GitHubConnection | OrgConnection:
        """A connection to the repository SOURCE names; no request is made yet. For
        ``github:ORG``, one over the owner's repositories, listed now (see :mod:`org`).

        ``env`` defaults to ``os.environ``; ``pacer`` (sleep, clock, notify) to the real ones.
        """
        from backlint.trackers.github.auth import authenticate
        from backlint.trackers.github.org import owner_of
        from backlint.trackers.github.settings import GitHubSettings

        env = os.environ if env is None else env
        login = owner_of(source)
        if login is not None:
            return open_owner(login, config, GitHubSettings.from_env(config, env), env, pacer)
        owner, name, _ = parse_source(source)
        settings = GitHubSettings.from_env(config, env)
        factory, token = authenticate(owner, name, config, settings, env)
        return GitHubConnection(owner, name, config, settings, factory, token, pacer=pacer)


def open_owner(
    login: str,
    config: Config,
    settings: GitHubSettings,
    env: Mapping[str, str],
    pacer: Pacer | None = None,
) -> OrgConnection:
    """``github:ORG``: one connection over every repository ``login`` owns that has issues
    (listed now, one request per 100 repositories), all sharing one set of clients (one token,
    one pacing; see :mod:`github_org`). The shared clients are closed after the last
    repository's connection."""
    from backlint.trackers.github.org import OrgConnection, list_repositories, org_clients

    clients = org_clients(login, config, settings, env, pacer)
    try:
        repositories = list_repositories(clients.graphql, login)
    except BaseException:
        clients.close()
        raise
    parts = []
    for repository in repositories:
        owner, name = repository.name_with_owner.split("/", 1)
        connection = GitHubConnection(
            owner, name, config, settings, clients.github_factory, clients.token, clients=clients
        )
        parts.append((repository.source, connection))
    return OrgConnection(login, parts, on_close=clients.close)


@hookimpl
def register_trackers(register):
    register(GitHubTracker())

"""The clients of one GitHub token: GraphQL for reads, PyGithub (REST) for writes, one
:class:`~backlint.trackers.github.limits.Pacer` for both. Each is built on first use, so a
connection that only judges tickets in hand makes no client at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backlint.trackers.github.graphql import GraphQLClient
    from backlint.trackers.github.limits import Pacer
    from backlint.trackers.github.settings import GitHubSettings
    from backlint.trackers.github.write import GitHubWriter


class GitHubClients:
    """The GraphQL client (reads) and the REST writer of one token, each built on first use.

    A repository's connection makes its own; the repositories of ``github:ORG`` share one set,
    so every read and write of the audit goes through one rate-limit pacing and one write
    delay (see :mod:`backlint.trackers.github.org`).
    """

    def __init__(
        self,
        settings: GitHubSettings,
        github_factory: Callable[[], Any],
        token: Callable[[], str],
        pacer: Pacer | None = None,
        transport: Any = None,
    ) -> None:
        from backlint.trackers.github.limits import Pacer

        self.settings = settings
        self.pacer = pacer or Pacer(max_wait=settings.max_wait)
        self.github_factory = github_factory
        self.token = token
        self._transport = transport
        self._graphql: GraphQLClient | None = None
        self._writer: GitHubWriter | None = None

    @property
    def graphql(self) -> GraphQLClient:
        from backlint.trackers.github.graphql import GraphQLClient

        if self._graphql is None:
            self._graphql = GraphQLClient(
                self.settings.graphql_url, self.token, self.pacer, transport=self._transport
            )
        return self._graphql

    @property
    def writer(self) -> GitHubWriter:
        from backlint.trackers.github.write import GitHubWriter, RestSession

        if self._writer is None:
            session = RestSession(self.github_factory(), self.pacer, self.settings.write_delay)
            self._writer = GitHubWriter(session)
        return self._writer

    def close(self) -> None:
        if self._graphql is not None:
            self._graphql.close()
        if self._writer is not None:
            self._writer.session.github.close()

"""What a tracker adapter provides: a :class:`Tracker` that claims SOURCE strings and opens a
:class:`Connection` that fetches tickets and applies write-back plans.

Adapters own all I/O and map payloads to :class:`~backlint.model.Ticket`; they never judge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from backlint.model import Ticket

if TYPE_CHECKING:
    from backlint.config.config import Config
    from backlint.writeback.contract import Plan, TicketState, WriteResult

#: ``progress(advance, total)``: called as tickets arrive; ``total`` is None when unknown.
Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """What to fetch. Trackers ignore what they cannot filter on."""

    state: str = "open"
    limit: int | None = None
    query: str | None = None
    labels: tuple[str, ...] = ()
    milestone: str | None = None
    since: datetime | None = None


def reads_whole(connection: object, key: str) -> bool:
    """True when ticket ``key`` came from a source read whole whatever the fetch options (an
    export file has no query to narrow: it ignores state, labels and ``since``), so it is what
    a full read gives. ``connection`` may compose several (``part_of(key)``)."""
    part_of = getattr(connection, "part_of", None)
    if part_of is not None:
        connection = part_of(key)
    return bool(getattr(connection, "reads_whole", False))


class Connection(Protocol):
    """An open source of tickets.

    Optional, looked up with ``getattr`` (callers fall back when a connection lacks them):

    - ``fetch_many(keys) -> Iterator[Ticket]``: the tickets ``keys`` name, read in bulk (GitHub:
      100 a GraphQL request; Jira: one ``key in (...)`` search per 100), as the bulk read maps
      them; a ticket the tracker no longer has is left out, not raised. Without it,
      ``fetch_one`` per key (:func:`backlint.trackers.multi.read_many`).
    - ``holds(key) -> bool``: whether ``key`` is one of this source's tickets, so a connection
      made of several routes a key no part has read in this run.
    """

    def fetch(self, options: FetchOptions, progress: Progress | None = None) -> Iterator[Ticket]:
        """Yield the tickets the options select, streaming page by page."""

    def fetch_one(self, ref: str) -> Ticket:
        """The single ticket ``ref`` names (``owner/repo#12``, ``PROJ-12``)."""

    def current_state(self, ticket: Ticket, has_findings: bool) -> TicketState:
        """The ticket's managed labels and backlint comment as the tracker has them now."""

    def apply(self, plan: Plan) -> WriteResult:
        """Carry out one plan (serially, paced); failures are reported, not raised."""

    def close(self) -> None:
        """Release network resources."""


class Tracker(Protocol):
    """A registered tracker adapter. ``writable`` is optional (default true): export files and
    other read-only sources set it false, so ``--apply`` is refused."""

    name: str
    writable: bool

    def claims(self, source: str) -> bool:
        """True when SOURCE (``github:o/r``, ``jira:PROJ``, a path) is this tracker's."""

    def open(self, source: str, config: Config) -> Connection:
        """Connect (or open the file); raise TrackerError/SourceError with a one-line reason."""


class GivenTickets:
    """A connection whose tickets are already in hand (the Action's event payload).

    ``fetch`` yields them without a request. Everything that needs the tracker (``fetch_one``
    for a fresh read, ``current_state``, ``apply``) goes to the connection ``open_tracker``
    returns, opened on first use only: judging the tickets alone makes no request and needs no
    token.
    """

    def __init__(self, tickets: Iterable[Ticket], open_tracker: Callable[[], Connection]) -> None:
        self.tickets = list(tickets)
        self._open_tracker = open_tracker
        self._tracker: Connection | None = None

    @property
    def tracker(self) -> Connection:
        if self._tracker is None:
            self._tracker = self._open_tracker()
        return self._tracker

    @property
    def pacer(self) -> object:
        """The open tracker's retry policy, so write-back gets its write phase (see the audit);
        None before anything was read or written."""
        return getattr(self._tracker, "pacer", None)

    def fetch(self, options: FetchOptions, progress: Progress | None = None) -> Iterator[Ticket]:
        for ticket in self.tickets:
            if progress:
                progress(1, len(self.tickets))
            yield ticket

    def fetch_one(self, ref: str) -> Ticket:
        return self.tracker.fetch_one(ref)

    def current_state(self, ticket: Ticket, has_findings: bool) -> TicketState:
        return self.tracker.current_state(ticket, has_findings)

    def apply(self, plan: Plan) -> WriteResult:
        return self.tracker.apply(plan)

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()

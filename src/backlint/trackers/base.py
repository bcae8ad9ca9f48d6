"""What a tracker adapter provides: a :class:`Tracker` that claims SOURCE strings and opens a
:class:`Connection` that fetches tickets and applies write-back plans.

Adapters own all I/O and map payloads to :class:`~backlint.model.Ticket`; they never judge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


class Connection(Protocol):
    """An open source of tickets."""

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

"""Several sources read as one backlog: a connection made of connections.

``backlint audit github:o/a jira:PROJ export.csv`` opens one connection per SOURCE and hands
the pipeline a :class:`MultiConnection`: its ``fetch`` yields every source's tickets in the
order the sources were given, so the engine sees one :class:`~backlint.model.Backlog` (one
report, one health score; duplicates and objective links are found across sources). Write-back
goes back where each ticket came from: ``current_state`` and ``apply`` are routed by ticket key
to the connection that read it. ``github:ORG`` is built the same way, one part per repository
(see :mod:`backlint.trackers.github.org`).

A key two sources both yield (the same export file given twice, say) is kept from the first
source only, like :class:`~backlint.model.Backlog` does, and the later copies are counted and
named once on stderr; routing follows the ticket that was kept. A ticket's link to a ticket of
another source (a GitHub issue whose parent epic lives in Jira) is out of scope: each adapter
maps the links its own tracker knows, and a GitHub issue cannot name a Jira parent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from backlint.errors import SourceError, TrackerError
from backlint.model import Ticket

if TYPE_CHECKING:
    from backlint.trackers.base import Connection, FetchOptions, Progress
    from backlint.writeback.contract import Plan, TicketState, WriteResult


def _notify_stderr(message: str) -> None:
    print(f"backlint: {message}", file=sys.stderr, flush=True)


class MultiConnection:
    """Connections read one after another as one source; writes routed by ticket key.

    ``parts`` pairs each SOURCE with its open connection. ``on_close`` runs after every part
    is closed (``github:ORG`` closes the client its repositories share there).
    """

    def __init__(
        self,
        parts: Sequence[tuple[str, Connection]],
        on_close: Callable[[], None] | None = None,
        notify: Callable[[str], None] = _notify_stderr,
    ) -> None:
        self.parts = list(parts)
        self._on_close = on_close
        self._notify = notify
        #: The index of the part that read each ticket key: where its writes go.
        self._reader: dict[str, int] = {}

    @property
    def sources(self) -> list[str]:
        """Every source this connection reads, parts made of parts expanded (one per
        repository of ``github:ORG``): the report's "By source" rows."""
        names: list[str] = []
        for source, connection in self.parts:
            names.extend(getattr(connection, "sources", None) or [source])
        return names

    def source_of(self, key: str) -> str | None:
        """The most specific source that read ticket ``key``; None when none did."""
        index = self._reader.get(key)
        if index is None:
            return None
        source, connection = self.parts[index]
        inner = getattr(connection, "source_of", None)
        return (inner(key) if inner else None) or source

    def fetch(self, options: FetchOptions, progress: Progress | None = None) -> Iterator[Ticket]:
        """Each part's tickets in turn; the total is unknown until the last part has started."""

        def advance(step: int, total: int | None) -> None:
            if progress:
                progress(step, None)

        for index, (source, connection) in enumerate(self.parts):
            repeated: list[str] = []
            for ticket in connection.fetch(options, advance):
                if ticket.key in self._reader:
                    # A key this source gave before (a folder of webhook payloads holds one
                    # issue per event) is kept once, as one source alone keeps it; only a key
                    # another source read is worth a warning.
                    if self._reader[ticket.key] != index:
                        repeated.append(ticket.key)
                    continue
                self._reader[ticket.key] = index
                yield ticket
            if repeated:
                first = self.parts[self._reader[repeated[0]]][0]
                self._notify(
                    f"warning: {source} repeats {len(repeated)} ticket key(s) an earlier source "
                    f"read (first {repeated[0]}, from {first}); the earlier tickets are kept"
                )

    def fetch_one(self, ref: str) -> Ticket:
        raise SourceError(f"{ref!r}: check takes one ticket of one source")

    def holds(self, key: str) -> bool:
        """Whether one of the parts holds ticket ``key`` (see :meth:`fetch_many`)."""
        return self.index_of(key) is not None

    def index_of(self, key: str) -> int | None:
        """The part ticket ``key`` belongs to: the one that read it in this run, else the first
        whose ``holds(key)`` says so (a stored ticket an incremental audit reads again)."""
        index = self._reader.get(key)
        if index is not None:
            return index
        for index, (_, connection) in enumerate(self.parts):
            holds = getattr(connection, "holds", None)
            if holds is not None and holds(key):
                return index
        return None

    def fetch_many(self, keys: Sequence[str]) -> Iterator[Ticket]:
        """The tickets ``keys`` name, each read by the part it belongs to (:meth:`index_of`),
        in bulk where that part can (:func:`read_many`); writes then go to that part. Keys no
        part holds, and tickets their part cannot read, are left out."""
        by_part: dict[int, list[str]] = {}
        for key in keys:
            index = self.index_of(key)
            if index is not None:
                by_part.setdefault(index, []).append(key)
        for index, wanted in by_part.items():
            for ticket in read_many(self.parts[index][1], wanted):
                self._reader.setdefault(ticket.key, index)
                yield ticket

    def current_state(self, ticket: Ticket, has_findings: bool) -> TicketState:
        return self.part_of(ticket.key).current_state(ticket, has_findings)

    def apply(self, plan: Plan) -> WriteResult:
        return self.part_of(plan.ticket).apply(plan)

    def part_of(self, key: str) -> Connection:
        """The connection that read ticket ``key``."""
        index = self._reader.get(key)
        if index is None:
            raise TrackerError(f"{key}: no source of this audit read this ticket")
        return self.parts[index][1]

    def close(self) -> None:
        """Close every part, even when one fails to close; the first failure is raised after."""
        failure: BaseException | None = None
        closers = [connection.close for _, connection in self.parts]
        if self._on_close:
            closers.append(self._on_close)
        for close in closers:
            try:
                close()
            except Exception as err:  # the other parts must be closed all the same
                failure = failure or err
        if failure is not None:
            raise failure


def open_all(sources: Sequence[str], open_one: Callable[[str], Connection]) -> MultiConnection:
    """One connection per source, opened in order; when one cannot be opened, those already
    open are closed before the error goes on."""
    parts: list[tuple[str, Connection]] = []
    try:
        for source in sources:
            parts.append((source, open_one(source)))
    except BaseException:
        MultiConnection(parts).close()
        raise
    return MultiConnection(parts)


def read_many(connection: Connection, keys: Sequence[str]) -> Iterator[Ticket]:
    """The tickets ``keys`` name: in bulk through the connection's optional ``fetch_many``,
    else one ``fetch_one`` per key. A ticket that cannot be read (gone, not visible, not of
    this connection) is left out: whoever asked tries it again another time."""
    fetch_many = getattr(connection, "fetch_many", None)
    if fetch_many is not None:
        yield from fetch_many(keys)
        return
    for key in keys:
        try:
            ticket = connection.fetch_one(key)
        except Exception:  # isolation: one odd ticket must not stop the others
            continue
        yield ticket

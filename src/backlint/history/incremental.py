"""Incremental audits: ``backlint audit SOURCE --history H --since last|DATE``.

Only the tickets updated since then are fetched; the report still covers the whole backlog.
The data flow (docs/architecture.md has the picture):

1. :meth:`Incremental.prepare` reads the stored backlog of SOURCE with the same filters
   (:mod:`backlint.history.snapshots`) and resolves ``last`` to the start of the fetch that
   last refreshed it. No stored backlog: a full audit, said in one line (:attr:`note`).
2. :meth:`fetch_options`: every state updated since then (a ticket closed since the last run
   must leave the open backlog); the state and label filters are applied here instead.
3. :meth:`merge`: fresh tickets win over stored ones; a fetched ticket whose content
   fingerprint is the stored one is unchanged (backlint's own comment and labels bumped its
   update time, nothing else).
4. :meth:`known_findings`: unchanged tickets keep their ticket-rule findings, unless the
   configuration or the rule selection changed; rules that read the clock or other tickets run
   on every ticket; backlog rules always judge the whole merged backlog.
5. :meth:`to_plan`: write-back plans the tickets that changed, and stored tickets whose
   findings changed (a new duplicate of an old ticket), read afresh first, all in one bulk
   read (``fetch_many``: 100 a request on GitHub); others cost nothing.
6. :meth:`save`: the merged backlog, its findings and what the tracker was seen to show.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from backlint.config.config import Config
from backlint.config.conventions import normalise
from backlint.engine.run import KnownFindings
from backlint.errors import ConfigError
from backlint.history.fingerprint import fingerprint
from backlint.history.snapshots import (
    Snapshot,
    StoredTicket,
    content_fingerprint,
    findings_digest,
    load_snapshot,
    save_snapshot,
    ticket_to_json,
)
from backlint.model import Finding, Ticket
from backlint.report.score import natural_key
from backlint.trackers.base import Connection, FetchOptions
from backlint.trackers.multi import read_many


def parse_since(value: str) -> str | datetime:
    """``last`` or an ISO date/time (UTC when it names no offset); ConfigError otherwise."""
    text = value.strip()
    if text.lower() == "last":
        return "last"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(
            f"--since: expected 'last' or an ISO date such as 2026-11-01T00:00:00Z, not {value!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def scope_of(options: FetchOptions) -> str:
    """The filters a stored backlog was fetched with: only a run with the same ones reuses it."""
    return json.dumps(
        {
            "state": options.state,
            "labels": sorted(label.lower() for label in options.labels),
            "milestone": options.milestone,
            "query": (options.query or "").strip() or None,
        },
        sort_keys=True,
    )


def _config_fingerprint(rules: Sequence[Any], config: Config) -> dict[str, Any]:
    return fingerprint(None, rules, config.settings)  # type: ignore[arg-type]


@dataclass
class Incremental:
    """One audit's use of the stored backlog: what to fetch, what to reuse, what to store."""

    path: Path
    source: str
    options: FetchOptions
    config: Config
    snapshot: Snapshot | None
    since: datetime | None
    apply: bool = False
    note: str | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    fresh: dict[str, Ticket] = field(default_factory=dict)
    contents: dict[str, str] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    left: set[str] = field(default_factory=set)
    digests: dict[str, str] = field(default_factory=dict)
    reused: bool = False

    @classmethod
    def prepare(
        cls,
        path: str | Path,
        source: str,
        options: FetchOptions,
        config: Config,
        since: str | None = None,
        apply: bool = False,
    ) -> Incremental:
        """Resolve ``--since`` against the history at ``path`` (ConfigError for a bad value)."""
        wanted = parse_since(since) if since else None
        snapshot = load_snapshot(path, source, scope_of(options))
        run = cls(Path(path), source, options, config, snapshot, None, apply)
        if wanted is None:
            return run
        if snapshot is None:
            run.note = (
                f"{source}: no stored backlog in {path} for these filters yet: this is a full "
                "audit; the next --since run fetches only what changed."
            )
            return run
        run.since = snapshot.fetched_at if wanted == "last" else wanted
        return run

    @property
    def incremental(self) -> bool:
        """Whether this audit fetches only what changed (else it is a full audit)."""
        return self.snapshot is not None and self.since is not None

    def source_of(self, key: str) -> str | None:
        """The source that read stored ticket ``key`` when it was last fetched."""
        stored = self.snapshot.tickets.get(key) if self.snapshot else None
        return stored.source if stored else None

    def fetch_options(self, options: FetchOptions, connection: object = None) -> FetchOptions:
        """Every state since then; labels are checked here (a ticket that lost one must leave).

        A part of ``connection`` whose set of sources changes between runs (``github:ORG``'s
        repositories) is told what is stored through its ``resume(keys, options)``: it reads a
        source new since then in full, and names the stored tickets of sources gone (they
        leave the backlog)."""
        if not self.incremental:
            return options
        if connection is not None:
            assert self.snapshot is not None
            for part in _parts_of(connection):
                resume = getattr(part, "resume", None)
                if resume is not None:
                    self.left |= set(resume(list(self.snapshot.tickets), self.options))
        return replace(options, state="all", labels=(), limit=None, since=self._since_for_query())

    def _since_for_query(self) -> datetime:
        """The time in the time zone of the site's own latest timestamp (Jira reads a JQL date
        in the searching account's zone, which is the zone of the times it returns)."""
        assert self.snapshot is not None and self.since is not None
        latest = max(
            (s.ticket.updated for s in self.snapshot.tickets.values() if s.ticket.updated),
            default=None,
        )
        zone = latest.tzinfo if latest and latest.tzinfo else UTC
        # Whole seconds: a tracker that stores whole seconds must not miss a ticket updated in
        # the second the previous fetch started.
        return self.since.astimezone(zone).replace(microsecond=0)

    def _selected(self, ticket: Ticket) -> bool:
        """Whether a ticket fetched by the since query belongs in the audit's backlog."""
        if ticket.load_error:
            return True
        if not self.options.query:
            if self.options.state == "open" and not ticket.is_open:
                return False
            if self.options.state == "closed" and ticket.is_open:
                return False
        return all(ticket.has_label(label) for label in self.options.labels)

    def merge(
        self, fetched: Iterable[Ticket], whole: Callable[[str], bool] = lambda key: False
    ) -> Iterator[Ticket]:
        """The fetched tickets, noted as changed or not; on an incremental audit, merged with
        the stored ones (fresh wins) in key order, the order of a full audit. ``whole(key)``
        is true for a ticket of a source read whole (an export file): it was not selected by
        the since query, so it is kept as a full read keeps it."""
        managed = self.config.writeback.managed_labels()
        stored = self.snapshot.tickets if self.snapshot else {}
        for ticket in fetched:
            content = content_fingerprint(ticket_to_json(ticket), managed)
            self.contents[ticket.key] = content
            known = stored.get(ticket.key)
            if known is None or known.content != content:
                self.changed.add(ticket.key)
            if self.incremental and not whole(ticket.key) and not self._selected(ticket):
                self.left.add(ticket.key)
                continue
            self.fresh[ticket.key] = ticket
            if not self.incremental:
                yield ticket
        if self.incremental:
            merged = {key: entry.ticket for key, entry in stored.items() if key not in self.left}
            merged.update(self.fresh)
            yield from (merged[key] for key in sorted(merged, key=natural_key))

    def known_findings(self, rules: Sequence[Any]) -> KnownFindings | None:
        """The stored findings unchanged tickets keep; None when everything must be judged
        (a full audit, or the configuration or rule selection changed)."""
        if not self.incremental or self.snapshot is None:
            return None
        if self.snapshot.config != _config_fingerprint(rules, self.config):
            self.note = (
                "The configuration or rule selection changed since the stored run: every "
                "stored ticket is judged again (no extra requests)."
            )
            return None
        self.reused = True
        by_ticket = {
            key: entry.findings
            for key, entry in self.snapshot.tickets.items()
            if key not in self.changed and not any(f.rule == "BL901" for f in entry.findings)
        }
        return KnownFindings(by_ticket, self.snapshot.context_rules)

    def _writeback_extra(self) -> str:
        return repr(self.config.writeback)

    def to_plan(
        self,
        tickets: Sequence[Ticket],
        by_ticket: Mapping[str, Sequence[Finding]],
        connection: Connection,
        limit: int | None = None,
    ) -> list[Ticket]:
        """The tickets write-back must look at: all of them on a full audit; on an incremental
        one the fetched tickets, and stored ones whose findings changed (through other tickets or
        the clock) or, with ``--apply``, whose writes are pending (at most ``limit`` of those);
        they are read afresh first, for their labels and comment. Stored tickets the tracker is
        known to match cost nothing."""
        extra = self._writeback_extra()
        for ticket in tickets:
            self.digests[ticket.key] = findings_digest(by_ticket.get(ticket.key, ()), extra)
        if not self.incremental or self.snapshot is None:
            return list(tickets)
        chosen: list[Ticket | str] = []  # a key: a stored ticket to read again, in place
        pending = 0
        for ticket in tickets:
            key, stored = ticket.key, self.snapshot.tickets.get(ticket.key)
            if key in self.fresh or stored is None:
                # Fetched: its labels and comment are in hand, so planning costs no request
                # (a label someone removed by hand is put back, as on a full audit).
                chosen.append(ticket)
            elif stored.confirmed == self.digests[key]:
                continue
            elif findings_digest(stored.findings, extra) != self.digests[key]:
                chosen.append(key)
            elif self.apply and (limit is None or pending < limit):
                pending += 1  # written by no run yet: --limit caps the reads too
                chosen.append(key)
        again = self._read_again([key for key in chosen if isinstance(key, str)], connection)
        return [
            again[entry] if isinstance(entry, str) else entry
            for entry in chosen
            if not isinstance(entry, str) or entry in again
        ]

    def _read_again(self, keys: Sequence[str], connection: Connection) -> dict[str, Ticket]:
        """Stored tickets read afresh for their labels and comment, in bulk where the
        connection can (``fetch_many``; else one ``fetch_one`` each). One that cannot be read
        is not planned: not confirmed, the next run tries again."""
        found: dict[str, Ticket] = {}
        try:
            for ticket in read_many(connection, keys) if keys else ():
                if not ticket.load_error:
                    found[ticket.key] = normalise(ticket, self.config)
        except Exception:  # isolation: a failed read must not end the write-back
            pass
        return found

    def save(
        self,
        engine_findings: Iterable[Finding],
        context_rules: Iterable[str],
        rules: Sequence[Any],
        settled: Iterable[str] = (),
        source_of: Callable[[str], str | None] | None = None,
    ) -> None:
        """Store the merged backlog: changed rows only on an incremental audit, every row on a
        full one (which replaces the stored set, so deleted tickets leave it). ``source_of``
        names the source that read a fetched ticket (several sources, ``github:ORG``)."""
        by_ticket: dict[str, list[Finding]] = {}
        for finding in engine_findings:
            by_ticket.setdefault(finding.ticket, []).append(finding)
        confirmed = set(settled)
        stored = self.snapshot.tickets if self.snapshot and self.incremental else {}
        rows = []
        keys = list(self.fresh) + [k for k in stored if k not in self.fresh and k not in self.left]
        for key in keys:
            old = stored.get(key)
            ticket = self.fresh.get(key) or old.ticket  # type: ignore[union-attr]
            findings = tuple(sorted(by_ticket.get(key, ())))
            seen = self.digests.get(key) if key in confirmed else None
            source = source_of(key) if source_of and key in self.fresh else None
            entry = StoredTicket(
                ticket,
                self.contents.get(key) or (old.content if old else ""),
                findings,
                seen or (old.confirmed if old else None),
                source or (old.source if old else None),
            )
            if old is None or key in self.fresh or _differs(old, entry):
                rows.append(entry)
        context = set(context_rules)
        if self.reused and self.snapshot is not None:
            context |= self.snapshot.context_rules
        header = Snapshot(
            self.source,
            scope_of(self.options),
            self.started,
            _config_fingerprint(rules, self.config),
            frozenset(context),
        )
        save_snapshot(self.path, header, rows, self.left, replace_all=not self.incremental)


def _parts_of(connection: object) -> Iterator[object]:
    """``connection`` and, for several sources, every connection it is made of."""
    yield connection
    for _, part in getattr(connection, "parts", ()):
        yield from _parts_of(part)


def _differs(old: StoredTicket, new: StoredTicket) -> bool:
    return old.confirmed != new.confirmed or [
        (f.rule, f.message, f.severity) for f in old.findings
    ] != [(f.rule, f.message, f.severity) for f in new.findings]

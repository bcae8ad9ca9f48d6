"""The stored backlog of incremental audits: per source and filters, each ticket as the tracker
adapter gave it, its content fingerprint and its findings.

A snapshot is what ``backlint audit SOURCE --since ...`` merges the freshly fetched tickets
into (see :mod:`backlint.history.incremental`). Per ticket it keeps:

- ``ticket``: the adapter's ticket (before the shared conventions, so a change of ``[kinds]``
  or ``[priority]`` is applied to stored tickets too), zlib-compressed JSON, without ``raw``;
- ``content``: a fingerprint of what rules read, leaving out what backlint's own writes change
  (its managed labels, the comment count, ``updated``), so a ticket backlint commented on is
  not "changed" on the next run;
- ``findings``: every finding of the last run on that ticket (ticket and backlog rules);
- ``confirmed``: the digest of the findings the tracker was last seen to show (an empty plan,
  or a write that succeeded), so unchanged tickets are not planned again.

Tables ``snapshots`` and ``snapshot_tickets`` (schema 3, :mod:`backlint.history.store`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from backlint.history.store import HistoryError, connect, sqlite_failures, transaction
from backlint.model import Activity, Finding, Link, Priority, Severity, Ticket

_TYPES: dict[str, type] = {"P": Priority, "L": Link, "A": Activity}
_TAGS = {cls: tag for tag, cls in _TYPES.items()}
_TICKET_FIELDS = tuple(f for f in dataclasses.fields(Ticket) if f.name != "raw")


def _encode(value: Any) -> Any:
    """``value`` as JSON can hold it, types tagged so :func:`_decode` restores them."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, tuple | list):
        items = [_encode(item) for item in value]
        return {"$t": items} if isinstance(value, tuple) else items
    tag = _TAGS.get(type(value))
    if tag:
        return {
            f"${tag}": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        }
    if isinstance(value, Mapping):
        return {"$m": {str(k): _encode(v) for k, v in value.items()}}
    return str(value)  # an adapter's odd value: kept as text


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    ((tag, inner),) = value.items()
    if tag == "$dt":
        return datetime.fromisoformat(inner)
    if tag == "$d":
        return date.fromisoformat(inner)
    if tag == "$t":
        return tuple(_decode(item) for item in inner)
    if tag == "$m":
        return MappingProxyType({k: _decode(v) for k, v in inner.items()})
    return _TYPES[tag[1:]](**{k: _decode(v) for k, v in inner.items()})


def _priority(p: Priority | None) -> list[Any] | None:
    return None if p is None else [p.name, p.rank, p.source]


def _link(link: Link) -> list[Any]:
    return [
        link.relation,
        link.key,
        link.kind,
        link.status,
        link.status_category,
        link.title,
        _priority(link.priority),
    ]


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


#: How each typed field of a ticket is written and read back; the others are plain values.
#: Positional lists, not tagged objects: 10,000 tickets must load in a fraction of a second.
_WRITE: dict[str, Any] = {
    "priority": _priority,
    "priority_signals": lambda items: [_priority(p) for p in items],
    "created": _time,
    "updated": _time,
    "due": lambda d: d.isoformat() if d else None,
    "links": lambda items: [_link(link) for link in items],
    "activity": lambda items: [[a.at.isoformat(), a.actor, a.kind, a.is_bot] for a in items],
    "fields": _encode,
    **{name: list for name in ("labels", "assignees", "children", "components")},
}
_READ: dict[str, Any] = {
    "priority": lambda p: Priority(*p) if p else None,
    "priority_signals": lambda items: tuple(Priority(*p) for p in items),
    "created": lambda t: datetime.fromisoformat(t) if t else None,
    "updated": lambda t: datetime.fromisoformat(t) if t else None,
    "due": lambda d: date.fromisoformat(d) if d else None,
    "links": lambda items: tuple(
        Link(*link[:6], priority=Priority(*link[6]) if link[6] else None) for link in items
    ),
    "activity": lambda items: tuple(
        Activity(datetime.fromisoformat(at), actor, kind, is_bot)
        for at, actor, kind, is_bot in items
    ),
    "fields": _decode,
    **{name: tuple for name in ("labels", "assignees", "children", "components")},
}
_DEFAULTS = {
    f.name: f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
    for f in _TICKET_FIELDS
}


def ticket_to_json(ticket: Ticket) -> dict[str, Any]:
    """The ticket's fields (not ``raw``) as JSON values, defaults left out."""
    data = {}
    for name, default in _DEFAULTS.items():
        value = getattr(ticket, name)
        if name in ("key", "tracker") or value != default:
            write = _WRITE.get(name)
            data[name] = write(value) if write else value
    return data


def ticket_from_json(data: Mapping[str, Any]) -> Ticket:
    """The ticket :func:`ticket_to_json` wrote."""
    values = {}
    for name, value in data.items():
        read = _READ.get(name)
        values[name] = read(value) if read else value
    return Ticket(**values)


#: How the adapters name backlint's own comment in a ticket's activity: actor, kind, bot.
OWN_ACTIVITY = ["backlint", "comment", True]


def content_fingerprint(data: Mapping[str, Any], managed: frozenset[str]) -> str:
    """What rules read of a ticket (its :func:`ticket_to_json`), without what backlint's own
    writes change: ``updated``, backlint's managed labels, the comment count and backlint's
    comment in the activity (the adapters name it ``backlint``, a bot)."""
    kept = {k: v for k, v in data.items() if k != "updated"}
    if "activity" in kept:
        kept["activity"] = [entry for entry in kept["activity"] if entry[1:] != OWN_ACTIVITY]
    if "labels" in kept:
        kept["labels"] = [x for x in kept["labels"] if x.lower() not in managed]
    if "fields" in kept:
        kept["fields"] = {k: v for k, v in kept["fields"]["$m"].items() if k != "comments"}
    kept = {k: v for k, v in kept.items() if v not in ([], {})}  # empty is the default
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def findings_digest(findings: Iterable[Finding], extra: str = "") -> str:
    """A digest of what write-back shows for these findings (the run family left out)."""
    rows = sorted(
        (f.rule, f.severity.value, f.message, f.audience) for f in findings if f.family != "run"
    )
    text = json.dumps([rows, extra], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _pack(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def _finding_row(f: Finding) -> list[str]:
    return [f.rule, f.name, f.family, f.severity.value, f.message, f.url, f.audience]


def _finding(key: str, row: Sequence[str]) -> Finding:
    rule, name, family, severity, message, url, audience = row
    return Finding(key, rule, name, family, Severity(severity), message, url, audience)


@dataclass
class StoredTicket:
    """One ticket of a snapshot."""

    ticket: Ticket
    content: str
    findings: tuple[Finding, ...]
    confirmed: str | None = None
    #: The SOURCE argument (or ``github:ORG``'s repository) that read it, for the report's
    #: rows per source; None for a single-source audit.
    source: str | None = None


@dataclass
class Snapshot:
    """The stored backlog of one source with one set of filters (``scope``)."""

    source: str
    scope: str
    fetched_at: datetime
    config: Mapping[str, Any]
    context_rules: frozenset[str] = frozenset()
    tickets: dict[str, StoredTicket] = field(default_factory=dict)


def load_snapshot(path: str | Path, source: str, scope: str) -> Snapshot | None:
    """The snapshot of ``source`` with ``scope``; None when the file or the snapshot is absent."""
    path = Path(path)
    if not path.exists():
        return None
    with closing(connect(path, create=False)) as db, sqlite_failures(path):
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'snapshots'").fetchone():
            return None  # schema 2: migrated on the next record
        row = db.execute(
            "SELECT id, fetched_at, config, context_rules FROM snapshots "
            "WHERE source = ? AND scope = ?",
            (source, scope),
        ).fetchone()
        if row is None:
            return None
        snapshot = Snapshot(
            source,
            scope,
            datetime.fromisoformat(row[1]),
            json.loads(row[2]),
            frozenset(json.loads(row[3])),
        )
        rows = db.execute(
            "SELECT key, content, confirmed, ticket, findings, source FROM snapshot_tickets "
            "WHERE snapshot_id = ?",
            (row[0],),
        )
        try:
            for key, content, confirmed, ticket, findings, source in rows:
                snapshot.tickets[key] = StoredTicket(
                    ticket_from_json(_unpack(ticket)),
                    content,
                    tuple(_finding(key, f) for f in _unpack(findings)),
                    confirmed,
                    source,
                )
        except (zlib.error, ValueError, TypeError, KeyError) as err:
            raise HistoryError(
                f"{path}: the stored backlog of {source} is damaged ({err})"
            ) from None
    return snapshot


def save_snapshot(
    path: str | Path,
    snapshot: Snapshot,
    changed: Iterable[StoredTicket],
    removed: Iterable[str] = (),
    replace_all: bool = False,
) -> None:
    """Store ``snapshot``'s header and the ``changed`` tickets, drop the ``removed`` keys (or,
    with ``replace_all``, every ticket not in ``changed``), in one transaction."""
    path = Path(path)
    rows = [
        (
            entry.ticket.key,
            entry.ticket.updated.isoformat() if entry.ticket.updated else None,
            entry.content,
            entry.confirmed,
            _pack(ticket_to_json(entry.ticket)),
            _pack([_finding_row(f) for f in entry.findings]),
            entry.source,
        )
        for entry in changed
    ]
    with closing(connect(path)) as db, sqlite_failures(path), transaction(db):
        header = (
            snapshot.fetched_at.isoformat(),
            json.dumps(snapshot.config, sort_keys=True),
            json.dumps(sorted(snapshot.context_rules)),
        )
        found = db.execute(
            "SELECT id FROM snapshots WHERE source = ? AND scope = ?",
            (snapshot.source, snapshot.scope),
        ).fetchone()
        if found is None:
            cursor = db.execute(
                "INSERT INTO snapshots (source, scope, fetched_at, config, context_rules) "
                "VALUES (?, ?, ?, ?, ?)",
                (snapshot.source, snapshot.scope, *header),
            )
            snapshot_id = int(cursor.lastrowid or 0)
        else:
            snapshot_id = found[0]
            db.execute(
                "UPDATE snapshots SET fetched_at = ?, config = ?, context_rules = ? WHERE id = ?",
                (*header, snapshot_id),
            )
        if replace_all:
            db.execute("DELETE FROM snapshot_tickets WHERE snapshot_id = ?", (snapshot_id,))
        else:
            db.executemany(
                "DELETE FROM snapshot_tickets WHERE snapshot_id = ? AND key = ?",
                [(snapshot_id, key) for key in removed],
            )
        db.executemany(
            "INSERT OR REPLACE INTO snapshot_tickets VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(snapshot_id, *row) for row in rows],
        )

"""The history file itself: its SQLite schema, opening and checking it, and transactions.

The file is safe to share between runs started at the same time: WAL journal, a busy timeout,
and every write in one ``BEGIN IMMEDIATE`` transaction (:func:`transaction`). It carries an
application id ("BLNT") and a schema version (``PRAGMA user_version``), so a file that is not
ours, is corrupt or was written by a newer backlint is refused with one line
(:class:`HistoryError`, exit status 2). A file of an older schema is migrated in place the
first time a run is recorded in it (readers cope with it as it is). What is stored and read
back is :mod:`backlint.history.runs`.

Schema versions: 1, the first; 2 adds ``runs.config``, the run's configuration fingerprint
(:mod:`backlint.history.fingerprint`), NULL for runs recorded under schema 1; 3 adds the stored
backlog of incremental audits (``snapshots``, ``snapshot_tickets``: see
:mod:`backlint.history.snapshots`), empty until a run stores one.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from backlint.errors import BacklintError

SCHEMA_VERSION = 3
APPLICATION_ID = 0x424C4E54  # "BLNT"
BUSY_TIMEOUT_SECONDS = 30.0

#: Statements that bring a file from schema ``version - 1`` to ``version``.
#: The stored backlog of incremental audits (schema 3).
SNAPSHOT_TABLES = """
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    scope TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    config TEXT NOT NULL,
    context_rules TEXT NOT NULL,
    UNIQUE (source, scope)
);
CREATE TABLE snapshot_tickets (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    updated TEXT,
    content TEXT NOT NULL,
    confirmed TEXT,
    ticket BLOB NOT NULL,
    findings BLOB NOT NULL,
    source TEXT,
    PRIMARY KEY (snapshot_id, key)
)
"""
MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE runs ADD COLUMN config TEXT",),
    3: tuple(s.strip() for s in SNAPSHOT_TABLES.split(";") if s.strip()),
}

SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    tickets INTEGER NOT NULL,
    tickets_with_findings INTEGER NOT NULL,
    findings INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL,
    score INTEGER NOT NULL,
    score_formula INTEGER NOT NULL,
    families TEXT NOT NULL,
    report BLOB NOT NULL,
    config TEXT
);
CREATE INDEX runs_by_source ON runs (source, id);
CREATE TABLE rule_counts (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    name TEXT NOT NULL,
    family TEXT NOT NULL,
    severity TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (run_id, rule, severity)
);
CREATE TABLE findings (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    ticket TEXT NOT NULL,
    rule TEXT NOT NULL,
    family TEXT NOT NULL,
    severity TEXT NOT NULL
);
CREATE INDEX findings_by_run ON findings (run_id, ticket);
CREATE TABLE run_tickets (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
);
"""
SCHEMA += SNAPSHOT_TABLES


class HistoryError(BacklintError):
    """The history file cannot be used: not ours, corrupt, too new, locked or unwritable."""


@contextmanager
def sqlite_failures(path: Path) -> Iterator[None]:
    """Turn SQLite errors into one-line HistoryErrors naming the file."""
    try:
        yield
    except sqlite3.OperationalError as err:
        text = str(err)
        if "locked" in text or "busy" in text:
            raise HistoryError(f"{path}: history file is busy (another run holds it)") from None
        raise HistoryError(f"{path}: cannot use history file: {text}") from None
    except sqlite3.DatabaseError as err:
        raise HistoryError(
            f"{path}: not a usable backlint history file ({err}); move it away or pass another "
            "--history path"
        ) from None


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: committed when the block ends, rolled back if it
    raises (and the error passed on)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def connect(path: str | Path, create: bool = True) -> sqlite3.Connection:
    """Open (and with ``create``, initialise) the history file; check it is ours."""
    path = Path(path)
    if path.is_dir():
        raise HistoryError(f"{path}: is a directory, not a history file")
    if not path.exists():
        if not create:
            raise HistoryError(f"{path}: no such history file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise HistoryError(f"{path.parent}: cannot create folder: {err.strerror}") from None
    with sqlite_failures(path):
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            _check_or_create(db, path, create)
            db.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            db.close()
            raise
    return db


def _identity(db: sqlite3.Connection) -> tuple[int, int, int]:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return app_id, version, tables


def _check_or_create(db: sqlite3.Connection, path: Path, create: bool) -> None:
    app_id, version, tables = _identity(db)
    if app_id == 0 and version == 0 and tables == 0 and create:
        _use_wal(db)
        with transaction(db):
            # Another run may have created the schema while this one waited for the lock.
            app_id, version, tables = _identity(db)
            if app_id == 0 and version == 0 and tables == 0:
                # One statement at a time: executescript() would commit the open transaction.
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                app_id, version = APPLICATION_ID, SCHEMA_VERSION
    if app_id != APPLICATION_ID:
        raise HistoryError(f"{path}: not a backlint history file (another program's database)")
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"{path}: history schema {version} is newer than this backlint understands "
            f"({SCHEMA_VERSION}); upgrade backlint"
        )
    if version < 1:
        raise HistoryError(f"{path}: history file has no schema version; it is damaged")
    if version < SCHEMA_VERSION and create:
        _migrate(db)


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch a new file to WAL. SQLite answers "locked" at once, without its busy timeout,
    while another run is creating the same file: wait for that run as the timeout would."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _migrate(db: sqlite3.Connection) -> None:
    """Bring an older file up to :data:`SCHEMA_VERSION`, in one transaction (another run may
    have done it while this one waited for the lock, so the version is read again inside)."""
    with transaction(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def has_config_column(db: sqlite3.Connection) -> bool:
    """Whether the runs table has the ``config`` column (schema 2 and later)."""
    return any(row[1] == "config" for row in db.execute("PRAGMA table_info(runs)"))

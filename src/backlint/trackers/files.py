"""The export-file source: the default that needs no credentials.

``backlint audit PATH`` reads, detected by shape: a GitHub REST issues array, a GitHub webhook
payload, a Jira search response (``/search`` with startAt/total, ``/search/jql`` with
nextPageToken/isLast; v2 wiki or v3 ADF descriptions), a single Jira issue, an array of Jira
issues, or JSON Lines of any of these, or a folder of such files. Pull requests are skipped. One
malformed ticket in a good file becomes a ticket with a load error (the engine reports it) and
the rest are audited; in a folder, so does a file that cannot be read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from backlint.config.config import Config
from backlint.errors import SourceError
from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.trackers.base import FetchOptions, Progress
from backlint.trackers.file_folder import read_folder
from backlint.trackers.file_guidance import (
    SNIFF,
    binary_format,
    decode,
    not_an_export,
    unknown_key,
)
from backlint.trackers.file_shapes import (
    SHAPES,
    detect_shape,
    github_ticket,
    jira_ticket,
    tickets_from_document,
)
from backlint.trackers.file_stream import (
    JsonStream,
    Unstreamable,
    skip_byte_order_mark,
    without_lone_surrogates,
)
from backlint.trackers.jira.mapping import JiraFields

__all__ = ["SHAPES", "FileConnection", "FileTracker", "detect_shape", "read_file"]

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def read_file(path: Path, config: Config) -> Iterator[Ticket]:
    """Parse ``path`` (JSON or JSON Lines, or a folder of them) and yield its tickets."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        yield from read_folder(path, lambda file: read_file(file, config))
        return
    streamed = read_streamed(path, config)
    if streamed is not None:
        yield from streamed
        return
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SourceError(f"{path}: cannot read: {err.strerror or err}") from None
    text = decode(path, raw)
    if not text.strip():
        raise SourceError(f"{path}: the file is empty")
    try:
        document = _loads(text, path)
    except json.JSONDecodeError as err:
        known = not_an_export(path, text)  # a CSV or XML export is not a truncated JSON file
        if known:
            raise SourceError(known) from None
        yield from _json_lines(text, path, err, config)
        return
    yield from tickets_from_document(document, config, str(path))


def read_streamed(
    path: Path, config: Config, names: Mapping[str, Any] | None = None
) -> list[Ticket] | None:
    """The tickets of a one-document UTF-8 export, read element by element (see
    :mod:`~backlint.trackers.file_stream`): no issue's object tree outlives its mapping. None
    when the file must be read whole: not such a document, or one with no array to stream.

    Nothing is returned before the whole file has parsed, so a file that turns out to be
    something else (JSON Lines, a truncated export) falls back with no ticket given twice.
    ``names`` is a Jira search's ``names`` member when it follows ``issues`` (a second pass).
    """
    try:
        with path.open("rb") as handle:
            skip_byte_order_mark(handle)
            at = handle.tell()
            if binary_format(path, handle.read(SNIFF)):
                return None
            handle.seek(at)
            stream = JsonStream(handle)
            first = stream.peek()
            if first == "[":
                tickets = _streamed_array(stream, config)
            elif first == "{":
                tickets = _streamed_search(stream, config, names)
            else:
                return None
            stream.end()
    except (Unstreamable, OSError):
        return None
    if isinstance(tickets, _Rescan):  # ``names`` came after the issues and changes the fields
        return read_streamed(path, config, tickets.names)
    return tickets


@dataclass
class _Rescan:
    names: Mapping[str, Any]


def _streamed_array(stream: JsonStream, config: Config) -> list[Ticket]:
    """A top-level array: GitHub issues or Jira issues, as the first entry tells."""
    jira = config.section("jira")
    tickets: list[Ticket] = []
    to_ticket = None
    for index, entry in enumerate(stream.elements()):
        if to_ticket is None:
            shape = detect_shape([entry])
            if shape == "github-issues":
                to_ticket = partial(github_ticket, repo="")
            elif shape == "jira-issues":
                fields = JiraFields.resolve(jira.get("fields"), None)
                to_ticket = partial(jira_ticket, fields=fields, base_url=str(jira.get("url", "")))
            else:
                raise Unstreamable  # read whole, for the one-line error
        ticket = to_ticket(index, entry)
        if ticket is not None:
            tickets.append(ticket)
    return tickets


def _streamed_search(
    stream: JsonStream, config: Config, names: Mapping[str, Any] | None
) -> list[Ticket] | _Rescan:
    """A top-level object whose ``issues`` array is a Jira search's, mapped entry by entry
    with the fields known when the array starts; a ``names`` member after it that resolves
    the fields otherwise asks for a second pass. Any other object is mapped whole."""
    jira = config.section("jira")
    members: dict[str, Any] = {}
    tickets: list[Ticket] | None = None
    used: JiraFields | None = None
    for key in stream.members():
        if key in members:
            raise Unstreamable  # a repeated member: the last one wins, read whole
        if key == "issues" and stream.peek() == "[":
            before = members.get("names")
            used = JiraFields.resolve(
                jira.get("fields"), before if isinstance(before, Mapping) else names
            )
            url = str(jira.get("url", ""))
            tickets = [jira_ticket(i, e, used, url) for i, e in enumerate(stream.elements())]
            members[key] = []
        else:
            members[key] = stream.value()
    stream.end()
    if tickets is None:
        raise Unstreamable  # a single issue or a webhook payload: small, read whole
    if detect_shape(members) != "jira-search":
        raise Unstreamable  # e.g. a webhook payload that also has an issues array
    final = members.get("names") if isinstance(members.get("names"), Mapping) else None
    if final is not None and JiraFields.resolve(jira.get("fields"), final) != used:
        return _Rescan(final)
    return tickets


def _loads(text: str, path: Path) -> Any:
    """One JSON document; SourceError for what the parser cannot hold (JSONDecodeError passes).

    Lone surrogates (``"\\ud800"``) are valid JSON escapes but not text any encoder can write,
    so they become U+FFFD here, before any report sees them.
    """
    try:
        document = json.loads(text)
    except RecursionError:
        raise SourceError(f"{path}: JSON nested too deeply to read") from None
    except json.JSONDecodeError:
        raise
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        raise SourceError(f"{path}: not valid JSON ({err})") from None
    if _SURROGATE_ESCAPE.search(text):
        document = without_lone_surrogates(document)
    return document


def _json_lines(
    text: str, path: Path, first_error: json.JSONDecodeError, config: Config
) -> Iterator[Ticket]:
    """The tickets of a JSON Lines file, each line mapped as it is parsed (its tree dropped).

    As for a file read whole, a line that is not JSON fails the file before any ticket is
    given; a document of no known shape fails it after the tickets of the lines before it.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise SourceError(
            f"{path}: not valid JSON (line {first_error.lineno}, column {first_error.colno}: "
            f"{first_error.msg}); is the file truncated?"
        ) from None
    tickets: list[Ticket] = []
    unknown: SourceError | None = None
    for number, line in enumerate(lines, 1):
        try:
            document = _loads(line, path)
        except json.JSONDecodeError as err:
            raise SourceError(
                f"{path}: neither JSON nor JSON Lines (line {number}: {err.msg}); "
                "is the file truncated?"
            ) from None
        if unknown is None:
            try:
                tickets += tickets_from_document(document, config, str(path))
            except SourceError as err:
                unknown = err
    yield from tickets
    if unknown is not None:
        raise unknown


@dataclass
class FileConnection:
    """An export file opened as a read-only ticket source."""

    #: A file is read whole whatever the fetch options ask (see :func:`~.base.reads_whole`).
    reads_whole = True
    path: Path
    config: Config

    def fetch(self, options: FetchOptions, progress: Progress | None = None) -> Iterator[Ticket]:
        for count, ticket in enumerate(read_file(self.path, self.config)):
            if options.limit is not None and count >= options.limit:
                return
            if progress:
                progress(1, None)
            yield ticket

    def fetch_one(self, ref: str) -> Ticket:
        path_text, _, key = ref.partition("::")
        tickets = list(read_file(Path(path_text), self.config))
        if key:
            for ticket in tickets:
                if ticket.key == key:
                    return ticket
            raise SourceError(unknown_key(path_text, key, tickets))
        if len(tickets) != 1:
            named = next((t.key for t in tickets if not t.load_error), "KEY")
            raise SourceError(
                f"{path_text}: holds {len(tickets)} tickets; name one as {path_text}::{named}"
            )
        return tickets[0]

    def current_state(self, ticket: Ticket, has_findings: bool):
        raise SourceError("export files are read-only: --apply needs a github: or jira: source")

    def apply(self, plan):
        raise SourceError("export files are read-only: --apply needs a github: or jira: source")

    def close(self) -> None:
        return None


class FileTracker:
    """Claims every SOURCE that is not ``scheme:...`` (a path to an export file)."""

    name = "file"
    writable = False

    def claims(self, source: str) -> bool:
        scheme, sep, _ = source.partition(":")
        return not sep or len(scheme) == 1 or Path(source.partition("::")[0]).exists()

    def open(self, source: str, config: Config) -> FileConnection:
        return FileConnection(Path(source.partition("::")[0]), config)


@hookimpl
def register_trackers(register):
    register(FileTracker())

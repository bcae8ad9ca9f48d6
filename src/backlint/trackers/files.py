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
from pathlib import Path
from typing import Any

from backlint.config.config import Config
from backlint.errors import SourceError
from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.trackers.base import FetchOptions, Progress
from backlint.trackers.file_folder import read_folder
from backlint.trackers.file_guidance import decode, not_an_export, unknown_key
from backlint.trackers.github.mapping import is_pull_request, repo_of, ticket_from_rest
from backlint.trackers.jira.mapping import JiraFields, ticket_from_issue

_FULL_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

SHAPES = (
    "a GitHub REST issues array, a GitHub webhook payload, a Jira search response, "
    "a Jira issue, or JSON Lines of these"
)


def detect_shape(data: Any) -> str | None:
    """Name the shape of a parsed JSON document, or None when it is none we know."""
    if isinstance(data, list):
        if not data:
            return "empty"
        first = data[0]
        if isinstance(first, Mapping) and "fields" in first and "key" in first:
            return "jira-issues"
        if isinstance(first, Mapping) and "number" in first and "title" in first:
            return "github-issues"
        return None
    if not isinstance(data, Mapping):
        return None
    if isinstance(data.get("issue"), Mapping) and "number" in data["issue"]:
        return "github-webhook"
    if isinstance(data.get("issues"), list):
        return "jira-search"
    if "key" in data and isinstance(data.get("fields"), Mapping):
        return "jira-issue"
    if "number" in data and "title" in data:
        return "github-issue"
    return None


def tickets_from_document(data: Any, config: Config, where: str) -> Iterator[Ticket]:
    """Every ticket in one parsed document; raises SourceError for unknown shapes."""
    shape = detect_shape(data)
    if shape is None:
        raise SourceError(f"{where}: unknown JSON shape: expected {SHAPES}")
    jira = config.section("jira")
    if shape == "github-webhook":
        yield from _github([data["issue"]], _webhook_repo(data.get("repository")))
    elif shape in ("github-issues", "github-issue"):
        yield from _github(data if isinstance(data, list) else [data], "")
    elif shape == "jira-search":
        names = data.get("names") if isinstance(data.get("names"), Mapping) else None
        fields = JiraFields.resolve(jira.get("fields"), names)
        yield from _jira(data["issues"], fields, str(jira.get("url", "")))
    elif shape in ("jira-issue", "jira-issues"):
        names = data.get("names") if isinstance(data, Mapping) else None
        fields = JiraFields.resolve(jira.get("fields"), names)
        yield from _jira(
            data if isinstance(data, list) else [data], fields, str(jira.get("url", ""))
        )


def _webhook_repo(repository: Any) -> str:
    """``owner/name`` from a webhook's ``repository`` object; "" when it is missing or odd."""
    name = repository.get("full_name") if isinstance(repository, Mapping) else None
    return name if isinstance(name, str) and _FULL_NAME.match(name) else ""


def _github(issues: list[Any], repo: str) -> Iterator[Ticket]:
    for index, issue in enumerate(issues):
        if isinstance(issue, Mapping) and is_pull_request(issue):
            continue
        try:
            if not isinstance(issue, Mapping):
                raise ValueError("entry is not an object")
            yield ticket_from_rest(issue, repo)
        except Exception as err:  # one bad ticket must not stop the audit of the others
            yield _unreadable(issue, index, err, repo or _repo_in(issue))


def _jira(issues: list[Any], fields: JiraFields, base_url: str) -> Iterator[Ticket]:
    for index, issue in enumerate(issues):
        try:
            if not isinstance(issue, Mapping):
                raise ValueError("entry is not an object")
            yield ticket_from_issue(issue, fields, base_url.rstrip("/"))
        except Exception as err:
            yield _unreadable(issue, index, err, "")


def _repo_in(issue: Any) -> str:
    """The repository an unreadable issue's own URLs name, to give it a recognisable key."""
    try:
        return repo_of(issue) if isinstance(issue, Mapping) else ""
    except Exception:  # an odd URL only costs the key its repository
        return ""


def _unreadable(issue: Any, index: int, err: Exception, repo: str) -> Ticket:
    key = None
    if isinstance(issue, Mapping):
        key = issue.get("key") or (
            f"{repo}#{issue['number']}" if isinstance(issue.get("number"), int) else None
        )
    if not isinstance(key, str) or not key.strip():
        key = f"entry {index + 1}"
    if isinstance(err, RecursionError):
        reason = "it is nested too deeply to read"
    else:
        reason = (str(err).splitlines() or [""])[0] or type(err).__name__
    return Ticket(
        key=key,
        tracker="file",
        load_error=f"could not read this ticket: {reason}",
    )


def read_file(path: Path, config: Config) -> Iterator[Ticket]:
    """Parse ``path`` (JSON or JSON Lines, or a folder of them) and yield its tickets."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.is_dir():
        yield from read_folder(path, lambda file: read_file(file, config))
        return
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SourceError(f"{path}: cannot read: {err.strerror or err}") from None
    text = decode(path, raw)
    if not text.strip():
        raise SourceError(f"{path}: the file is empty")
    try:
        documents = [_loads(text, path)]
    except json.JSONDecodeError as err:
        known = not_an_export(path, text)  # a CSV or XML export is not a truncated JSON file
        if known:
            raise SourceError(known) from None
        documents = _json_lines(text, path, err)
    for document in documents:
        yield from tickets_from_document(document, config, str(path))


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
        document = _without_lone_surrogates(document)
    return document


def _without_lone_surrogates(document: Any) -> Any:
    """A copy of ``document`` whose strings (keys too) hold no lone surrogate; iterative."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return _LONE_SURROGATE.sub("\ufffd", value)
        return value

    root: list[Any] = [document]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        container, slot = stack.pop()
        value = container[slot]
        if isinstance(value, dict):
            copy = {clean(key): item for key, item in value.items()}
            container[slot] = copy
            stack.extend((copy, key) for key in copy)
        elif isinstance(value, list):
            copy = list(value)
            container[slot] = copy
            stack.extend((copy, index) for index in range(len(copy)))
        else:
            container[slot] = clean(value)
    return root[0]


def _json_lines(text: str, path: Path, first_error: json.JSONDecodeError) -> list[Any]:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        raise SourceError(
            f"{path}: not valid JSON (line {first_error.lineno}, column {first_error.colno}: "
            f"{first_error.msg}); is the file truncated?"
        ) from None
    documents = []
    for number, line in enumerate(lines, 1):
        try:
            documents.append(_loads(line, path))
        except json.JSONDecodeError as err:
            raise SourceError(
                f"{path}: neither JSON nor JSON Lines (line {number}: {err.msg}); "
                "is the file truncated?"
            ) from None
    return documents


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

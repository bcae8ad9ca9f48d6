"""The Jira tracker: ``jira:PROJECT`` (open issues, or ``--jql``) and ``jira:PROJ-12``.

Cloud and Server/Data Center, told apart by the site itself (see :mod:`.jira_client`). An audit
makes a constant number of requests (serverInfo, ``/field`` unless every custom field id is in
the config) plus one per page of issues; the comments needed for write-back arrive in the same
pages. Issues map to tickets through :mod:`.jira_mapping`; write-back lives in :mod:`.jira_write`.

Config (``[jira]``): ``url`` (when JIRA_URL is unset), ``page-size`` (default 100) and
``[jira.fields]`` with ``story_points``, ``epic_link``, ``sprint`` and ``acceptance_criteria``
field ids, which win over the ids found by name.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from backlint.errors import ConfigError, SourceError, TrackerError
from backlint.hookspecs import hookimpl
from backlint.model import Ticket
from backlint.writeback.contract import Plan, TicketState, WriteResult

# Every run registers this tracker, few open it: the client, the mapping and the write-back
# modules are imported when a connection is opened or used.
if TYPE_CHECKING:
    from backlint.config.config import Config
    from backlint.trackers.base import FetchOptions, Progress
    from backlint.trackers.jira.client import JiraClient
    from backlint.trackers.jira.mapping import JiraFields

T = TypeVar("T")

#: The fields the rules read; custom field ids are added per site.
BASE_FIELDS = (
    "summary",
    "description",
    "issuetype",
    "status",
    "priority",
    "labels",
    "assignee",
    "reporter",
    "created",
    "updated",
    "duedate",
    "parent",
    "issuelinks",
    "subtasks",
    "components",
    "fixVersions",
    "comment",
)
CONFIG_KEYS = frozenset({"url", "fields", "page-size"})
FIELD_PURPOSES = ("story_points", "epic_link", "sprint", "acceptance_criteria")
SOURCE = re.compile(r"^jira:(?P<project>[A-Za-z][A-Za-z0-9_]*)?(?:-(?P<number>\d+))?$")
ORDER_BY = re.compile(r"\s+order\s+by\s+(?P<order>[^\"']*)$", re.IGNORECASE)


@dataclass(frozen=True)
class JiraSource:
    """A parsed ``jira:`` SOURCE: a project, one issue, or nothing (``jira:`` with ``--jql``)."""

    project: str | None
    key: str | None

    @classmethod
    def parse(cls, source: str) -> JiraSource:
        match = SOURCE.match(source.strip())
        if match is None or (match["number"] and not match["project"]):
            raise SourceError(
                f"{source!r}: expected jira:PROJECT, jira:PROJ-12, or jira: with --jql"
            )
        project = match["project"].upper() if match["project"] else None
        key = f"{project}-{match['number']}" if match["number"] else None
        return cls(project, key)


def build_jql(source: JiraSource, options: FetchOptions) -> str:
    """The JQL for an audit: the issue, or the project narrowed by ``--jql`` or by state, and
    by ``options.since`` (an incremental audit) as ``updated >= "yyyy/MM/dd HH:mm"``.

    Jira reads that date as minutes in the searching account's time zone, which is the zone of
    the times it returns: the caller passes ``since`` in that zone (see
    :mod:`backlint.history.incremental`). It is floored to the minute and taken an hour earlier
    (the zone's offset may have moved by a daylight-saving switch since), so the query overlaps
    the previous one rather than missing a ticket.
    """
    from datetime import timedelta

    if source.key:
        return f'key = "{source.key}"'
    since = ""
    if options.since is not None:
        start = (options.since - timedelta(hours=1)).replace(second=0, microsecond=0)
        since = f'updated >= "{start:%Y/%m/%d %H:%M}"'
    if options.query and options.query.strip():
        query = options.query.strip()
        order = ORDER_BY.search(query)
        where = query[: order.start()].strip() if order else query
        if source.project is None:
            if not since:
                return query
            return f"({where}) AND {since}" + (f" ORDER BY {order['order']}" if order else "")
        clause = f'project = "{source.project}"' + (f" AND ({where})" if where else "")
        clause += f" AND {since}" if since else ""
        return f"{clause} ORDER BY {order['order'].strip() if order else 'key ASC'}"
    if source.project is None:
        raise SourceError("jira: names no project; use jira:PROJECT or pass --jql")
    clause = f'project = "{source.project}"'
    if options.state == "open":
        clause += " AND statusCategory != Done"
    elif options.state == "closed":
        clause += " AND statusCategory = Done"
    clause += f" AND {since}" if since else ""
    return f"{clause} ORDER BY key ASC"


def _jira_config(config: Config) -> Mapping[str, Any]:
    section = config.section("jira")
    unknown = sorted(set(section) - CONFIG_KEYS)
    if unknown:
        raise ConfigError(f"[jira]: unknown key {unknown[0]!r} (known: {sorted(CONFIG_KEYS)})")
    fields = section.get("fields") or {}
    if not isinstance(fields, Mapping):
        raise ConfigError("[jira.fields] must be a table of field ids")
    for name, value in fields.items():
        if name.replace("-", "_") not in FIELD_PURPOSES:
            raise ConfigError(f"[jira.fields]: unknown key {name!r} (known: {FIELD_PURPOSES})")
        if not isinstance(value, str | list):
            raise ConfigError(f"[jira.fields] {name}: expected a field id such as customfield_1")
    page = section.get("page-size", 100)
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= 1000:
        raise ConfigError("[jira] page-size: expected a whole number from 1 to 1000")
    return section


@dataclass
class JiraConnection:
    """An open Jira site: fetches tickets, reads write-back state, applies plans."""

    client: JiraClient
    source: JiraSource
    fields_map: JiraFields
    page_size: int = 100
    field_ids: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        extra = tuple(i for i in self.fields_map.all_ids() if i not in BASE_FIELDS)
        self.field_ids = BASE_FIELDS + tuple(dict.fromkeys(extra))

    def fetch(self, options: FetchOptions, progress: Progress | None = None) -> Iterator[Ticket]:
        jql = build_jql(self.source, options)
        count = 0
        page_size = min(self.page_size, options.limit) if options.limit else self.page_size
        pages = prefetch(self.client.search(jql, self.field_ids, page_size))
        try:
            for issues, total in pages:
                for issue in issues[: None if options.limit is None else options.limit - count]:
                    count += 1
                    yield self._ticket(issue, count)
                if progress:
                    progress(len(issues), total)
                if options.limit is not None and count >= options.limit:
                    return
        finally:
            pages.close()  # stops the read-ahead before any other request is made

    def fetch_one(self, ref: str) -> Ticket:
        from backlint.trackers.jira.client import JiraHTTPError

        key = JiraSource.parse(ref if ref.startswith("jira:") else f"jira:{ref}").key
        if key is None:
            raise SourceError(f"{ref!r}: name one issue, e.g. jira:PROJ-12")
        try:
            issue = self.client.get(f"issue/{key}", {"fields": ",".join(self.field_ids)})
        except JiraHTTPError as err:
            if err.status == 404:
                raise TrackerError(
                    f"jira: no issue {key} at {self.client.display_url} (or it is not visible "
                    "to this account)"
                ) from None
            raise
        return self._ticket(issue, 1)

    def holds(self, key: str) -> bool:
        """Whether ticket ``key`` (``PROJ-12``) is an issue of this source's project."""
        project, _, number = key.rpartition("-")
        return number.isdigit() and project.upper() == (self.source.project or project.upper())

    def fetch_many(self, keys: Sequence[str]) -> Iterator[Ticket]:
        """The issues ``keys`` name, one ``key in (...)`` search per 100 (comments included, as
        in the bulk read). Jira rejects the whole query when one key no longer exists, so such
        a batch is read one issue at a time instead; the issues gone are left out."""
        wanted = [key for key in dict.fromkeys(keys) if JiraSource.parse(f"jira:{key}").key]
        for start in range(0, len(wanted), 100):
            batch = wanted[start : start + 100]
            jql = "key in ({}) ORDER BY key ASC".format(", ".join(f'"{k}"' for k in batch))
            try:
                issues = [i for page, _ in self.client.search(jql, self.field_ids) for i in page]
            except TrackerError as err:
                if "query was rejected" not in str(err):  # not the JQL: Jira is failing
                    raise
                yield from self._one_by_one(batch)
                continue
            for index, issue in enumerate(issues, start + 1):
                yield self._ticket(issue, index)

    def _one_by_one(self, keys: Sequence[str]) -> Iterator[Ticket]:
        for key in keys:
            try:
                ticket = self.fetch_one(key)
            except TrackerError:
                continue  # gone, or no longer visible to this account
            yield ticket

    def _ticket(self, issue: Any, index: int) -> Ticket:
        from backlint.trackers.jira.mapping import ticket_from_issue

        try:
            if not isinstance(issue, Mapping):
                raise ValueError("entry is not an object")
            return ticket_from_issue(issue, self.fields_map, self.client.display_url)
        except Exception as err:  # one unreadable issue must not stop the audit of the others
            key = issue.get("key") if isinstance(issue, Mapping) else None
            return Ticket(
                key=str(key or f"entry {index}"),
                tracker="jira",
                load_error=f"could not read this issue: {err}",
            )

    def current_state(self, ticket: Ticket, has_findings: bool) -> TicketState:
        from backlint.trackers.jira.write import current_state

        return current_state(self.client, ticket)

    def apply(self, plan: Plan) -> WriteResult:
        from backlint.trackers.jira.write import apply_plan

        return apply_plan(self.client, plan)

    def close(self) -> None:
        self.client.close()


class JiraTracker:
    """Claims ``jira:...`` sources. ``sleep`` and ``environ`` are injectable for tests."""

    name = "jira"
    writable = True

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.environ = environ
        self.sleep = sleep

    def claims(self, source: str) -> bool:
        return source.startswith("jira:")

    def open(self, source: str, config: Config) -> JiraConnection:
        from backlint.trackers.jira.client import JiraClient, JiraSettings
        from backlint.trackers.jira.mapping import JiraFields, names_from_fields

        parsed = JiraSource.parse(source)
        section = _jira_config(config)
        settings = JiraSettings.from_env(self.environ, section.get("url"))
        client = JiraClient(settings, sleep=self.sleep)
        try:
            client.detect()
            configured = section.get("fields") or {}
            if all(
                configured.get(p) or configured.get(p.replace("_", "-")) for p in FIELD_PURPOSES
            ):
                fields_map = JiraFields.resolve(configured)
            else:
                names = names_from_fields(client.fields())
                fields_map = JiraFields.resolve(configured, names, complete=bool(names))
        except BaseException:
            client.close()
            raise
        return JiraConnection(client, parsed, fields_map, int(section.get("page-size", 100)))


def prefetch(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield from ``items`` while a worker thread reads ahead, so the next page is on the wire
    while this one is mapped and judged. Errors surface here; closing stops the worker."""
    pipe: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                pipe.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put(("item", item)):
                    break
            else:
                put(("done", None))
        except BaseException as err:  # handed to the consumer, which raises it
            put(("error", err))
        finally:
            close = getattr(items, "close", None)
            if close:
                close()

    worker = threading.Thread(target=work, name="backlint-jira-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = pipe.get()
            if kind == "error":
                raise value
            if kind == "done":
                return
            yield value
    finally:
        stop.set()
        worker.join()


@hookimpl
def register_trackers(register):
    register(JiraTracker())

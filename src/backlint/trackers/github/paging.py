"""Paging through a repository's issues with the bulk query: one request per 100 issues.

Cursor paging is a chain: page k+1 needs page k's cursor, so N issues cost ceil(N/100) round
trips one after the other. Two things shorten the wait without adding requests:

- the next page is asked for as soon as the current one arrives, before it is mapped, so the
  mapping and Markdown conversion overlap the wait (one request in flight per chain);
- a whole-backlog read runs two chains at once, oldest-first and newest-first, each driven by
  its own worker thread (the calling thread only maps), and stops when they meet.
  ``totalCount`` (in the first answer) tells each chain how much is left unclaimed, so the
  last pages are sized to fit and the two ends never fetch the same issues twice in full.
  At most two requests are in flight, far below GitHub's concurrency limit.

Issues are yielded in one order whatever the timing (oldest first): the newest-first chain's
nodes are held and yielded, reversed, at the end. With ``limit`` or ``streams = 1`` a single
chain reads oldest first and stops at the limit.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC
from typing import Any, TypeVar

from backlint.errors import TrackerError
from backlint.trackers.base import FetchOptions
from backlint.trackers.github.graphql import (
    MILESTONE_QUERY,
    PAGE_SIZE,
    GraphQLClient,
    QueryShape,
    drop_refused_parts,
    issues_of,
    issues_query,
)

ASC, DESC = "ASC", "DESC"
T = TypeVar("T")


def _same(node: dict[str, Any]) -> Any:
    return node


def fetch_issue_nodes(
    client: GraphQLClient,
    owner: str,
    name: str,
    options: FetchOptions,
    shape: QueryShape,
    on_total: Callable[[int], None] | None = None,
    transform: Callable[[dict[str, Any]], T] = _same,
) -> Iterator[T]:
    """Yield the Issue nodes the options select, oldest first, 100 per request.

    ``transform`` (the Ticket mapper) runs on each node as soon as its page arrives, so the
    work overlaps the requests still in flight even for nodes that are yielded last.
    """
    if options.limit is not None and options.limit <= 0:
        return
    variables: dict[str, Any] = {
        "owner": owner,
        "name": name,
        "comments": shape.comments,
        "states": {"open": ["OPEN"], "closed": ["CLOSED"]}.get(options.state),
        "labels": list(options.labels) or None,
        "since": options.since.astimezone(UTC).isoformat().replace("+00:00", "Z")
        if options.since
        else None,
        "milestone": _milestone_number(client, owner, name, options.milestone),
    }
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="backlint-graphql")
    try:

        def keep(nodes: list[dict[str, Any]]) -> list[T]:
            # GitHub's label filter matches any of the labels; backlint's means all of them.
            return [
                transform(node)
                for node in nodes
                if not options.labels or _has_all(node, options.labels)
            ]

        if options.limit is not None or shape.streams < 2:
            yield from _one_chain(pool, client, shape, variables, options.limit, on_total, keep)
        else:
            yield from _two_chains(pool, client, shape, variables, on_total, keep)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _one_page(
    client: GraphQLClient, shape: QueryShape, variables: dict[str, Any]
) -> Mapping[str, Any]:
    """One page of issues; asked again without the parts GitHub refuses."""
    while True:
        if shape.projects:
            variables["priorityField"] = shape.priority_field
        else:
            variables.pop("priorityField", None)
        body = client.execute(issues_query(shape.projects, shape.issue_type), variables)
        if not drop_refused_parts(body, shape, client.pacer.notify):
            return issues_of(body, variables["owner"], variables["name"])


def _submit(pool, client, shape, variables, direction, cursor, size) -> Future:
    page = {**variables, "direction": direction, "cursor": cursor, "pageSize": size}
    return pool.submit(_one_page, client, shape, page)


def _nodes_of(issues: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [node for node in issues.get("nodes") or () if node]


def _one_chain(pool, client, shape, variables, limit, on_total, keep) -> Iterator[Any]:
    remaining = limit
    pending: Future | None = _submit(pool, client, shape, variables, ASC, None, _size(remaining))
    first = True
    while pending is not None:
        issues = pending.result()
        pending = None
        if first and on_total:
            on_total(int(issues.get("totalCount") or 0))
        first = False
        nodes = _nodes_of(issues)
        if remaining is not None:
            nodes = nodes[:remaining]
            remaining -= len(nodes)
        page = issues.get("pageInfo") or {}
        if page.get("hasNextPage") and nodes and (remaining is None or remaining > 0):
            cursor = page.get("endCursor")
            pending = _submit(pool, client, shape, variables, ASC, cursor, _size(remaining))
        yield from keep(nodes)


class _Chains:
    """What the two chains share, behind one lock: the issues seen, the sizes asked for, the
    cursors, and whether reading is over. Each chain's worker claims its next page here the
    moment its last one arrives, so no request waits for the main thread's mapping."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: set[int] = set()
        self.asked: dict[str, int] = {}  # the size each chain has in flight
        self.cursors: dict[str, str | None] = {ASC: None, DESC: None}
        self.total: int | None = None
        self.finished = False

    def claim(self, direction: str, stop: threading.Event) -> int:
        """The size of the chain's next page: what nobody has read or asked for; 0 to stop."""
        with self.lock:
            if self.finished or stop.is_set():
                return 0
            if self.total is None:
                size = PAGE_SIZE  # the first page: the total is not known yet
            else:
                unclaimed = self.total - len(self.seen) - sum(self.asked.values())
                size = min(PAGE_SIZE, unclaimed)
            if size > 0:
                self.asked[direction] = size
            return max(size, 0)

    def arrived(self, direction: str, issues: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Record a page; the issues in it no chain had read before."""
        with self.lock:
            del self.asked[direction]
            if self.total is None:
                self.total = int(issues.get("totalCount") or 0)
            nodes = _nodes_of(issues)
            fresh = [node for node in nodes if node.get("number") not in self.seen]
            self.seen.update(node.get("number") for node in fresh)
            page = issues.get("pageInfo") or {}
            self.cursors[direction] = page.get("endCursor")
            if len(fresh) < len(nodes) or not page.get("hasNextPage") or not nodes:
                # The chains met, or one read to the far end: everything has been seen.
                self.finished = True
            return fresh


def _two_chains(pool, client, shape, variables, on_total, keep) -> Iterator[Any]:
    """Oldest-first and newest-first chains, each run by its own worker thread, which asks for
    its next page as soon as one arrives; this thread maps the pages as they come in."""
    chains = _Chains()
    arrivals: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def run(direction: str) -> None:
        try:
            while size := chains.claim(direction, stop):
                page = {**variables, "direction": direction, "pageSize": size}
                page["cursor"] = chains.cursors[direction]
                fresh = chains.arrived(direction, _one_page(client, shape, page))
                if direction == ASC and not started[DESC] and not chains.finished:
                    started[DESC] = True  # the total is known: the far end can start
                    pool.submit(run, DESC)
                arrivals.put((direction, fresh))
        except BaseException as err:  # handed to the consumer, which raises it
            arrivals.put(("error", err))
        finally:
            arrivals.put(("done", direction))

    # Only the oldest-first worker starts the other, before it reports itself done: once its
    # "done" is read, ``started`` says how many "done"s to wait for.
    started = {ASC: True, DESC: False}
    pool.submit(run, ASC)
    newest_first: list[Any] = []
    told_total = False
    finished: set[str] = set()
    try:
        while len(finished) < sum(started.values()) or ASC not in finished:
            kind, value = arrivals.get()
            if kind == "error":
                raise value
            if kind == "done":
                finished.add(value)
                continue
            if not told_total and on_total:
                on_total(chains.total or 0)
            told_total = True
            if kind == DESC:
                newest_first.extend(keep(value))
            else:
                yield from keep(value)
    finally:
        stop.set()
    yield from reversed(newest_first)


def _size(remaining: int | None) -> int:
    return PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)


def _has_all(node: Mapping[str, Any], labels: tuple[str, ...]) -> bool:
    names = {
        str(n.get("name", "")).lower() for n in (node.get("labels") or {}).get("nodes") or () if n
    }
    return all(label.lower() in names for label in labels)


def _milestone_number(client: GraphQLClient, owner: str, name: str, milestone: str | None):
    """``--milestone`` as GitHub's filter wants it: a number, ``*``, or a title looked up once."""
    if milestone is None or milestone == "*" or milestone.isdigit():
        return milestone
    body = client.execute(MILESTONE_QUERY, {"owner": owner, "name": name, "title": milestone})
    if body.get("errors"):
        raise TrackerError(f"GitHub GraphQL error: {body['errors'][0].get('message', '')}")
    repository = (body.get("data") or {}).get("repository") or {}
    for node in (repository.get("milestones") or {}).get("nodes") or ():
        if node and str(node.get("title", "")).lower() == milestone.lower():
            return str(node["number"])
    raise TrackerError(f"no milestone titled {milestone!r} in {owner}/{name}")

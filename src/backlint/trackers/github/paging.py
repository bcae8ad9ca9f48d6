"""Paging through a repository's issues with the bulk query: one request per 100 issues.

Cursor paging is a chain: page k+1 needs page k's cursor, so N issues cost ceil(N/100) round
trips one after the other. Two things shorten the wait without adding requests:

- the next page is asked for before the current one is mapped (one thread maps, one request
  is in flight per chain), so the mapping and Markdown conversion overlap the wait;
- a whole-backlog read runs two chains at once, oldest-first and newest-first, and stops when
  they meet. ``totalCount`` (in the first answer) tells each chain how much is left unclaimed,
  so the last pages are sized to fit and the two ends never fetch the same issues twice in
  full. At most two requests are in flight, far below GitHub's concurrency limit.

Issues are yielded in one order whatever the timing (oldest first): the newest-first chain's
nodes are held and yielded, reversed, at the end. With ``limit`` or ``streams = 1`` a single
chain reads oldest first and stops at the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
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


def _two_chains(pool, client, shape, variables, on_total, keep) -> Iterator[Any]:
    in_flight: dict[Future, tuple[str, int]] = {}
    in_flight[_submit(pool, client, shape, variables, ASC, None, PAGE_SIZE)] = (ASC, PAGE_SIZE)
    seen: set[int] = set()
    cursors: dict[str, str | None] = {ASC: None, DESC: None}
    finished = {ASC: False, DESC: False}
    newest_first: list[Any] = []
    total: int | None = None
    while in_flight:
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        arrived: list[tuple[str, list[dict[str, Any]]]] = []
        for future in sorted(done, key=lambda f: in_flight[f][0]):  # ASC before DESC
            direction, _ = in_flight.pop(future)
            issues = future.result()
            if total is None:
                total = int(issues.get("totalCount") or 0)
                if on_total:
                    on_total(total)
            nodes = _nodes_of(issues)
            fresh = [node for node in nodes if node.get("number") not in seen]
            seen.update(node.get("number") for node in fresh)
            page = issues.get("pageInfo") or {}
            cursors[direction] = page.get("endCursor")
            if len(fresh) < len(nodes) or not page.get("hasNextPage") or not nodes:
                # The chains met, or one read to the far end: everything has been seen.
                finished[ASC] = finished[DESC] = True
            arrived.append((direction, fresh))
        # The next requests go out before this page is mapped: mapping overlaps the wait.
        _schedule(pool, client, shape, variables, in_flight, cursors, finished, total, seen)
        for direction, fresh in arrived:
            if direction == DESC:
                newest_first.extend(keep(fresh))
            else:
                yield from keep(fresh)
    yield from reversed(newest_first)


def _schedule(pool, client, shape, variables, in_flight, cursors, finished, total, seen):
    """Ask each idle chain for as many issues as nobody has read or asked for yet.

    Newest-first is served first, so both ends work at once; when less than a page is left
    the sizes shrink to fit, so the ends meet without reading the same issues twice.
    """
    busy = {direction for direction, _ in in_flight.values()}
    for direction in (DESC, ASC):
        if finished[direction] or direction in busy:
            continue
        unclaimed = (total or 0) - len(seen) - sum(size for _, size in in_flight.values())
        if unclaimed <= 0:
            return
        size = min(PAGE_SIZE, unclaimed)
        future = _submit(pool, client, shape, variables, direction, cursors[direction], size)
        in_flight[future] = (direction, size)


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

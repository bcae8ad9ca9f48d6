"""Write-back on Jira: read backlint's comment and managed labels, carry out a plan.

The comment is written as ADF on Cloud and wiki markup on Data Center, both converted from the
planner's Markdown; the marker line (``backlint:v1 digest=...``) is visible text in both, so it
is found again in the comment as Jira returns it. Labels change only through the atomic
``update: {labels: [{add}, {remove}]}`` operations, so labels a person adds while backlint runs
are never lost. Writes are serial; a failed write ends that ticket's plan with an error, and the
next run picks up from what Jira then shows.

At most one marker comment: only a comment whose first line is the marker is backlint's (a reply
quoting it is a person's, never edited or deleted). A run that finds several keeps the oldest,
brings it up to date and deletes the others; a run that has just created one reads the comments
again and deletes every marker comment but the oldest, so two racing runs leave exactly one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

from backlint.errors import TrackerError
from backlint.markup import adf_to_text, markdown_to_adf, markdown_to_wiki, wiki_to_text
from backlint.model import Ticket
from backlint.trackers.jira.client import JiraClient, JiraHTTPError
from backlint.writeback.contract import (
    MARKER,
    RESOLVED,
    ExistingComment,
    Plan,
    TicketState,
    WriteResult,
    keep_oldest,
    parse_marker,
)

COMMENT_PAGE = 100


def comment_text(body: Any) -> str:
    """A comment body as plain text: ADF (Cloud v3) or wiki markup (v2) flattened."""
    if isinstance(body, Mapping):
        return adf_to_text(dict(body))
    return wiki_to_text(body) if isinstance(body, str) else ""


def render_body(markdown: str, cloud: bool) -> Any:
    """The planner's Markdown comment in the site's format."""
    return markdown_to_adf(markdown) if cloud else markdown_to_wiki(markdown)


def _path(key: str) -> str:
    return f"issue/{quote(key, safe='')}"


def comments_of(client: JiraClient, ticket: Ticket) -> Iterator[Mapping[str, Any]]:
    """The ticket's comments: those the search returned, fetched in full only when truncated."""
    fields = ticket.raw.get("fields") or {}
    block = fields.get("comment")
    if isinstance(block, Mapping):
        embedded = [c for c in block.get("comments") or () if isinstance(c, Mapping)]
        total = block.get("total")
        if not isinstance(total, int) or total <= len(embedded):
            yield from embedded
            return
    yield from all_comments(client, ticket.key)


def all_comments(client: JiraClient, key: str) -> Iterator[Mapping[str, Any]]:
    """Every comment of the issue, read page by page."""
    start = 0
    while True:
        page = client.get(f"{_path(key)}/comment", {"startAt": start, "maxResults": COMMENT_PAGE})
        items = [c for c in (page or {}).get("comments") or () if isinstance(c, Mapping)]
        yield from items
        start += len(items)
        total = (page or {}).get("total")
        if not items or not isinstance(total, int) or start >= total:
            return


def marker_digest(comment: Mapping[str, Any]) -> str | None:
    """The digest of a backlint comment; None for anyone else's comment.

    Only a comment whose first line is the marker is backlint's: a reply quoting backlint's
    comment (Jira copies it verbatim, marker line included) must never be taken over.
    """
    text = comment_text(comment.get("body")).lstrip()
    return parse_marker(text.split("\n", 1)[0]) if text.startswith(MARKER) else None


def backlint_comment(comments: Iterable[Mapping[str, Any]]) -> ExistingComment | None:
    """The oldest marker comment among ``comments``, any younger ones as its duplicates."""
    markers = []
    for comment in comments:
        digest = marker_digest(comment)
        if digest is not None and comment.get("id") is not None:
            markers.append((str(comment["id"]), digest))
    return keep_oldest(markers)


def current_state(client: JiraClient, ticket: Ticket) -> TicketState:
    """The labels the issue carries and backlint's marker comment (the oldest, if several)."""
    fields = ticket.raw.get("fields") or {}
    labels = tuple(str(label) for label in fields.get("labels") or ())
    return TicketState(labels, backlint_comment(comments_of(client, ticket)))


def apply_plan(client: JiraClient, plan: Plan) -> WriteResult:
    """Carry out one plan: the comment write, duplicates deleted, then one label update."""
    writes = 0
    try:
        if plan.comment_action:
            writes += _comment(client, plan)
        for comment_id in plan.duplicate_ids:
            writes += _delete(client, plan.ticket, comment_id)
        if plan.labels_add or plan.labels_remove:
            operations = [{"add": name} for name in plan.labels_add]
            operations += [{"remove": name} for name in plan.labels_remove]
            client.request("PUT", _path(plan.ticket), body={"update": {"labels": operations}})
            writes += 1
    except TrackerError as err:
        return WriteResult(plan.ticket, writes, error=str(err).removeprefix("jira: "))
    return WriteResult(plan.ticket, writes)


def _delete(client: JiraClient, key: str, comment_id: str) -> int:
    """Delete one comment; one already gone (a person, or a racing run) counts as done."""
    try:
        client.request("DELETE", f"{_path(key)}/comment/{comment_id}")
    except JiraHTTPError as err:
        if err.status != 404:
            raise
        return 0
    return 1


def _comment(client: JiraClient, plan: Plan) -> int:
    path = f"{_path(plan.ticket)}/comment"
    if plan.comment_action == "delete":
        return _delete(client, plan.ticket, plan.comment_id) if plan.comment_id else 0
    body = {"body": render_body(plan.comment_body or "", client.is_cloud)}
    if plan.comment_action == "edit" and plan.comment_id:
        try:
            client.request("PUT", f"{path}/{plan.comment_id}", body=body)
            return 1
        except JiraHTTPError as err:
            if err.status != 404:
                raise
            # Someone deleted the comment since it was read: write it afresh, unless all it
            # would say is that every check passes.
            if parse_marker(plan.comment_body) == RESOLVED:
                return 0
    client.request("POST", path, body=body)
    return 1 + _settle(client, plan.ticket, body, parse_marker(plan.comment_body))


def _settle(client: JiraClient, key: str, body: Mapping[str, Any], digest: str | None) -> int:
    """After a create: one more read; keep only the oldest marker comment, with this text.

    A run racing this one may have created its own comment meanwhile. Both see the same
    oldest comment and delete the rest; the one that loses its comment brings the survivor to
    its text (the same text, when both ran on the same findings). Returns the writes made.
    """
    found = backlint_comment(all_comments(client, key))
    if found is None:  # not listed yet: the next run looks again
        return 0
    writes = sum(_delete(client, key, comment_id) for comment_id in found.duplicates)
    if found.digest != digest:
        client.request("PUT", f"{_path(key)}/comment/{found.id}", body=body)
        writes += 1
    return writes

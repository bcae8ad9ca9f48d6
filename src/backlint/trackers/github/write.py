"""Write-back through PyGithub: the marker comment and the managed labels, serial and paced.

Every call goes through :meth:`RestSession.call`, which applies backlint's retry policy
(:mod:`github_limits`) instead of PyGithub's own (which retries POST but not PATCH and sleeps
where tests cannot see it). Only calls that are safe to repeat are retried after a 5xx or a
dropped connection: adding labels, removing a label, editing or deleting a comment, reads.
Creating a comment is never retried after an ambiguous failure; the ticket's result carries
the error and the next run, which looks for the marker first, converges without a duplicate.

At most one marker comment: a run that finds several keeps the oldest (brought up to date) and
deletes the others, and a run that has just created one reads the comments again and deletes
every marker comment but the oldest. Two runs racing on one issue agree on which is oldest, so
exactly one survives; a run killed between its create and that check leaves a duplicate that
the next run removes.

Order per ticket: labels first, then the comment. A run interrupted between the two leaves a
managed label behind, which is exactly the signal that makes the next run read the comments.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from backlint.trackers.github.limits import Failure, Pacer, give_up_message
from backlint.trackers.github.mapping import marker_comment
from backlint.writeback.contract import ExistingComment, Plan, WriteResult, parse_marker

T = TypeVar("T")

#: Colour and description for labels backlint creates; keyed by lower-case name or "*".
LABEL_STYLES = {
    "backlint:needs-work": (
        "d93f0b",
        "backlint found problems that make this ticket hard to act on",
    ),
    "needs-clarity": ("fbca04", "backlint: the ticket's goal or scope is unclear"),
    "needs-acceptance-criteria": ("fbca04", "backlint: add acceptance criteria"),
    "needs-objective": ("c5def5", "backlint: link the ticket to an objective"),
    "needs-priority-review": ("f9d0c4", "backlint: the priority looks inconsistent"),
    "*": ("ededed", "Managed by backlint"),
}


class WriteFailed(Exception):
    """A request failed for good; the message is safe to show (no token, one line)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class RestSession:
    """PyGithub plus the retry policy and the pacing of writes."""

    def __init__(self, github: Any, pacer: Pacer, write_delay: float) -> None:
        self.github = github
        self.pacer = pacer
        self.write_delay = write_delay
        self.reads = 0
        self.writes = 0
        self._last_write: float | None = None

    def call(self, action: Callable[[], T], write: bool, idempotent: bool) -> T:
        """Run one PyGithub call (one request), waiting and retrying as the policy allows."""
        import requests
        from github import GithubException

        attempt = 0
        while True:
            if write:
                self._pace()
            try:
                result = action()
            except GithubException as err:
                failure = Failure(err.status, dict(err.headers or {}), _message(err.data))
            except requests.exceptions.RequestException as err:
                failure = Failure(0, message=type(err).__name__)
            else:
                if write:
                    self.writes += 1
                else:
                    self.reads += 1
                self._pause_if_exhausted()
                return result
            finally:
                if write:
                    self._last_write = self.pacer.clock()
            if not self.pacer.wait_before_retry(
                failure, attempt, idempotent or not write, write=write
            ):
                raise WriteFailed(give_up_message(failure), failure.status)
            attempt += 1

    def _pause_if_exhausted(self) -> None:
        """Wait for the reset when the last answer said no requests are left in the window."""
        requester = self.github.requester
        remaining = getattr(requester, "rate_limiting", (-1, -1))[0]
        if remaining == 0:
            reset = getattr(requester, "rate_limiting_resettime", 0)
            self.pacer.pause_if_exhausted(
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
            )

    def _pace(self) -> None:
        """At least ``write_delay`` seconds between writes (GitHub: content-creation limits)."""
        if self._last_write is None or self.write_delay <= 0:
            return
        wait = self.write_delay - (self.pacer.clock() - self._last_write)
        if wait > 0:
            self.pacer.sleep(wait)


def _message(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("message") or "")
    return ""


class GitHubWriter:
    """Reads backlint's comment on demand and carries out plans for one or more repositories."""

    def __init__(self, session: RestSession) -> None:
        self.session = session
        self._repos: dict[str, Any] = {}
        self._labels: dict[str, set[str]] = {}

    def _issue(self, repo: str, number: int) -> Any:
        if repo not in self._repos:
            self._repos[repo] = self.session.github.get_repo(repo)  # lazy: no request
        return self._repos[repo].get_issue(number)

    def find_comment(self, repo: str, number: int) -> ExistingComment | None:
        """backlint's comment on the issue (the oldest marker comment, any others as its
        duplicates), read from all its comments (100 per request)."""
        issue = self._issue(repo, number)

        def read() -> list[tuple[str, str | None]]:
            return [(str(c.id), c.body) for c in issue.get_comments()]

        return marker_comment(self.session.call(read, write=False, idempotent=True))

    def apply(self, plan: Plan) -> WriteResult:
        """Carry out one plan; the first failure stops this ticket and is reported."""
        repo, number = split_key(plan.ticket)
        issue = self._issue(repo, number)
        before = self.session.writes
        try:
            if plan.labels_add:
                self._ensure_labels(repo, plan.labels_add)
                self.session.call(
                    lambda: issue.add_to_labels(*plan.labels_add), write=True, idempotent=True
                )
            for name in plan.labels_remove:
                self._tolerate_missing(lambda n=name: issue.remove_from_labels(n))
            self._apply_comment(issue, plan)
            for comment_id in plan.duplicate_ids:
                self._delete_comment(issue, comment_id)
            if plan.comment_action == "create" and plan.comment_body:
                self._settle(repo, number, plan.comment_body)
        except WriteFailed as err:
            return WriteResult(plan.ticket, self.session.writes - before, str(err))
        return WriteResult(plan.ticket, self.session.writes - before)

    def _apply_comment(self, issue: Any, plan: Plan) -> None:
        action, body = plan.comment_action, plan.comment_body
        if action == "create" and body:
            # Not idempotent: after a 5xx the comment may exist; never retry into a duplicate.
            self.session.call(lambda: issue.create_comment(body), write=True, idempotent=False)
        elif action == "edit" and body and plan.comment_id:
            self._edit_comment(issue, plan.comment_id, body)
        elif action == "delete" and plan.comment_id:
            self._delete_comment(issue, plan.comment_id)

    def _settle(self, repo: str, number: int, body: str) -> None:
        """After a create: one more read; keep only the oldest marker comment, with ``body``.

        A run racing this one may have created its own comment meanwhile. Both runs see the
        same oldest comment and delete the rest; the one that loses its comment brings the
        survivor to its text (the same text, when both ran for one event).
        """
        found = self.find_comment(repo, number)
        if found is None:  # a listing that lags behind the create: the next run looks again
            return
        issue = self._issue(repo, number)
        for comment_id in found.duplicates:
            self._delete_comment(issue, comment_id)
        if found.digest != parse_marker(body):
            self._edit_comment(issue, found.id, body)

    def _edit_comment(self, issue: Any, comment_id: str, body: str) -> None:
        comment = issue.get_comment(int(comment_id))  # lazy: no request
        self.session.call(lambda: comment.edit(body), write=True, idempotent=True)

    def _delete_comment(self, issue: Any, comment_id: str) -> None:
        """Delete one comment; one already gone (a racing run deleted it) is fine."""
        comment = issue.get_comment(int(comment_id))  # lazy: no request
        self._tolerate_missing(comment.delete)

    def _tolerate_missing(self, action: Callable[[], Any]) -> None:
        """A 404 on a removal means it is already gone: the goal is reached."""
        try:
            self.session.call(action, write=True, idempotent=True)
        except WriteFailed as err:
            if err.status != 404:
                raise

    def _ensure_labels(self, repo: str, names: tuple[str, ...]) -> None:
        """Create the labels the repository lacks, once per run, with a colour and description."""
        if repo not in self._labels:
            repository = self._repos[repo]
            self._labels[repo] = self.session.call(
                lambda: {label.name.lower() for label in repository.get_labels()},
                write=False,
                idempotent=True,
            )
        known = self._labels[repo]
        for name in names:
            if name.lower() in known:
                continue
            color, description = LABEL_STYLES.get(name.lower(), LABEL_STYLES["*"])
            try:
                self.session.call(
                    lambda n=name, c=color, d=description: self._repos[repo].create_label(n, c, d),
                    write=True,
                    idempotent=True,
                )
            except WriteFailed as err:
                if err.status != 422:  # 422: created meanwhile by someone else; fine
                    raise
            known.add(name.lower())


def split_key(key: str) -> tuple[str, int]:
    """``owner/repo#12`` → ("owner/repo", 12)."""
    repo, _, number = key.rpartition("#")
    if not repo or not number.isdigit():
        raise ValueError(f"not a GitHub issue key: {key!r}")
    return repo, int(number)

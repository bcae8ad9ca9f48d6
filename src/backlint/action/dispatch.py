"""``repository_dispatch`` events from Jira: check the one Jira issue an Automation rule names.

A Jira Automation rule ("issue created or updated" → "send web request") posts to GitHub's
``/repos/OWNER/REPO/dispatches`` with ``event_type: jira-issue`` and ``client_payload:
{"key": "PROJ-12"}``. The run reads that issue from Jira with the credentials in the environment
(``JIRA_URL`` and ``JIRA_EMAIL`` + ``JIRA_API_TOKEN``, or ``JIRA_PAT``), judges it as
``backlint check jira:PROJ-12`` does and brings its comment and labels on Jira up to date.

The key is the only value taken from the payload, and only when it is a plain issue key: it
becomes a ``jira:`` source and a path segment of every Jira request, so anything else is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from backlint.action.steps import Outcome
from backlint.audit import apply_plans, open_source, plan_writeback, run
from backlint.config.config import Config
from backlint.errors import SourceError
from backlint.model import Ticket
from backlint.trackers.base import GivenTickets

#: The ``event_type`` the Automation rule sends; other dispatches are skipped.
JIRA_EVENT_TYPE = "jira-issue"
#: A Jira issue key as Jira makes them: project key (a capital, then capitals, digits, ``_``),
#: a dash, a number without leading zeros. Matched whole (``fullmatch``: ``$`` would let a
#: trailing newline through).
JIRA_KEY = re.compile(r"[A-Z][A-Z0-9_]+-[1-9][0-9]*")
#: Jira secrets the runner is asked to mask (it masks ``secrets.*`` already; a value that came
#: from elsewhere, e.g. a variable, is masked too).
JIRA_SECRETS = ("JIRA_API_TOKEN", "JIRA_PAT", "JIRA_PASSWORD")


def _shown(value: Any, width: int = 40) -> str:
    """A payload value for a message: its repr (so one line), cut to ``width`` characters."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def dispatched_key(payload: Mapping[str, Any]) -> tuple[str, str]:
    """``(key, "")`` for a ``jira-issue`` dispatch naming a valid Jira issue key, ``("",
    reason)`` for any other dispatch, which is skipped.

    A ``jira-issue`` dispatch without a valid ``client_payload.key`` is bad input (SourceError,
    one line, exit 2): the Automation rule is misconfigured and should say so loudly.
    """
    event_type = payload.get("action")
    if event_type != JIRA_EVENT_TYPE:
        return "", (
            f"repository_dispatch event type {_shown(event_type)} is not checked "
            f"(backlint checks {JIRA_EVENT_TYPE!r})"
        )
    client = payload.get("client_payload")
    key = client.get("key") if isinstance(client, Mapping) else None
    if key is None:
        raise SourceError("event payload: no client_payload.key (the Jira issue key, e.g. PROJ-12)")
    if not isinstance(key, str) or not JIRA_KEY.fullmatch(key):
        raise SourceError(
            f"event payload: client_payload.key {_shown(key)} is not a Jira issue key "
            "(expected e.g. PROJ-12)"
        )
    return key, ""


def skip_reason(ticket: Ticket, opt_out_label: str, exempt_labels: tuple[str, ...]) -> str | None:
    """Why backlint leaves this Jira issue alone, as it would a GitHub issue: done, opted out
    or exempt; None to check it."""
    if ticket.load_error:
        return None  # judged: an unreadable issue is BL902 and exit 2, as on the command line
    if not ticket.is_open:
        return "the issue is done"
    labels = {label.lower() for label in ticket.labels}
    if opt_out_label in labels:
        return f"the issue carries the opt-out label {opt_out_label!r}"
    exempt = sorted(labels & set(exempt_labels))
    if exempt:
        return f"the issue carries the exempt label {exempt[0]!r}"
    return None


def check_jira_issue(
    key: str,
    config: Config,
    registry: Any,
    now: datetime,
    dry_run: bool = False,
    opt_out_label: str = "",
    exempt_labels: tuple[str, ...] = (),
) -> Outcome | str:
    """Read the Jira issue ``key``, judge it and bring its comment and labels up to date (with
    ``dry_run``, plan and write nothing); instead, the reason to skip it when
    :func:`skip_reason` gives one.

    The same steps as ``backlint check jira:KEY --apply``: one read of the issue (its comments
    arrive with it), the planner, the tracker's writes.
    """
    source = f"jira:{key}"
    connection = open_source(source, config, registry)
    try:
        ticket = connection.fetch_one(source)
        reason = skip_reason(ticket, opt_out_label, exempt_labels)
        if reason:
            return f"{ticket.key}: {reason}"
        writing = config.writeback.comment or config.writeback.labels
        # The issue already read is judged as it is: no second read before planning.
        given = GivenTickets([ticket], lambda: connection)
        with run(source, config, registry, now=now, connection=given) as result:
            if writing:
                plan_writeback(result, config, None)
                if not dry_run:
                    apply_plans(result)
        return Outcome("check", result, writing, dry_run=dry_run)
    finally:
        connection.close()  # closing twice is harmless; never leaving it open matters

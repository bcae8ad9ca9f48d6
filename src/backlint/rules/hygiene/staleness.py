"""Hygiene rule BL502 (stale-ticket) and what counts as human activity on a ticket.

A ticket's clock is reset only by people. Bots never reset it: backlint's own comments and label
changes, CI bots, dependency bots, and whatever ``[hygiene] bots`` names. The tracker's
``updated`` stamp is bumped by those bots too, so it counts only when it is not a bot's echo; see
:func:`last_human_activity` and docs/hygiene.md ("What counts as activity").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from backlint.engine.rule import rule
from backlint.hookspecs import hookimpl
from backlint.model import Activity, Ticket

#: Accounts that never count as activity unless ``[hygiene] bots`` says otherwise. Any GitHub
#: login ending in ``[bot]`` and any account the tracker marks as a bot (Jira ``accountType:
#: app``, GitHub ``type: Bot``) is a bot as well.
DEFAULT_BOTS = ("backlint[bot]", "github-actions[bot]", "dependabot[bot]", "renovate[bot]")

#: How close to a bot's action the ``updated`` stamp may be and still be that action's echo.
DEFAULT_BOT_ECHO_MINUTES = 10

CONTAINER_KINDS = ("epic", "initiative", "objective")
_CATEGORY_WORDS = {"todo": "to-do", "in_progress": "in-progress"}


def bot_names(settings: Mapping[str, Any]) -> frozenset[str]:
    """The configured bot accounts (``[hygiene] bots``), lower-cased; the defaults if unset."""
    hygiene = settings.get("hygiene") or {}
    names = hygiene.get("bots", DEFAULT_BOTS) if isinstance(hygiene, Mapping) else DEFAULT_BOTS
    return frozenset(str(name).strip().lower() for name in names)


def bot_echo(settings: Mapping[str, Any]) -> timedelta:
    """``[hygiene] bot-echo-minutes`` as a timedelta."""
    hygiene = settings.get("hygiene") or {}
    minutes = DEFAULT_BOT_ECHO_MINUTES
    if isinstance(hygiene, Mapping):
        minutes = hygiene.get("bot-echo-minutes", minutes)
    return timedelta(minutes=float(minutes))


def is_bot(activity: Activity, bots: frozenset[str]) -> bool:
    """True when a bot did this: the tracker says so, the name is listed, or ends in ``[bot]``."""
    actor = activity.actor.strip().lower()
    return activity.is_bot or actor in bots or actor.endswith("[bot]")


def aware(moment: datetime) -> datetime:
    """Treat a naive datetime as UTC so that comparisons never raise."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def last_human_activity(
    ticket: Ticket, bots: frozenset[str], echo: timedelta = timedelta(minutes=10)
) -> datetime | None:
    """When a person last touched ``ticket``; None when the ticket carries no dates at all.

    The candidates are every activity entry by a person, the creation date (a ticket nobody
    touched since it was filed is as old as it is), and ``updated``. ``updated`` is dropped when
    it is a bot's echo: within ``echo`` of a bot's activity entry and not within ``echo`` of a
    person's. Trackers bump ``updated`` for any change, including backlint's own comment, so
    without this a daily backlint run would keep every ticket "fresh" for ever.
    """
    human: list[datetime] = []
    by_bots: list[datetime] = []
    for entry in ticket.activity:
        (by_bots if is_bot(entry, bots) else human).append(aware(entry.at))
    candidates = list(human)
    if ticket.created:
        candidates.append(aware(ticket.created))
    if ticket.updated:
        updated = aware(ticket.updated)
        if not (_near(updated, by_bots, echo) and not _near(updated, human, echo)):
            candidates.append(updated)
    return max(candidates) if candidates else None


def _near(moment: datetime, others: Iterable[datetime], window: timedelta) -> bool:
    return any(abs(moment - other) <= window for other in others)


def staleness_limit(ticket: Ticket, options: Mapping[str, Any]) -> tuple[int, str] | None:
    """The day limit that applies to ``ticket`` and why; None when no limit applies.

    The limit is the smallest of: the limit of its status category (or of its kind, for epics,
    initiatives and objectives) and the limit of its priority rank. 0 turns a limit off.
    """
    limits: list[tuple[int, str]] = []
    if ticket.kind in CONTAINER_KINDS:
        limits.append((int(options["container_days"]), f"open {ticket.kind}s"))
    else:
        days = options.get(f"{ticket.status_category}_days", 0)
        word = _CATEGORY_WORDS.get(ticket.status_category, ticket.status_category)
        limits.append((int(days), f"{word} tickets"))
    rank = ticket.priority.rank if ticket.priority else None
    by_rank = list(options["priority_days"])
    if rank is not None and rank < len(by_rank):
        name = ticket.priority.name if ticket.priority else ""
        limits.append((int(by_rank[rank]), f"{name} tickets"))
    limits = [limit for limit in limits if limit[0] > 0]
    return min(limits) if limits else None


@rule(
    "BL502",
    "stale-ticket",
    family="hygiene",
    severity="warning",
    options={
        "todo_days": 180,
        "in_progress_days": 30,
        "container_days": 120,
        "priority_days": [60, 120],
    },
)
def stale_ticket(ticket, ctx):
    """What: An open ticket has had no human activity for longer than the limit for its status
    category or its priority. Activity is a person's comment, edit or change; comments and
    label changes by backlint itself and by other bots (`[hygiene] bots`) never count.

    Why: A ticket nobody touched for months is either done, abandoned or no longer true. Left
    open, it inflates the backlog, hides the real work and misleads whoever plans from it. A
    bot's comment does not mean anyone looked at it.

    Example: SHOP-195 "Support Bancontact for Belgian shoppers", To Do, last changed by a person
    538 days ago; SHOP-209 In Progress whose only recent activity is a backlint[bot] comment.

    Fix: Look at it: update it with what is true now, close it as won't-do, or move it to an
    icebox that is not planned from.

    Options: `todo_days` (180), `in_progress_days` (30) and `container_days` (120, for epics,
    initiatives and objectives) are day limits by status category; `priority_days` ([60, 120])
    lists limits by priority rank, most urgent first, and the smaller limit wins. 0 turns a
    limit off.
    """
    if not ticket.is_open:
        return
    limit = staleness_limit(ticket, ctx.options)
    last = last_human_activity(ticket, bot_names(ctx.settings), bot_echo(ctx.settings))
    if limit is None or last is None:
        return
    days, reason = limit
    idle = (aware(ctx.now) - last).days
    if idle > days:
        yield (
            f"No human activity for {idle} days (since {last.date().isoformat()}); the limit "
            f"for {reason} is {days} days. Update it, close it, or move it out of the plan."
        )


@hookimpl
def register_rules(register):
    register(stale_ticket)

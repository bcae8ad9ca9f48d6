"""``backlint action``: the entry point of the GitHub Action (``action.yml``).

On an ``issues`` event it checks the one issue in the event payload, exactly as the payload has
it (no second read), and brings its backlint comment and managed labels up to date through the
GitHub tracker. On ``schedule`` or ``workflow_dispatch`` it audits the whole repository and
writes back, at most ``limit`` tickets per run. On a ``repository_dispatch`` of type
``jira-issue`` (sent by a Jira Automation rule) it checks the one Jira issue the payload names
and writes back on Jira (:mod:`backlint.action.dispatch`). The config comes from the
checked-out workspace (the default branch on ``issues`` events), never from the issue.

It stays out of loops and out of the way: pull requests, closed issues, issues carrying the
``backlint:ignore`` opt-out label, label events about backlint's own labels (or made by
``github-actions[bot]``) and every other event action are skipped with a notice.

Inputs arrive as environment variables that ``action.yml`` sets from its ``with:`` values
(``INPUT_MODE``, ``INPUT_CONFIG``, ``INPUT_COMMENT``, ``INPUT_LABELS``, ``INPUT_FAIL_ON``,
``INPUT_LIMIT``), so no workflow expression is ever interpolated into a script.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from backlint.errors import BacklintError, ConfigError, SourceError
from backlint.hookspecs import hookimpl

#: ``issues`` event actions that can change what the rules see.
CHECKED_ACTIONS = frozenset(
    {
        "opened",
        "edited",
        "reopened",
        "labeled",
        "unlabeled",
        "milestoned",
        "demilestoned",
        "typed",
        "untyped",
    }
)
AUDIT_EVENTS = frozenset({"schedule", "workflow_dispatch"})
OPT_OUT_LABEL = "backlint:ignore"
#: The login behind ``GITHUB_TOKEN`` writes; its label events are never re-checked.
ACTIONS_BOT = "github-actions[bot]"
MODES = ("auto", "event", "audit")
FAIL_ON = ("never", "error", "warning", "info")
#: ``owner/name`` as GitHub allows them: nothing that could add a path segment (``..``).
_REPO = re.compile(r"^(?!\.\.?/)[A-Za-z0-9_.-]+/(?!\.\.?$)[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class ActionInputs:
    """The action's ``with:`` values; None means "not given, the config decides"."""

    mode: str = "auto"
    config: str | None = None
    comment: bool | None = None
    labels: bool | None = None
    fail_on: str = "never"
    limit: int | None = None
    dry_run: bool = False
    exempt_labels: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ActionInputs:
        """Read and validate the ``INPUT_*`` variables; a bad value is a ConfigError."""
        mode = _choice(environ, "INPUT_MODE", MODES, "auto")
        fail_on = _choice(environ, "INPUT_FAIL_ON", FAIL_ON, "never")
        limit_text = environ.get("INPUT_LIMIT", "").strip()
        limit = None
        if limit_text:
            if not limit_text.isdigit():
                raise ConfigError(f"input limit: expected a whole number, got {limit_text!r}")
            limit = int(limit_text)
        return cls(
            mode=mode,
            config=environ.get("INPUT_CONFIG", "").strip() or None,
            comment=_flag(environ, "INPUT_COMMENT"),
            labels=_flag(environ, "INPUT_LABELS"),
            fail_on=fail_on,
            limit=limit,
            dry_run=bool(_flag(environ, "INPUT_DRY_RUN")),
            exempt_labels=tuple(
                name.strip().lower()
                for name in environ.get("INPUT_EXEMPT_LABELS", "").split(",")
                if name.strip()
            ),
        )


def _choice(environ: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = environ.get(name, "").strip().lower() or default
    if value not in allowed:
        label = name.removeprefix("INPUT_").lower().replace("_", "-")
        raise ConfigError(f"input {label}: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def _flag(environ: Mapping[str, str], name: str) -> bool | None:
    value = environ.get(name, "").strip().lower()
    if not value:
        return None
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    label = name.removeprefix("INPUT_").lower()
    raise ConfigError(f"input {label}: expected true or false, got {value!r}")


@dataclass(frozen=True)
class Decision:
    """What to do with this run: ``check`` one issue, ``audit`` the repo, or ``skip``."""

    mode: str
    repo: str = ""
    reason: str = ""
    issue: Mapping[str, Any] | None = None
    action: str = ""
    #: The Jira issue key of a ``jira`` decision (a ``repository_dispatch`` from Jira).
    ticket: str = ""


def read_payload(environ: Mapping[str, str]) -> Mapping[str, Any]:
    """The webhook payload at ``GITHUB_EVENT_PATH``; SourceError with one line when unusable."""
    name = environ.get("GITHUB_EVENT_PATH", "").strip()
    if not name:
        raise SourceError(
            "GITHUB_EVENT_PATH is not set: `backlint action` runs in a GitHub Actions step"
        )
    path = Path(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"GITHUB_EVENT_PATH {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(f"GITHUB_EVENT_PATH {path}: cannot read: {err}") from None
    except json.JSONDecodeError as err:
        raise SourceError(f"GITHUB_EVENT_PATH {path}: not valid JSON (line {err.lineno})") from None
    if not isinstance(data, Mapping):
        raise SourceError(f"GITHUB_EVENT_PATH {path}: not a JSON object")
    return data


def decide(
    event_name: str,
    inputs: ActionInputs,
    environ: Mapping[str, str],
    managed_labels: frozenset[str],
) -> Decision:
    """Choose check, audit, jira or skip from the event, the mode input and (for issues and
    repository dispatches) the payload."""
    if not event_name:
        raise SourceError(
            "GITHUB_EVENT_NAME is not set: `backlint action` runs in a GitHub Actions step"
        )
    repo = environ.get("GITHUB_REPOSITORY", "").strip()
    if repo and not _REPO.match(repo):
        raise SourceError(f"GITHUB_REPOSITORY {repo!r}: expected OWNER/NAME")
    if inputs.mode == "audit" or (inputs.mode == "auto" and event_name in AUDIT_EVENTS):
        if not repo:
            raise SourceError("GITHUB_REPOSITORY is not set: cannot tell which repo to audit")
        return Decision("audit", repo=repo)
    if event_name == "repository_dispatch":
        from backlint.action.dispatch import dispatched_key

        key, reason = dispatched_key(read_payload(environ))
        if reason:
            return Decision("skip", repo=repo, reason=reason)
        return Decision("jira", repo=repo, action="jira-issue", ticket=key)
    if event_name != "issues":
        if inputs.mode == "event":
            raise ConfigError(
                "mode event needs an issues event (or a jira-issue repository_dispatch); "
                f"this run is {event_name!r}"
            )
        return Decision("skip", repo=repo, reason=f"nothing to do on {event_name!r} events")
    return decide_issue_event(read_payload(environ), repo, managed_labels, inputs.exempt_labels)


def decide_issue_event(
    payload: Mapping[str, Any],
    runner_repo: str,
    managed_labels: frozenset[str],
    exempt_labels: tuple[str, ...] = (),
) -> Decision:
    """Check the payload's issue, or say why this event is skipped.

    The repository is the runner's ``GITHUB_REPOSITORY``, else the payload's
    ``repository.full_name``; never one named by a URL inside the issue. Every request the check
    makes is built from it, so a crafted issue cannot send the token to another repository.
    """
    issue = payload.get("issue")
    number = issue.get("number") if isinstance(issue, Mapping) else None
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise SourceError("event payload: not an issues event (no issue.number)")
    repo = runner_repo or _payload_repo(payload)
    action = str(payload.get("action") or "")

    def skip(reason: str) -> Decision:
        return Decision("skip", repo=repo, reason=f"{repo}#{number}: {reason}")

    if action not in CHECKED_ACTIONS:
        return skip(f"issues.{action or '?'} events are not checked")
    if "pull_request" in issue:
        return skip("a pull request, not an issue")
    if issue.get("state") == "closed":
        return skip("the issue is closed")
    listed = issue.get("labels") if isinstance(issue.get("labels"), list) else ()
    labels = {_label_name(label).lower() for label in listed}
    if OPT_OUT_LABEL in labels:
        return skip(f"the issue carries the opt-out label {OPT_OUT_LABEL!r}")
    exempt = sorted(labels & set(exempt_labels))
    if exempt:
        return skip(f"the issue carries the exempt label {exempt[0]!r}")
    if action in ("labeled", "unlabeled"):
        label = _label_name(payload.get("label"))
        if label.lower() in managed_labels:
            return skip(f"{action} {label!r}, a label backlint manages")
        sender = payload.get("sender")
        if isinstance(sender, Mapping) and sender.get("login") == ACTIONS_BOT:
            return skip(f"{action} by {ACTIONS_BOT}")
    return Decision("check", repo=repo, issue=issue, action=action)


def _payload_repo(payload: Mapping[str, Any]) -> str:
    """``repository.full_name`` of an event payload; SourceError when it is absent or odd."""
    repository = payload.get("repository")
    name = repository.get("full_name") if isinstance(repository, Mapping) else None
    if not isinstance(name, str) or not name:
        raise SourceError("event payload: no repository.full_name and no GITHUB_REPOSITORY")
    if not _REPO.match(name):
        raise SourceError(f"event payload: repository.full_name {name!r}: expected OWNER/NAME")
    return name


def _label_name(label: Any) -> str:
    if isinstance(label, Mapping):
        return str(label.get("name") or "")
    return str(label or "")


def load_action_config(inputs: ActionInputs, environ: Mapping[str, str]):
    """The config from the workspace (``GITHUB_WORKSPACE``), with the inputs applied."""
    from backlint.config.config import config_from_mapping, find_config_file, load_config

    workspace = Path(environ.get("GITHUB_WORKSPACE") or ".").resolve()
    if inputs.config:
        config = load_config(workspace / inputs.config)
    else:
        # Only the workspace's own config counts: never one found above the checkout.
        found = find_config_file(workspace)
        # No file: the file defaults (family labels included), as an empty .backlint.toml gives.
        found = found if found and found.parent == workspace else None
        config = load_config(found) if found else config_from_mapping({})
    writeback = config.writeback
    if inputs.comment is not None:
        writeback = replace(writeback, comment=inputs.comment)
    if inputs.labels is not None:
        writeback = replace(writeback, labels=inputs.labels)
    return config.with_overrides(writeback=writeback)


def run_action(
    environ: Mapping[str, str], registry: Callable[[Any], Any], now: datetime | None = None
) -> int:
    """Do what this event calls for; return the exit status (``action_steps.exit_status``).

    ``registry(config)`` loads the plugins with the config's rule packs. It is called only when
    rules must run, so a skipped event loads no plugins.
    """
    from backlint.action.runner import Runner, token_of
    from backlint.action.steps import audit_repository, check_issue, report_outcome, skip_event

    runner = Runner(environ)
    runner.mask(token_of(environ))
    try:
        inputs = ActionInputs.from_env(environ)
        config = load_action_config(inputs, environ)
        decision = decide(
            environ.get("GITHUB_EVENT_NAME", "").strip(),
            inputs,
            environ,
            config.writeback.managed_labels(),
        )
        now = now or datetime.now(UTC)
        if decision.mode == "jira":
            from backlint.action.dispatch import JIRA_SECRETS, check_jira_issue

            for name in JIRA_SECRETS:
                runner.mask(environ.get(name))
            checked = check_jira_issue(
                decision.ticket,
                config,
                registry(config),
                now,
                inputs.dry_run,
                OPT_OUT_LABEL,
                inputs.exempt_labels,
            )
            if isinstance(checked, str):
                return skip_event(replace(decision, mode="skip", reason=checked), runner)
            return report_outcome(checked, inputs, runner)
        if decision.mode == "skip":
            return skip_event(decision, runner)
        if decision.mode == "check":
            outcome = check_issue(
                decision, config, registry(config), runner, environ, now, inputs.dry_run
            )
        else:
            limit = inputs.limit
            if limit is None:
                limit = config.section("writeback").get("limit")
            outcome = audit_repository(
                decision,
                config,
                registry(config),
                limit,
                now,
                inputs.dry_run,
                inputs.exempt_labels,
            )
        return report_outcome(outcome, inputs, runner)
    except BacklintError as err:
        runner.error(str(err))
        raise


@hookimpl
def register_commands(cli: click.Group) -> None:
    @cli.command("action")
    @click.option("--now", hidden=True, help="Pretend it is this date (ISO), for tests.")
    @click.pass_obj
    def action_command(session: Any, now: str | None) -> None:
        """Run as the GitHub Action: check the event's issue, or audit on a schedule.

        Reads GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_WORKSPACE and the
        INPUT_* variables action.yml sets; writes annotations, GITHUB_OUTPUT and the job summary.
        """
        when = None
        if now:
            try:
                when = datetime.fromisoformat(now)
            except ValueError:
                raise ConfigError(f"--now: not an ISO date or time: {now!r}") from None
            when = when if when.tzinfo else when.replace(tzinfo=UTC)

        def registry(config: Any) -> Any:
            # The workspace config's packs, not those of a config found from the cwd; the
            # plugins already loaded for the command line are extended, not loaded again.
            session.use_packs(config.packs)
            return session.registry

        sys.exit(run_action(os.environ, registry, now=when))

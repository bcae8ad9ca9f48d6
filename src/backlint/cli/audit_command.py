"""``backlint audit`` and ``backlint check``: options, the run, and the exit status."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import replace
from typing import Any

import click

from backlint.audit import Audit, apply_plans, exit_status, plan_writeback, run, store_backlog
from backlint.cli.session import Session, parse_codes, parse_now
from backlint.cli.terminal import emit_report, next_step, print_plans, statistics_lines, use_color
from backlint.config.config import FORMATS, Config
from backlint.errors import ConfigError, SourceError
from backlint.model import Severity
from backlint.trackers.base import FetchOptions


def audit_options(func):
    """Options shared by ``audit`` and ``check``."""
    options = [
        click.option("--config", "config_path", type=click.Path(), help="Config file to use."),
        click.option("--select", help="Comma-separated rule codes, prefixes, names or ALL."),
        click.option("--extend-select", help="Rules to run on top of the config's selection."),
        click.option("--ignore", help="Comma-separated rules to leave out."),
        click.option("--extend-ignore", help="Rules to leave out on top of the config's."),
        click.option("--format", "fmt", help=f"Report format: {', '.join(FORMATS)}."),
        click.option("--output", type=click.Path(dir_okay=False), help="Write the report here."),
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info", "never"]),
            help="Exit 1 when a finding is at or above this severity (default: error).",
        ),
        click.option("--apply", is_flag=True, help="Write comments and labels to the tracker."),
        click.option("--now", help="Pretend it is this date (ISO), for age-based rules."),
        click.option(
            "--statistics", is_flag=True, help="Print a count per rule instead of the findings."
        ),
        click.option("-q", "--quiet", is_flag=True, help="Print the findings only, no summary."),
        click.option("-v", "--verbose", is_flag=True, help="Also say where time went."),
        click.option(
            "--color",
            type=click.Choice(["auto", "always", "never"]),
            default="auto",
            show_default=True,
            help="Colour the text report (auto: on a terminal; FORCE_COLOR, NO_COLOR honoured).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("audit")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE [SOURCE ...]")
@audit_options
@click.option("--limit", type=click.IntRange(min=0), help="Change at most N tickets (--apply).")
@click.option("--jql", help="Jira: audit the issues this JQL query selects.")
@click.option("--state", type=click.Choice(["open", "closed", "all"]), default="open")
@click.option("--label", "labels", multiple=True, help="GitHub: only issues with this label.")
@click.option("--milestone", help="GitHub: only issues in this milestone.")
@click.option("--allow-empty", is_flag=True, help="A source with no tickets is not an error.")
@click.option(
    "--history",
    "history_path",
    type=click.Path(dir_okay=False),
    help="Record this run in a history file (SQLite) and report the trend.",
)
@click.option(
    "--since",
    help="Fetch only tickets updated since this ISO date, or since the last run ('last'); "
    "the report still covers the whole backlog (needs --history).",
)
@click.pass_obj
def audit_command(session: Session, sources: tuple[str, ...], **opts: Any) -> None:
    """Audit every ticket in SOURCE: github:OWNER/REPO, github:ORG (every repository with
    issues), jira:PROJECT or an export file. Several sources are audited as one backlog."""
    options = FetchOptions(
        state=opts["state"],
        query=opts["jql"],
        labels=tuple(opts["labels"]),
        milestone=opts["milestone"],
    )
    source = sources[0] if len(sources) == 1 else sources
    _run(session, source, opts, options, single=False)


@click.command("check")
@click.argument("source_ticket")
@audit_options
@click.pass_obj
def check_command(session: Session, source_ticket: str, **opts: Any) -> None:
    """Check one ticket: github:OWNER/REPO#12, jira:PROJ-12 or a payload file."""
    opts["limit"] = None
    _run(session, source_ticket, opts, FetchOptions(), single=True)


def _run(
    session: Session,
    source: str | tuple[str, ...],
    opts: dict[str, Any],
    options: FetchOptions,
    single: bool,
):
    fail_on = opts.get("fail_on")
    config = session.config(
        opts.get("config_path"),
        select=parse_codes(opts.get("select")),
        ignore=parse_codes(opts.get("ignore")),
        format=opts.get("fmt"),
        fail_on=None if fail_on in (None, "never") else Severity.parse(fail_on),
    )
    # Like ruff: --extend-select/--extend-ignore add to the config's lists, not replace them.
    config = replace(
        config,
        extend_select=config.extend_select + (parse_codes(opts.get("extend_select")) or ()),
        extend_ignore=config.extend_ignore + (parse_codes(opts.get("extend_ignore")) or ()),
    )
    fmt = config.format or "text"
    previous = _stored_backlog(source, opts, config, options, single)
    registry = session.registry
    if fmt not in registry.reporters:
        raise ConfigError(
            f"unknown format {fmt!r} (available: {', '.join(sorted(registry.reporters))})"
        )
    writable = _writable(source, registry)
    if opts.get("apply") and not writable:
        raise ConfigError(_read_only_message(source, registry))
    from backlint.cli.progress import progress_bar

    with ExitStack() as stack:
        with progress_bar() as progress:
            result: Audit = stack.enter_context(
                run(
                    source,
                    config,
                    registry,
                    options,
                    now=parse_now(opts.get("now")),
                    progress=progress,
                    single=single,
                    previous=previous,
                )
            )
        if previous is not None and previous.note:
            click.echo(previous.note, err=True)
        _report_and_write(result, session, config, opts, fmt, single, writable)
        store_backlog(result)
    sys.exit(exit_status(result, None if fail_on == "never" else config.fail_on))


def _writable(source: str | tuple[str, ...], registry: Any) -> bool:
    """True when every source can take write-back (export files cannot)."""
    sources = (source,) if isinstance(source, str) else source
    return all(getattr(registry.tracker_for(one), "writable", True) for one in sources)


def _read_only_message(source: str | tuple[str, ...], registry: Any) -> str:
    """Why --apply is refused. With several sources, all or nothing: writing to some of them
    while the report covers all would leave a reader guessing which tickets got comments."""
    if isinstance(source, str):
        return "export files are read-only: --apply needs a github: or jira: source"
    read_only = [one for one in source if not getattr(registry.tracker_for(one), "writable", True)]
    return (
        f"{read_only[0]} is read-only (an export file): --apply needs every source to be "
        "github: or jira: (audit the files in a run of their own)"
    )


def _stored_backlog(source, opts, config, options, single):
    """With a history file, the stored backlog (``--since`` fetches only what changed)."""
    from backlint.history.incremental import Incremental, parse_since

    since = opts.get("since")
    if since:
        parse_since(since)
    history_path = opts.get("history_path") or (None if single else config.history)
    if since and not history_path:
        raise ConfigError("--since needs a history file: pass --history PATH (or set history)")
    if single or not history_path:
        return None
    # Several sources are stored as one backlog, under all their names (in the order given).
    key = source if isinstance(source, str) else " ".join(source)
    return Incremental.prepare(history_path, key, options, config, since, opts.get("apply"))


def _report_and_write(
    result: Audit,
    session: Session,
    config: Config,
    opts: dict[str, Any],
    fmt: str,
    single: bool,
    writable: bool,
) -> None:
    """History, plans, the report, the writes (with --apply) and the hints; the tracker
    connection is still open."""
    source, registry = result.source, session.registry
    if not result.tickets and not single and not opts.get("allow_empty"):
        raise SourceError(
            f"{source}: no tickets to audit (check the source and its filters; "
            "--allow-empty makes this a clean run)"
        )
    history_path = opts.get("history_path") or (None if single else config.history)
    if history_path:
        from backlint.history.runs import record_and_attach

        result.report = record_and_attach(
            history_path, result.report, rules=result.rules, settings=config.settings
        )
    if writable:
        limit = opts.get("limit")
        if limit is None:  # --limit wins; else the config's [writeback] limit
            limit = config.section("writeback").get("limit")
        plan_writeback(result, config, limit)
    quiet, to_stdout = bool(opts.get("quiet")), fmt == "text" and not opts.get("output")
    if opts.get("statistics"):
        for line in statistics_lines(result.findings):
            click.echo(line)
    else:
        color = use_color(opts.get("color") or "auto", sys.stdout) and not opts.get("output")
        options = {"color": color, "quiet": quiet, "priority_scale": config.priority_scale}
        emit_report(result, registry, fmt, opts.get("output"), options)
    if writable:
        if opts.get("apply"):
            apply_plans(result)
        if not quiet or opts.get("apply"):
            print_plans(
                result,
                applied=bool(opts.get("apply")),
                to_stderr=not to_stdout,
                show_comments=single or bool(opts.get("verbose")),
            )
    if opts.get("verbose"):
        _say_where_time_went(result)
    step = next_step(result.findings, len(result.plans), bool(opts.get("apply")))
    if step and not quiet and not opts.get("statistics"):
        click.echo(step, err=not to_stdout)


def _say_where_time_went(result: Audit) -> None:
    """-v: the slowest rules, on stderr."""
    seconds = sorted(result.engine.seconds_by_rule.items(), key=lambda item: -item[1])[:5]
    if seconds:
        slowest = ", ".join(f"{code} {spent:.2f} s" for code, spent in seconds)
        click.echo(f"Slowest rules: {slowest}.", err=True)

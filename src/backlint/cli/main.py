"""The ``backlint`` command line. It parses options and delegates; the work lives elsewhere.

Exit status: 0 no finding at or above ``--fail-on``; 1 findings at or above it; 2 usage, config,
plugin-load or tracker errors and rules that crashed (one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from backlint import __version__
from backlint.audit import Audit, apply_plans, audit, plan_writeback
from backlint.cli.starter import STARTER_CONFIG
from backlint.config.config import FORMATS, Config, load_config
from backlint.errors import BacklintError, ConfigError
from backlint.model import Severity
from backlint.plugins import Registry, extend_plugins, load_plugins
from backlint.redact import redact
from backlint.report.output import emit_report, print_plans
from backlint.trackers.base import FetchOptions


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(code.strip() for code in value.split(",") if code.strip())


def _now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--now: not an ISO date or time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Session:
    """What every command needs: the plugins (loaded once, lazily) and the config."""

    def __init__(self, plugins_dirs: Sequence[str]) -> None:
        self.plugins_dirs = plugins_dirs
        self._registry: Registry | None = None
        self._packs: tuple[str, ...] | None = None

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            if self._packs is None:  # rules/plugins commands: the team packs of the found config
                self._packs = load_config(None).packs
            loaded = _take_preloaded()
            if loaded is None:
                self._registry = load_plugins(self.plugins_dirs, packs=self._packs)
            else:  # the plugins that added commands: extended, never loaded a second time
                self._registry = extend_plugins(loaded, self.plugins_dirs, self._packs)
        return self._registry

    def use_packs(self, packs: tuple[str, ...]) -> None:
        """The team pack files to load as plugins, when the config is not read here."""
        self._packs = packs

    def config(self, path: str | None, **overrides: Any) -> Config:
        config = load_config(path).with_overrides(**overrides)
        self._packs = config.packs  # the team pack files become plugins of this run
        return config


class BacklintGroup(click.Group):
    """Turns every BacklintError into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BacklintError as err:
            click.echo(f"backlint: {err}", err=True)
            sys.exit(err.exit_code)
        except BrokenPipeError:
            # The reader went away (`backlint plugins | head`): nothing more to say.
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            sys.exit(0)
        except OSError as err:
            reason = redact(f"{err.strerror or err}: {err.filename or ''}".rstrip(": "))
            click.echo(f"backlint: {reason}", err=True)
            sys.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as err:  # never a traceback: one line, and how to see more
            if os.environ.get("BACKLINT_DEBUG"):
                raise
            detail = redact(str(err).splitlines()[0]) if str(err) else ""
            click.echo(
                f"backlint: internal error: {type(err).__name__}"
                + (f": {detail}" if detail else "")
                + " (set BACKLINT_DEBUG=1 for the traceback)",
                err=True,
            )
            sys.exit(2)


@click.group(cls=BacklintGroup)
@click.version_option(__version__, prog_name="backlint")
@click.option(
    "--plugins-dir",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Load every *.py file in this folder as a plugin (repeatable).",
)
@click.pass_context
def cli(ctx: click.Context, plugins_dir: tuple[str, ...]) -> None:
    """backlint: a linter for backlogs.

    Audit a GitHub repository, a Jira project or an export file; report what makes tickets
    hard to act on, and (with --apply) write it back as one comment and a few labels per ticket.
    """
    ctx.obj = Session(plugins_dir)


def audit_options(func):
    """Options shared by ``audit`` and ``check``."""
    options = [
        click.option("--config", "config_path", type=click.Path(), help="Config file to use."),
        click.option("--select", help="Comma-separated rule codes, prefixes, names or ALL."),
        click.option("--ignore", help="Comma-separated rules to leave out."),
        click.option("--format", "fmt", help=f"Report format: {', '.join(FORMATS)}."),
        click.option("--output", type=click.Path(dir_okay=False), help="Write the report here."),
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info", "never"]),
            help="Exit 1 when a finding is at or above this severity (default: error).",
        ),
        click.option("--apply", is_flag=True, help="Write comments and labels to the tracker."),
        click.option("--now", help="Pretend it is this date (ISO), for age-based rules."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("audit")
@click.argument("source")
@audit_options
@click.option("--limit", type=click.IntRange(min=0), help="Change at most N tickets (--apply).")
@click.option("--jql", help="Jira: audit the issues this JQL query selects.")
@click.option("--state", type=click.Choice(["open", "closed", "all"]), default="open")
@click.option("--label", "labels", multiple=True, help="GitHub: only issues with this label.")
@click.option("--milestone", help="GitHub: only issues in this milestone.")
@click.option(
    "--history",
    "history_path",
    type=click.Path(dir_okay=False),
    help="Record this run in a history file (SQLite) and report the trend.",
)
@click.pass_obj
def audit_command(session: Session, source: str, **opts: Any) -> None:
    """Audit every ticket in SOURCE: github:OWNER/REPO, jira:PROJECT or an export file."""
    options = FetchOptions(
        state=opts["state"],
        query=opts["jql"],
        labels=tuple(opts["labels"]),
        milestone=opts["milestone"],
    )
    _run(session, source, opts, options, single=False)


@cli.command("check")
@click.argument("source_ticket")
@audit_options
@click.pass_obj
def check_command(session: Session, source_ticket: str, **opts: Any) -> None:
    """Check one ticket: github:OWNER/REPO#12, jira:PROJ-12 or a payload file."""
    opts["limit"] = None
    _run(session, source_ticket, opts, FetchOptions(), single=True)


def _run(session: Session, source: str, opts: dict[str, Any], options: FetchOptions, single: bool):
    fail_on = opts.get("fail_on")
    config = session.config(
        opts.get("config_path"),
        select=_codes(opts.get("select")),
        ignore=_codes(opts.get("ignore")),
        format=opts.get("fmt"),
        fail_on=None if fail_on in (None, "never") else Severity.parse(fail_on),
    )
    fmt = config.format or "text"
    registry = session.registry
    if fmt not in registry.reporters:
        raise ConfigError(
            f"unknown format {fmt!r} (available: {', '.join(sorted(registry.reporters))})"
        )
    tracker = registry.tracker_for(source)
    writable = getattr(tracker, "writable", True)
    if opts.get("apply") and not writable:
        raise ConfigError("export files are read-only: --apply needs a github: or jira: source")
    from backlint.cli.progress import progress_bar

    with progress_bar() as progress:
        result: Audit = audit(
            source,
            config,
            registry,
            options,
            now=_now(opts.get("now")),
            progress=progress,
            single=single,
        )
    history_path = opts.get("history_path") or (None if single else config.history)
    if history_path:
        from backlint.history.runs import record_and_attach

        result.report = record_and_attach(history_path, result.report)
    if writable:
        limit = opts.get("limit")
        if limit is None:  # --limit wins; else the config's [writeback] limit
            limit = config.section("writeback").get("limit")
        plan_writeback(result, config, limit)
    emit_report(result, registry, fmt, opts.get("output"))
    if writable:
        if opts.get("apply"):
            apply_plans(result)
        print_plans(
            result,
            applied=bool(opts.get("apply")),
            to_stderr=fmt != "text" or bool(opts.get("output")),
        )
    sys.exit(exit_status(result, config, fail_on == "never"))


def exit_status(result: Audit, config: Config, never_fail: bool) -> int:
    """2 when the run had problems (a rule crashed, a ticket was unreadable, a write failed),
    1 for findings at or above fail-on, else 0."""
    run_problems = any(f.family == "run" for f in result.findings)
    if run_problems or any(r.error for r in result.results):
        return 2
    if never_fail:
        return 0
    threshold = config.fail_on
    return 1 if any(threshold <= f.severity for f in result.findings) else 0


@cli.command("rules")
@click.argument("code", required=False)
@click.pass_obj
def rules_command(session: Session, code: str | None) -> None:
    """List the rules, or explain the rule CODE (code or name)."""
    from backlint.engine.ruledocs import explain_rule, list_rules

    rules = session.registry.rules
    if code is None:
        click.echo(list_rules(rules, session.registry.rule_origin))
        return
    match = rules.get(code.upper()) or next((r for r in rules.values() if r.name == code), None)
    if match is None:
        raise ConfigError(f"unknown rule {code!r}; `backlint rules` lists them")
    click.echo(explain_rule(match))


@cli.command("plugins")
@click.pass_obj
def plugins_command(session: Session) -> None:
    """List loaded plugins, where each came from, the hooks each implements and what it
    registers."""
    registry = session.registry
    for info in registry.plugins.values():
        version = f" {info.version}" if info.version else ""
        click.echo(f"{info.name}{version}  ({info.source})")
        plugin = registry.manager.get_plugin(info.name) if registry.manager else None
        callers = registry.manager.get_hookcallers(plugin) if plugin is not None else None
        hooks = sorted(caller.name for caller in callers or ())
        if hooks:
            click.echo(f"    hooks: {', '.join(hooks)}")
        for item in info.registered:
            click.echo(f"    {item}")


@cli.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing .backlint.toml.")
def init_command(force: bool) -> None:
    """Write a commented starter .backlint.toml in the current folder."""
    target = Path(".backlint.toml")
    if target.exists() and not force:
        raise ConfigError(f"{target} exists; pass --force to overwrite it")
    target.write_text(STARTER_CONFIG, encoding="utf-8")
    click.echo(f"Wrote {target}. Edit it, then run: backlint audit SOURCE")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    global _preloaded
    _preloaded = registry_commands(cli)  # the run's commands use these plugins, not a reload
    cli.main(args=list(argv) if argv is not None else None, prog_name="backlint")


_commands_added = False
_preloaded: Registry | None = None


def _take_preloaded() -> Registry | None:
    """The registry loaded to add plugin commands, once, if the environment still matches."""
    global _preloaded
    registry, _preloaded = _preloaded, None
    if registry is None or registry.environ_key != os.environ.get("BACKLINT_LOAD_PLUGINS"):
        return None
    return registry


def registry_commands(group: click.Group) -> Registry | None:
    """Let plugins add commands (``register_commands``); failures become exit 2."""
    global _commands_added
    if _commands_added or os.environ.get("BACKLINT_NO_PLUGIN_COMMANDS"):
        return None
    _commands_added = True
    try:
        registry = load_plugins(())
    except BacklintError as err:
        click.echo(f"backlint: {err}", err=True)
        sys.exit(2)
    assert registry.manager is not None
    registry.manager.hook.register_commands(cli=group)
    return registry

"""The ``backlint`` command line. It parses options and delegates; the work lives elsewhere.

Exit status: 0 no finding at or above ``--fail-on``; 1 findings at or above it; 2 usage, config,
plugin-load or tracker errors and rules that crashed (one line on stderr, never a traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from backlint import __version__
from backlint.cli.audit_command import audit_command, check_command
from backlint.cli.session import Session, preload
from backlint.cli.shard_command import shard_command
from backlint.cli.starter import STARTER_CONFIG
from backlint.errors import BacklintError, ConfigError
from backlint.plugins import Registry, load_plugins
from backlint.redact import redact


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


@click.group(cls=BacklintGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


cli.add_command(audit_command)
cli.add_command(check_command)
cli.add_command(shard_command)


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


#: Commands that backlint's own default plugins add, by the module that adds them. Run as the
#: first word, they need no plugin loaded up front: ``backlint action`` on an event it skips
#: loads none at all, and one it checks loads them when its rules run. ``shard`` is built in
#: (added above) and uses no plugin, so it skips the load the same way.
OWN_PLUGIN_COMMANDS = {
    "action": "backlint.action.command",
    "report": "backlint.cli.report_command",
    "merge": "backlint.cli.merge_command",
    "shard": "backlint.cli.shard_command",
}


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(argv) if argv is not None else sys.argv[1:]
    own = OWN_PLUGIN_COMMANDS.get(args[0]) if args else None
    if not (own and own_command(own)):
        preload(registry_commands(cli))  # the run's commands use these plugins, not a reload
    cli.main(args=args, prog_name="backlint")


def own_command(module_name: str) -> bool:
    """Add one of backlint's own plugin commands without loading every plugin."""
    import importlib

    try:
        importlib.import_module(module_name).register_commands(cli=cli)
    except Exception:  # anything odd: fall back to the full plugin load and its errors
        return False
    return True


_commands_added = False


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

"""The hooks a backlint plugin can implement. Each docstring here is the reference documentation.

Hooks are for registration: backlint hands each hook a ``register`` callback and the plugin calls
it once per thing it provides. backlint then owns selection, de-duplication, timing and isolation,
so one plugin's mistake never silently replaces another's rule. backlint's own rules, trackers
and reporters register through these same hooks.

A plugin module imports the marker and decorates functions named after the hooks::

    from backlint import hookimpl

    @hookimpl
    def register_rules(register):
        register(my_rule)

Only functions marked ``@hookimpl`` are called; pluggy's ``tryfirst``, ``trylast`` and
``wrapper`` options work as in any pluggy project. Each hook is called once per run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("backlint")
hookimpl = pluggy.HookimplMarker("backlint")


@hookspec
def register_rules(register: Callable[[Any], None]) -> None:
    """Register rules.

    Call ``register(rule)`` once per :class:`backlint.engine.rule.Rule` (the object the
    :func:`~backlint.engine.rule.rule` decorator returns).
    A code already registered by another plugin,
    or a malformed rule, stops the run with an error naming this plugin (exit status 2).

    Called once per run, before the config is applied; return value ignored.
    """


@hookspec
def register_trackers(register: Callable[[Any], None]) -> None:
    """Register tracker adapters: the only code that reads or writes tickets.

    Call ``register(tracker)`` with an object (see :class:`backlint.trackers.base.Tracker`) that
    has:

    - ``name``: a short name (``"github"``);
    - ``claims(source)``: whether a SOURCE argument (``github:owner/repo``, a file path, ...) is
      its own;
    - ``open(source, config)``: connect and return a
      :class:`backlint.trackers.base.Connection`, raising ``TrackerError`` or ``SourceError``
      with a one-line reason;
    - ``writable`` (optional, default true): false for read-only sources such as export files,
      so ``--apply`` is refused and no write-back is planned.

    Plugins' trackers are asked before built-ins, so a plugin can claim a scheme of its own.

    Called once per run; return value ignored.
    """


@hookspec
def register_reporters(register: Callable[[str, Any], None]) -> None:
    """Register report formats for ``--format``.

    Call ``register(name, reporter)`` where ``reporter(report: Report, stream, options)`` writes
    the report (see :class:`backlint.report.report.Report`). Reporters see findings and ticket
    summaries only, never a tracker. A name already taken is a load error naming this plugin.

    Called once per run; return value ignored.
    """


@hookspec
def register_commands(cli: Any) -> None:
    """Add commands to the ``backlint`` command line.

    ``cli`` is the top-level :class:`click.Group`; decorate new commands with ``@cli.command()``.
    Called once when the command line is built, before arguments are parsed.
    """

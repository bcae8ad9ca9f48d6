"""``backlint report``: render any format from a saved JSON report or from the history file.

No tracker is contacted: the report is rebuilt from ``--from report.json`` (the ``json``
format's output) or from the latest run in ``--history PATH`` (optionally ``--source`` or
``--run``), with the trend attached when history is the source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from backlint.errors import ConfigError, SourceError
from backlint.hookspecs import hookimpl
from backlint.report.report import Report, report_from_dict


def load_json_report(path: str) -> Report:
    """A Report rebuilt from a JSON report file; SourceError with one line when it cannot be."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SourceError(f"{path}: cannot read: {err}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise SourceError(f"{path}: not valid JSON (line {err.lineno}: {err.msg})") from None
    return report_from_dict(data, origin=path)


def render(report: Report, fmt: str, output: str | None, registry: Any) -> None:
    """Write ``report`` in ``fmt`` to ``output`` or stdout, exactly as ``audit`` would."""
    from backlint.report.output import write_report

    if fmt not in registry.reporters:
        available = ", ".join(sorted(registry.reporters))
        raise ConfigError(f"unknown format {fmt!r} (available: {available})")
    write_report(registry.reporters[fmt], report, output)


@hookimpl
def register_commands(cli: click.Group) -> None:
    @cli.command("report")
    @click.option(
        "--from",
        "from_path",
        type=click.Path(dir_okay=False),
        help="A JSON report written by `backlint audit --format json`.",
    )
    @click.option(
        "--history",
        "history_path",
        type=click.Path(dir_okay=False),
        help="A history file: render its latest run, with the trend.",
    )
    @click.option("--source", help="With --history: the latest run of this SOURCE.")
    @click.option("--run", "run_id", type=int, help="With --history: this run id.")
    @click.option("--format", "fmt", default="text", show_default=True, help="Report format.")
    @click.option("--output", type=click.Path(dir_okay=False), help="Write the report here.")
    @click.pass_obj
    def report_command(
        session: Any,
        from_path: str | None,
        history_path: str | None,
        source: str | None,
        run_id: int | None,
        fmt: str,
        output: str | None,
    ) -> None:
        """Render a saved report (--from) or a run from history (--history) in any format."""
        if bool(from_path) == bool(history_path):
            raise ConfigError("report: pass exactly one of --from FILE or --history PATH")
        if from_path and (source or run_id is not None):
            raise ConfigError("report: --source and --run go with --history")
        if history_path:
            from backlint.history.runs import load_report

            report = load_report(history_path, source=source, run_id=run_id)
        else:
            assert from_path is not None
            report = load_json_report(from_path)
        render(report, fmt, output, session.registry)

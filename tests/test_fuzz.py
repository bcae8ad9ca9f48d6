"""Fuzzing the command line with export files of every shape and configs (issue 14).

Whatever file and config it is given, ``backlint audit`` and ``backlint check`` end with exit
status 0, 1 or 2 and never with "internal error" or a traceback. The run is derandomized and
bounded (a fixed number of examples, no database), so CI sees the same cases every time and
spends a few seconds; ``bench/fuzz.py`` runs the same strategies for tens of thousands of cases.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from fakes.fuzz_cases import Case, ExportFile, cases
from hypothesis import HealthCheck, example, given, settings

from backlint.cli.main import cli

NOW = ("--now", "2026-11-22")
ISSUE = {"number": 1, "title": "Add a refund button", "created_at": "2026-01-05T10:00:00Z"}


def _case(document: object | str, fmt: str = "json", command: str = "audit") -> Case:
    """A case from a document (or raw JSON text), for the shapes issue 14 reported."""
    text = document if isinstance(document, str) else json.dumps(document)
    return Case(ExportFile("export.json", text.encode()), None, (command, "--format", fmt))


#: The inputs of issue 14, run first every time; the generated cases explore around them.
KNOWN = (
    _case({"action": "opened", "issue": ISSUE, "repository": "acme/shop"}),
    _case([{**ISSUE, "type": {"name": ["Bug"]}}, {**ISSUE, "number": 2}]),
    _case([{**ISSUE, "title": "Refund \ud800 button"}]),
    _case("[" * 1000 + "]" * 1000),
    _case([{**ISSUE, "created_at": "2026-01-05T10:00:00"}, {**ISSUE, "number": 2}], "text"),
    _case('[{"number": ' + "9" * 5000 + "}]"),
    _case({"key": "A-1", "fields": {"created": "2026-03-14T09:12:44.000", "comment": []}}),
)


def _examples(known):
    """``@example`` for each known case."""

    def decorate(test):
        for case in reversed(known):
            test = example(case=case)(test)
        return test

    return decorate


def run_case(case: Case) -> tuple[int, str]:
    """Run one case as a user would; (exit status, everything printed)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / case.export.name
        path.write_bytes(case.export.data)
        config = Path(folder) / ".backlint.toml"
        config.write_text(case.config or "", encoding="utf-8")
        command, *rest = case.args
        result = CliRunner().invoke(cli, [command, str(path), *rest, "--config", str(config), *NOW])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash past the command's own error handling
    return result.exit_code, result.output


def problem_with(code: int, output: str) -> str | None:
    """What is wrong with a run's outcome, or None when it is one the contract allows."""
    if code not in (0, 1, 2):
        return f"exit status {code}"
    for line in output.splitlines():
        if "internal error" in line or line.startswith("Traceback (most recent call last)"):
            return line.strip()
    return None


@settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(case=cases)
@_examples(KNOWN)
def test_no_export_file_or_config_ends_in_an_internal_error(case):
    """Any case: exit status 0, 1 or 2, one line for what is wrong, never a crash."""
    code, output = run_case(case)
    problem = problem_with(code, output)
    assert problem is None, f"{problem}:\n{output[-2000:]}"

"""Shared test setup: hermetic plugin loading and paths to fixtures and examples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPORA = ROOT.parent / "shared" / "corpora"


@pytest.fixture(autouse=True)
def _hermetic_plugins(monkeypatch):
    """No installed entry-point plugin leaks into a test unless the test asks for it."""
    monkeypatch.setenv("BACKLINT_LOAD_PLUGINS", "")
    monkeypatch.delenv("BACKLINT_TRACE_PLUGINS", raising=False)
    for name in (
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "JIRA_API_TOKEN",
        "JIRA_PAT",
        "JIRA_EMAIL",
        "JIRA_URL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def corpora() -> Path:
    """The shared corpora folder (tests that use it skip when it is absent)."""
    return CORPORA


@pytest.fixture
def cli_with_commands(monkeypatch, tmp_path):
    """Invoke the command line, with the commands plugins add, from an empty folder."""
    from click.testing import CliRunner

    from backlint.cli.main import cli, registry_commands

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKLINT_NO_PLUGIN_COMMANDS", raising=False)
    registry_commands(cli)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args))

    return invoke

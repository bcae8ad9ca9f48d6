"""The one audit path (``backlint.audit.run``): every command opens its tracker connection
through it, and it closes that connection whatever happens; one exit status for all."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlint.audit import exit_status, run
from backlint.cli.main import cli
from backlint.config.config import config_from_mapping
from backlint.model import Severity, Ticket
from backlint.plugins import load_plugins
from backlint.testing import TEST_NOW
from backlint.trackers.base import FetchOptions, GivenTickets

#: A tracker plugin that notes in a file when its connection is closed.
RECORDING_TRACKER = """
from pathlib import Path
from backlint import hookimpl
from backlint.model import Ticket

LOG = Path(__file__).with_name("closed.log")


class Connection:
    def fetch(self, options, progress=None):
        yield Ticket(key="REC-1", tracker="rec", title="Checkout fails")
        yield Ticket(key="REC-2", tracker="rec", load_error="could not read this ticket: odd")

    def fetch_one(self, ref):
        return Ticket(key=ref.removeprefix("rec:"), tracker="rec", title="Checkout fails")

    def close(self):
        with LOG.open("a") as log:
            log.write("closed\\n")


class RecordingTracker:
    name = "rec"
    writable = False

    def claims(self, source):
        return source.startswith("rec:")

    def open(self, source, config):
        return Connection()


@hookimpl
def register_trackers(register):
    register(RecordingTracker())
"""


def _plugin(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "recording_tracker.py").write_text(textwrap.dedent(RECORDING_TRACKER))
    return folder


@pytest.mark.parametrize("command", [["audit", "rec:all"], ["check", "rec:REC-1"]])
def test_the_cli_closes_its_tracker_connection(tmp_path, command):
    folder = _plugin(tmp_path)
    result = CliRunner().invoke(
        cli, ["--plugins-dir", str(folder), *command, "--now", "2026-12-01", "--select", "BL101"]
    )
    assert result.exit_code in (0, 1, 2), result.output
    assert (folder / "closed.log").read_text() == "closed\n"


def test_run_closes_the_connection_when_the_block_fails(tmp_path):
    folder = _plugin(tmp_path)
    registry = load_plugins([folder])
    config = config_from_mapping({"select": ["BL101"]})
    with pytest.raises(RuntimeError), run("rec:all", config, registry, now=TEST_NOW):
        raise RuntimeError("a reporter failed")
    assert (folder / "closed.log").read_text() == "closed\n"


def test_an_unreadable_ticket_is_exit_2_whatever_fail_on_says(tmp_path):
    registry = load_plugins([_plugin(tmp_path)])
    config = config_from_mapping({"select": ["BL101"]})
    with run("rec:all", config, registry, FetchOptions(), now=TEST_NOW) as result:
        pass
    assert [f.rule for f in result.findings if f.family == "run"] == ["BL902"]
    assert exit_status(result, None) == 2
    assert exit_status(result, Severity.ERROR) == 2


def test_given_tickets_make_no_request_and_open_nothing_unless_asked():
    opened: list[str] = []

    def open_tracker():
        opened.append("opened")
        raise AssertionError("judging given tickets must not open the tracker")

    ticket = Ticket(key="o/r#1", tracker="github", title="Checkout fails")
    registry = load_plugins(())
    config = config_from_mapping({"select": ["BL101"]})
    connection = GivenTickets([ticket], open_tracker)
    with run("github:o/r#1", config, registry, now=TEST_NOW, connection=connection) as result:
        assert [t.key for t in result.tickets] == ["o/r#1"]
    assert opened == []

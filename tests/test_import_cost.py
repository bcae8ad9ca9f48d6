"""What a run imports: the trackers' client libraries and rich only when they are used.

Every run loads all plugins (they may add commands), so a plugin module must register its rule,
tracker or reporter without importing the library behind it. Each case runs in a fresh
interpreter, because this test process has long since imported everything. These tests look at
``sys.modules``, never at the clock.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = Path(__file__).resolve().parent / "fixtures" / "action"
#: Libraries a run pays tens of milliseconds for, and only some runs use.
HEAVY = ("github", "jwt", "cryptography", "httpx", "jira", "rich.console")

#: Runs ``backlint.cli.main.main(ARGV)`` and prints its exit status and the heavy modules loaded.
PROBE = """
import json, sys
import backlint.cli.main
try:
    backlint.cli.main.main(sys.argv[1:])
    code = 0
except SystemExit as done:
    code = done.code
heavy = json.loads({heavy!r})
print(json.dumps({{"code": code, "loaded": sorted(m for m in heavy if m in sys.modules)}}))
"""


def probe(argv: list[str], env: dict[str, str], heavy: tuple[str, ...] = HEAVY) -> dict:
    """Exit status and ``heavy`` modules loaded by ``backlint ARGV`` in a fresh interpreter."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    base.update(PYTHONPATH=str(ROOT / "src"), BACKLINT_LOAD_PLUGINS="")
    base.update(env)
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=json.dumps(heavy)), *argv],
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def action_env(tmp_path: Path, payload: dict) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    return {
        "GITHUB_EVENT_NAME": "issues",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": "acme/checkout-web",
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "GITHUB_TOKEN": "ghp_not_a_real_token_0123456789",
        # Nothing listens here: a skipped event must not make a request at all.
        "GITHUB_API_URL": "http://127.0.0.1:9",
        "GITHUB_GRAPHQL_URL": "http://127.0.0.1:9/graphql",
    }


@pytest.mark.parametrize(
    "payload",
    [
        "issues.labeled.by-backlint.json",  # backlint's own label event
        "issues.closed.json",
        "issues.opened.pull-request.json",
    ],
)
def test_a_skipped_event_imports_no_tracker_library_and_no_rich(tmp_path, payload):
    event = json.loads((PAYLOADS / payload).read_text(encoding="utf-8"))

    result = probe(["action"], action_env(tmp_path, event))

    assert result == {"code": 0, "loaded": []}
    # and no plugin is loaded at all: a skipped event registers no rule
    traced = subprocess.run(
        [sys.executable, "-m", "backlint", "action"],
        env={
            **os.environ,
            **action_env(tmp_path, event),
            "PYTHONPATH": str(ROOT / "src"),
            "BACKLINT_LOAD_PLUGINS": "",
            "BACKLINT_TRACE_PLUGINS": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert traced.returncode == 0, traced.stderr
    assert "register_rules" not in traced.stderr
    assert "skipped" in (tmp_path / "output").read_text(encoding="utf-8")


def test_version_and_plugin_listing_import_no_tracker_library_and_no_rich():
    assert probe(["--version"], {}) == {"code": 0, "loaded": []}
    # `backlint plugins` lists the GitHub and Jira trackers and the text reporter all the same.
    assert probe(["plugins"], {}) == {"code": 0, "loaded": []}


def test_checking_one_ticket_does_not_import_numpy():
    """numpy (about 0.1 s to import) serves the duplicate search of a backlog; the one ticket
    of ``check`` or of the Action's event has nothing to pair."""
    payload = str(PAYLOADS / "issues.opened.json")
    result = probe(["check", payload, "--fail-on", "never"], {}, heavy=("numpy",))
    assert result == {"code": 0, "loaded": []}

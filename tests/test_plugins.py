"""Plugins end to end through the CLI: entry points, --plugins-dir, isolation, load errors, tracing.

Entry-point plugins are installed as a fake ``*.dist-info`` folder on ``sys.path`` (what pip would
write: METADATA and entry_points.txt) instead of a real ``pip install`` into a temporary venv,
which would take seconds per test and need the network. ``importlib.metadata`` cannot tell the
difference, so backlint's discovery code runs unchanged. CI additionally installs the example
plugins for real and runs their own tests (see docs/plugins.md).
"""

from __future__ import annotations

import json
import textwrap
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import backlint.cli.main
from backlint import hookimpl, rule
from backlint.cli.main import cli, registry_commands
from backlint.errors import PluginLoadError
from backlint.plugins import load_plugins

ROOT = Path(__file__).resolve().parents[1]
GITHUB_EXAMPLE = ROOT / "examples" / "github-issues.json"

DEMO_PLUGIN = '''
"""A demo plugin: one rule, one reporter, one tracker, one command."""
from backlint import hookimpl
from backlint.model import Ticket
from backlint.engine.rule import rule


@rule("DEMO101", "title-mentions-demo", family="clarity", severity="warning")
def title_mentions_demo(ticket, ctx):
    """What: The title says "demo". Why: Demos are not work. Example: "Demo the cart".
    Fix: Say what the demo shows."""
    if "checkout" in ticket.title.lower():
        yield "The title mentions checkout."


def write_count(report, stream, options):
    stream.write(f"{len(report.findings)} findings\\n")


class DemoConnection:
    def fetch(self, options, progress=None):
        yield Ticket(key="DEMO-1", tracker="demo", title="Checkout demo", kind="story")

    def fetch_one(self, ref):
        return next(self.fetch(None))

    def close(self):
        return None


class DemoTracker:
    name = "demo"
    writable = False

    def claims(self, source):
        return source.startswith("demo:")

    def open(self, source, config):
        return DemoConnection()


@hookimpl
def register_rules(register):
    register(title_mentions_demo)


@hookimpl
def register_reporters(register):
    register("count", write_count)


@hookimpl
def register_trackers(register):
    register(DemoTracker())


@hookimpl
def register_commands(cli):
    @cli.command("demo-hello")
    def hello():
        """Say hello."""
        print("hello from demo")
'''


def install_fake_dist(root: Path, dist: str, version: str, entry_points: dict[str, str]) -> Path:
    """Write ``<dist>-<version>.dist-info`` under ``root`` the way pip would."""
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    info.joinpath("METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    info.joinpath("entry_points.txt").write_text(f"[backlint]\n{lines}", encoding="utf-8")
    return info


@pytest.fixture
def demo_dist(tmp_path, monkeypatch):
    """The demo plugin installed as distribution ``backlint-demo`` 0.3, entry point ``demo``."""
    site = tmp_path / "site"
    site.mkdir()
    site.joinpath("backlint_demo_plugin.py").write_text(DEMO_PLUGIN, encoding="utf-8")
    install_fake_dist(site, "backlint-demo", "0.3", {"demo": "backlint_demo_plugin"})
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(__import__("sys").modules, "backlint_demo_plugin", raising=False)
    return site


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def audit_json(*extra: str, env=None) -> dict:
    result = run(
        "audit",
        str(GITHUB_EXAMPLE),
        "--format",
        "json",
        "--fail-on",
        "never",
        "--now",
        "2026-11-22",
        *extra,
        env=env,
    )
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_entry_point_plugin_rule_shows_in_rules_plugins_and_audit(demo_dist):
    env = {"BACKLINT_LOAD_PLUGINS": "demo"}
    rules = run("rules", env=env).stdout
    [line] = [row for row in rules.splitlines() if row.startswith("DEMO101")]
    assert line.endswith("[demo]")
    plugins = run("plugins", env=env).stdout
    assert "demo 0.3  (distribution backlint-demo)\n" in plugins
    hooks = "register_commands, register_reporters, register_rules, register_trackers"
    assert f"    hooks: {hooks}\n" in plugins
    assert "    rule DEMO101 title-mentions-demo\n    tracker demo\n    reporter count\n" in plugins
    findings = audit_json(env=env)["findings"]
    assert any(f["rule"] == "DEMO101" for f in findings)


def test_entry_points_load_only_when_allowed(demo_dist):
    assert "DEMO101" not in run("rules", env={"BACKLINT_LOAD_PLUGINS": ""}).stdout
    by_dist_name = run("rules", env={"BACKLINT_LOAD_PLUGINS": "backlint-demo"}).stdout
    assert "DEMO101" in by_dist_name


def test_plugin_reporter_and_tracker(demo_dist):
    env = {"BACKLINT_LOAD_PLUGINS": "demo"}
    result = run("audit", "demo:anything", "--format", "count", "--select", "DEMO101", env=env)
    assert (result.exit_code, result.stdout) == (0, "1 findings\n")


def test_plugin_command(demo_dist, monkeypatch):
    monkeypatch.setenv("BACKLINT_LOAD_PLUGINS", "demo")
    monkeypatch.setattr(backlint.cli.main, "_commands_added", False)  # reset the once-only guard
    group = click.Group("backlint")
    registry_commands(group)
    result = CliRunner().invoke(group, ["demo-hello"])
    assert (result.exit_code, result.stdout) == (0, "hello from demo\n")


def test_trace_env_var_prints_every_hook_call(demo_dist):
    result = run("rules", env={"BACKLINT_LOAD_PLUGINS": "demo", "BACKLINT_TRACE_PLUGINS": "1"})
    assert result.exit_code == 0
    trace = [line for line in result.stderr.splitlines() if line.startswith("backlint: trace:")]
    assert "backlint: trace: demo.register_rules()" in trace
    assert "backlint: trace: demo.register_trackers()" in trace
    assert "backlint: trace: backlint.packs.loading.register_rules()" in trace
    assert "trace" not in run("rules", env={"BACKLINT_LOAD_PLUGINS": "demo"}).stderr


def test_example_plugin_package_loads_through_its_declared_entry_point(tmp_path, monkeypatch):
    """plugins/backlint-wsjf as pip would install it: its pyproject's entry points, its code."""
    package = ROOT / "plugins" / "backlint-wsjf"
    project = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    install_fake_dist(
        tmp_path, project["name"], project["version"], project["entry-points"]["backlint"]
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(package / "src"))
    env = {"BACKLINT_LOAD_PLUGINS": "backlint-wsjf"}
    assert "wsjf 0.1.0  (distribution backlint-wsjf)" in run("plugins", env=env).stdout
    assert "WSJF201 priority-contradicts-wsjf" in run("rules", env=env).stdout
    issues = json.loads(GITHUB_EXAMPLE.read_text(encoding="utf-8"))
    issues = [issue for issue in issues if issue["number"] in (104, 107)]  # two clean stories
    issues[0]["labels"] += [{"name": n} for n in ("bv:8", "tc:5", "rr:3", "js:2", "wsjf:13")]
    source = tmp_path / "issues.json"
    source.write_text(json.dumps(issues), encoding="utf-8")
    result = run("audit", str(source), "--select", "WSJF", "--format", "json", env=env)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["rule"], f["message"]) for f in findings] == [
        ("WSJF101", "WSJF is 13 but its inputs give 8.0 ((8 + 5 + 3) / 2).")
    ]


def write_plugin(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(
        "from backlint import hookimpl, rule\n" + textwrap.dedent(body),
        encoding="utf-8",
    )
    return folder


LOCAL_RULE = '''
@rule("LOC101", "mentions-safari", family="duplicate", severity="info")
def mentions_safari(ticket, ctx):
    """What: mentions Safari. Why: browser bugs cluster. Example: "Safari". Fix: link them."""
    if "safari" in ticket.title.lower():
        yield "Mentions Safari."


@hookimpl
def register_rules(register):
    register(mentions_safari)
'''


def test_plugins_dir_rule_shows_in_rules_plugins_and_audit(tmp_path):
    folder = write_plugin(tmp_path / "plugins", "local_rules", LOCAL_RULE)
    assert "LOC101  mentions-safari" in run("--plugins-dir", str(folder), "rules").stdout
    plugins = run("--plugins-dir", str(folder), "plugins").stdout
    assert f"local_rules  ({folder / 'local_rules.py'})\n" in plugins
    result = run(
        "--plugins-dir",
        str(folder),
        "audit",
        str(GITHUB_EXAMPLE),
        "--format",
        "json",
        "--fail-on",
        "never",
    )
    findings = json.loads(result.stdout)["findings"]
    flagged = sorted(f["ticket"] for f in findings if f["rule"] == "LOC101")
    assert flagged == ["acme/checkout-web#125", "acme/checkout-web#127"]


def test_a_raising_plugin_rule_becomes_a_run_finding_and_the_run_goes_on(tmp_path):
    folder = write_plugin(
        tmp_path / "plugins",
        "fragile",
        '''
        @rule("FRAG101", "fragile", family="hygiene")
        def fragile(ticket, ctx):
            """What: x. Why: x. Example: x. Fix: x."""
            if ticket.kind == "epic":
                raise KeyError("story_points")
            return []

        @hookimpl
        def register_rules(register):
            register(fragile)
    ''',
    )
    result = run("--plugins-dir", str(folder), "audit", str(GITHUB_EXAMPLE), "--format", "json")
    assert result.exit_code == 2  # crashed rules make the run fail, after reporting everything
    findings = json.loads(result.stdout)["findings"]
    crashes = [f for f in findings if f["rule"] == "BL901"]
    assert crashes and all(f["family"] == "run" for f in crashes)
    assert crashes[0]["message"].startswith("rule FRAG101 (fragile) crashed on acme/checkout-web#")
    assert "KeyError: 'story_points'" in crashes[0]["message"]
    assert any(f["rule"] == "BL201" for f in findings)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            """
            from backlint.rules.acceptance.criteria import missing_acceptance_criteria
            import dataclasses
            @hookimpl
            def register_rules(register):
                register(dataclasses.replace(missing_acceptance_criteria, name="my-ac"))
            """,
            "plugin 'bad': rule BL201 (my-ac) collides with BL201 (missing-acceptance-criteria)"
            " registered by 'backlint.rules.acceptance.criteria'",
        ),
        (
            """
            @hookimpl
            def register_rules(register):
                register(lambda ticket, ctx: [])
            """,
            "plugin 'bad': rule <lambda>: expected a backlint Rule, got function",
        ),
        (
            """
            @rule("bad-1", "Bad Name", family="hygiene")
            def broken(ticket, ctx):
                return []
            @hookimpl
            def register_rules(register):
                register(broken)
            """,
            "plugin 'bad': rule bad-1: code 'bad-1' is not letters followed by digits",
        ),
        (
            """
            @hookimpl
            def register_reporters(register):
                register("json", print)
            """,
            "plugin 'bad': report format 'json' is taken",
        ),
        (
            """
            @hookimpl
            def register_rules(register, config):
                pass
            """,
            "plugin 'bad' (",
        ),
        ("import not_a_module_anywhere\n", "failed to load: ModuleNotFoundError"),
    ],
)
def test_load_errors_name_the_plugin_and_exit_2(tmp_path, body, expected):
    folder = write_plugin(tmp_path / "plugins", "bad", body)
    result = run("--plugins-dir", str(folder), "audit", str(GITHUB_EXAMPLE))
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("backlint: ")
    assert expected in line


def _rule_named(code: str, name: str):
    @rule(code, name, family="clarity")
    def check(ticket, ctx):
        """What: x. Why: x. Example: x. Fix: x."""
        return ()

    return check


class _Unmarked:
    """A plugin whose function is named like a hook but not marked: pluggy ignores it."""

    @staticmethod
    def register_rules(register):
        register(_rule_named("ZZ101", "unmarked-rule"))


class _Marked:
    @hookimpl
    def register_rules(self, register):
        register(_rule_named("ZZ102", "marked-rule"))


def test_only_hookimpl_marked_functions_register():
    plugins = [("unmarked", _Unmarked()), ("marked", _Marked())]
    registry = load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""}, extra=plugins)
    assert "ZZ102" in registry.rules and registry.rule_origin["ZZ102"] == "marked"
    assert "ZZ101" not in registry.rules


def test_ordering_markers_and_wrappers_take_effect():
    calls = []

    class Early:
        @hookimpl(tryfirst=True)
        def register_reporters(self, register):
            calls.append("early")

    class Late:
        @hookimpl(trylast=True)
        def register_reporters(self, register):
            calls.append("late")

    class Wrapper:
        @hookimpl(wrapper=True)
        def register_reporters(self, register):
            calls.append("before")
            result = yield
            calls.append("after")
            return result

    plugins = [("late", Late()), ("wrap", Wrapper()), ("early", Early())]
    load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""}, extra=plugins)
    assert calls[0] == "before" and calls[-1] == "after"
    assert calls.index("early") < calls.index("late")


def test_a_command_line_run_loads_each_plugin_once(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "BACKLINT_TRACE_PLUGINS": "1", "BACKLINT_LOAD_PLUGINS": ""}
    for args in (["rules"], ["audit", str(GITHUB_EXAMPLE), "--format", "json"]):
        done = subprocess.run(
            [sys.executable, "-m", "backlint", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        trace = done.stderr.splitlines()
        assert trace.count("backlint: trace: backlint.reporters.text.register_reporters()") == 1
        assert trace.count("backlint: trace: backlint.packs.loading.register_rules()") == 1


def test_a_plugin_taking_a_built_in_code_is_blamed_whoever_is_called_first():
    class Thief:
        @hookimpl(tryfirst=True)
        def register_rules(self, register):
            register(_rule_named("BL101", "stolen-rule"))

    with pytest.raises(PluginLoadError, match="plugin 'thief'"):
        load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""}, extra=[("thief", Thief())])

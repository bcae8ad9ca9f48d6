"""ruff's command-line habits: -h, --statistics, -q, extend flags, specific selectors, colour."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from backlint.cli.main import cli
from backlint.cli.terminal import use_color

NOW = ["--now", "2026-11-22"]


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def demo(examples):
    return str(examples / "github-issues.json")


def test_dash_h_is_help_everywhere():
    assert "COMMAND [ARGS]" in run("-h").output
    assert "audit [OPTIONS] SOURCE" in run("audit", "-h").output


def test_statistics_prints_count_code_name_most_frequent_first(demo):
    result = run("audit", demo, "--statistics", *NOW)
    lines = result.output.splitlines()
    counts = [int(line.split("\t")[0]) for line in lines]
    assert counts == sorted(counts, reverse=True) and counts
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert "Health score" not in result.output  # the counts replace the report


def test_quiet_prints_the_findings_only(demo):
    loud, quiet = run("audit", demo, *NOW).output, run("audit", demo, "-q", *NOW).output
    assert "Health score" in loud and "Next:" in loud
    assert "Health score" not in quiet and "Next:" not in quiet
    assert "BL201 missing-acceptance-criteria" in quiet


def test_extend_select_and_extend_ignore_add_to_the_config(tmp_path, demo):
    config = tmp_path / "backlint.toml"
    config.write_text('select = ["BL1"]\nignore = ["BL104"]\n')
    base = run("audit", demo, "--config", str(config), "--statistics", *NOW).output
    assert "BL201" not in base and "BL104" not in base
    more = run(
        "audit",
        demo,
        "--config",
        str(config),
        "--extend-select",
        "BL201",
        "--extend-ignore",
        "BL103",
        "--statistics",
        *NOW,
    ).output
    assert "BL201" in more and "BL103" not in more and "BL104" not in more


def test_the_most_specific_selector_wins(demo):
    only = run("audit", demo, "--select", "BL201", "--ignore", "BL2", "--statistics", *NOW)
    assert only.exit_code != 2, only.output
    assert [line.split("\t")[1].strip() for line in only.output.splitlines()] == ["BL201"]
    rest = run("audit", demo, "--select", "BL2", "--ignore", "BL201", "--statistics", *NOW)
    assert "BL201" not in rest.output and "BL20" in rest.output


def test_color_flag_and_environment(demo):
    assert "\x1b[" in run("audit", demo, "--color", "always", *NOW).output
    assert "\x1b[" not in run("audit", demo, "--color", "never", *NOW).output
    assert "\x1b[" in run("audit", demo, *NOW, env={"FORCE_COLOR": "1"}).output
    assert "\x1b[" not in run("audit", demo, *NOW, env={"NO_COLOR": "1"}).output


def test_use_color_rules():
    class Tty:
        def isatty(self):
            return True

    assert use_color("auto", Tty(), {}) is True
    assert use_color("auto", Tty(), {"NO_COLOR": ""}) is False
    assert use_color("auto", object(), {"FORCE_COLOR": "1"}) is True
    assert use_color("auto", object(), {"FORCE_COLOR": "0"}) is False
    assert use_color("never", Tty(), {"FORCE_COLOR": "1"}) is False


def test_a_run_ends_with_one_next_step_and_correct_plurals(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(
        '[{"number": 1, "title": "Fix", "body": "", "state": "open", "labels": [], '
        '"html_url": "https://github.com/a/b/issues/1"}]'
    )
    result = run("audit", str(one), *NOW)
    assert "1 ticket checked" in result.output and "1 tickets" not in result.output
    assert result.output.rstrip().splitlines()[-1].startswith("Next: `backlint rules BL1")


def test_an_empty_source_is_an_error_unless_allowed(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    result = CliRunner().invoke(cli, ["audit", str(empty), *NOW])
    assert result.exit_code == 2
    assert "no tickets to audit" in result.output and "--allow-empty" in result.output
    assert "Health score" not in result.output
    assert run("audit", str(empty), "--allow-empty", *NOW).exit_code == 0


def test_a_rule_that_returns_the_wrong_type_stops_the_run_once(tmp_path, demo):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "wrong.py").write_text(
        "from backlint import hookimpl, rule\n\n"
        '@rule("ZZ101", "returns-a-bool", family="clarity")\n'
        "def returns_a_bool(ticket, ctx):\n"
        '    """What: x. Why: x. Example: x. Fix: x."""\n'
        "    return True\n\n"
        "@hookimpl\n"
        "def register_rules(register):\n"
        "    register(returns_a_bool)\n"
    )
    result = CliRunner().invoke(cli, ["--plugins-dir", str(plugins), "audit", demo, *NOW])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "ZZ101" in line]
    assert len(lines) == 1 and "produced bool" in lines[0]
    assert "Health score" not in result.output


def test_a_family_one_letter_off_is_a_load_error(tmp_path, demo):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "typo.py").write_text(
        "from backlint import hookimpl, rule\n\n"
        '@rule("ZZ102", "typo-family", family="clarty")\n'
        "def typo(ticket, ctx):\n"
        '    """What: x. Why: x. Example: x. Fix: x."""\n\n'
        "@hookimpl\n"
        "def register_rules(register):\n"
        "    register(typo)\n"
    )
    result = CliRunner().invoke(cli, ["--plugins-dir", str(plugins), "rules"])
    assert result.exit_code == 2
    assert "did you mean 'clarity'?" in result.output
    own = plugins / "typo.py"
    own.write_text(own.read_text().replace('"clarty"', '"security"'))
    assert CliRunner().invoke(cli, ["--plugins-dir", str(plugins), "rules"]).exit_code == 0

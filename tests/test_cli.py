"""The command line as a user runs it: exit codes, formats, errors, plugins."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from backlint.cli.main import cli

NOW = ["--now", "2026-11-22"]


def run(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


@pytest.fixture
def gh_file(fixtures):
    return str(fixtures / "files" / "github-issues.json")


def test_audit_text_report_and_exit_1_on_errors(gh_file):
    result = run("audit", gh_file, *NOW)
    assert result.exit_code == 1
    assert "acme/shop#2" in result.stdout
    assert "BL201 missing-acceptance-criteria" in result.stdout
    assert "2 tickets checked" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal


def test_fail_on_never_and_warning(gh_file):
    assert run("audit", gh_file, "--fail-on", "never", *NOW).exit_code == 0
    only_warnings = run("audit", gh_file, "--select", "BL101", "--fail-on", "warning", *NOW)
    assert only_warnings.exit_code == 1
    assert run("audit", gh_file, "--select", "BL101", *NOW).exit_code == 0


def test_json_report_matches_the_version_1_contract(gh_file):
    result = run("audit", gh_file, "--format", "json", *NOW)
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert data["tickets"] == 2
    assert isinstance(data["summary"], dict)
    keys = {"ticket", "rule", "name", "family", "severity", "message", "url"}
    assert data["findings"] and all(set(f) == keys for f in data["findings"])
    finding = next(f for f in data["findings"] if f["rule"] == "BL201")
    assert finding["ticket"] == "acme/shop#2"
    assert finding["family"] == "acceptance-criteria"
    assert finding["severity"] == "error"
    assert finding["url"] == "https://github.com/acme/shop/issues/2"
    order = [(f["ticket"], f["rule"]) for f in data["findings"]]
    assert order == sorted(order)


def test_same_input_same_bytes(gh_file):
    first = run("audit", gh_file, "--format", "json", *NOW).stdout
    assert first == run("audit", gh_file, "--format", "json", *NOW).stdout


def test_output_file(tmp_path, gh_file):
    target = tmp_path / "out" / "report.json"
    result = run("audit", gh_file, "--format", "json", "--output", str(target), *NOW)
    assert result.stdout == ""
    assert json.loads(target.read_text())["tickets"] == 2


def test_select_and_ignore_from_the_command_line(gh_file):
    data = json.loads(run("audit", gh_file, "--format", "json", "--select", "BL2", *NOW).stdout)
    assert {f["rule"] for f in data["findings"]} == {"BL201"}
    data = json.loads(
        run("audit", gh_file, "--format", "json", "--ignore", "BL201,BL1", *NOW).stdout
    )
    assert not {f["rule"] for f in data["findings"]} & {"BL201", "BL101"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "missing.json"], "missing.json: no such file"),
        (["audit", "FIXTURE/not-json.txt"], "neither JSON nor JSON Lines"),
        (["audit", "FIXTURE/unknown-shape.json"], "unknown JSON shape"),
        (["audit", "FIXTURE/truncated.json"], "truncated"),
        (["audit", "FIXTURE/github-issues.json", "--select", "BL999"], "unknown rule or prefix"),
        (["audit", "FIXTURE/github-issues.json", "--format", "pdf"], "unknown format 'pdf'"),
        (["audit", "FIXTURE/github-issues.json", "--apply"], "export files are read-only"),
        (["audit", "FIXTURE/github-issues.json", "--config", "nope.toml"], "config file not found"),
        (["audit", "FIXTURE/github-issues.json", "--now", "yesterday"], "--now"),
        (["rules", "BL999"], "unknown rule 'BL999'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(fixtures, args, message):
    args = [a.replace("FIXTURE", str(fixtures / "files")) for a in args]
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("backlint: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_unknown_config_key_exit_2(tmp_path, gh_file):
    config = tmp_path / "c.toml"
    config.write_text("colour = 1\n")
    result = run("audit", gh_file, "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}: unknown key 'colour'" in result.stderr


def test_one_bad_ticket_is_reported_and_exits_2(fixtures):
    result = run("audit", str(fixtures / "files" / "github-one-bad.json"), *NOW)
    assert result.exit_code == 2
    assert "BL902 ticket-unreadable" in result.stdout
    assert "2 tickets checked" in result.stdout  # the good ticket was audited


def test_check_one_ticket_from_a_payload(fixtures):
    result = run("check", str(fixtures / "files" / "github-webhook.json"), *NOW)
    assert "acme/shop#2" in result.stdout
    assert result.exit_code == 1


def test_rules_list_and_explain():
    listing = run("rules").stdout
    assert "BL201" in listing and "missing-acceptance-criteria" in listing
    explained = run("rules", "missing-acceptance-criteria").stdout
    for section in ("What:", "Why:", "Example:", "Fix:", "Family: acceptance-criteria"):
        assert section in explained


def test_init_writes_a_valid_starter_config(tmp_path, monkeypatch, gh_file):
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    assert (tmp_path / ".backlint.toml").exists()
    again = run("init")
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run("audit", gh_file, *NOW).exit_code in (0, 1)  # the starter config is valid


PLUGIN = textwrap.dedent(
    '''
    from backlint import hookimpl
    from backlint.engine.rule import rule

    @rule("ACME101", "no-emoji-title", family="clarity", severity="warning")
    def no_emoji_title(ticket, ctx):
        """What: Flags titles that start with "Fix".

        Why: test. Example: "Fix". Fix: rename.
        """
        if ticket.title.startswith("Fix"):
            yield "Say what to fix."

    @hookimpl
    def register_rules(register):
        register(no_emoji_title)
    '''
)


def test_plugins_dir_rule_shows_in_rules_and_audit(tmp_path, gh_file):
    (tmp_path / "acme_rules.py").write_text(PLUGIN)
    listing = run("--plugins-dir", str(tmp_path), "rules").stdout
    assert "ACME101" in listing and "[acme_rules]" in listing
    report = run("--plugins-dir", str(tmp_path), "audit", gh_file, "--format", "json", *NOW)
    assert any(f["rule"] == "ACME101" for f in json.loads(report.stdout)["findings"])
    plugins = run("--plugins-dir", str(tmp_path), "plugins").stdout
    assert "acme_rules" in plugins and "rule ACME101 no-emoji-title" in plugins


def test_plugin_that_raises_at_import_names_the_plugin(tmp_path, gh_file):
    (tmp_path / "broken.py").write_text("raise RuntimeError('oops')\n")
    result = run("--plugins-dir", str(tmp_path), "audit", gh_file)
    assert result.exit_code == 2
    assert "plugin" in result.stderr and "broken.py" in result.stderr
    assert "RuntimeError: oops" in result.stderr


def test_plugin_with_a_colliding_code_is_a_load_error(tmp_path, gh_file):
    (tmp_path / "clash.py").write_text(PLUGIN.replace("ACME101", "BL201"))
    result = run("--plugins-dir", str(tmp_path), "rules")
    assert result.exit_code == 2
    assert "plugin 'clash'" in result.stderr and "collides with BL201" in result.stderr


def test_a_plugin_rule_that_crashes_becomes_a_finding(tmp_path, gh_file):
    (tmp_path / "crashy.py").write_text(
        PLUGIN.replace('if ticket.title.startswith("Fix"):', "if 1 / 0:")
    )
    result = run("--plugins-dir", str(tmp_path), "audit", gh_file, *NOW)
    assert result.exit_code == 2
    assert "BL901 rule-crashed" in result.stdout
    assert "ZeroDivisionError" in result.stdout
    assert "BL201" in result.stdout  # the other rules still ran


def test_version():
    assert "backlint, version" in run("--version").stdout


def test_report_file_is_readable_by_others(tmp_path, gh_file):
    target = tmp_path / "report.json"
    run("audit", gh_file, "--format", "json", "--output", str(target), *NOW)
    assert target.stat().st_mode & 0o044  # not left private by the temporary file

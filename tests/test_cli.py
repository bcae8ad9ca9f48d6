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


# -- malformed input never ends in "internal error" (issue 14) --------------------------------
def run_caught(*args):
    """Like ``run``, but as a user sees it: what the command prints, whatever happens."""
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "csv", "html", "github"])
def test_a_lone_surrogate_in_a_title_is_written_in_every_format(fixtures, fmt):
    path = str(fixtures / "files" / "github-lone-surrogate.json")
    result = run_caught("audit", path, "--format", fmt, *NOW)
    assert result.exit_code in (0, 1), result.output
    result.stdout.encode("utf-8")
    if fmt == "json":
        title = json.loads(result.stdout)["ticket_details"][0]["title"]
        assert title == "Refund \ufffd button on the order page"


def test_the_json_report_replaces_lone_surrogates_whatever_the_source():
    import io

    from backlint.model import Ticket
    from backlint.report.report import build_report
    from backlint.reporters.json import write_json
    from backlint.testing import TEST_NOW

    ticket = Ticket(key="o/r#1", tracker="github", title="Refund \ud800 button")
    stream = io.StringIO()
    write_json(build_report("github:o/r", [ticket], [], [], TEST_NOW), stream, {})
    stream.getvalue().encode("utf-8")
    assert "Refund \ufffd button" in stream.getvalue()


def test_a_big_json_report_is_written_in_pieces_the_same_as_whole():
    """The report is encoded and written in pieces (never held whole); the text is the one
    ``json.dumps(indent=2)`` gives, surrogates replaced wherever they fall."""
    import io

    from backlint.model import Ticket
    from backlint.report.report import build_report, report_to_dict
    from backlint.reporters.json import write_json
    from backlint.testing import TEST_NOW

    tickets = [
        Ticket(key=f"o/r#{n}", tracker="github", title=f"Refund {n} \ud800 button é")
        for n in range(3000)
    ]
    report = build_report("github:o/r", tickets, [], [], TEST_NOW)
    stream = io.StringIO()
    write_json(report, stream, {})
    whole = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False)
    assert len(whole) > 4 * 65536
    assert stream.getvalue() == whole.replace("\ud800", "\ufffd") + "\n"


@pytest.mark.parametrize(
    "name",
    ["github-type-name-list.json", "github-webhook-odd-repository.json", "jira-naive-times.json"],
)
def test_odd_tickets_are_findings_and_the_rest_is_audited(fixtures, name):
    result = run_caught("audit", str(fixtures / "files" / name), "--format", "json", *NOW)
    assert "internal error" not in result.stderr
    report = json.loads(result.stdout)
    unreadable = [f for f in report["findings"] if f["rule"] == "BL902"]
    assert result.exit_code == 2 if unreadable else result.exit_code in (0, 1)
    if name == "github-type-name-list.json":
        assert [f["ticket"] for f in unreadable] == ["acme/shop#3"]
        assert report["tickets"] == 3


def test_a_file_nested_too_deeply_is_one_line_and_exit_2(fixtures):
    result = run_caught("audit", str(fixtures / "files" / "nested-too-deep.json"), *NOW)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("JSON nested too deeply to read")
    assert result.stderr.count("\n") == 1


def test_output_into_a_missing_folder_says_it_created_it(tmp_path, gh_file):
    target = tmp_path / "reports" / "nightly" / "audit.json"
    result = run("audit", gh_file, "--format", "json", "--output", str(target), *NOW)
    assert target.is_file()
    lines = [line for line in result.stderr.splitlines() if "created" in line]
    assert lines == [f"backlint: created the folder {target.parent} for audit.json"]
    again = run("audit", gh_file, "--format", "json", "--output", str(target), *NOW)
    assert "created" not in again.stderr


def test_apply_stops_when_writes_keep_failing_and_exits_2(tmp_path, monkeypatch):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fakes.github_server import FakeGitHub

    config = tmp_path / ".backlint.toml"
    config.write_text("[github]\nwrite-delay = 0\n[writeback]\nfailure-budget = 3\n")
    with FakeGitHub() as fake:
        for _ in range(8):
            fake.add_issue("o/r", title="Fix")
        fake.inject(r"/labels$", 403, method="POST", body={"message": "Forbidden"}, times=100)
        for name, value in fake.env().items():
            monkeypatch.setenv(name, value)
        result = run_caught("audit", "github:o/r", "--apply", "--config", str(config), *NOW)
        attempted = len(fake.writes)
    assert result.exit_code == 2
    assert "Write-back: 0 writes on 0 tickets." in result.stdout
    assert result.stdout.count("write failed: GitHub answered HTTP 403: Forbidden") == 3
    assert (
        "Write-back stopped: 3 tickets in a row failed to write (failure-budget 3); "
        "5 planned tickets not written (o/r#4, o/r#5, o/r#6, o/r#7, o/r#8)" in result.stdout
    )
    assert attempted == 3


def test_a_failure_budget_below_one_is_a_config_error(tmp_path, gh_file):
    config = tmp_path / ".backlint.toml"
    config.write_text("[writeback]\nfailure-budget = 0\n")
    result = run_caught("audit", gh_file, "--config", str(config), *NOW)
    assert result.exit_code == 2 and "writeback.failure-budget: must be at least 1" in result.stderr


# -- guidance (issue 16) -----------------------------------------------------------------------


def test_check_with_an_unknown_key_shows_the_key_format(gh_file):
    result = run("check", f"{gh_file}::119", *NOW)
    assert result.exit_code == 2
    assert result.stderr == (
        f"backlint: {gh_file}: no ticket '119' in the file; keys look like acme/shop#1: "
        f"{gh_file}::acme/shop#1\n"
    )


@pytest.mark.parametrize(
    "name", ["jira-export.csv", "jira-export.xlsx", "jira-export.xml", "jira-export.html"]
)
def test_a_csv_or_other_known_export_without_the_plugin_names_it(fixtures, name):
    result = run("audit", str(fixtures / "files" / name), *NOW)
    assert result.exit_code == 2
    assert "backlint-csv plugin (pip install ./plugins/backlint-csv" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("binary.json", "not a text file (binary data); "),
        ("windows-1252.json", "not UTF-8 text (byte 0xe9 on line 1); "),
    ],
)
def test_binary_and_non_utf8_files_are_one_line_and_exit_2(fixtures, name, says):
    result = run("audit", str(fixtures / "files" / name), *NOW)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"backlint: {fixtures / 'files' / name}: {says}")
    assert result.stderr.count("\n") == 1 and "codec" not in result.stderr


def test_an_unreadable_file_in_a_folder_is_a_finding_and_exits_2(tmp_path, fixtures):
    (tmp_path / "a.json").write_text((fixtures / "files" / "github-issues.json").read_text())
    (tmp_path / "b.json").write_bytes((fixtures / "files" / "binary.json").read_bytes())
    result = run("audit", str(tmp_path), "--format", "json", *NOW)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    unreadable = [f for f in data["findings"] if f["rule"] == "BL902"]
    assert [(f["ticket"], f["family"]) for f in unreadable] == [(str(tmp_path / "b.json"), "run")]
    assert unreadable[0]["message"].startswith("could not read this file: not a text file")
    assert data["tickets"] == 3  # both tickets of a.json were audited
    assert "acme/shop#2" in {f["ticket"] for f in data["findings"]}


def test_a_folder_where_no_file_can_be_read_is_one_line_and_exit_2(tmp_path, fixtures):
    (tmp_path / "b.json").write_bytes((fixtures / "files" / "binary.json").read_bytes())
    result = run("audit", str(tmp_path), *NOW)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"backlint: {tmp_path}: none of its 1 export files")
    assert result.stderr.count("\n") == 1


def test_a_report_that_fails_halfway_leaves_the_old_file_and_no_temporary(tmp_path):
    """Reports stream into a temporary file, moved onto --output only when whole."""
    from backlint.report.output import write_report
    from backlint.report.report import build_report
    from backlint.testing import TEST_NOW

    output = tmp_path / "report.json"
    output.write_text("the previous report\n", encoding="utf-8")

    def failing(report, stream, options):
        stream.write("{" * 100_000)
        raise RuntimeError("the reporter broke")

    report = build_report("github:o/r", [], [], [], TEST_NOW)
    with pytest.raises(RuntimeError):
        write_report(failing, report, str(output))
    assert output.read_text(encoding="utf-8") == "the previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]

    write_report(lambda report, stream, options: stream.write("new\n"), report, str(output))
    assert output.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]

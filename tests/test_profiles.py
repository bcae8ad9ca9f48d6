"""Profiles (``extends``), team pack files (``packs``) and which pack rules a run selects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlint.cli.main import cli
from backlint.config.config import Config, config_from_mapping, load_config
from backlint.config.profiles import merge
from backlint.errors import ConfigError
from backlint.plugins import load_plugins
from backlint.selection import select_rules

ROOT = Path(__file__).resolve().parents[1]
TEAM_PACK = ROOT / "tests" / "fixtures" / "packs" / "team-rules.toml"
GITHUB_EXAMPLE = ROOT / "examples" / "github-issues.json"


def codes(config, registry=None) -> set[str]:
    registry = registry or load_plugins((), packs=config.packs)
    return {rule.code for rule in select_rules(config, registry.rules)}


def test_no_config_runs_the_default_profile(tmp_path):
    config = load_config(start=tmp_path)
    assert config.packs == ("default",)
    selected = codes(config)
    assert {"BL201", "DEF101", "DEF102"} <= selected
    assert not any(code.startswith(("SCR", "SAFE", "KAN")) for code in selected)


def test_config_defaults_equal_the_default_profile():
    from_profile = config_from_mapping({})
    assert from_profile.packs == Config().packs
    assert {k: v for k, v in from_profile.settings.items()} == {"packs": ["default"]}


def test_extends_scrum_adds_the_scrum_pack_and_its_kind_names():
    config = config_from_mapping({"extends": ["scrum"]})
    assert config.packs == ("default", "scrum")
    assert config.extends == ("scrum",)
    assert config.section("kinds")["pbi"] == "story"
    selected = codes(config)
    assert {"BL201", "DEF101", "SCR101", "SCR107"} <= selected
    assert not any(code.startswith(("SAFE", "KAN")) for code in selected)


def test_safe_builds_on_scrum_and_user_keys_win():
    config = config_from_mapping(
        {
            "extends": ["safe"],
            "ignore": ["SCR102"],
            "kinds": {"pbi": "task"},
            "rules": {"SCR104": {"max": 8}},
        }
    )
    assert config.packs == ("default", "scrum", "safe")
    assert config.section("kinds")["pbi"] == "task"
    assert config.section("kinds")["capability"] == "feature"
    rules = {rule.code: rule for rule in select_rules(config, load_plugins(()).rules)}
    assert "SAFE101" in rules and "SCR101" in rules and "SCR102" not in rules
    assert rules["SCR104"].options["max"] == 8


def test_merge_rules():
    base = {"packs": ["a"], "ignore": ["X1"], "select": ["BL"], "rules": {"BL1": {"a": 1}}}
    top = {"packs": ["b", "a"], "ignore": ["X2"], "select": ["ALL"], "rules": {"BL1": {"b": 2}}}
    assert merge(base, top) == {
        "packs": ["a", "b"],
        "ignore": ["X1", "X2"],
        "select": ["ALL"],
        "rules": {"BL1": {"a": 1, "b": 2}},
    }


def test_extends_and_packs_paths_are_relative_to_the_declaring_file(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "base.toml").write_text(
        'extends = ["kanban"]\npacks = ["./team-rules.toml"]\n', encoding="utf-8"
    )
    shutil.copy(TEAM_PACK, tmp_path / "org" / "team-rules.toml")
    (tmp_path / "repo").mkdir()
    config_file = tmp_path / "repo" / ".backlint.toml"
    config_file.write_text('extends = ["../org/base.toml"]\n', encoding="utf-8")
    config = load_config(config_file)
    team = str((tmp_path / "org" / "team-rules.toml").resolve())
    assert config.packs == ("default", "kanban", team)
    assert {"KAN101", "ACME101", "ACME102"} <= codes(config)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({".backlint.toml": 'extends = ["scrm"]'}, "extends: unknown profile 'scrm' (profiles:"),
        ({".backlint.toml": 'extends = ["./nope.toml"]'}, "extends: profile file not found"),
        (
            {".backlint.toml": 'extends = ["./a.toml"]', "a.toml": 'extends = ["./a.toml"]'},
            "extends itself",
        ),
        ({".backlint.toml": 'extends = ["./a.toml"]', "a.toml": "colour = 1"}, "a.toml: unknown"),
        ({".backlint.toml": "extends = 'scrum'"}, "extends: expected a list of strings"),
    ],
)
def test_bad_extends(tmp_path, files, expected):
    for name, text in files.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=expected.replace("(", r"\(")):
        load_config(tmp_path / ".backlint.toml")


def test_unknown_pack_name_and_unloaded_pack_file_are_config_errors():
    registry = load_plugins(())
    with pytest.raises(ConfigError, match="packs: unknown pack 'scrim'"):
        select_rules(config_from_mapping({"packs": ["scrim"]}), registry.rules)
    config = config_from_mapping({"packs": [str(TEAM_PACK)]})
    with pytest.raises(ConfigError, match=r"team-rules\.toml was not loaded"):
        select_rules(config, registry.rules)


def test_selecting_a_rule_of_a_pack_not_enabled_enables_just_that_rule():
    config = config_from_mapping({"extend-select": ["KAN103"], "ignore": ["SCR101"]})
    selected = codes(config)
    assert "KAN103" in selected
    assert not selected & {"KAN101", "KAN102", "KAN104"}
    hygiene = {f"BL50{n}" for n in range(1, 8)}
    assert codes(config_from_mapping({"select": ["hygiene"]})) == hygiene | {"DEF101", "DEF102"}


def test_cli_audit_with_a_profile_and_a_team_pack(tmp_path):
    shutil.copy(TEAM_PACK, tmp_path / "team-rules.toml")
    (tmp_path / ".backlint.toml").write_text(
        'extends = ["scrum"]\npacks = ["./team-rules.toml"]\n', encoding="utf-8"
    )
    runner = CliRunner()
    args = ["audit", str(GITHUB_EXAMPLE), "--format", "json", "--now", "2026-11-22"]
    args += ["--config", str(tmp_path / ".backlint.toml"), "--fail-on", "never"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    by_rule = json.loads(result.stdout)["summary"]["by_rule"]
    assert by_rule["SCR106"] == 4 and by_rule["ACME102"] >= 1
    assert not any(code.startswith("KAN") for code in by_rule)


def test_cli_rules_and_plugins_show_the_team_pack_of_the_found_config(tmp_path, monkeypatch):
    shutil.copy(TEAM_PACK, tmp_path / "team-rules.toml")
    (tmp_path / ".backlint.toml").write_text('packs = ["./team-rules.toml"]\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    listing = runner.invoke(cli, ["rules"])
    assert listing.exit_code == 0, listing.stderr
    [line] = [row for row in listing.stdout.splitlines() if row.startswith("ACME101")]
    assert line.endswith("[pack team-rules]")
    explained = runner.invoke(cli, ["rules", "no-asap"]).stdout
    assert "Why:\n  ASAP means something different to everyone" in explained
    assert f'packs = ["{(tmp_path / "team-rules.toml").resolve()}"]' in explained
    plugins = runner.invoke(cli, ["plugins"]).stdout
    assert (
        f"pack:team-rules.toml  (pack file {(tmp_path / 'team-rules.toml').resolve()})" in plugins
    )
    assert "    rule ACME102 bug-needs-area" in plugins

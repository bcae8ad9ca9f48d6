"""Config files: discovery, precedence, and errors that name the key and the file."""

from __future__ import annotations

import pytest

from backlint.config.config import Config, config_from_mapping, find_config_file, load_config
from backlint.errors import ConfigError
from backlint.model import Severity


def test_defaults_without_a_file(tmp_path):
    config = load_config(start=tmp_path)
    assert config == Config()
    assert config.select == ("ALL",)
    assert config.fail_on is Severity.ERROR
    assert config.priority_scale[0] == "Highest"


def test_found_by_walking_up(tmp_path):
    (tmp_path / ".backlint.toml").write_text('fail-on = "warning"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config = load_config(start=nested)
    assert config.path == tmp_path / ".backlint.toml"
    assert config.fail_on is Severity.WARNING


def test_pyproject_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nignore = ["BL101"]\n')
    assert load_config(start=tmp_path).ignore == ("BL101",)


def test_pyproject_without_tool_table_is_passed_over(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config_file(tmp_path) is None


def test_nearest_backlint_toml_wins_over_pyproject_above(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.backlint]\nfail-on = "info"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / ".backlint.toml").write_text('fail-on = "warning"\n')
    assert load_config(start=inner).fail_on is Severity.WARNING


def test_command_line_overrides_file(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('select = ["BL1"]\nfail-on = "warning"\n')
    config = load_config(path).with_overrides(select=("BL2",), fail_on=None, format="json")
    assert config.select == ("BL2",)
    assert config.fail_on is Severity.WARNING  # not given on the command line: file wins
    assert config.format == "json"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = true\n", "unknown key 'colour'"),
        ('select = "BL1"\n', "select: expected a list of strings"),
        ('fail-on = "fatal"\n', "fail-on: unknown severity 'fatal'"),
        ("[priority]\nscale = 3\n", "priority.scale: expected a list of strings"),
        ("[priority]\nlevels = []\n", "unknown key 'priority.levels'"),
        ('[writeback]\non-clean = "shred"\n', "writeback.on-clean"),
        ('[writeback]\nlimit = "ten"\n', "writeback.limit: expected a whole number"),
        ("[writeback]\nlimit = -5\n", "writeback.limit: must not be negative"),
        ("[priority]\nscale = []\n", "priority.scale: must name at least one level"),
        ('history = ""\n', "history: expected a path or true"),
        ("[rules]\nBL101 = 3\n", "rules.BL101: expected a table"),
        ('[rules.BL101]\nseverity = "huge"\n', "rules.BL101.severity"),
        ('format = "pdf"\n', "format: unknown format 'pdf'"),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_invalid_config_names_key_and_file(tmp_path, text, message):
    path = tmp_path / ".backlint.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_missing_explicit_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_writeback_settings_and_history():
    config = config_from_mapping(
        {
            "history": True,
            "writeback": {
                "on-clean": "delete",
                "family-labels": {"clarity": "unclear"},
                "rule-labels": {"BL201": "needs-ac"},
            },
        }
    )
    assert config.history == ".backlint/history.sqlite"
    assert config.writeback.on_clean == "delete"
    assert config.writeback.family_labels["clarity"] == "unclear"
    assert "needs-ac" in config.writeback.managed_labels()
    assert "needs-acceptance-criteria" in config.writeback.managed_labels()


def test_no_config_file_gets_the_same_writeback_labels_as_an_empty_one(tmp_path):
    empty = tmp_path / ".backlint.toml"
    empty.write_text("")
    assert load_config(start=tmp_path / "..").writeback == load_config(empty).writeback
    assert Config().writeback.family_labels["clarity"] == "needs-clarity"


def test_a_config_that_is_not_utf8_is_a_config_error(tmp_path):
    path = tmp_path / ".backlint.toml"
    path.write_bytes(b"\xff\xfeselect = []\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)


def test_writeback_comment_audience_and_severity(tmp_path):
    config = config_from_mapping({})
    assert config.writeback.comment_for == "author"
    assert config.writeback.min_severity is Severity.WARNING
    config = config_from_mapping({"writeback": {"comment-for": "everyone", "min-severity": "info"}})
    assert config.writeback.comment_for == "everyone"
    assert config.writeback.min_severity is Severity.INFO
    with pytest.raises(ConfigError, match=r"writeback\.comment-for"):
        config_from_mapping({"writeback": {"comment-for": "reporters"}})
    with pytest.raises(ConfigError, match=r"writeback\.min-severity"):
        config_from_mapping({"writeback": {"min-severity": "loud"}})

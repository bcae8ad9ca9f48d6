"""Rule selection by code, prefix, name, family and ALL; severity and option overrides."""

from __future__ import annotations

import pytest

from backlint.config.config import config_from_mapping
from backlint.engine.rule import rule
from backlint.errors import ConfigError
from backlint.model import Severity
from backlint.selection import select_rules


def _make(code, name, family, options=None):
    @rule(code, name, family=family, options=options or {})
    def check(ticket, ctx):
        """What: x"""
        return ()

    return check


RULES = {
    r.code: r
    for r in (
        _make("BL101", "title-length", "clarity", {"min_words": 3}),
        _make("BL102", "vague-title", "clarity", {"words": ["fix"]}),
        _make("BL201", "missing-acceptance-criteria", "acceptance-criteria"),
        _make("BL401", "missing-priority", "priority", {"ratio": 0.3}),
        _make("BL103", "thin-body", "clarity", {"min_words": {"story": 12, "bug": 12}}),
    )
}


def codes(data):
    return [r.code for r in select_rules(config_from_mapping(data), RULES)]


def test_all_by_default():
    assert codes({}) == ["BL101", "BL102", "BL103", "BL201", "BL401"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"select": ["BL1"]}, ["BL101", "BL102", "BL103"]),
        ({"select": ["bl201"]}, ["BL201"]),
        ({"select": ["missing-priority"]}, ["BL401"]),
        ({"select": ["clarity"]}, ["BL101", "BL102", "BL103"]),
        ({"select": ["BL1"], "extend-select": ["BL401"]}, ["BL101", "BL102", "BL103", "BL401"]),
        ({"ignore": ["BL1", "missing-priority"]}, ["BL201"]),
        ({"select": ["ALL"], "ignore": ["clarity"]}, ["BL201", "BL401"]),
    ],
)
def test_selectors(data, expected):
    assert codes(data) == expected


def test_unknown_selector_is_an_error():
    with pytest.raises(ConfigError, match="unknown rule or prefix 'BL999'"):
        codes({"select": ["BL999"]})


def test_severity_and_options_by_code_or_name():
    chosen = select_rules(
        config_from_mapping(
            {
                "rules": {
                    "BL101": {"severity": "error", "min_words": 5},
                    "missing-priority": {"ratio": 1},
                }
            }
        ),
        RULES,
    )
    by_code = {r.code: r for r in chosen}
    assert by_code["BL101"].severity is Severity.ERROR
    assert by_code["BL101"].options["min_words"] == 5
    assert by_code["BL401"].options["ratio"] == 1  # an int where a float is expected is fine
    assert RULES["BL101"].options["min_words"] == 3  # the registered rule is untouched


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"BL777": {"severity": "error"}}, "rules.BL777: unknown rule"),
        ({"BL101": {"max": 3}}, "unknown option 'max' (options: min_words)"),
        ({"BL101": {"min_words": "three"}}, "min_words: expected a number"),
        ({"BL102": {"words": "fix"}}, "words: expected a list"),
        ({"BL102": {"words": ["fix", 3]}}, "words[1]: expected a string"),
        ({"BL101": {"min_words": -3}}, "min_words: must not be negative"),
        ({"BL401": {"ratio": 7}}, "ratio: must be between 0 and 1"),
        ({"BL103": {"min_words": {"story": "x"}}}, "min_words.story: expected a number"),
    ],
)
def test_bad_rule_tables(table, message):
    with pytest.raises(ConfigError) as caught:
        select_rules(config_from_mapping({"rules": table}), RULES)
    assert message in str(caught.value)


def test_a_table_option_merges_into_the_default_table():
    (rule,) = [
        r
        for r in select_rules(
            config_from_mapping({"rules": {"BL103": {"min_words": {"story": 20}}}}), RULES
        )
        if r.code == "BL103"
    ]
    assert rule.options["min_words"] == {"story": 20, "bug": 12}


def test_a_selection_that_leaves_no_rules_is_an_error():
    with pytest.raises(ConfigError, match="leaves no rules to run"):
        codes({"select": []})
    with pytest.raises(ConfigError, match="leaves no rules to run"):
        codes({"ignore": ["ALL"]})

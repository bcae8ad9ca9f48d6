"""Declarative rule packs: shipped packs behave as documented, bad packs fail with clear errors."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from backlint.cli.main import cli
from backlint.engine.rule import DOC_SECTIONS
from backlint.model import Link, Severity
from backlint.packs.loading import PackError, load_pack, pack_from_mapping, pack_of, shipped_pack
from backlint.plugins import load_plugins
from backlint.testing import make_ticket, run_rule

FIXTURES = Path(__file__).parent / "fixtures" / "packs"
CASES = tomllib.loads((FIXTURES / "cases.toml").read_text(encoding="utf-8"))
SHIPPED = ("default", "scrum", "safe", "kanban")


def shipped_rules():
    registry = load_plugins(())
    return {code: rule for code, rule in registry.rules.items() if pack_of(rule) in SHIPPED}


def ticket_from(values: dict, index: int):
    values = dict(values)
    if "links" in values:
        values["links"] = [Link(**link) for link in values["links"]]
    return make_ticket(f"CASE-{index}", **values)


def test_shipped_packs_are_registered_by_the_packs_default_plugin():
    registry = load_plugins(())
    rules = shipped_rules()
    assert {pack_of(rule) for rule in rules.values()} == set(SHIPPED)
    assert {registry.rule_origin[code] for code in rules} == {"backlint.packs.loading"}
    registered = registry.plugins["backlint.packs.loading"].registered
    assert "rule SCR101 story-not-user-story-form" in registered


def test_every_shipped_pack_rule_has_cases_to_flag_and_to_pass():
    missing = [
        code
        for code in shipped_rules()
        if not (CASES.get(code, {}).get("flag") and CASES[code].get("pass"))
    ]
    assert missing == []
    assert set(CASES) <= set(shipped_rules()), "cases for rules that do not exist"


def test_every_shipped_pack_rule_is_documented_like_a_built_in():
    for code, rule in shipped_rules().items():
        sections = rule.doc_sections()
        assert [s for s in DOC_SECTIONS if not sections.get(s)] == [], code
        assert code.startswith(shipped_pack(pack_of(rule)).prefix)


CASE_PARAMS = [
    (code, verdict, index, values)
    for code, table in sorted(CASES.items())
    for verdict in ("flag", "pass")
    for index, values in enumerate(table.get(verdict, []))
]


@pytest.mark.parametrize(("code", "verdict", "index", "values"), CASE_PARAMS)
def test_shipped_rule_cases(code, verdict, index, values):
    rule = shipped_rules()[code]
    findings = run_rule(rule, ticket_from(values, index))
    codes = [f.rule for f in findings]
    if verdict == "flag":
        assert codes and set(codes) == {code}, findings
        assert all(f.message and "{" not in f.message for f in findings)
    else:
        assert codes == [], findings


def test_forbid_suggests_a_substitution_and_reports_each_phrase_once():
    rule = shipped_rules()["SCR106"]
    ticket = make_ticket(
        kind="story", body="- [ ] fast enough\n- [ ] Fast  Enough\n- [ ] intuitive"
    )
    messages = [f.message for f in run_rule(rule, ticket)]
    assert len(messages) == 2
    assert messages[0].startswith('The body uses "fast enough", which nobody can test.')
    assert 'Suggested: a measurable limit, e.g. "p95 under 800 ms".' in messages[0]


def test_pack_rule_options_can_be_tuned_like_a_built_in():
    rule = shipped_rules()["SCR104"]
    ticket = make_ticket(kind="story", estimate=8.0)
    assert run_rule(rule, ticket) == []
    [finding] = run_rule(rule, ticket, options={"max": 5})
    assert finding.message.startswith("This story is estimated at 8 points (more than 5)")


def test_team_pack_file_loads_with_its_own_prefix():
    pack = load_pack(FIXTURES / "team-rules.toml")
    assert (pack.name, pack.prefix) == ("acme-team", "ACME")
    assert [r.code for r in pack.rules] == ["ACME101", "ACME102"]
    no_asap, area = pack.rules
    assert area.severity is Severity.ERROR and area.kinds == {"bug"}
    assert pack_of(no_asap) == str((FIXTURES / "team-rules.toml").resolve())
    [finding] = run_rule(no_asap, make_ticket(title="Fix the refund export ASAP"))
    assert finding.message == (
        'The title says "ASAP"; urgency without a date helps nobody. '
        'Suggested: a date, e.g. "by 12 March".'
    )


VALID = tomllib.loads((FIXTURES / "team-rules.toml").read_text(encoding="utf-8"))


def broken(change):
    data = copy.deepcopy(VALID)
    change(data)
    return data


def set_rule(key, value, index=0):
    return lambda data: data["rule"][index].__setitem__(key, value)


def del_rule(key, index=0):
    return lambda data: data["rule"][index].pop(key)


BAD_PACKS = [
    (set_rule("colour", "red"), "rule ACME101: unknown key 'colour' for a forbid rule"),
    (del_rule("why"), "rule ACME101: missing key 'why'"),
    (set_rule("phrases", "asap"), "rule ACME101: key 'phrases': expected a list of strings"),
    (set_rule("code", "TEAM101"), "rule TEAM101: key 'code': 'TEAM101' must be ACME followed"),
    (set_rule("kind", "ban"), "rule ACME101: key 'kind': expected one of forbid, require"),
    (set_rule("patterns", ["(unclosed"]), "rule ACME101: key 'patterns': invalid regular exp"),
    (set_rule("message", "{nope}"), "rule ACME101: key 'message': unknown placeholder {nope}"),
    (set_rule("applies-to", ["stroy"]), "rule ACME101: key 'applies-to': unknown kind 'stroy'"),
    (set_rule("statuses", ["open"]), "rule ACME101: key 'statuses': 'open' is not one of"),
    (set_rule("severity", "fatal"), "rule ACME101: key 'severity': unknown severity 'fatal'"),
    (set_rule("name", "No ASAP"), "rule ACME101: key 'name': 'No ASAP' is not kebab-case"),
    (set_rule("in", ["comments"]), "rule ACME101: key 'in': expected 'title' and/or 'body'"),
    (
        set_rule("require", {"labels": "area:*"}, 1),
        "rule ACME102: key 'require.labels': unknown condition",
    ),
    (set_rule("require", {"has": "points"}, 1), "rule ACME102: key 'require.has': unknown field"),
    (set_rule("code", "ACME101", 1), "rule ACME101: 'ACME101' is used twice"),
    (lambda d: d["pack"].__setitem__("prefix", "acme"), "pack.prefix: 'acme' is not upper-case"),
    (lambda d: d.pop("pack"), "missing [pack] table"),
    (lambda d: d.__setitem__("rule", []), "the pack has no [[rule]] tables"),
    (lambda d: d.__setitem__("rules", []), "unknown table 'rules'"),
]


@pytest.mark.parametrize(("change", "expected"), BAD_PACKS)
def test_invalid_pack_names_file_rule_and_key(change, expected):
    with pytest.raises(PackError) as caught:
        pack_from_mapping(broken(change), "team-rules.toml")
    assert str(caught.value).startswith("team-rules.toml: ")
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"measure": "points", "max": 3}, "key 'measure': expected one of title-words"),
        ({"measure": "estimate"}, "key 'min': a bound rule needs 'min', 'max' or both"),
        ({"measure": "estimate", "min": 5, "max": 3}, "key 'min': min (5) is greater than max"),
        ({"measure": "estimate", "max": "3"}, "key 'max': expected a number"),
    ],
)
def test_invalid_bound_rule(table, expected):
    rule = {k: v for k, v in VALID["rule"][0].items() if k not in ("phrases", "suggest")}
    rule.update(kind="bound", message="{value}", **table)
    with pytest.raises(PackError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        pack_from_mapping({"pack": VALID["pack"], "rule": [rule]}, "p.toml")


def test_unreadable_pack_files(tmp_path):
    with pytest.raises(PackError, match="pack file not found"):
        load_pack(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[pack\nname=", encoding="utf-8")
    with pytest.raises(PackError, match=r"bad.toml: not valid TOML"):
        load_pack(bad)


def test_cli_bad_team_pack_is_one_line_and_exit_2(tmp_path):
    pack = tmp_path / "team.toml"
    text = (FIXTURES / "team-rules.toml").read_text(encoding="utf-8")
    pack.write_text(text.replace('family = "hygiene"', 'family = "hygiene"\nwhen = 3'), "utf-8")
    config = tmp_path / ".backlint.toml"
    config.write_text('packs = ["./team.toml"]\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            str(Path(__file__).parents[1] / "examples" / "github-issues.json"),
            "--config",
            str(config),
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{pack}: rule ACME102: key 'when': expected a table, got 3" in result.stderr


def test_a_pack_file_that_is_not_utf8_is_a_pack_error(tmp_path):
    from backlint.packs.loading import PackError, load_pack

    path = tmp_path / "team.toml"
    path.write_bytes(b"\xff\xfe[[rule]]\n")
    with pytest.raises(PackError, match="not UTF-8"):
        load_pack(path)


def test_a_pack_rule_replaces_the_built_in_that_checks_the_same_gap():
    from backlint.config.config import config_from_mapping
    from backlint.selection import select_rules

    registry = load_plugins(())
    plain = {r.code for r in select_rules(config_from_mapping({}), registry.rules)}
    scrum = {
        r.code for r in select_rules(config_from_mapping({"packs": ["scrum"]}), registry.rules)
    }
    assert {"BL107", "BL110"} <= plain
    assert {"SCR101", "SCR102"} <= scrum
    assert not {"BL107", "BL110"} & scrum  # one gap, one finding
    assert "BL108" in scrum  # rules the pack does not replace still run

"""Rule documentation: the README's rule list stays in sync with the registered rules."""

from __future__ import annotations

from pathlib import Path

from backlint.engine.ruledocs import README_END, README_START, built_in_rules, sync_readme

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_lists_every_built_in_rule():
    text = README.read_text(encoding="utf-8")
    assert README_START in text and README_END in text
    assert sync_readme(text, built_in_rules()) == text, (
        "README.md's rule list is out of date: run `python -m backlint.engine.ruledocs --readme`"
    )


def test_sync_readme_replaces_only_the_marked_part():
    rules = built_in_rules()
    text = f"intro\n{README_START}\nstale\n{README_END}\noutro\n"
    synced = sync_readme(text, rules)
    assert synced.startswith(f"intro\n{README_START}\n- **clarity**: BL101 `title-length`")
    assert synced.endswith(f"{README_END}\noutro\n")
    assert "\nstale\n" not in synced
    assert all(code in synced for code in rules)


def test_pack_rules_are_listed_by_pack():
    listing = sync_readme(f"{README_START}\n{README_END}", built_in_rules())
    assert "- **`scrum` pack**: SCR101" in listing
    assert "- **hygiene**: BL501" in listing and "KAN101" not in listing.split("pack**")[0]


def test_explaining_a_rule_says_where_it_is_defined_and_who_it_speaks_to():
    from backlint.engine.ruledocs import explain_rule
    from backlint.plugins import load_plugins

    rules = load_plugins((), environ={"BACKLINT_LOAD_PLUGINS": ""}).rules
    text = explain_rule(rules["BL112"])
    assert "Defined in: backlint.rules.clarity.bugs (backlint/rules/clarity/bugs.py:" in text
    assert "Comments: stated in the ticket's comment" in text
    assert "Comments: a managed label" in explain_rule(rules["BL401"])
    assert "Defined in: rules/packs/scrum.toml" in explain_rule(rules["SCR101"])
    assert "Replaces: BL107" in explain_rule(rules["SCR101"])

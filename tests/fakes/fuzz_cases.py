"""Hypothesis strategies for what ``backlint audit FILE`` may be handed: an export file in any
shape the file source reads (the documents of :mod:`fakes.export_shapes`, as JSON or JSON Lines;
now and then cut short, with a BOM or not UTF-8), a config (known keys with good and bad values,
unknown keys, broken TOML) and a command line. Used by ``tests/test_fuzz.py`` (a few seconds in
CI) and ``bench/fuzz.py`` (the long run).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from fakes.export_shapes import (
    adf_docs,
    any_json,
    github_issues,
    jira_issues,
    jira_v2_searches,
    jira_v3_searches,
    webhooks,
    wiki_text,
)

# -- documents, files, configs and command lines ------------------------------------------------

documents = st.one_of(
    st.lists(github_issues(), max_size=5),
    github_issues(),
    webhooks,
    jira_v2_searches,
    jira_v3_searches,
    jira_issues(adf_docs),
    st.lists(jira_issues(st.one_of(adf_docs, wiki_text)), max_size=4),
    any_json,
)


@dataclass(frozen=True)
class ExportFile:
    """The bytes of one export file and a name that says what it holds."""

    name: str
    data: bytes


@st.composite
def export_files(draw: st.DrawFn) -> ExportFile:
    """A JSON or JSON Lines file of generated documents; sometimes cut short or mis-encoded."""
    docs = draw(st.lists(documents, min_size=1, max_size=3))
    if len(docs) == 1 or draw(st.booleans()):
        text = json.dumps(docs[0], indent=draw(st.sampled_from((None, 1))))
        name = "export.json"
    else:
        text = "\n".join(json.dumps(doc) for doc in docs)
        name = "export.jsonl"
    form = draw(st.integers(0, 19))
    if form == 0:  # cut short, as an interrupted download
        text = text[: draw(st.integers(0, len(text)))]
    elif form == 1:  # unescaped: a lone surrogate as raw bytes, which is not UTF-8
        text = json.dumps(docs[0], ensure_ascii=False)
    elif form == 2:
        text = "\ufeff" + text
    return ExportFile(name, text.encode("utf-8", "surrogatepass"))


_TOML_KEYS = {
    "select": st.lists(st.sampled_from(("ALL", "BL1", "BL201", "clarity", "nope")), max_size=3),
    "ignore": st.lists(st.sampled_from(("BL101", "BL5", "hygiene")), max_size=2),
    "fail-on": st.sampled_from(("error", "warning", "info", "never", "loud")),
    "format": st.sampled_from(("text", "json", "markdown", "html", "csv", "xml")),
    "extends": st.lists(st.sampled_from(("default", "strict", "scrum", "none")), max_size=2),
}
_TOML_TABLES = {
    "writeback": {
        "limit": st.integers(-2, 5),
        "failure-budget": st.integers(-1, 6),
        "on-clean": st.sampled_from(("resolve", "delete", "keep")),
        "min-severity": st.sampled_from(("info", "warning", "error", "huge")),
        "comment": st.booleans(),
    },
    "priority": {
        "scale": st.lists(st.sampled_from(("P0", "P1", "High", "Low")), max_size=4),
        "field": st.sampled_from(("Priority", "")),
    },
    "kinds": {"Bug": st.sampled_from(("bug", "story", "nonsense"))},
    "rules.BL101": {
        "severity": st.sampled_from(("error", "info", "off", "bad")),
        "min_words": st.integers(-1, 12),
    },
    "objectives": {"labels": st.lists(st.sampled_from(("okr:conversion", "goal")), max_size=2)},
    "jira.fields": {"story_points": st.sampled_from(("customfield_10016", ""))},
}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"


@st.composite
def configs(draw: st.DrawFn) -> str | None:
    """A ``.backlint.toml`` text (None: no config file); unknown keys and bad TOML at times."""
    if draw(st.integers(0, 3)) == 0:
        return None
    lines = []
    for key, strategy in _TOML_KEYS.items():
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"{key} = {_toml_value(draw(strategy))}")
    for table, keys in _TOML_TABLES.items():
        if draw(st.integers(0, 3)) == 0:
            lines.append(f"[{table}]")
            for key, strategy in keys.items():
                if draw(st.booleans()):
                    lines.append(f"{key} = {_toml_value(draw(strategy))}")
    if draw(st.integers(0, 9)) == 0:
        lines.append(draw(st.sampled_from(("unknown-key = 1", "[[select]]", "= broken", "x ="))))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Case:
    """One fuzz case: an export file, a config, and the command line's extra arguments."""

    export: ExportFile
    config: str | None
    args: tuple[str, ...]


FORMATS = ("text", "json", "markdown", "html", "csv", "csv-summary", "github")

cases = st.builds(
    Case,
    export=export_files(),
    config=configs(),
    args=st.tuples(
        st.sampled_from(("audit", "audit", "audit", "check")),
        st.sampled_from(FORMATS),
        st.sampled_from(((), ("--fail-on", "never"), ("--select", "BL1,BL2"), ("--limit", "1"))),
    ).map(lambda t: (t[0], "--format", t[1], *t[2])),
)

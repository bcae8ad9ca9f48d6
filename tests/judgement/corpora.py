"""Real tickets from ``../shared/corpora``, read at run time and never copied into the project.

Each loader yields ``(ticket, gold)`` pairs: a normalised :class:`~backlint.model.Ticket` whose
key is the corpus's own id (a Jira key, ``owner/repo#train12`` for the NLBSE rows, ``g05_x:123``
for Dalpiaz, the UStAI ``ID``) and the labels the corpus itself carries for some rules.
A corpus that is absent yields nothing; callers check :func:`available` and skip.

* ``dalpiaz`` - user stories with role / action / benefit spans: BL110 against "no Benefit span",
  BL108 against "no Persona span".
* ``ustai`` - LLM-written stories with QUS labels: BL111 against ``atomic``, BL104 against
  ``Unambiguous``.
* ``tawosi`` - Jira issues in wiki markup; issue types only for COMPASS and FAB. The CSV lost the
  descriptions' line breaks (runs of spaces remain); they are put back before conversion.
* ``nlbse`` - GitHub issues in Markdown; pull requests (opencv's PR template) are left out.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from backlint.config.config import Config
from backlint.config.conventions import normalise
from backlint.markup import markdown_to_text, wiki_to_text
from backlint.model import Ticket

CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
FOLDERS = {
    "dalpiaz": "dalpiaz-userstories",
    "ustai": "ustai-qus-annotated",
    "tawosi": "tawosi-jira-storypoints",
    "nlbse": "nlbse24-github-issues",
}

Labelled = tuple[Ticket, dict[str, bool]]


def available(name: str) -> bool:
    """Whether corpus ``name`` is present beside the project."""
    return (CORPORA / FOLDERS[name]).is_dir()


def _ticket(key: str, **values) -> Ticket:
    values.setdefault("tracker", "corpus")
    values.setdefault("kind", "")  # as the adapters map a ticket with no type
    return normalise(Ticket(key=key, **values), Config())


def dalpiaz() -> Iterator[Labelled]:
    """Dalpiaz user stories with role / benefit gold spans."""
    folder = CORPORA / FOLDERS["dalpiaz"] / "entity-annotations"
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            text = re.sub(r"^#G\d+#\s*", "", item["text"])
            labels = {e["label"] for e in item.get("entities", ())}
            gold = {"BL110": "Benefit" not in labels, "BL108": "Persona" not in labels}
            yield _ticket(f"{path.stem}:{item['id']}", kind="story", body=text), gold


def ustai() -> Iterator[Labelled]:
    """UStAI stories with QUS labels (atomic, unambiguous)."""
    path = CORPORA / FOLDERS["ustai"] / "UStAI-annotated_updated.csv"
    with path.open(encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            gold = {"BL111": row["atomic"] == "conjunctions"}
            if row["Unambiguous"] in ("Unambiguous", "Vagueness"):
                gold["BL104"] = row["Unambiguous"] == "Vagueness"
            yield _ticket(row["ID"], kind="story", body=row["User story"]), gold


def tawosi() -> Iterator[Labelled]:
    """Real Jira issues; kinds from the one-hot type columns where the corpus has them."""
    folder = CORPORA / FOLDERS["tawosi"]
    kinds: dict[str, str] = {}
    for path in sorted(folder.glob("*_tfidf-se.csv")):
        with path.open(encoding="utf-8", errors="replace") as handle:
            for row in csv.DictReader(handle):
                for column, value in row.items():
                    if column.startswith("t_") and value == "1":
                        kinds[row["issuekey"]] = column[2:].replace(".", " ")
    for path in sorted(folder.glob("*_deep-se.csv")):
        with path.open(encoding="utf-8", errors="replace") as handle:
            for row in csv.DictReader(handle):
                # the CSV lost the line breaks (runs of spaces remain): put them back
                text = re.sub(r" {2,}|\u00a0", "\n", row.get("description") or "")
                values = {"title": row["title"], "body": wiki_to_text(text)}
                if row["issuekey"] in kinds:
                    values["kind"] = kinds[row["issuekey"]]
                yield _ticket(row["issuekey"], **values), {}


def nlbse() -> Iterator[Labelled]:
    """Real GitHub issues: bug reports and feature requests, labelled as the corpus labels them."""
    folder = CORPORA / FOLDERS["nlbse"]
    csv.field_size_limit(10**9)
    for name in ("issues_train.csv", "issues_test.csv"):
        with (folder / name).open(encoding="utf-8", errors="replace") as handle:
            for index, row in enumerate(csv.DictReader(handle)):
                if "Pull Request Readiness Checklist" in row["body"]:
                    continue  # pull requests (opencv's template) are not backlog items
                if row["label"] not in ("bug", "feature"):
                    continue  # support questions
                yield (
                    _ticket(
                        f"{row['repo']}#{name[7:-4]}{index}",
                        title=row["title"],
                        body=markdown_to_text(row["body"]),
                        labels=(row["label"],),
                    ),
                    {},
                )


LOADERS = {"dalpiaz": dalpiaz, "ustai": ustai, "tawosi": tawosi, "nlbse": nlbse}

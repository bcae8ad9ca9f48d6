"""The parsed document the text rules share, and the folded (lower-cased) pattern search."""

from __future__ import annotations

import re

import pytest

from backlint.rules.text.document import Document, document
from backlint.rules.text.folded import Folded
from backlint.rules.text.lines import MAX_CHARS, WORD
from backlint.rules.text.patterns import lazy

BODY = """## Problem

The export takes 40 s for a large project. Users give up, e.g. Mr. Smith did. The
dialog closes without saving anything.

```
Traceback (most recent call last):
  File "export.py", line 3
```

Acceptance criteria:
- [ ] Export finishes in under 5 s
- [x] A progress bar is shown

**Notes:**
See https://example.com/docs for details.
"""


def test_the_same_text_gives_the_same_document():
    assert document(BODY) is document(BODY[:-1] + "\n")
    assert document(BODY) is not document(BODY + " ")


def test_a_document_reads_code_sections_labels_and_task_items():
    read = Document(BODY)
    assert "Traceback" not in read.code_free and "Traceback" in read.text
    assert read.code_free_lines == read.code_free.splitlines()
    assert [s.title for s in read.sections] == ["Problem", "Acceptance criteria", "Notes"]
    assert read.sections[1].text.startswith("- [ ] Export finishes")
    assert read.label_lines[:2] == ("problem", "acceptance criteria")
    assert read.task_items == (
        (False, "Export finishes in under 5 s"),
        (True, "A progress bar is shown"),
    )
    assert "acceptance criteria" not in read.without_criteria.lower()
    assert "Export finishes" not in read.without_criteria
    assert "export takes 40 s" in read.without_criteria


def test_a_document_reads_prose_and_sentences():
    read = Document(BODY)
    assert "https://" not in read.prose and "Traceback" not in read.prose
    # "e.g." and "Mr." do not end a sentence; the heading and list items are blocks of their own
    assert "Users give up, e.g. Mr. Smith did." in read.sentences
    assert "Problem" in read.prose_blocks
    flags = dict(zip(read.sentences, read.prose_flags, strict=True))
    assert flags["The dialog closes without saving anything."] is True  # one sentence, two lines
    assert flags["The export takes 40 s for a large project."] is False  # "40": data-like
    sentence, count, total = read.longest_sentence
    assert count == len(sentence.split()) and total >= count
    assert 0 < read.reading_ease < 120


def test_tokens_keep_joined_words_whole():
    read = Document("Use and/or the user-friendly mode, don't WAIT")
    assert read.tokens == ("use", "and/or", "the", "user-friendly", "mode", "don't", "wait")
    assert read.joined_tokens == " use and/or the user-friendly mode don't wait "
    assert read.token_set == frozenset(read.tokens)


@pytest.mark.parametrize(
    "text",
    ["", "one", "two words", "word " * 50, ("lorem ipsum " * 3000), "x1 " * 400 + "a b c"],
)
@pytest.mark.parametrize("limit", [1, 3, 10, 41, 200])
def test_words_up_to_is_the_count_capped_at_the_limit(text, limit):
    expected = min(len(WORD.findall(text[:MAX_CHARS])), limit)
    assert Document(text).words_up_to(limit) == expected
    read = Document(text)
    assert read.word_count == len(WORD.findall(text[:MAX_CHARS]))
    assert read.words_up_to(limit) == expected  # from the full count, once it is known


def test_readings_are_computed_once_and_kept():
    read = Document(BODY)
    assert read.sections is read.sections
    assert "sections" in vars(read)
    assert "sentences" not in vars(Document(BODY))


PHRASES = r"\b(?:so\s+that|in\s+order\s+to|because)\b"


@pytest.mark.parametrize(
    "text",
    [
        "We need it SO THAT users can pay.",
        "nothing here",
        "Because. because, BeCaUsE",
        "naïve café, so that it works",  # not ASCII: searched case-insensitively
        "KELVIN \u212a and long \u017f: in order to",
    ],
)
def test_a_folded_pattern_finds_what_the_case_insensitive_one_finds(text):
    folded = Folded(PHRASES)
    plain = re.compile(PHRASES, re.IGNORECASE)
    found, expected = folded.search(text), plain.search(text)
    assert (found and found.span()) == (expected and expected.span())
    assert [m.span() for m in folded.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_unicode_case_folding_is_kept_for_text_that_is_not_ascii():
    # re.IGNORECASE matches the long s and the Kelvin sign; str.lower() does not fold them
    assert Folded(r"\bsteps\b").search("\u017fteps to reproduce")
    assert Folded(r"kelvin").search("\u212aELVIN")


def test_a_folded_match_gives_the_words_as_written():
    role = Folded(r"as\s+an?\s+(?P<role>\w+(?:\s\w+)?),")
    text = "AS A Store Manager, I want reports"
    found = role.search(text)
    assert found.group("role") == "store manager"  # the lower-cased text's
    assert role.as_written(text, found).group("role") == "Store Manager"
    assert role.as_written(text, found).span() == found.span()


def test_a_pattern_with_capitals_answers_as_the_case_insensitive_one():
    # under re.IGNORECASE "[A-Z]" matches small letters too; lower-casing the text would
    # leave nothing for it to match, so such a pattern (a team's own, say) is not folded
    source = r"\b[A-Z]{2,}-\d+\b"
    for text in ("see ABC-12", "see abc-12", "nothing"):
        found, expected = Folded(source).search(text), re.search(source, text, re.IGNORECASE)
        assert (found and found.span()) == (expected and expected.span())


def test_search_between_positions_and_with_the_text_lowered_at_hand():
    folded = Folded(r"because")
    text = "It fails BECAUSE of X; because"
    assert folded.search(text, 0, 10) is None
    assert folded.search(text, 5).span() == (9, 16)
    assert folded.search(text, 17, lowered=text.lower()).start() == text.rindex("because")
    assert folded.match("Because it is") and not folded.match("It is because")


def test_a_lazy_pattern_compiles_on_first_use_and_answers_as_re_does():
    source = r"\b(?P<word>fail\w*)\b"
    pattern, plain = lazy(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert pattern.pattern == source and "search" not in vars(pattern)  # not compiled yet
    text = "It FAILED twice; failing again"
    assert pattern.search(text).group("word") == plain.search(text).group("word") == "FAILED"
    assert "search" in vars(pattern)  # the compiled pattern's own method from now on
    assert pattern.findall(text) == plain.findall(text)
    assert pattern.sub("x", text) == plain.sub("x", text)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert pattern.flags == plain.flags and pattern.groupindex == plain.groupindex


def test_fenced_blocks_and_the_text_without_them():
    body = "before\n```\ncode 1\n```\nmiddle ``` inline\n  ~~~\n~~~\nafter\n```py\nopen 1\nopen 2"
    read = Document(body)
    # an empty block counts; a fence left open runs to the end; ``` inside a line is no fence
    assert read.fenced_blocks == ("code 1", "", "open 1\nopen 2")
    assert read.code_free == "before\nmiddle ``` inline\nafter"
    assert Document("no code at all").fenced_blocks == ()
    assert Document("```\n```").fenced_blocks == ("",) and Document("x\n```").fenced_blocks == ()

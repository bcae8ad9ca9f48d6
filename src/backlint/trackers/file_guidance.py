"""What the export-file source says when a file is not one it can use.

:func:`decode` turns a file's bytes into text, or refuses them in one line (binary data, text
that is not UTF-8); :func:`not_an_export` names a known export format backlint does not read
itself (CSV, Excel, XML, HTML) and says what it does read; :func:`unknown_key` shows how a
file's keys are written when ``FILE::KEY`` names none of them. Every message is one line that
starts with the file's path.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from pathlib import Path

from backlint.errors import SourceError
from backlint.model import Ticket

_SHAPES = "(GitHub issues or a webhook payload, Jira search results or issues)"
#: What the export-file source reads, in the words of a user's export menu.
READS = f"backlint reads JSON exports {_SHAPES} and JSON Lines of them"
#: Where the CSV tracker comes from: an example plugin in backlint's repository.
CSV_PLUGIN = (
    "the backlint-csv plugin (pip install ./plugins/backlint-csv, from backlint's repository)"
)

# The first bytes of binary formats an export menu offers, checked before the generic
# "binary data" line so the message can say what the file is.
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office files (.xls)
_GZIP = b"\x1f\x8b"
_EXCEL = (".xlsx", ".xlsm", ".xls")
# Control characters no text file holds (tab, newlines, form feed, backspace and escape are
# left out: logs and old editors write them).
_CONTROL = frozenset(set(range(0x20)) - {0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1B}) | {0x7F}
SNIFF = 8192  # bytes looked at to tell binary data from text
_KEYS_SHOWN = 3


def decode(path: Path, raw: bytes) -> str:
    """The text of a file's bytes: UTF-8 (a BOM is dropped), or UTF-16/32 with a byte-order
    mark (what Windows PowerShell 5 writes); SourceError for binary data and other encodings."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        # UTF-32 first: its little-endian mark starts with UTF-16's.
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                raise SourceError(
                    f"{path}: not valid {codec.upper().removesuffix('-SIG')} text although it "
                    f"starts with that byte-order mark; {READS}"
                ) from None
    binary = binary_format(path, raw)
    if binary:
        raise SourceError(f"{path}: {binary}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise SourceError(
            f"{path}: not UTF-8 text (byte 0x{raw[err.start]:02x} on line {line}); backlint "
            "reads JSON exports in UTF-8: save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 "
            "-t UTF-8)"
        ) from None


def binary_format(path: Path, raw: bytes) -> str | None:
    """What a binary file is (after the path), or None when ``raw`` looks like text."""
    if raw.startswith(_OLE) or (raw.startswith(_ZIP) and path.suffix.lower() in _EXCEL):
        return _excel()
    if raw.startswith(_ZIP):
        return f"a ZIP archive; unzip it and audit the folder it holds: {READS}"
    if raw.startswith(_GZIP):
        return f"gzip-compressed; gunzip it first: {READS}"
    head = raw[:SNIFF]
    if b"\x00" in head or sum(byte in _CONTROL for byte in head) > len(head) // 100:
        return f"not a text file (binary data); {READS}"
    return None


def _excel() -> str:
    return f"an Excel workbook; {READS}, and CSV with {CSV_PLUGIN}: save the sheet as CSV"


def not_an_export(path: Path, text: str) -> str | None:
    """The one line for text that is not JSON but a known export format (by the file's name,
    then by its first line); None when it is none of them."""
    suffix = path.suffix.lower()
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if suffix in (".csv", ".tsv"):
        return (
            f"{path}: a CSV file; backlint reads CSV with {CSV_PLUGIN}, and JSON exports "
            f"{_SHAPES} itself"
        )
    if suffix in _EXCEL:
        return f"{path}: {_excel()}"
    lowered = first.lower()
    if suffix in (".html", ".htm") or lowered.startswith(("<!doctype html", "<html")):
        return f"{path}: an HTML page; {READS}, and CSV with {CSV_PLUGIN}"
    if suffix == ".xml" or lowered.startswith(("<?xml", "<rss")):
        return f"{path}: an XML export; {READS}, and CSV with {CSV_PLUGIN}"
    if _looks_like_csv(first, text):
        # The plugin claims *.csv; another name needs its scheme.
        return (
            f"{path}: neither JSON nor JSON Lines; it looks like CSV: backlint audit "
            f"csv:{path} reads it with {CSV_PLUGIN}"
        )
    return None


def _looks_like_csv(first: str, text: str) -> bool:
    """A header line of delimited names, followed by at least one more line."""
    if first.startswith(("{", "[", '{"')) or text.count("\n") < 1:
        return False
    return any(first.count(delimiter) >= 1 for delimiter in (",", ";", "\t"))


def folder_without_exports(path: Path) -> str:
    """The one line for a folder with no .json or .jsonl file; names the plugin for CSV files."""
    message = f"{path}: a folder with no .json or .jsonl export files"
    csvs = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if csvs:
        message += f"; {CSV_PLUGIN} reads its .csv files one at a time: backlint audit {csvs[0]}"
    return message


def unknown_key(source: str, key: str, tickets: Sequence[Ticket]) -> str:
    """The one line for ``SOURCE::KEY`` naming no ticket: the key meant, when one matches but
    for its repository or case, else how the keys of SOURCE are written, with a real one."""
    where = "folder" if Path(source).is_dir() else "file"
    keys = [ticket.key for ticket in tickets if not ticket.load_error]
    if not keys:
        return f"{source}: no ticket {key!r}: the {where} holds no readable ticket"
    meant = [candidate for candidate in keys if _same_ticket(candidate, key)]
    if meant:
        named = " or ".join(f"{source}::{candidate}" for candidate in meant[:_KEYS_SHOWN])
        return f"{source}: no ticket {key!r} in the {where}; did you mean {named}?"
    examples = key_formats(keys)
    return (
        f"{source}: no ticket {key!r} in the {where}; keys look like {' or '.join(examples)}: "
        f"{source}::{examples[0]}"
    )


def key_formats(keys: Sequence[str]) -> list[str]:
    """One key of each format (``acme/shop#1``, ``PAY-2``), the first few, in file order."""
    seen: dict[str, str] = {}
    for key in keys:
        seen.setdefault(re.sub(r"\d+", "0", key), key)
        if len(seen) == _KEYS_SHOWN:
            break
    return list(seen.values())


def _same_ticket(candidate: str, asked: str) -> bool:
    """Whether ``asked`` names ``candidate`` but for case or a leading repository / project
    (``2``, ``#2`` or ``shop#2`` for ``acme/shop#2``; ``12`` or ``shop-12`` for ``SHOP-12``)."""
    full, short = candidate.lower(), asked.strip().lower()
    if not short or not full.endswith(short):
        return False
    return full == short or short[0] in "#-/" or full[-len(short) - 1] in "#-/"

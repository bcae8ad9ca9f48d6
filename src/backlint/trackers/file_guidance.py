"""What the export-file source says when a file is not one it can use.

:func:`unknown_key` shows how a file's keys are written when ``FILE::KEY`` names none of them.
Every message is one line that starts with the file's path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from backlint.model import Ticket

_KEYS_SHOWN = 3


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

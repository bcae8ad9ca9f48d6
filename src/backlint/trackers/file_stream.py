"""Reading a JSON export one element at a time, so a big file is never held whole.

An export of 50,000 issues is a few hundred megabytes of JSON; parsed whole it becomes a
Python object tree several times that size, held until the last issue is mapped. The stdlib
has no incremental JSON parser, so :class:`JsonStream` reads the file in chunks (UTF-8 decoded
incrementally) and hands each array element or object member to ``json``'s own decoder
(``raw_decode``): the file source maps an element to a ticket and lets its tree go before the
next is read. Only UTF-8 text that is one JSON document is streamed; anything else (another
encoding, binary data, JSON Lines, a syntax error anywhere) raises :class:`Unstreamable`, and
the caller reads the file whole as before, which also gives every error its one-line message.

Lone surrogates (``"\\ud800"``: valid JSON escapes, but no text an encoder can write) become
U+FFFD in every value read, as :func:`without_lone_surrogates` does for a whole document.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any

CHUNK = 1 << 20  # bytes read at a time; a longer element is read in more
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_DECODER = json.JSONDecoder()


class Unstreamable(Exception):
    """The file is not one JSON document in UTF-8 this reader can stream: read it whole."""


class JsonStream:
    """A cursor over the JSON text of a binary file, read and decoded a chunk at a time.

    The methods follow the document's structure: :meth:`peek` names the next value's first
    character, :meth:`value` decodes one whole value, :meth:`elements` yields an array's elements
    and :meth:`members` an object's keys (the caller reads each member's value before the next
    key). Text already read is dropped as the cursor moves on.
    """

    def __init__(self, handle: IO[bytes], chunk: int = CHUNK) -> None:
        self._handle = handle
        self._chunk = chunk
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._text = ""
        self._at = 0
        self._eof = False

    def _more(self, wanted: int = 0) -> bool:
        """Read at least ``wanted`` more bytes (a chunk at least); False at the end."""
        if self._eof:
            return False
        data = self._handle.read(max(self._chunk, wanted))
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise Unstreamable from None
        self._text = self._text[self._at :] + text
        self._at = 0
        self._eof = not data
        return bool(data)

    def peek(self) -> str:
        """The next character that is not whitespace; "" at the end of the file."""
        while True:
            self._at = _WHITESPACE.match(self._text, self._at).end()
            if self._at < len(self._text):
                return self._text[self._at]
            if not self._more():
                return ""

    def _expect(self, char: str) -> None:
        if self.peek() != char:
            raise Unstreamable
        self._at += 1

    def value(self) -> Any:
        """The next whole JSON value, its strings free of lone surrogates."""
        self.peek()
        wanted = self._chunk
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._at)
            except json.JSONDecodeError:
                if self._eof:
                    raise Unstreamable from None
            except (RecursionError, ValueError):  # nested too deeply, a number too long
                raise Unstreamable from None
            else:
                # A value that ends where the text read so far ends may go on (a number).
                if end < len(self._text) or self._eof:
                    start, self._at = self._at, end
                    if _SURROGATE_ESCAPE.search(self._text, start, end):
                        value = without_lone_surrogates(value)
                    return value
            # Cut off by the chunk: read more (twice as much each time, so a long value is
            # decoded a bounded number of times) and decode it again.
            self._more(wanted)
            wanted = 2 * len(self._text)

    def elements(self) -> Iterator[Any]:
        """Each element of the array that starts here, then past its closing bracket."""
        self._expect("[")
        if self.peek() == "]":
            self._at += 1
            return
        while True:
            yield self.value()
            following = self.peek()
            self._at += 1
            if following == "]":
                return
            if following != ",":
                raise Unstreamable

    def members(self) -> Iterator[str]:
        """Each key of the object that starts here; read the member's value before the next."""
        self._expect("{")
        if self.peek() == "}":
            self._at += 1
            return
        while True:
            if self.peek() != '"':
                raise Unstreamable
            key = self.value()
            self._expect(":")
            yield key
            following = self.peek()
            self._at += 1
            if following == "}":
                return
            if following != ",":
                raise Unstreamable

    def end(self) -> None:
        """Check that nothing but whitespace follows the document."""
        if self.peek():
            raise Unstreamable


def skip_byte_order_mark(handle: IO[bytes]) -> None:
    """Step over a UTF-8 byte-order mark; Unstreamable for UTF-16 and UTF-32 ones."""
    head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        handle.seek(3)
        return
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head == codecs.BOM_UTF32_BE:
        raise Unstreamable
    handle.seek(0)


def without_lone_surrogates(document: Any) -> Any:
    """A copy of ``document`` whose strings (keys too) hold no lone surrogate; iterative."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return _LONE_SURROGATE.sub("\ufffd", value)
        return value

    root: list[Any] = [document]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        container, slot = stack.pop()
        value = container[slot]
        if isinstance(value, dict):
            copy = {clean(key): item for key, item in value.items()}
            container[slot] = copy
            stack.extend((copy, key) for key in copy)
        elif isinstance(value, list):
            copy = list(value)
            container[slot] = copy
            stack.extend((copy, index) for index in range(len(copy)))
        else:
            container[slot] = clean(value)
    return root[0]

"""Splitting a raw TCP byte stream into JSON documents.

Neither Kobikom TCP service documents its framing (digest §1.2, §1.4: "newline
delimited, concatenated JSON and length prefixes are all possible").  We
therefore accept every reasonable variant on the same connection:

* one object per line (``\\n`` or ``\\r\\n``), or objects back to back with
  no separator at all, or pretty-printed objects spanning lines;
* objects split across reads at any byte, including inside a multi-byte
  UTF-8 character (an incremental UTF-8 decoder holds the partial bytes);
* blank lines and keep-alive noise (``ping``, NUL bytes, ``\\r``) between
  objects;
* garbage followed by a valid object: the garbage is skipped, we
  resynchronise on the next ``{`` that starts a valid document, and the
  caller is told (it logs once per connection and counts every time);
* a top-level JSON array is passed on as one value (the channel expands it).

A length prefix such as ``123\\n{...}`` is tolerated as well: the digits
are skipped as noise (they are not valid JSON by themselves before ``{``).

**Oversized documents are skipped, not fatal.**  A document larger than
``max_frame`` bytes is never buffered whole: once it outgrows the limit its
text is dropped and only the validator's small state (the nesting stack) is
kept, so the decoder follows the document to its end, tells the caller
(``on_oversized(size)``), and goes on with the next document in the same
read.  This holds for every framing above, and whatever the read splits
(a complete oversized document in one read is skipped as well, so the
result does not depend on how the bytes arrived).  Only a document that
never ends (still open after ``max_skip`` bytes) raises
:class:`FrameTooLargeError`, and the channel then drops the connection
instead of reading without bound.

Performance: complete documents go through ``json.JSONDecoder.raw_decode``
(C speed).  Only an incomplete tail or a suspected garbage region is run
through the small pure-Python validator below, and that validator is
resumable, so a document trickling in one byte at a time costs O(n) in
total, not O(n^2).  Inside strings it jumps to the next quote or backslash
with a regular expression, so skipping a 2 MiB padding string costs
milliseconds, not a Python loop per character.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from typing import Any, Final

DEFAULT_MAX_FRAME: Final = 1 << 20  # 1 MiB
#: A document still open after ``max_frame * MAX_SKIP_FACTOR`` bytes never
#: ends as far as we are concerned: the connection is reset.
MAX_SKIP_FACTOR: Final = 16
#: Deeper nesting is not an event (json itself gives up near 1000 levels).
MAX_DEPTH: Final = 1000

_START = re.compile(r"[{\[]")
# One character (or keyword) per repetition: ``\d+`` inside ``*`` would
# backtrack exponentially on a long digit run followed by garbage.
_KEEPALIVE_NOISE = re.compile(r"(?:ping|pong|heartbeat|keepalive|keep-alive|[\s\x00\d])*",
                              re.IGNORECASE)
_OPENERS = frozenset("{[ \t\r\n")
_KEEPALIVE_WORDS = ("ping", "pong", "heartbeat", "keepalive", "keep-alive")
_LONGEST_WORD = max(map(len, _KEEPALIVE_WORDS))


def _partial_keepalive(text: str) -> int:
    """Length of the longest suffix of *text* that starts a keep-alive word."""
    for size in range(min(len(text), _LONGEST_WORD - 1), 0, -1):
        tail = text[-size:].lower()
        if any(word.startswith(tail) for word in _KEEPALIVE_WORDS):
            return size
    return 0


def _reject_constant(name: str) -> Any:
    # json accepts NaN/Infinity; JSON (and our prefix validator) does not.
    # Rejecting them here keeps the result independent of how reads split.
    raise ValueError(f"non-standard JSON constant {name}")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


class FramingError(Exception):
    """The byte stream cannot be framed any more; drop the connection."""


class FrameTooLargeError(FramingError):
    """A document did not end within ``max_skip`` bytes (it never ends).

    ``documents`` holds the documents the same :meth:`JsonStreamDecoder.feed`
    call completed before the oversized one, so nothing decoded is lost.
    """

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"JSON frame still open after {size} bytes (limit {limit})")
        self.size = size
        self.limit = limit
        self.documents: list[Any] = []


# ---------------------------------------------------------------- prefix validator

# Validator states.
(_VALUE, _AFTER_VALUE, _KEY_OR_END, _KEY, _COLON, _STRING, _NUMBER, _LITERAL, _DONE,
 _VALUE_OR_END) = range(10)
_WS = frozenset(" \t\r\n")
_DIGITS = frozenset("0123456789")
_NUMBER_CHARS = frozenset("0123456789+-.eE")
_LITERALS = {"t": "true", "f": "false", "n": "null"}
_HEX = frozenset("0123456789abcdefABCDEF")
#: What ends a run of plain string characters: a quote, a backslash, a control character.
_STRING_SPECIAL = re.compile(r'["\\\x00-\x1f]')


class _PrefixValidator:
    """Incrementally checks that text is a prefix of one JSON document.

    ``feed(text)`` returns ``("more", None)`` while the text so far can still
    become valid JSON, ``("done", n)`` when the document ends after ``n``
    characters of *this* call's text, and ``("bad", n)`` when character ``n``
    of this call's text cannot belong to a JSON document.
    """

    __slots__ = ("_esc", "_hex", "_lit", "_lit_pos", "_stack", "_state", "_string_is_key")

    def __init__(self) -> None:
        self._stack: list[str] = []  # "{" or "["
        self._state = _VALUE
        self._string_is_key = False
        self._esc = False
        self._hex = 0
        self._lit = ""
        self._lit_pos = 0

    def _end_value(self) -> int:
        return _AFTER_VALUE if self._stack else _DONE

    def feed(self, text: str) -> tuple[str, int | None]:  # a state machine: one long loop
        i = 0
        n = len(text)
        while i < n:
            ch = text[i]
            st = self._state
            if st == _STRING:
                if not (self._hex or self._esc):
                    found = _STRING_SPECIAL.search(text, i)
                    if found is None:
                        return "more", None
                    i = found.start()
                    ch = text[i]
                if self._hex:
                    if ch not in _HEX:
                        return "bad", i
                    self._hex -= 1
                elif self._esc:
                    if ch == "u":
                        self._hex = 4
                    elif ch not in '"\\/bfnrt':
                        return "bad", i
                    self._esc = False
                elif ch == "\\":
                    self._esc = True
                elif ch == '"':
                    self._state = _COLON if self._string_is_key else self._end_value()
                    if self._state == _DONE:
                        return "done", i + 1
                elif ch < " ":
                    return "bad", i  # raw control characters (newlines) are not JSON
                i += 1
                continue
            if st == _NUMBER:
                if ch in _NUMBER_CHARS:
                    i += 1
                    continue
                self._state = self._end_value()
                if self._state == _DONE:
                    return "done", i
                continue  # re-examine ch in the new state
            if st == _LITERAL:
                if ch != self._lit[self._lit_pos]:
                    return "bad", i
                self._lit_pos += 1
                i += 1
                if self._lit_pos == len(self._lit):
                    self._state = self._end_value()
                    if self._state == _DONE:
                        return "done", i
                continue
            if ch in _WS:
                i += 1
                continue
            if st == _VALUE_OR_END and ch == "]":
                # an empty array; "[" may have come in an earlier read
                self._stack.pop()
                self._state = self._end_value()
                if self._state == _DONE:
                    return "done", i + 1
            elif st in (_VALUE, _VALUE_OR_END):
                if ch in "{[" and len(self._stack) >= MAX_DEPTH:
                    return "bad", i
                if ch == "{":
                    self._stack.append("{")
                    self._state = _KEY_OR_END
                elif ch == "[":
                    self._stack.append("[")
                    self._state = _VALUE_OR_END
                elif ch == '"':
                    self._state = _STRING
                    self._string_is_key = False
                elif ch == "-" or ch in _DIGITS:
                    self._state = _NUMBER
                elif ch in _LITERALS:
                    self._state = _LITERAL
                    self._lit = _LITERALS[ch]
                    self._lit_pos = 1
                else:
                    return "bad", i
            elif st in (_KEY_OR_END, _KEY):
                if ch == '"':
                    self._state = _STRING
                    self._string_is_key = True
                elif ch == "}" and st == _KEY_OR_END:
                    self._stack.pop()
                    self._state = self._end_value()
                    if self._state == _DONE:
                        return "done", i + 1
                else:
                    return "bad", i
            elif st == _COLON:
                if ch != ":":
                    return "bad", i
                self._state = _VALUE
            elif st == _AFTER_VALUE:
                top = self._stack[-1]
                if ch == ",":
                    self._state = _KEY if top == "{" else _VALUE
                elif (ch == "}" and top == "{") or (ch == "]" and top == "["):
                    self._stack.pop()
                    self._state = self._end_value()
                    if self._state == _DONE:
                        return "done", i + 1
                else:
                    return "bad", i
            i += 1
        return "more", None


# ---------------------------------------------------------------- the decoder


class JsonStreamDecoder:
    """Feed bytes in, get complete JSON values out.

    ``on_garbage(sample)`` is called for every skipped region of non-JSON,
    non-keep-alive text (the channel logs the first one and counts all);
    ``on_oversized(size)`` for every document larger than ``max_frame``
    that was skipped (its size in bytes, as far as it was read).
    """

    def __init__(
        self,
        *,
        max_frame: int = DEFAULT_MAX_FRAME,
        max_skip: int | None = None,
        on_garbage: Callable[[str], None] | None = None,
        on_oversized: Callable[[int], None] | None = None,
    ) -> None:
        self.max_frame = max_frame
        self.max_skip = max_skip if max_skip is not None else max_frame * MAX_SKIP_FACTOR
        if self.max_skip < self.max_frame:
            raise ValueError("max_skip must not be smaller than max_frame")
        self._on_garbage = on_garbage
        self._on_oversized = on_oversized
        self._utf8 = codecs.getincrementaldecoder("utf-8")("replace")
        # An open (incomplete) document: its text in pieces, so that a frame
        # trickling in byte by byte costs O(n) and not O(n^2) in copies.
        self._parts: list[str] = []
        self._open: _PrefixValidator | None = None
        self._open_chars = 0
        self._open_bytes = 0
        # An oversized document being skipped: only its validator is kept.
        self._skipping: _PrefixValidator | None = None
        self._skipped = 0
        self.garbage_regions = 0
        self.documents = 0
        #: Documents larger than ``max_frame`` that were skipped.
        self.oversized = 0
        # The start of a keep-alive word at the end of the last read ("pi"),
        # kept so that "ping" split across reads is not reported as garbage.
        self._noise_tail = ""

    @property
    def pending(self) -> int:
        """Characters buffered for an incomplete document."""
        return self._open_chars

    @property
    def skipping(self) -> bool:
        """An oversized document is being skipped."""
        return self._skipping is not None

    def feed(self, data: bytes) -> list[Any]:
        """Decode *data* and return every document it completes, in order.

        Raises :class:`FrameTooLargeError` (carrying the documents completed
        before it) when a document is still open after ``max_skip`` bytes;
        the decoder is then empty and may be fed again.
        """
        text = self._utf8.decode(data)
        if not text:
            return []
        if self._noise_tail:
            text = self._noise_tail + text
            self._noise_tail = ""
        out: list[Any] = []
        try:
            if self._skipping is not None:
                self._skip(self._skipping, text, out)
            elif self._open is None:
                self._scan(text, 0, out)
            else:
                self._continue(self._open, text, out)
        except FrameTooLargeError as exc:
            exc.documents = out
            raise
        return out

    # -- internals ---------------------------------------------------------

    def _continue(self, validator: _PrefixValidator, text: str, out: list[Any]) -> None:
        status, at = validator.feed(text)
        if status == "more":
            self._parts.append(text)
            self._open_chars += len(text)
            self._open_bytes += _utf8_size(text)
            self._check_bound()
            return
        start_of_new = self._open_chars
        self._parts.append(text)
        buf = "".join(self._parts)
        self._reset_open()
        if status == "done":
            assert at is not None
            end = start_of_new + at
            if self._too_large(buf, 0, end):
                self._scan(buf, end, out)
                return
            try:
                out.append(_DECODER.decode(buf[:end]))
                self.documents += 1
            except (ValueError, RecursionError):
                # the validator is more lenient than json on numbers and depth
                self._garbage(buf[:end])
                end = self._skip_openers(buf, 0)
            self._scan(buf, end, out)
        else:  # "bad": the open "frame" was garbage; resync after its start
            self._garbage(buf[: start_of_new + (at or 0) + 1])
            self._scan(buf, 1, out)

    def _skip(self, validator: _PrefixValidator, text: str, out: list[Any]) -> None:
        """Follow an oversized document to its end without keeping its text."""
        status, at = validator.feed(text)
        if status == "more":
            self._skipped += _utf8_size(text)
            if self._skipped > self.max_skip:
                size = self._skipped
                self._reset_skip()
                self._utf8.reset()
                raise FrameTooLargeError(size, self.max_skip)
            return
        assert at is not None
        self._skipped += _utf8_size(text[:at])
        size = self._skipped
        self._reset_skip()
        if status == "done":
            self._oversized(size)
            self._scan(text, at, out)
        else:
            # Not JSON after all: what was skipped is garbage; go on from the
            # character that broke it (the text before it is gone).
            self._garbage(f"<{size} bytes of an unterminated oversized frame>")
            self._scan(text, at, out)

    def _scan(self, buf: str, pos: int, out: list[Any]) -> None:
        n = len(buf)
        while pos < n:
            m = _START.search(buf, pos)
            if m is None:
                keep = _partial_keepalive(buf[max(pos, n - _LONGEST_WORD) :])
                if keep:
                    self._noise_tail = buf[n - keep :]
                    n -= keep
                if n > pos:
                    self._noise(buf[pos:n])
                return
            i = m.start()
            if i > pos:
                self._noise(buf[pos:i])
            try:
                value, end = _DECODER.raw_decode(buf, i)
            except RecursionError:
                # absurdly deep nesting: not an event; skip the whole opening run
                pos = self._skip_openers(buf, i)
                self._garbage(buf[i:pos])
                continue
            except ValueError:
                validator = _PrefixValidator()
                status, at = validator.feed(buf[i:] if i else buf)
                if status == "more":
                    tail = buf[i:] if i else buf
                    self._open = validator
                    self._parts = [tail]
                    self._open_chars = len(tail)
                    self._open_bytes = _utf8_size(tail)
                    self._check_bound()
                    return
                # "bad" (or "done" on something json refuses): skip one char, resync
                self._garbage(buf[i : i + (at or 0) + 1])
                pos = i + 1
                continue
            if not self._too_large(buf, i, end):
                out.append(value)
                self.documents += 1
            pos = end

    def _too_large(self, buf: str, start: int, end: int) -> bool:
        """A complete document larger than ``max_frame``: counted and skipped."""
        if (end - start) * 4 <= self.max_frame:  # cannot be: at most 4 bytes a character
            return False
        size = _utf8_size(buf[start:end])
        if size <= self.max_frame:
            return False
        self._oversized(size)
        return True

    @staticmethod
    def _skip_openers(buf: str, pos: int) -> int:
        """Index after the run of brackets/whitespace starting at *pos* (at least 1)."""
        end = pos + 1
        n = len(buf)
        while end < n and buf[end] in _OPENERS:
            end += 1
        return end

    def _reset_open(self) -> None:
        self._parts = []
        self._open = None
        self._open_chars = 0
        self._open_bytes = 0

    def _reset_skip(self) -> None:
        self._skipping = None
        self._skipped = 0

    def _noise(self, text: str) -> None:
        if _KEEPALIVE_NOISE.fullmatch(text) is None:
            self._garbage(text)

    def _garbage(self, sample: str) -> None:
        self.garbage_regions += 1
        if self._on_garbage is not None:
            self._on_garbage(sample[:200])

    def _oversized(self, size: int) -> None:
        self.oversized += 1
        if self._on_oversized is not None:
            self._on_oversized(size)

    def _check_bound(self) -> None:
        """An open document past ``max_frame``: drop its text, keep following it."""
        if self._open_bytes <= self.max_frame:
            return
        validator, size = self._open, self._open_bytes
        self._reset_open()
        assert validator is not None
        self._skipping = validator
        self._skipped = size
        if size > self.max_skip:  # one read larger than max_skip
            self._reset_skip()
            self._utf8.reset()
            raise FrameTooLargeError(size, self.max_skip)


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def encode_frame(message: Any) -> bytes:
    """One JSON document as we send it on TCP: compact, UTF-8, newline-terminated.

    The servers' expected framing is undocumented; a newline-terminated
    compact object is readable by line-based and by streaming parsers alike.
    """
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

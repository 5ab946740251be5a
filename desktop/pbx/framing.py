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

A document that grows past ``max_frame`` bytes without completing raises
:class:`FrameTooLargeError`; the channel then drops the connection instead
of buffering without bound.

Performance: complete documents go through ``json.JSONDecoder.raw_decode``
(C speed).  Only an incomplete tail or a suspected garbage region is run
through the small pure-Python validator below, and that validator is
resumable, so a document trickling in one byte at a time costs O(n) in
total, not O(n^2).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from typing import Any, Final

DEFAULT_MAX_FRAME: Final = 1 << 20  # 1 MiB

_START = re.compile(r"[{\[]")
_KEEPALIVE_NOISE = re.compile(r"(?:\s|\x00|ping|pong|heartbeat|keepalive|keep-alive|\d+)*",
                              re.IGNORECASE)
_DECODER = json.JSONDecoder()


class FramingError(Exception):
    """The byte stream cannot be framed any more; drop the connection."""


class FrameTooLargeError(FramingError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"incomplete JSON frame grew to {size} bytes (limit {limit})")
        self.size = size
        self.limit = limit


# ---------------------------------------------------------------- prefix validator

# Validator states.
_VALUE, _AFTER_VALUE, _KEY_OR_END, _KEY, _COLON, _STRING, _NUMBER, _LITERAL, _DONE = range(9)
_WS = frozenset(" \t\r\n")
_NUMBER_CHARS = frozenset("0123456789+-.eE")
_LITERALS = {"t": "true", "f": "false", "n": "null"}
_HEX = frozenset("0123456789abcdefABCDEF")


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

    def feed(self, text: str) -> tuple[str, int | None]:  # noqa: C901,PLR0912 - a state machine
        i = 0
        n = len(text)
        while i < n:
            ch = text[i]
            st = self._state
            if st == _STRING:
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
            if st == _VALUE:
                if ch == "{":
                    self._stack.append("{")
                    self._state = _KEY_OR_END
                elif ch == "[":
                    self._stack.append("[")
                    self._state = _VALUE
                    # an empty array closes right away
                    j = i + 1
                    while j < n and text[j] in _WS:
                        j += 1
                    if j < n and text[j] == "]":
                        self._stack.pop()
                        self._state = self._end_value()
                        if self._state == _DONE:
                            return "done", j + 1
                        i = j
                elif ch == '"':
                    self._state = _STRING
                    self._string_is_key = False
                elif ch == "-" or ch.isdigit():
                    self._state = _NUMBER
                elif ch in _LITERALS:
                    self._state = _LITERAL
                    self._lit = _LITERALS[ch]
                    self._lit_pos = 1
                else:
                    return "bad", i
            elif st == _KEY_OR_END or st == _KEY:
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
    non-keep-alive text (the channel logs the first one and counts all).
    """

    def __init__(
        self,
        *,
        max_frame: int = DEFAULT_MAX_FRAME,
        on_garbage: Callable[[str], None] | None = None,
    ) -> None:
        self.max_frame = max_frame
        self._on_garbage = on_garbage
        self._utf8 = codecs.getincrementaldecoder("utf-8")("replace")
        self._buf = ""  # starts at an open frame (when _open) or is empty
        self._open: _PrefixValidator | None = None
        self._open_checked = 0  # chars of _buf already fed to _open
        self.garbage_regions = 0
        self.documents = 0

    @property
    def pending(self) -> int:
        """Characters buffered for an incomplete document."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[Any]:
        """Decode *data* and return every document it completes, in order."""
        text = self._utf8.decode(data)
        if not text:
            return []
        out: list[Any] = []
        if self._open is not None:
            buf = self._buf + text
            status, at = self._open.feed(text)
            if status == "more":
                self._buf = buf
                self._open_checked = len(buf)
                self._check_bound()
                return out
            start_of_new = self._open_checked
            self._open = None
            if status == "done":
                assert at is not None
                end = start_of_new + at
                try:
                    out.append(json.loads(buf[:end]))
                    self.documents += 1
                except ValueError:
                    # the validator is stricter than json only in theory; be safe
                    self._garbage(buf[:end])
                    end = 1
                self._scan(buf, end, out)
            else:  # "bad": the open "frame" was garbage; resync after its start
                self._garbage(buf[: start_of_new + (at or 0) + 1])
                self._scan(buf, 1, out)
        else:
            self._scan(text, 0, out)
        return out

    # -- internals ---------------------------------------------------------

    def _scan(self, buf: str, pos: int, out: list[Any]) -> None:
        n = len(buf)
        while pos < n:
            m = _START.search(buf, pos)
            stop = m.start() if m else n
            if stop > pos:
                self._noise(buf[pos:stop])
            if m is None:
                self._buf = ""
                return
            i = stop
            try:
                value, end = _DECODER.raw_decode(buf, i)
            except ValueError:
                validator = _PrefixValidator()
                status, at = validator.feed(buf[i:])
                if status == "more":
                    self._open = validator
                    self._buf = buf[i:]
                    self._open_checked = len(self._buf)
                    self._check_bound()
                    return
                # "bad" (or "done" on something json refuses): skip one char, resync
                self._garbage(buf[i : i + (at or 0) + 1])
                pos = i + 1
                continue
            out.append(value)
            self.documents += 1
            pos = end
        self._buf = ""

    def _noise(self, text: str) -> None:
        if _KEEPALIVE_NOISE.fullmatch(text) is None:
            self._garbage(text)

    def _garbage(self, sample: str) -> None:
        self.garbage_regions += 1
        if self._on_garbage is not None:
            self._on_garbage(sample[:200])

    def _check_bound(self) -> None:
        size = len(self._buf.encode("utf-8", "surrogatepass")) if len(self._buf) * 4 > self.max_frame \
            else len(self._buf)
        if size > self.max_frame:
            limit = self.max_frame
            self._buf = ""
            self._open = None
            raise FrameTooLargeError(size, limit)


def encode_frame(message: Any) -> bytes:
    """One JSON document as we send it on TCP: compact, UTF-8, newline-terminated.

    The servers' expected framing is undocumented; a newline-terminated
    compact object is readable by line-based and by streaming parsers alike.
    """
    return (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

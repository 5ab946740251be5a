"""The TCP framing: bytes in any split -> the same JSON documents, no socket involved."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop.pbx import framing
from desktop.pbx.framing import (
    DEFAULT_MAX_FRAME,
    FrameTooLargeError,
    JsonStreamDecoder,
    encode_frame,
)

SEPARATORS = ["\n", "\r\n", "", "  ", "\n\n", "ping\n", "\x00"]
TURKISH = "ŞİğüöçĞÜÖÇıIşâ"
ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    list(TURKISH + '"\\/\b\f\n\r\t\x00\x1f{}[]:,€😀')
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(ALPHABET, max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(ALPHABET, max_size=8), children, max_size=4),
    max_leaves=12,
)
documents = st.dictionaries(st.text(ALPHABET, max_size=10), json_values, max_size=5)


@st.composite
def encoded(draw: st.DrawFn, doc: Any) -> str:
    """One document in one of the notations a server might use."""
    style = draw(st.sampled_from(["compact", "spaced", "pretty", "ascii"]))
    if style == "compact":
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    if style == "spaced":
        return json.dumps(doc, ensure_ascii=False)
    if style == "pretty":
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return json.dumps(doc)  # \u015e escapes instead of UTF-8


@st.composite
def streams(draw: st.DrawFn) -> tuple[list[Any], bytes]:
    docs = draw(st.lists(documents, min_size=1, max_size=6))
    text = draw(st.sampled_from(["", "\n", "ping\n"]))
    for doc in docs:
        text += draw(encoded(doc)) + draw(st.sampled_from(SEPARATORS))
    return docs, text.encode()


@st.composite
def splits(draw: st.DrawFn, data: bytes) -> list[bytes]:
    """*data* cut at arbitrary byte offsets (inside multi-byte characters too)."""
    if len(data) < 2:
        return [data]
    cuts = sorted(draw(st.sets(st.integers(1, len(data) - 1), max_size=min(40, len(data) - 1))))
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


def feed_all(decoder: JsonStreamDecoder, chunks: list[bytes]) -> list[Any]:
    out: list[Any] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    return out


class GarbageLog:
    def __init__(self) -> None:
        self.samples: list[str] = []

    def __call__(self, sample: str) -> None:
        self.samples.append(sample)


# ---------------------------------------------------------------- valid streams


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_split_of_a_valid_stream_yields_the_same_documents(data: st.DataObject) -> None:
    docs, raw = data.draw(streams())
    chunks = data.draw(splits(raw))
    garbage = GarbageLog()
    decoder = JsonStreamDecoder(on_garbage=garbage)
    assert feed_all(decoder, chunks) == docs
    assert garbage.samples == []
    assert decoder.pending == 0
    assert decoder.documents == len(docs)


SAMPLE = (
    '{"event":"ringing","callUUID":"a1","callerNumber":"05321234567","callerName":"Şükrü Öğüt",'
    '"note":"tırnak \\" ve \\\\ ters bölü \\u015e\\u0130","nested":{"a":[1,-2.5e3,true,false,null,'
    '[],{}],"b":[[]]}}\r\n'
    '{"event":"hangup","callUUID":"a1","hangupCause":"NORMAL_CLEARING"}{"x":"İ"}\n\nping\n'
    '{\n  "pretty": [\n    1,\n    2\n  ]\n}\x00'
)


def sample_docs() -> list[Any]:
    dec = json.JSONDecoder()
    docs, pos, text = [], 0, SAMPLE
    while (start := text.find("{", pos)) >= 0:
        doc, pos = dec.raw_decode(text, start)
        docs.append(doc)
    return docs


def test_every_two_way_split_of_a_sample_stream() -> None:
    raw = SAMPLE.encode()
    expected = sample_docs()
    assert len(expected) == 4
    for i in range(len(raw) + 1):
        decoder = JsonStreamDecoder()
        assert feed_all(decoder, [raw[:i], raw[i:]]) == expected, f"split at byte {i}"


def test_byte_by_byte() -> None:
    raw = SAMPLE.encode()
    decoder = JsonStreamDecoder()
    assert feed_all(decoder, [raw[i : i + 1] for i in range(len(raw))]) == sample_docs()


@pytest.mark.parametrize("split", [1, 2, 3])
def test_empty_array_split_between_reads(split: int) -> None:
    # "[" and "]" in different reads used to be refused as garbage.
    raw = b'{"a":[ ]}'
    cut = raw.index(b"[") + split
    decoder = JsonStreamDecoder(on_garbage=pytest.fail)
    assert feed_all(decoder, [raw[:cut], raw[cut:]]) == [{"a": []}]


def test_top_level_array_is_one_value() -> None:
    decoder = JsonStreamDecoder()
    assert feed_all(decoder, [b'[{"a":1},', b'{"b":2}]\n{"c":3}']) == [
        [{"a": 1}, {"b": 2}],
        {"c": 3},
    ]


@settings(max_examples=200)
@given(st.data())
def test_length_prefixed_frames(data: st.DataObject) -> None:
    docs = data.draw(st.lists(documents, min_size=1, max_size=5))
    newline = data.draw(st.sampled_from(["\n", "\r\n", ""]))
    raw = b""
    for doc in docs:
        body = json.dumps(doc, ensure_ascii=False).encode()
        raw += f"{len(body)}{newline}".encode() + body
    garbage = GarbageLog()
    decoder = JsonStreamDecoder(on_garbage=garbage)
    assert feed_all(decoder, data.draw(splits(raw))) == docs
    assert garbage.samples == []


def test_encode_frame_round_trip() -> None:
    message = {"cmd": "login", "apikey": "x", "not": "Şİğ"}
    frame = encode_frame(message)
    assert frame.endswith(b"\n")
    assert "Şİğ".encode() in frame
    assert JsonStreamDecoder().feed(frame) == [message]


# ---------------------------------------------------------------- garbage


SENTINELS = [{"after": 1}, {"after": 2}, {"after": 3}]
SENTINEL_BYTES = b"".join(b"\n" + json.dumps(d).encode() for d in SENTINELS) + b"\n"


@settings(max_examples=300)
@given(st.binary(max_size=300), st.data())
def test_arbitrary_bytes_never_raise_and_the_decoder_recovers(
    junk: bytes, data: st.DataObject
) -> None:
    decoder = JsonStreamDecoder()
    feed_all(decoder, data.draw(splits(junk)))
    out = decoder.feed(SENTINEL_BYTES)
    # Whatever the junk left open, the documents after it come out, in order.
    # (The junk may itself contain a document; it can only come earlier.)
    out += decoder.feed(b'{"after":4}\n')
    assert out[-4:] == [*SENTINELS, {"after": 4}]


JSONISH = st.lists(
    st.sampled_from([*list('{}[]":,\\ \n0123456789-.eEtruefalsnlŞİ\x00ping'), "\\u", "\\u01"]),
    max_size=60,
).map("".join)


@settings(max_examples=300)
@given(JSONISH, st.data())
def test_json_like_junk_never_raises_and_the_decoder_recovers(
    junk: str, data: st.DataObject
) -> None:
    decoder = JsonStreamDecoder()
    feed_all(decoder, data.draw(splits(junk.encode())))
    out = decoder.feed(SENTINEL_BYTES) + decoder.feed(b'{"after":4}\n')
    assert out[-4:] == [*SENTINELS, {"after": 4}]


@settings(max_examples=200)
@given(st.binary(max_size=400), st.data())
def test_small_max_frame_only_ever_raises_for_a_frame_that_never_ends(
        junk: bytes, data: st.DataObject) -> None:
    decoder = JsonStreamDecoder(max_frame=32, max_skip=128)
    for chunk in data.draw(splits(junk)):
        sizes: list[int] = []
        try:
            decoder.feed(chunk)
        except FrameTooLargeError as exc:
            sizes.append(exc.size)
        if sizes:
            # only a document still open after max_skip bytes; the decoder is empty again
            assert sizes[0] > 128
            assert decoder.pending == 0
            assert not decoder.skipping
            assert decoder.feed(b'{"ok":1}\n') == [{"ok": 1}]


MALFORMED = [
    "hello",
    "{\"broken\": }",
    "{{{",
    "[,]",
    '{"a" 1}',
    "}{",
    '{"a":tru}',
    '{"a":NaN}',
    '{"a":"satır\nsonu"}',
    "\\u015e",
    "\udcff".encode("utf-8", "surrogateescape").decode("utf-8", "replace") + "ÿ",
]


@pytest.mark.parametrize("junk", MALFORMED)
@pytest.mark.parametrize("split", [None, 1, 3])
def test_garbage_then_valid_object(junk: str, split: int | None) -> None:
    garbage = GarbageLog()
    decoder = JsonStreamDecoder(on_garbage=garbage)
    raw = junk.encode() + b'\n{"event":"ringing","callUUID":"x"}\n'
    chunks = [raw] if split is None else [raw[i : i + split] for i in range(0, len(raw), split)]
    assert feed_all(decoder, chunks) == [{"event": "ringing", "callUUID": "x"}]
    assert garbage.samples, "garbage must be reported"
    assert decoder.garbage_regions == len(garbage.samples)


def test_invalid_utf8_is_garbage_not_an_error() -> None:
    garbage = GarbageLog()
    decoder = JsonStreamDecoder(on_garbage=garbage)
    assert decoder.feed(b'\xff\xfe\x80{"a":"\xc3"}\n{"b":1}') == [{"a": "\ufffd"}, {"b": 1}]
    assert garbage.samples


def test_keepalive_noise_is_not_garbage() -> None:
    decoder = JsonStreamDecoder(on_garbage=pytest.fail)
    assert decoder.feed(b"ping\r\nPONG\n\x00\x00 heartbeat keep-alive 42\n{}") == [{}]


@pytest.mark.timeout(10)
def test_long_digit_run_before_garbage_is_fast() -> None:
    # The noise pattern used to backtrack exponentially here (24 digits: 1.5 s).
    decoder = JsonStreamDecoder()
    assert decoder.feed(b"1" * 5000 + b"x" + b'{"ok":1}') == [{"ok": 1}]
    assert decoder.garbage_regions == 1


@pytest.mark.timeout(20)
@pytest.mark.parametrize("chunked", [False, True])
def test_absurd_nesting_is_garbage_not_a_recursion_error(chunked: bool) -> None:
    deep = b"[" * 50_000 + b"]" * 50_000
    raw = deep + b'\n{"ok":1}\n'
    decoder = JsonStreamDecoder()
    chunks = [raw[i : i + 4096] for i in range(0, len(raw), 4096)] if chunked else [raw]
    out = feed_all(decoder, chunks)
    # Cut into reads, the innermost few hundred levels form a legitimate
    # (shallow enough) array once the outer ones were dropped as garbage.
    assert out[-1] == {"ok": 1}
    assert len(out) == (2 if chunked else 1)
    assert decoder.garbage_regions >= 1


def test_nan_is_refused_whatever_the_split() -> None:
    raw = b'{"a":NaN}\n{"b":1}\n'
    for i in range(len(raw) + 1):
        decoder = JsonStreamDecoder()
        assert feed_all(decoder, [raw[:i], raw[i:]]) == [{"b": 1}], f"split at {i}"


# ---------------------------------------------------------------- size limit

#: How a server might put documents on the wire (digest §1.2: undocumented).
FRAMINGS = {
    "ndjson": lambda body: body + b"\n",
    "crlf": lambda body: body + b"\r\n",
    "concat": lambda body: body,
    "noisy": lambda body: b"ping\n\x00\r\n" + body + b"\n\n",
    "length-prefixed": lambda body: str(len(body)).encode() + b"\n" + body,
}
RING = {"event": "ringing", "callUUID": "after", "callerNumber": "05321234567"}


def oversized(size: int, style: str = "compact") -> bytes:
    """A valid JSON object of about *size* bytes (a Turkish padding string)."""
    doc = {"event": "ringing", "callUUID": "big", "note": "Ş" * (size // 2)}
    if style == "pretty":
        return json.dumps(doc, ensure_ascii=False, indent=2).encode()
    if style == "nested":
        doc = {"event": "x", "rows": [{"i": i, "s": "x" * 40} for i in range(size // 50)]}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def wire(framing_name: str, *bodies: bytes) -> bytes:
    return b"".join(FRAMINGS[framing_name](body) for body in bodies)


@pytest.mark.parametrize("framing_name", sorted(FRAMINGS))
@pytest.mark.parametrize("style", ["compact", "pretty", "nested"])
@pytest.mark.parametrize("read_size", [None, 1, 7, 65536])
def test_an_oversized_document_is_skipped_and_the_next_one_arrives(
        framing_name: str, style: str, read_size: int | None) -> None:
    sizes: list[int] = []
    garbage = GarbageLog()
    decoder = JsonStreamDecoder(max_frame=512, on_oversized=sizes.append, on_garbage=garbage)
    big = oversized(3000, style)
    before = {"event": "hangup", "callUUID": "before"}
    raw = wire(framing_name, json.dumps(before).encode(), big, json.dumps(RING).encode())
    step = read_size or len(raw)
    assert feed_all(decoder, [raw[i : i + step] for i in range(0, len(raw), step)]) == \
        [before, RING]
    assert sizes == [len(big)]
    assert decoder.oversized == 1
    assert garbage.samples == []
    assert decoder.pending == 0
    assert not decoder.skipping


LIMIT = 1024


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_split_of_a_stream_with_oversized_documents(data: st.DataObject) -> None:
    small = data.draw(st.lists(documents, min_size=1, max_size=4))
    framing_name = data.draw(st.sampled_from(sorted(FRAMINGS)))
    bodies: list[bytes] = []
    expected: list[Any] = []
    big_sizes: list[int] = []
    for doc in small:
        if data.draw(st.booleans()):
            big = oversized(data.draw(st.integers(LIMIT + 100, 3 * LIMIT)),
                            data.draw(st.sampled_from(["compact", "pretty", "nested"])))
            bodies.append(big)
            big_sizes.append(len(big))
        body = data.draw(encoded(doc)).encode()
        assume(len(body) <= LIMIT)
        bodies.append(body)
        expected.append(doc)
    sizes: list[int] = []
    decoder = JsonStreamDecoder(max_frame=LIMIT, on_oversized=sizes.append)
    assert feed_all(decoder, data.draw(splits(wire(framing_name, *bodies)))) == expected
    assert sizes == big_sizes


def test_a_2_mib_frame_between_events_costs_little_and_buffers_nothing() -> None:
    sizes: list[int] = []
    decoder = JsonStreamDecoder(on_oversized=sizes.append)  # 1 MiB limit
    big = oversized(2 << 20)
    raw = wire("ndjson", big, json.dumps(RING).encode())
    out: list[Any] = []
    peak = 0
    for i in range(0, len(raw), 65536):
        out += decoder.feed(raw[i : i + 65536])
        peak = max(peak, decoder.pending)
    assert out == [RING]
    assert sizes == [len(big)]
    assert peak <= DEFAULT_MAX_FRAME + 65536  # never the whole frame


def test_a_complete_oversized_document_in_one_read_is_skipped_too() -> None:
    sizes: list[int] = []
    decoder = JsonStreamDecoder(max_frame=100, on_oversized=sizes.append)
    big = json.dumps({"a": "x" * 200}).encode()
    assert decoder.feed(big + b'{"ok":1}') == [{"ok": 1}]
    assert sizes == [len(big)]


def test_an_unterminated_oversized_frame_ends_at_the_next_line() -> None:
    """ndjson: a cut-off frame is garbage at its newline; the next line is decoded."""
    garbage = GarbageLog()
    sizes: list[int] = []
    decoder = JsonStreamDecoder(max_frame=100, on_garbage=garbage, on_oversized=sizes.append)
    raw = b'{"a":"' + b"y" * 500 + b"\n" + json.dumps(RING).encode() + b"\n"
    assert feed_all(decoder, [raw[i : i + 64] for i in range(0, len(raw), 64)]) == [RING]
    assert sizes == []
    assert len(garbage.samples) == 1
    assert "unterminated oversized frame" in garbage.samples[0]


def test_a_frame_that_never_ends_raises_after_max_skip_and_the_decoder_recovers() -> None:
    decoder = JsonStreamDecoder(max_frame=100, max_skip=1000)
    error: FrameTooLargeError | None = None
    fed = 0
    while error is None and fed < 5000:
        try:
            decoder.feed(b'{"a":"' if fed == 0 else b"z" * 50)
        except FrameTooLargeError as exc:
            error = exc
        fed += 1
    assert error is not None
    assert error.limit == 1000
    assert 1000 < error.size <= 1100
    assert "limit 1000" in str(error)
    assert decoder.pending == 0
    assert not decoder.skipping
    assert decoder.feed(b'{"ok":1}') == [{"ok": 1}]


def test_a_never_ending_frame_keeps_the_documents_before_it() -> None:
    decoder = JsonStreamDecoder(max_frame=50, max_skip=60)
    with pytest.raises(FrameTooLargeError) as info:
        decoder.feed(b'{"first":1}\n{"second":2}\n{"a":"' + b"y" * 100)
    assert info.value.documents == [{"first": 1}, {"second": 2}]


def test_an_oversized_document_trickling_byte_by_byte_is_skipped() -> None:
    sizes: list[int] = []
    decoder = JsonStreamDecoder(max_frame=64, on_oversized=sizes.append)
    raw = json.dumps({"a": "Ş" * 100}, ensure_ascii=False).encode() + b'{"b":2}'
    assert feed_all(decoder, [raw[i : i + 1] for i in range(len(raw))]) == [{"b": 2}]
    assert sizes == [len(raw) - len(b'{"b":2}')]


def test_max_skip_must_not_be_below_max_frame() -> None:
    with pytest.raises(ValueError, match="max_skip"):
        JsonStreamDecoder(max_frame=100, max_skip=10)


def test_a_complete_frame_may_be_as_large_as_max_frame() -> None:
    doc = {"k": "x" * 80}
    raw = json.dumps(doc).encode()
    decoder = JsonStreamDecoder(max_frame=len(raw))
    assert feed_all(decoder, [raw[:10], raw[10:50], raw[50:]]) == [doc]
    assert JsonStreamDecoder(max_frame=len(raw)).feed(raw) == [doc]


@pytest.mark.timeout(60)
def test_trickling_a_large_document_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    """200 KB one byte at a time: every character is validated about once."""
    work = 0
    real_feed = framing._PrefixValidator.feed

    def counting_feed(self: framing._PrefixValidator, text: str) -> tuple[str, int | None]:
        nonlocal work
        work += len(text)
        return real_feed(self, text)

    monkeypatch.setattr(framing._PrefixValidator, "feed", counting_feed)
    doc = {"rows": [{"ad": "Şule Çağlar", "no": "05321234567", "i": i} for i in range(3500)]}
    raw = json.dumps(doc, ensure_ascii=False).encode()
    assert len(raw) > 200_000
    decoder = JsonStreamDecoder()
    out = feed_all(decoder, [raw[i : i + 1] for i in range(len(raw))])
    assert out == [doc]
    assert work <= len(raw) + 10

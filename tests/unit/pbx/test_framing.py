"""The TCP framing: bytes in any split -> the same JSON documents, no socket involved."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.pbx import framing
from desktop.pbx.framing import FrameTooLargeError, JsonStreamDecoder, encode_frame

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
def test_small_max_frame_only_ever_raises_frame_too_large(junk: bytes, data: st.DataObject) -> None:
    decoder = JsonStreamDecoder(max_frame=32)
    for chunk in data.draw(splits(junk)):
        try:
            decoder.feed(chunk)
        except FrameTooLargeError:
            # the decoder is empty again and decodes the next document
            assert decoder.pending == 0
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


def test_unterminated_frame_past_max_frame_raises() -> None:
    decoder = JsonStreamDecoder(max_frame=100)
    with pytest.raises(FrameTooLargeError) as info:
        decoder.feed(b'{"a":"' + b"x" * 200)
    assert info.value.limit == 100
    assert info.value.size > 100
    assert "limit 100" in str(info.value)
    assert decoder.pending == 0
    assert decoder.feed(b'{"ok":1}') == [{"ok": 1}]


def test_frame_too_large_keeps_the_documents_before_it() -> None:
    decoder = JsonStreamDecoder(max_frame=50)
    with pytest.raises(FrameTooLargeError) as info:
        decoder.feed(b'{"first":1}\n{"second":2}\n{"a":"' + b"y" * 100)
    assert info.value.documents == [{"first": 1}, {"second": 2}]


def test_unterminated_frame_trickling_byte_by_byte_raises() -> None:
    decoder = JsonStreamDecoder(max_frame=64)
    raw = b'{"a":"' + "Ş".encode() * 100
    error: FrameTooLargeError | None = None
    fed = 0
    while error is None and fed < len(raw):
        try:
            decoder.feed(raw[fed : fed + 1])
        except FrameTooLargeError as exc:
            error = exc
        fed += 1
    assert error is not None
    assert 64 < fed <= 70
    assert error.size > 64


def test_a_complete_frame_may_be_as_large_as_max_frame() -> None:
    doc = {"k": "x" * 80}
    raw = json.dumps(doc).encode()
    decoder = JsonStreamDecoder(max_frame=len(raw))
    assert feed_all(decoder, [raw[:10], raw[10:50], raw[50:]]) == [doc]


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

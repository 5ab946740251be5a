"""What a capture keeps of a frame: no secret ever, numbers only when asked.

The redaction (:class:`desktop.pbx.redact.FrameRedaction`) must leave valid
JSON valid and change nothing but what it hides; the TCP stream redactor
(:class:`desktop.pbx.capture.StreamRedactor`) must give the same result
however the network split the stream into reads.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.pbx.capture import StreamRedactor, capture_secrets, safe_cut
from desktop.pbx.channels import Credentials
from desktop.pbx.redact import (
    DOMAIN_UUID,
    JWT,
    OTHER_DOMAIN_UUID,
    SECRET,
    FrameRedaction,
)

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
OTHER_DOMAIN = "aaaaaaaa-1d2f-4a6b-9c3d-000000000002"
API_KEY = "k3y/With+Slash-4242"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMDAxIn0.c2lnbmF0dXJlLXZhbHVl"
PASSWORD = "hunter2-pass"
CALLER = "05321234567"
CALLER_E164 = "905321234567"
CALL_ID = "12345678-1234-4234-9234-123456789012"  # all-digit groups: not a number
EPOCH_MS = 1733400000123


def redaction(*, mask: bool = True) -> FrameRedaction:
    secrets = capture_secrets(Credentials(domain_uuid=DOMAIN, api_key=API_KEY, token=TOKEN))
    return FrameRedaction(secrets, mask_numbers=mask, domain_uuid=DOMAIN)


def ringing(**extra: Any) -> dict[str, Any]:
    return {"event": "ringing", "callUUID": CALL_ID, "extension": "1001",
            "callerNumber": CALLER, "calledNumber": "02242345678", "domain": DOMAIN,
            "timestamp": "2024-12-05T06:07:37.123Z", **extra}


def test_secrets_are_always_replaced_and_the_json_stays_valid() -> None:
    frame = json.dumps({
        **ringing(),
        "domainUuid": DOMAIN.upper(),  # any case
        "tenant_id": DOMAIN.replace("-", ""),  # without hyphens
        "apikey": API_KEY,
        "echo": API_KEY.replace("/", "\\/"),  # PHP's json_encode escapes "/"
        "token": TOKEN,
        "password": PASSWORD,  # not one we know: its key gives it away
        "Authorization": "Bearer abcdefgh12345678",
        "note": f"login with {TOKEN}",
    })
    for mask in (True, False):
        out = redaction(mask=mask).apply(frame)
        for secret in (DOMAIN, DOMAIN.upper(), DOMAIN.replace("-", ""), API_KEY,
                       API_KEY.replace("/", "\\/"), TOKEN, PASSWORD, "abcdefgh12345678"):
            assert secret.lower() not in out.lower(), (secret, out)
        data = json.loads(out)
        assert data["domain"] == data["domainUuid"] == DOMAIN_UUID
        assert data["apikey"] == "<api-key>"
        assert data["token"] == "<token>"
        assert data["password"] == SECRET
        assert data["Authorization"] == SECRET
        assert data["note"] == "login with <token>"
        assert data["callUUID"] == CALL_ID
        assert data["event"] == "ringing"


def test_an_unknown_jwt_and_a_bearer_token_in_free_text_are_replaced() -> None:
    jwt = "eyJ0eXAiOiJKV1QifQ.eyJleHAiOjE3MDAwMDAwMDB9.YWJjZGVmZ2hpamts"
    out = redaction().apply(json.dumps({"msg": f"renew {jwt}; Bearer zzzzzzzzzzzz"}))
    assert jwt not in out
    assert "zzzzzzzzzzzz" not in out
    assert json.loads(out)["msg"] == f"renew {JWT}; Bearer {SECRET}"


def test_the_domain_name_is_kept_and_another_uuid_domain_is_named_as_such() -> None:
    frame = json.dumps([ringing(domain="902245320088.kobipbx.com"),
                        ringing(domain=OTHER_DOMAIN)])
    out = json.loads(redaction(mask=False).apply(frame))
    assert out[0]["domain"] == "902245320088.kobipbx.com"
    assert out[1]["domain"] == OTHER_DOMAIN_UUID


def test_numbers_are_masked_but_ids_times_and_extensions_are_not() -> None:
    frame = json.dumps({
        **ringing(), "caller": int(CALLER_E164), "unique_id": "1520317155.59",
        "timestamp": EPOCH_MS, "answer_epoch": 1733400000, "queue": "60000",
        "callerName": f"Ahmet {CALLER}", "channel": f"sofia/internal/{CALLER_E164}@x",
    }, ensure_ascii=False)
    out = redaction().apply(frame)
    assert CALLER not in out
    assert CALLER_E164 not in out
    data = json.loads(out)  # still JSON, the number still a number
    assert data["callerNumber"] == "05•••••••67"
    assert data["caller"] == 900000000067
    assert data["callerName"] == "Ahmet 05•••••••67"
    assert data["channel"] == "sofia/internal/90••••••••67@x"
    assert data["calledNumber"] == "02•••••••78"
    assert (data["callUUID"], data["unique_id"], data["timestamp"], data["answer_epoch"]) == \
        (CALL_ID, "1520317155.59", EPOCH_MS, 1733400000)
    assert (data["extension"], data["queue"]) == ("1001", "60000")


def test_numbers_are_kept_when_asked_and_nothing_else_changes() -> None:
    frame = json.dumps(ringing(caller=int(CALLER_E164), callerName="Şükrü Öztürk"),
                       ensure_ascii=False)
    out = redaction(mask=False).apply(frame)
    assert out == frame.replace(DOMAIN, DOMAIN_UUID)


def test_a_frame_without_secrets_or_numbers_is_unchanged_byte_for_byte() -> None:
    frame = '{ "type" : "ExtensionStatus", "extension":"1001",\t"status":"8" }\r\n'
    assert redaction().apply(frame) == frame


@pytest.mark.parametrize(("text", "cut"), [
    ('{"a":1}', 7),
    ('{"a":1}\n{"b":', 9),
    ('{"a":"x,y', 1),  # the comma is inside an open string
    ('{"a":"x,y"', 1),
    ('{"a":"x,y",', 11),
    ('{"a":"x\\",', 1),  # an escaped quote does not close the string
    ('garbage "open\n{"a":', 15),  # a raw newline ends any string
    ("ping", 0),
])
def test_safe_cut(text: str, cut: int) -> None:
    assert safe_cut(text) == cut


def test_a_secret_or_number_split_between_two_reads_never_leaks() -> None:
    frame = json.dumps(ringing()).encode() + b"\n"
    for secret in (DOMAIN.encode(), CALLER.encode()):
        at = frame.index(secret) + len(secret) // 2
        redactor = StreamRedactor(redaction())
        first = redactor.feed(frame[:at])
        second = redactor.feed(frame[at:])
        assert first + second + redactor.flush() == redaction().apply(frame.decode()).encode()
        half = len(secret) // 2
        assert secret[:half] not in first, "the first half was written before the rest came"
        assert secret[half:] not in second
        assert secret[:half] not in second


_NAMES = st.sampled_from(["Ahmet Yılmaz", "Şükrü Öztürk", "Çağla, İnci", 'a "quoted" name',
                          "ÇĞİÖŞÜ çğıöşü €", ""])
_DOCS = st.builds(
    lambda name, caller, kind, n: ringing(callerName=name, callerNumber=caller, seq=n,
                                          kind=kind, apikey=API_KEY),
    _NAMES, st.sampled_from([CALLER, CALLER_E164, "+905321234567", "1002", ""]),
    st.sampled_from(["ringing", "answered"]), st.integers(0, 10**12))
_SEPARATORS = st.sampled_from(["\n", "\r\n", "", "\n\n", "\nping\n", " "])


@settings(max_examples=150, deadline=None)
@given(docs=st.lists(st.tuples(_DOCS, _SEPARATORS), min_size=1, max_size=4),
       cuts=st.lists(st.integers(1, 4000), max_size=12), mask=st.booleans())
def test_stream_redaction_does_not_depend_on_how_reads_split(
        docs: list[tuple[dict[str, Any], str]], cuts: list[int], mask: bool) -> None:
    text = "".join(json.dumps(doc, ensure_ascii=False) + sep for doc, sep in docs)
    stream = text.encode()
    bounds = sorted({0, len(stream), *(c % (len(stream) + 1) for c in cuts)})
    redactor = StreamRedactor(redaction(mask=mask))
    out = b"".join(redactor.feed(stream[a:b]) for a, b in itertools.pairwise(bounds))
    out += redactor.flush()
    whole = redaction(mask=mask).apply(text).encode()
    assert out == whole
    assert API_KEY.encode() not in out
    assert DOMAIN.encode() not in out


def test_bytes_that_are_not_utf8_pass_through_unchanged() -> None:
    stream = b'{"event":"x","raw":"\xff\xfe"}\n\x00\x00' + json.dumps(ringing()).encode()
    redactor = StreamRedactor(redaction(mask=False))
    out = redactor.feed(stream[:20]) + redactor.feed(stream[20:]) + redactor.flush()
    assert out == stream.replace(DOMAIN.encode(), DOMAIN_UUID.encode())


def test_a_token_that_never_ends_is_not_held_back_without_bound() -> None:
    redactor = StreamRedactor(redaction(), hold_limit=1000)
    out = redactor.feed(b'{"blob":"' + b"x" * 5000)
    assert len(out) >= 5000
    assert redactor.held == 0

"""Parsing Kobikom's real-time messages into typed events (digest §1.1, §1.4)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.pbx import events as ev
from desktop.pbx.events import (
    BULUT_EVENT_NAMES,
    EXTENSION_NOT_FOUND,
    Direction,
    ExtensionState,
    parse_message,
    parse_text,
)

T = 1_714_550_400.0
CALL = "0f0e6c1a-8d1c-4c2b-9a57-2f4b1c9e7d10"
DOMAIN = "firma.kobipbx.com"
DOMAIN_UUID = "97df2222-c948-492c-a1b2-0123456789ab"
STAMP = "2024-05-01 10:00:00"

# Every Bulut event with exactly its documented key fields ("Anahtar Alanlar").
DOCUMENTED: list[tuple[dict[str, Any], type[ev.Event], dict[str, Any]]] = [
    (
        {"event": "answered", "callUUID": CALL, "extension": "1001",
         "callerNumber": "05321234567", "calledNumber": "02242123456", "direction": "inbound",
         "channelCallState": "ACTIVE", "hangupCause": "", "domain": DOMAIN, "timestamp": STAMP},
        ev.AnsweredEvent,
        {"call_id": CALL, "extension": "1001", "caller": "05321234567",
         "called": "02242123456", "direction": Direction.INBOUND,
         "channel_call_state": "ACTIVE", "hangup_cause": None, "domain": DOMAIN},
    ),
    (
        {"event": "hangup", "callUUID": CALL, "hangupCause": "NORMAL_CLEARING",
         "domain": DOMAIN, "timestamp": STAMP},
        ev.HangupEvent,
        {"call_id": CALL, "hangup_cause": "NORMAL_CLEARING", "extension": None, "domain": DOMAIN},
    ),
    (
        {"event": "destroy", "callUUID": CALL, "domain": DOMAIN, "timestamp": STAMP},
        ev.DestroyEvent,
        {"call_id": CALL, "domain": DOMAIN},
    ),
    (
        {"event": "hold", "callUUID": CALL, "domain": DOMAIN, "timestamp": STAMP},
        ev.HoldEvent,
        {"call_id": CALL, "domain": DOMAIN},
    ),
    (
        {"event": "unhold", "callUUID": CALL, "domain": DOMAIN, "timestamp": STAMP},
        ev.UnholdEvent,
        {"call_id": CALL, "domain": DOMAIN},
    ),
    (
        {"event": "ringing", "callUUID": CALL, "extension": "1001",
         "callerNumber": "+905321234567", "calledNumber": "02242123456", "domain": DOMAIN,
         "timestamp": STAMP},
        ev.RingingEvent,
        {"call_id": CALL, "extension": "1001", "caller": "+905321234567",
         "called": "02242123456", "direction": Direction.UNKNOWN, "domain": DOMAIN},
    ),
    (
        {"event": "extension-registration", "extension": "1001", "statusText": "Registered",
         "registered": True, "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.ExtensionRegistrationEvent,
        {"extension": "1001", "registered": True, "status_text": "Registered",
         "domain": DOMAIN_UUID},
    ),
    (
        {"event": "agent-status-change", "agent": "1001", "agentName": "Ayşe Yılmaz",
         "status": "Available", "queue": "destek", "queueExtension": "60000",
         "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.AgentStatusChangeEvent,
        {"agent": "1001", "agent_name": "Ayşe Yılmaz", "status": "Available", "queue": "destek",
         "queue_extension": "60000", "domain": DOMAIN_UUID},
    ),
    (
        {"event": "agent-state-change", "agent": "1001", "state": "Waiting",
         "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.AgentStateChangeEvent,
        {"agent": "1001", "state": "Waiting", "domain": DOMAIN_UUID},
    ),
    (
        {"event": "bridge-agent-start", "agent": "1001", "agentUUID": "ag-1",
         "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.BridgeAgentStartEvent,
        {"agent": "1001", "agent_uuid": "ag-1", "domain": DOMAIN_UUID},
    ),
    (
        {"event": "bridge-agent-end", "agent": "1001", "agentUUID": "ag-1",
         "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.BridgeAgentEndEvent,
        {"agent": "1001", "agent_uuid": "ag-1", "domain": DOMAIN_UUID},
    ),
    (
        {"event": "bridge-agent-fail", "agent": "1001", "failCause": "NO_ANSWER",
         "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.BridgeAgentFailEvent,
        {"agent": "1001", "fail_cause": "NO_ANSWER", "domain": DOMAIN_UUID},
    ),
    (
        {"event": "agent-offering", "agent": "1001", "queue": "destek",
         "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.AgentOfferingEvent,
        {"agent": "1001", "queue": "destek", "call_id": None, "caller": None,
         "domain": DOMAIN_UUID},
    ),
    (
        {"event": "members-count", "queue": "destek", "count": 3, "domainUuid": DOMAIN_UUID,
         "timestamp": STAMP},
        ev.MembersCountEvent,
        {"queue": "destek", "count": 3, "domain": DOMAIN_UUID},
    ),
    (
        {"event": "member-queue-start", "memberUUID": "m-1", "cidName": "Şükrü Öztürk",
         "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.MemberQueueStartEvent,
        {"member_uuid": "m-1", "cid_name": "Şükrü Öztürk", "domain": DOMAIN_UUID},
    ),
    (
        {"event": "member-queue-end", "memberUUID": "m-1", "cidName": "Şükrü Öztürk",
         "cause": "Cancel", "domainUuid": DOMAIN_UUID, "timestamp": STAMP},
        ev.MemberQueueEndEvent,
        {"member_uuid": "m-1", "cid_name": "Şükrü Öztürk", "cause": "Cancel",
         "domain": DOMAIN_UUID},
    ),
]


def test_every_documented_bulut_event_is_covered() -> None:
    assert sorted(msg["event"] for msg, _, _ in DOCUMENTED) == sorted(BULUT_EVENT_NAMES)


@pytest.mark.parametrize(("msg", "cls", "expected"), DOCUMENTED,
                         ids=[m["event"] for m, _, _ in DOCUMENTED])
def test_documented_bulut_event(msg: dict[str, Any], cls: type[ev.Event],
                                expected: dict[str, Any]) -> None:
    event = parse_message(msg, received_at=T)
    assert type(event) is cls
    for name, value in expected.items():
        assert getattr(event, name) == value, name
    assert event.raw is msg
    assert event.received_at == T
    assert event.timestamp == STAMP


@pytest.mark.parametrize(("msg", "cls", "expected"), DOCUMENTED,
                         ids=[m["event"] for m, _, _ in DOCUMENTED])
def test_documented_bulut_event_as_json_text(msg: dict[str, Any], cls: type[ev.Event],
                                             expected: dict[str, Any]) -> None:
    event = parse_text(json.dumps(msg, ensure_ascii=False).encode(), received_at=T)
    assert type(event) is cls
    assert all(getattr(event, name) == value for name, value in expected.items())


def test_equal_events_ignore_the_timestamp() -> None:
    """A repeat with a new timestamp compares equal (the tracker's duplicates)."""
    msg = DOCUMENTED[0][0]
    a = parse_message(msg, received_at=T)
    b = parse_message({**msg, "timestamp": "2024-05-01 10:00:07"}, received_at=T + 7)
    assert a == b
    assert parse_message({**msg, "extension": "1002"}, received_at=T) != a


# ---------------------------------------------------------------- Tekil ExtensionStatus


@pytest.mark.parametrize(
    ("code", "state", "ringing", "text"),
    [
        (-1, None, False, "Dahili Bulunamadı"),
        (0, ExtensionState.IDLE, False, "Boşta Hazır"),
        (1, ExtensionState.IN_USE, False, "Kullanımda"),
        (2, ExtensionState.BUSY, False, "Meşgul"),
        (4, ExtensionState.UNAVAILABLE, False, "Bağlı Değil"),
        (8, ExtensionState.RINGING, True, "Çalıyor"),
        (16, ExtensionState.ON_HOLD, False, "Beklemede"),
        (9, ExtensionState.IN_USE | ExtensionState.RINGING, True, "Kullanımda + Çalıyor"),
        (17, ExtensionState.IN_USE | ExtensionState.ON_HOLD, False, "Kullanımda + Beklemede"),
    ],
)
@pytest.mark.parametrize("as_string", [True, False])
def test_tekil_extension_status(code: int, state: ExtensionState | None, ringing: bool,
                                text: str, as_string: bool) -> None:
    msg = {"type": "ExtensionStatus", "extension": "1001",
           "status": str(code) if as_string else code}
    event = parse_message(msg, received_at=T)
    assert isinstance(event, ev.ExtensionStatusEvent)
    assert event.extension == "1001"
    assert event.code == code
    assert event.state == state
    assert event.ringing is ringing
    assert event.found is (code != EXTENSION_NOT_FOUND)
    assert event.text == text


def test_tekil_extension_status_verbatim_with_irregular_spacing() -> None:
    event = parse_text('{   "type":"ExtensionStatus",   "extension":"1001",   "status":"0"   }')
    assert isinstance(event, ev.ExtensionStatusEvent)
    assert (event.extension, event.code, event.state) == ("1001", 0, ExtensionState.IDLE)


@pytest.mark.parametrize("status", ["", "abc", "nan", "inf", "1e400", None])
def test_tekil_extension_status_with_a_bad_code_is_unknown(status: Any) -> None:
    event = parse_message({"type": "ExtensionStatus", "extension": "1001", "status": status})
    assert isinstance(event, ev.UnknownEvent)
    assert "status" in event.reason


@pytest.mark.parametrize("name", ["ExtensionStatus", "extensionstatus", "EXTENSIONSTATUS",
                                  "extension_status", "Extension-Status"])
def test_tekil_extension_status_name_variants(name: str) -> None:
    event = parse_message({"type": name, "exten": "1001", "status": "8"})
    assert isinstance(event, ev.ExtensionStatusEvent)
    assert event.ringing


# ---------------------------------------------------------------- field-name variants


@pytest.mark.parametrize("id_key", ["callUUID", "callUuid", "call_uuid", "uniqueid", "uniqueId",
                                    "unique_id", "uuid", "callId", "call_id", "linkedid"])
def test_call_id_variants(id_key: str) -> None:
    event = parse_message({"event": "hangup", id_key: "1520317155.59"})
    assert isinstance(event, ev.HangupEvent)
    assert event.call_id == "1520317155.59"


def test_numeric_call_id_keeps_its_text() -> None:
    event = parse_message({"event": "destroy", "uniqueid": 1520317155.5})
    assert isinstance(event, ev.DestroyEvent)
    assert event.call_id == "1520317155.5"


@pytest.mark.parametrize(("caller_key", "called_key", "ext_key"), [
    ("callerNumber", "calledNumber", "extension"),
    ("caller", "called", "exten"),
    ("src", "dst", "internal_num"),
    ("callerid", "did", "extensionNumber"),
    ("customer_num", "pbx_num", "extension"),
    ("caller_id_number", "destination", "exten"),
])
def test_number_and_extension_variants(caller_key: str, called_key: str, ext_key: str) -> None:
    msg = {"event": "ringing", "uniqueid": "1.2", caller_key: "05321234567",
           called_key: 2242123456, ext_key: 1001}
    event = parse_message(msg)
    assert isinstance(event, ev.RingingEvent)
    assert (event.caller, event.called, event.extension) == ("05321234567", "2242123456", "1001")


def test_empty_field_falls_through_to_the_next_variant() -> None:
    event = parse_message({"event": "ringing", "callUUID": "", "uniqueid": "9.9",
                           "callerNumber": "", "src": "1002", "extension": "1001"})
    assert isinstance(event, ev.RingingEvent)
    assert (event.call_id, event.caller) == ("9.9", "1002")


def test_ringing_optional_fields() -> None:
    event = parse_message({"event": "ringing", "callUUID": "c", "extension": "1001",
                           "callerNumber": "05321234567", "direction": "Gelen",
                           "queueName": "destek", "cidName": "Gül Şen"})
    assert isinstance(event, ev.RingingEvent)
    assert event.direction is Direction.INBOUND
    assert event.queue == "destek"
    assert event.caller_name == "Gül Şen"


@pytest.mark.parametrize(("text", "direction"), [
    ("inbound", Direction.INBOUND), ("INCOMING", Direction.INBOUND),
    ("outbound", Direction.OUTBOUND), ("giden", Direction.OUTBOUND),
    ("local", Direction.LOCAL), ("dahili", Direction.LOCAL),
    ("sideways", Direction.UNKNOWN), (None, Direction.UNKNOWN),
])
def test_direction_values(text: str | None, direction: Direction) -> None:
    event = parse_message({"event": "answered", "callUUID": "c", "direction": text})
    assert isinstance(event, ev.AnsweredEvent)
    assert event.direction is direction


@pytest.mark.parametrize("name", ["ringing", "Ringing", "RINGING", " ringing ", "ring"])
@pytest.mark.parametrize("name_key", ["event", "Event", "type", "eventName", "event_type"])
def test_event_name_variants(name: str, name_key: str) -> None:
    event = parse_message({name_key: name, "callUUID": "c", "extension": "1001"})
    assert isinstance(event, ev.RingingEvent)


@pytest.mark.parametrize("name", ["extension_registration", "Extension-Registration",
                                  "AGENT_STATUS_CHANGE", "Members_Count"])
def test_underscore_and_case_variants_of_other_events(name: str) -> None:
    msg = {"event": name, "extension": "1001", "registered": "true", "agent": "1001",
           "queue": "destek", "count": "4"}
    event = parse_message(msg)
    assert not isinstance(event, ev.UnknownEvent)
    assert type(event).__name__.lower().startswith(name.replace("_", "").replace("-", "").lower())


@pytest.mark.parametrize(("value", "registered"), [
    (True, True), (False, False), ("true", True), ("false", False), (1, True), (0, False),
    ("registered", True), ("unregistered", False),
])
def test_registration_flag_variants(value: Any, registered: bool) -> None:
    event = parse_message({"event": "extension-registration", "extension": "1001",
                           "registered": value})
    assert isinstance(event, ev.ExtensionRegistrationEvent)
    assert event.registered is registered


def test_members_count_as_text() -> None:
    event = parse_message({"event": "members-count", "queue": "destek", "count": "7"})
    assert isinstance(event, ev.MembersCountEvent)
    assert event.count == 7


# ---------------------------------------------------------------- unknown / malformed


@pytest.mark.parametrize(("msg", "reason"), [
    ({"callUUID": "c", "extension": "1001"}, "no event name"),
    ({"event": "teleport", "callUUID": "c"}, "unknown event 'teleport'"),
    ({"event": "ringing", "extension": "1001"}, "ringing event without a call id"),
    ({"event": "hangup", "callUUID": ""}, "hangup event without a call id"),
    ({"event": "members-count", "queue": "destek", "count": "çok"}, "without count"),
    ({"event": "members-count", "queue": "destek", "count": None}, "without count"),
    ({"event": "members-count", "queue": "destek", "count": True}, "without count"),
    ({"event": "members-count", "count": 3}, "without queue"),
    ({"event": "agent-status-change", "status": "x"}, "without agent"),
    ({"event": "extension-registration", "extension": "1001"}, "without registered"),
    ({"event": "member-queue-end", "cidName": "x"}, "without memberUUID"),
    ([{"event": "ringing"}], "not a JSON object"),
    ("ringing", "not a JSON object"),
    (42, "not a JSON object"),
    (None, "not a JSON object"),
])
def test_unknown_and_malformed(msg: Any, reason: str) -> None:
    event = parse_message(msg, received_at=T)
    assert isinstance(event, ev.UnknownEvent)
    assert reason in event.reason
    assert event.raw == msg
    assert event.received_at == T


@pytest.mark.parametrize("text", ['{"event": "ringing", ', "{'event': 'ringing'}", "", "nul",
                                  b"\xff\xfe{}", "[" * 100_000])
def test_broken_json_text(text: str | bytes) -> None:
    event = parse_text(text, received_at=T)
    assert isinstance(event, ev.UnknownEvent)
    assert event.reason.startswith("malformed JSON")
    assert event.raw == text


@pytest.mark.parametrize("text", ["ping", " PONG\n", b"heartbeat", '"keepalive"'])
def test_keepalive_text(text: str | bytes) -> None:
    assert isinstance(parse_text(text), ev.KeepAliveEvent)


def test_keepalive_event_name() -> None:
    assert isinstance(parse_message({"type": "ping"}), ev.KeepAliveEvent)


# ---------------------------------------------------------------- replies


@pytest.mark.parametrize(("msg", "ok", "command"), [
    ({"command": "login", "status": "ok"}, True, "login"),
    ({"cmd": "login", "result": "success", "message": "Giriş başarılı"}, True, "login"),
    ({"type": "handshake", "success": True}, True, "handshake"),
    ({"type": "kobipbx_tenant", "status": "connected"}, True, "kobipbx_tenant"),
    ({"command": "login", "status": "error", "message": "Geçersiz API anahtarı"}, False, "login"),
    ({"cmd": "login", "success": False}, False, "login"),
    ({"type": "error", "message": "invalid domainUuid"}, False, "error"),
    ({"command": "originate", "error": "busy"}, False, "originate"),
    ({"type": "login", "status": "hata"}, False, "login"),
    ({"type": "handshake"}, None, "handshake"),
])
def test_replies(msg: dict[str, Any], ok: bool | None, command: str) -> None:
    event = parse_message(msg)
    assert isinstance(event, ev.ReplyEvent)
    assert event.ok is ok
    assert event.command == command


def test_reply_message_text() -> None:
    event = parse_message({"command": "login", "status": "error", "message": "Geçersiz anahtar"})
    assert isinstance(event, ev.ReplyEvent)
    assert event.message == "Geçersiz anahtar"


# ---------------------------------------------------------------- never raises

FIELD_NAMES = ["event", "type", "Event", "callUUID", "uniqueid", "extension", "exten", "agent",
               "callerNumber", "calledNumber", "src", "dst", "direction", "status", "count",
               "registered", "queue", "memberUUID", "domain", "domainUuid", "timestamp",
               "hangupCause", "command", "cmd", "result", "success", "error", "ok", "message"]
EVENT_NAMES = [*BULUT_EVENT_NAMES, "ExtensionStatus", "login", "handshake", "error", "ping",
               "status", "RINGING", "extension_registration", ""]

scalars = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=12) | st.sampled_from(EVENT_NAMES))
values = st.recursive(scalars, lambda c: st.lists(c, max_size=3)
                      | st.dictionaries(st.text(max_size=5), c, max_size=3), max_leaves=8)
messages = st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=8), values,
                           max_size=8)


@settings(max_examples=500)
@given(messages | values)
def test_parse_message_never_raises(msg: Any) -> None:
    event = parse_message(msg, received_at=T)
    assert isinstance(event, ev.Event)
    assert event.received_at == T
    if isinstance(event, ev.UnknownEvent):
        assert event.reason


@settings(max_examples=300)
@given(st.text(max_size=60) | st.binary(max_size=60))
def test_parse_text_never_raises(text: str | bytes) -> None:
    assert isinstance(parse_text(text, received_at=T), ev.Event)


def test_parse_message_survives_a_hostile_mapping() -> None:
    class Hostile(dict[str, Any]):
        def get(self, key: str, default: Any = None) -> Any:
            raise RuntimeError("boom")

    event = parse_message(Hostile(event="ringing"), received_at=T)
    assert isinstance(event, ev.UnknownEvent)
    assert "parse error" in event.reason


def test_events_are_frozen() -> None:
    event = parse_message(DOCUMENTED[0][0])
    with pytest.raises(AttributeError):
        event.call_id = "other"  # type: ignore[misc]


# ---------------------------------------------------------------- legs, domains, full hangups


@pytest.mark.parametrize("key", ["otherLegUUID", "Other-Leg-Unique-ID", "bridgeUUID",
                                 "linkedid", "other_leg_uuid"])
def test_the_bridged_leg_or_whole_call_id_is_kept(key: str) -> None:
    event = parse_message({"event": "ringing", "callUUID": "B1", "extension": "1001",
                           key: "T1"}, received_at=T)
    assert isinstance(event, ev.RingingEvent)
    assert (event.call_id, event.other_leg) == ("B1", "T1")


def test_a_leg_naming_itself_has_no_other_leg() -> None:
    event = parse_message({"event": "answered", "unique_id": "1.5", "linkedid": "1.5"})
    assert isinstance(event, ev.AnsweredEvent)
    assert event.other_leg is None


@pytest.mark.parametrize("domain", ["5b0c0e4e-1d2f-4a6b-9c3d-000000000001",
                                    "902245320088.kobipbx.com", None])
def test_the_domain_is_kept_as_sent_uuid_name_or_nothing(domain: str | None) -> None:
    msg = {"event": "ringing", "callUUID": "u", "extension": "1001"}
    if domain is not None:
        msg["domain"] = domain
    event = parse_message(msg)
    assert isinstance(event, ev.RingingEvent)
    assert event.domain == domain


def test_a_hangup_may_carry_the_legs_fields() -> None:
    event = parse_message({"event": "hangup", "callUUID": "B1", "hangupCause": "NO_ANSWER",
                           "extension": "1001", "callerNumber": "05321234567",
                           "calledNumber": "1001", "direction": "outbound"})
    assert isinstance(event, ev.HangupEvent)
    assert (event.extension, event.caller, event.called, event.direction,
            event.hangup_cause) == ("1001", "05321234567", "1001", ev.Direction.OUTBOUND,
                                    "NO_ANSWER")
    bare = parse_message({"event": "hangup", "callUUID": "B1"})
    assert isinstance(bare, ev.HangupEvent)
    assert (bare.caller, bare.called, bare.direction) == ("", "", ev.Direction.UNKNOWN)

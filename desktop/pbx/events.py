"""Typed, frozen events parsed from Kobikom's real-time messages.

Every channel (Bulut TCP/WebSocket, Tekil TCP/WebSocket) turns what it
receives into the classes of :mod:`desktop.pbx.event_types` (re-exported
here: import them from this module) through :func:`parse_message`; nothing
above this module ever looks at a raw dict again (except through ``raw`` for
diagnostics).

What the documentation fixes (``postman-collection.json``):

* Bulut Santral (KobiPBX) TCP service: 16 event names with their key fields
  (``ringing``, ``answered``, ``hangup``, ``destroy``, ``hold``, ``unhold``,
  ``extension-registration``, the agent/queue events).  Call events carry
  ``domain``, the others ``domainUuid``.  No complete sample message exists.
* Tekil Santral WebSocket: only ``{"type":"ExtensionStatus","extension":..,
  "status":"0"}`` with codes -1, 0, 1, 2, 4, 8, 16.

What we assume, because the documentation is silent:

* Tekil call events are not documented at all.  We accept the Bulut
  call-event shape on Tekil channels too, and tolerate the obvious field-name
  variants seen elsewhere in Kobikom's APIs: ``callUUID`` / ``call_uuid`` /
  ``uniqueid`` / ``uniqueId`` / ``unique_id`` / ``uuid`` / ``callId`` for
  the call id; ``callerNumber`` / ``caller`` / ``src`` / ``callerid`` /
  ``customer_num`` for the caller; ``calledNumber`` / ``called`` / ``dst`` /
  ``did`` / ``pbx_num`` for the called number; ``extension`` / ``exten`` /
  ``internal_num`` for the extension; the event name in ``event`` or
  ``type``, in any letter case, with ``_`` or ``-``.
* A call event is about one *leg*: FreeSWITCH (KobiPBX) and Asterisk
  (Tekil) give every leg its own id.  The id of the leg it is bridged to, or
  of the whole call, is taken when present (``otherLegUUID`` /
  ``Other-Leg-Unique-ID`` / ``bridgeUUID`` / ``linkedid`` ...) as
  ``other_leg``; a ``hangup`` that carries the leg's fields (extension,
  numbers, direction) keeps them.
* ``domain`` is kept as sent: the UUID, the domain name, or nothing.
* ``timestamp`` is kept verbatim and read by
  :func:`~desktop.pbx.timestamps.parse_timestamp` on demand
  (``Event.sent_at``): epoch s/ms/µs, ISO 8601, Turkish local time.
* Tekil status values that are sums of the documented codes (Asterisk's
  ``9`` = in use + ringing, ``17`` = in use + on hold) are decoded as flags.
* Login/handshake replies are not documented; anything that looks like a
  reply (``status``/``result``/``success`` keys on a ``login``/``handshake``
  /``error`` message) becomes a :class:`ReplyEvent` so the channel can tell
  an accepted login from a rejected one.

Anything else (unknown event names, a call event without a call id,
non-object JSON) becomes :class:`UnknownEvent` with the raw payload and the
reason; parsing never raises.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from desktop.pbx.event_types import (
    EXTENSION_NOT_FOUND,
    EXTENSION_STATUS_TEXT,
    AgentOfferingEvent,
    AgentStateChangeEvent,
    AgentStatusChangeEvent,
    AnsweredEvent,
    BridgeAgentEndEvent,
    BridgeAgentFailEvent,
    BridgeAgentStartEvent,
    CallEvent,
    DestroyEvent,
    Direction,
    Event,
    ExtensionRegistrationEvent,
    ExtensionState,
    ExtensionStatusEvent,
    HangupEvent,
    HoldEvent,
    KeepAliveEvent,
    MemberQueueEndEvent,
    MemberQueueStartEvent,
    MembersCountEvent,
    ReplyEvent,
    RingingEvent,
    UnholdEvent,
    UnknownEvent,
)

__all__ = [
    "BULUT_EVENT_NAMES", "EXTENSION_NOT_FOUND", "EXTENSION_STATUS_TEXT",
    "AgentOfferingEvent", "AgentStateChangeEvent", "AgentStatusChangeEvent", "AnsweredEvent",
    "BridgeAgentEndEvent", "BridgeAgentFailEvent", "BridgeAgentStartEvent", "CallEvent",
    "DestroyEvent", "Direction", "Event", "ExtensionRegistrationEvent", "ExtensionState",
    "ExtensionStatusEvent", "HangupEvent", "HoldEvent", "KeepAliveEvent", "MemberQueueEndEvent",
    "MemberQueueStartEvent", "MembersCountEvent", "ReplyEvent", "RingingEvent", "UnholdEvent",
    "UnknownEvent", "parse_message", "parse_text",
]

# ---------------------------------------------------------------- parsing

_ID_KEYS = ("callUUID", "callUuid", "call_uuid", "uniqueid", "uniqueId", "unique_id",
            "uuid", "callId", "call_id", "Unique-ID", "linkedid")
_OTHER_LEG_KEYS = ("otherLegUUID", "otherLegUuid", "otherLegCallUUID", "other_leg_uuid",
                   "otherLegUniqueId", "Other-Leg-Unique-ID", "bridgeUUID", "bridge_uuid",
                   "linkedid", "linkedId", "linked_id")
_OTHER_LEG_SET = frozenset(_OTHER_LEG_KEYS)
_CALLER_KEYS = ("callerNumber", "caller_number", "caller", "callerid", "callerId",
                "caller_id_number", "src", "customer_num", "from")
_CALLED_KEYS = ("calledNumber", "called_number", "called", "dst", "did", "destination",
                "destinationNumber", "pbx_num", "to")
#: Fields a hangup may carry besides the documented ones (a FreeSWITCH channel's).
_LEG_FIELDS = frozenset((*_CALLER_KEYS, *_CALLED_KEYS, "direction"))
#: The queue a call leg came through (FreeSWITCH sets ``cc_queue`` on the legs
#: of a mod_callcenter call).
_QUEUE_KEYS = ("queue", "queueName", "queueExtension", "cc_queue", "ccQueue", "CC-Queue")
#: The waiting caller's number on agent/queue events (undocumented; mod_callcenter's
#: ``CC-Member-CID-Number``).
_MEMBER_NUMBER_KEYS = ("cidNumber", "cid_number", "callerNumber", "caller_number",
                       "CC-Member-CID-Number", "memberCidNumber")
_EXTENSION_KEYS = ("extension", "exten", "internal_num", "extensionNumber", "agent")
_DOMAIN_KEYS = ("domain", "domainUuid", "domain_uuid", "domainUUID")
_NAME_KEYS = ("event", "Event", "type", "eventName", "event_type")
# Canonical spellings (see _canonical_name: "kobipbx_tenant" -> "kobipbx-tenant").
_REPLY_NAMES = frozenset({"login", "handshake", "kobipbx-tenant", "auth", "error",
                          "originate", "redirect", "hangup-reply", "response", "result"})
_KEEPALIVE_NAMES = frozenset({"ping", "pong", "heartbeat", "keepalive", "keep-alive"})
_OK_STRINGS = frozenset({"ok", "success", "true", "1", "accepted", "connected", "basarili",
                         "başarılı"})
_FAIL_STRINGS = frozenset({"error", "fail", "failed", "false", "0", "denied", "rejected",
                           "unauthorized", "invalid", "hata"})


def _first(msg: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = msg.get(key)
        if value is not None and value != "":
            return value
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _canonical_name(value: Any) -> str:
    """``"Ringing"``, ``"RINGING"``, ``"extension_registration"`` -> canonical."""
    return str(value).strip().lower().replace("_", "-")


def _direction(value: Any) -> Direction:
    if value is None:
        return Direction.UNKNOWN
    text = str(value).strip().lower()
    if text in {"inbound", "incoming", "in", "gelen"}:
        return Direction.INBOUND
    if text in {"outbound", "outgoing", "out", "giden"}:
        return Direction.OUTBOUND
    if text in {"local", "internal", "dahili"}:
        return Direction.LOCAL
    return Direction.UNKNOWN


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _OK_STRINGS or low in {"yes", "registered"}:
            return True
        if low in _FAIL_STRINGS or low in {"no", "unregistered"}:
            return False
    return None


def _common(msg: Mapping[str, Any], received_at: float) -> dict[str, Any]:
    return {
        "raw": msg,
        "received_at": received_at,
        "timestamp": _text(msg.get("timestamp")),
        "domain": _text(_first(msg, _DOMAIN_KEYS)),
    }


def _call_fields(msg: Mapping[str, Any]) -> dict[str, Any] | None:
    call_id = _text(_first(msg, _ID_KEYS))
    if call_id is None:
        return None
    if _OTHER_LEG_SET.isdisjoint(msg):  # the usual case, checked in C
        return {"call_id": call_id}
    other = _text(_first(msg, _OTHER_LEG_KEYS))
    return {"call_id": call_id, "other_leg": other if other != call_id else None}


def _ringing(msg: Mapping[str, Any], base: dict[str, Any]) -> Event:
    return RingingEvent(
        **base,
        extension=_text(_first(msg, _EXTENSION_KEYS)),
        caller=_text(_first(msg, _CALLER_KEYS)) or "",
        called=_text(_first(msg, _CALLED_KEYS)) or "",
        direction=_direction(msg.get("direction")),
        queue=_text(_first(msg, _QUEUE_KEYS)),
        caller_name=_text(_first(msg, ("callerName", "caller_name", "cidName", "cid_name"))),
    )


def _answered(msg: Mapping[str, Any], base: dict[str, Any]) -> Event:
    return AnsweredEvent(
        **base,
        extension=_text(_first(msg, _EXTENSION_KEYS)),
        caller=_text(_first(msg, _CALLER_KEYS)) or "",
        called=_text(_first(msg, _CALLED_KEYS)) or "",
        direction=_direction(msg.get("direction")),
        channel_call_state=_text(msg.get("channelCallState")) or None,
        hangup_cause=_text(msg.get("hangupCause")) or None,
        queue=_text(_first(msg, _QUEUE_KEYS)),
    )


def _hangup(msg: Mapping[str, Any], base: dict[str, Any]) -> Event:
    cause = _text(msg.get("hangupCause")) or None
    extension = _text(_first(msg, _EXTENSION_KEYS))
    if _LEG_FIELDS.isdisjoint(msg):  # the documented hangup: id and cause only
        return HangupEvent(**base, hangup_cause=cause, extension=extension)
    return HangupEvent(**base, hangup_cause=cause, extension=extension,
                       caller=_text(_first(msg, _CALLER_KEYS)) or "",
                       called=_text(_first(msg, _CALLED_KEYS)) or "",
                       direction=_direction(msg.get("direction")),
                       queue=_text(_first(msg, _QUEUE_KEYS)))


def _simple_call(cls: type[CallEvent]) -> Callable[[Mapping[str, Any], dict[str, Any]], Event]:
    def build(msg: Mapping[str, Any], base: dict[str, Any]) -> Event:
        return cls(**base, extension=_text(_first(msg, _EXTENSION_KEYS)))  # type: ignore[call-arg]

    return build


_CALL_BUILDERS: dict[str, Callable[[Mapping[str, Any], dict[str, Any]], Event]] = {
    "ringing": _ringing,
    "ring": _ringing,
    "answered": _answered,
    "answer": _answered,
    "hangup": _hangup,
    "destroy": _simple_call(DestroyEvent),
    "hold": _simple_call(HoldEvent),
    "unhold": _simple_call(UnholdEvent),
}


def _require(msg: Mapping[str, Any], key: str, *alts: str) -> str:
    value = _text(_first(msg, (key, *alts)))
    if value is None:
        raise _MissingField(key)
    return value


class _MissingField(Exception):
    pass


def _other(name: str, msg: Mapping[str, Any], base: dict[str, Any]) -> Event | None:
    # Every branch names the fields from the documentation's "Anahtar Alanlar".
    if name == "extension-registration":
        registered = _bool(msg.get("registered"))
        if registered is None:
            raise _MissingField("registered")
        return ExtensionRegistrationEvent(
            **base, extension=_require(msg, "extension", "exten"), registered=registered,
            status_text=_text(msg.get("statusText")) or "")
    if name == "agent-status-change":
        return AgentStatusChangeEvent(
            **base, agent=_require(msg, "agent"), status=_text(msg.get("status")) or "",
            agent_name=_text(msg.get("agentName")), queue=_text(msg.get("queue")),
            queue_extension=_text(msg.get("queueExtension")))
    if name == "agent-state-change":
        return AgentStateChangeEvent(**base, agent=_require(msg, "agent"),
                                     state=_text(msg.get("state")) or "")
    if name == "bridge-agent-start":
        return BridgeAgentStartEvent(
            **base, agent=_require(msg, "agent"), agent_uuid=_text(msg.get("agentUUID")),
            member_uuid=_text(_first(msg, ("memberUUID", "memberUuid", "member_uuid",
                                         "CC-Member-UUID"))),
            caller=_text(_first(msg, _MEMBER_NUMBER_KEYS)),
            queue=_text(_first(msg, _QUEUE_KEYS)))
    if name == "bridge-agent-end":
        return BridgeAgentEndEvent(**base, agent=_require(msg, "agent"),
                                   agent_uuid=_text(msg.get("agentUUID")))
    if name == "bridge-agent-fail":
        return BridgeAgentFailEvent(**base, agent=_require(msg, "agent"),
                                    fail_cause=_text(msg.get("failCause")))
    if name == "agent-offering":
        return AgentOfferingEvent(
            **base, agent=_require(msg, "agent"), queue=_text(msg.get("queue")),
            call_id=_text(_first(msg, _ID_KEYS)), caller=_text(_first(msg, _CALLER_KEYS)))
    if name == "members-count":
        raw_count = msg.get("count")
        try:
            if isinstance(raw_count, bool):
                raise TypeError("a boolean is not a count")
            count = int(raw_count)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            raise _MissingField("count") from None
        return MembersCountEvent(**base, queue=_require(msg, "queue"), count=count)
    if name == "member-queue-start":
        return MemberQueueStartEvent(**base, member_uuid=_require(msg, "memberUUID"),
                                     cid_name=_text(msg.get("cidName")),
                                     cid_number=_text(_first(msg, _MEMBER_NUMBER_KEYS)),
                                     queue=_text(_first(msg, _QUEUE_KEYS)))
    if name == "member-queue-end":
        return MemberQueueEndEvent(**base, member_uuid=_require(msg, "memberUUID"),
                                   cid_name=_text(msg.get("cidName")),
                                   cause=_text(msg.get("cause")),
                                   cid_number=_text(_first(msg, _MEMBER_NUMBER_KEYS)),
                                   queue=_text(_first(msg, _QUEUE_KEYS)),
                                   cancel_reason=_text(_first(msg, ("cancelReason",
                                                                    "cancel_reason"))))
    if name in ("extensionstatus", "extension-status"):
        code_text = _require(msg, "status")
        try:
            code = int(float(code_text))
        except (ValueError, OverflowError):  # "abc", "nan", "inf"
            raise _MissingField("status") from None
        return ExtensionStatusEvent(**base, extension=_require(msg, "extension", "exten"),
                                    code=code)
    return None


def _reply(name: str | None, msg: Mapping[str, Any], base: dict[str, Any],
           raw_name: Any = None) -> Event | None:
    """Recognise login/handshake/command replies (shape undocumented)."""
    has_verdict = any(k in msg for k in ("status", "result", "success", "error", "ok"))
    # The command as the server spelled it ("kobipbx_tenant"), not canonicalised.
    command = _text(_first(msg, ("command", "cmd"))) or (
        str(raw_name).strip() if raw_name is not None else None)
    if name is not None and name not in _REPLY_NAMES and not (name in {"status"} and has_verdict):
        return None
    if name is None and not has_verdict:
        return None
    ok: bool | None = None
    for key in ("success", "result", "ok", "status"):
        if key in msg:
            verdict = _bool(msg[key])
            if verdict is not None:
                ok = verdict
                break
    if "error" in msg and msg["error"] not in (None, False, "", 0):
        ok = False
    if name == "error":
        ok = False
    message = _text(_first(msg, ("message", "msg", "error", "description", "reason"))) or ""
    return ReplyEvent(**base, command=command, ok=ok, message=message)


def parse_message(msg: Any, *, received_at: float | None = None) -> Event:
    """Turn one decoded JSON value into a typed event.  Never raises."""
    now = time.time() if received_at is None else received_at
    if not isinstance(msg, Mapping):
        if isinstance(msg, str) and msg.strip().lower() in _KEEPALIVE_NAMES:
            return KeepAliveEvent(raw=msg, received_at=now)
        return UnknownEvent(raw=msg, received_at=now, reason="not a JSON object")
    try:
        base = _common(msg, now)
        raw_name = _first(msg, _NAME_KEYS)
        name = _canonical_name(raw_name) if raw_name is not None else None
        if name in _KEEPALIVE_NAMES:
            return KeepAliveEvent(**base)
        if name is not None and name in _CALL_BUILDERS:
            fields = _call_fields(msg)
            if fields is None:
                return UnknownEvent(**base, reason=f"{name} event without a call id")
            return _CALL_BUILDERS[name](msg, {**base, **fields})
        if name is not None:
            try:
                event = _other(name, msg, base)
            except _MissingField as missing:
                return UnknownEvent(**base, reason=f"{name} event without {missing}")
            if event is not None:
                return event
        reply = _reply(name, msg, base, raw_name)
        if reply is not None:
            return reply
        if name is None:
            return UnknownEvent(**base, reason="no event name")
        return UnknownEvent(**base, reason=f"unknown event {raw_name!r}")
    except Exception as exc:  # the parser must never take a channel down
        return UnknownEvent(raw=msg, received_at=now, reason=f"parse error: {exc!r}")


def parse_text(text: str | bytes, *, received_at: float | None = None) -> Event:
    """Parse one complete JSON document (a WebSocket text frame)."""
    now = time.time() if received_at is None else received_at
    try:
        value = json.loads(text)
    except RecursionError:
        return UnknownEvent(raw=text, received_at=now, reason="malformed JSON: nested too deeply")
    except ValueError as exc:  # includes UnicodeDecodeError
        stripped = (text if isinstance(text, str) else text.decode("utf-8", "replace")).strip()
        if stripped.lower() in _KEEPALIVE_NAMES:
            return KeepAliveEvent(raw=stripped, received_at=now)
        return UnknownEvent(raw=text, received_at=now, reason=f"malformed JSON: {exc}")
    return parse_message(value, received_at=now)


#: The documented Bulut event names, for tests and the simulator check.
BULUT_EVENT_NAMES: Final = (
    "ringing", "answered", "hangup", "destroy", "hold", "unhold",
    "extension-registration", "agent-status-change", "agent-state-change",
    "bridge-agent-start", "bridge-agent-end", "bridge-agent-fail", "agent-offering",
    "members-count", "member-queue-start", "member-queue-end",
)

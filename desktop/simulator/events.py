"""Builders for the real-time messages the simulated servers send.

Bulut Santral (KobiPBX) TCP service, as documented (digest §1.4): each event
carries exactly its documented "key fields" (Anahtar Alanlar), nothing more:

=========================  ====================================================
``ringing``                event, callUUID, extension, callerNumber,
                           calledNumber, domain, timestamp
``answered``               + direction, channelCallState, hangupCause
``hangup``                 event, callUUID, hangupCause, domain, timestamp
``destroy``/``hold``/      event, callUUID, domain, timestamp
``unhold``
``extension-registration`` event, extension, statusText, registered (bool),
                           domainUuid, timestamp
agent/queue events         see :func:`bulut_agent_event`
=========================  ====================================================

Undocumented, and chosen by the simulator's *profile* (``profiles.py``,
which documents every knob): the ``timestamp`` format
(:func:`timestamp_text`), whether call events carry the domain UUID, the
domain name or no ``domain``, one id per call or one per leg, the
``direction`` of a leg, what a click to call looks like, whether
``ringing`` is sent at all, and the hint that ties legs together.

Fixed choices, from FreeSWITCH, which KobiPBX (a FusionPBX) runs on:
``direction`` ``inbound``/``outbound``; ``channelCallState`` ``ACTIVE``
(answered); ``hangupCause`` ``NORMAL_CLEARING`` (normal end),
``ORIGINATOR_CANCEL`` (caller gave up), ``NO_ANSWER`` (ring timeout),
``LOSE_RACE`` (another phone answered first) and ``NONE`` in ``answered``
(the call has not been hung up); mod_callcenter agent statuses
(``Available``, ``On Break``, ``Logged Out``), states (``Waiting``,
``Receiving``, ``In a queue call``, ``Idle``) and member-queue-end causes
(``Terminated``, ``Cancel``).  Call events of ``ringing`` carry no
``direction`` on Bulut (it is not among their key fields).

Tekil Santral: only ``{"type":"ExtensionStatus","extension":"1001",
"status":"8"}`` is documented (status is a string holding -1, 0, 1, 2, 4, 8
or 16).  Tekil *call* events are not documented at all; because the client
expects the Bulut shape there too, the Tekil servers send the Bulut call
events with Tekil-flavoured variants, on purpose, so that the client's
tolerance is exercised:

* ``unique_id`` (Asterisk ``<epoch>.<sequence>``, e.g. ``"1520317155.59"``,
  the id the ``redirect``/``hangup`` commands take) instead of ``callUUID``;
* by default (profile timestamp ``"flavor"``) ``timestamp`` as
  ``"YYYY-MM-DD HH:MM:SS"`` in Turkish local time (the format of Tekil's
  CDRs) instead of ISO-8601;
* no ``domain`` (Tekil has no domain UUID; the API key is the tenant);
* ``direction`` on ``ringing`` too, and ``queue`` (the queue number) on
  ``ringing``/``answered`` of queue calls;
* with leg hints, ``linkedid`` (Asterisk's id of the whole call);
* with the profile ``status-only``, no call events at all: only the
  documented ``ExtensionStatus``.

De-duplication (documented for the Bulut TCP service: "repeated data, apart
from the timestamp, is not sent"): :class:`DedupCache` keeps, per client
connection, the last message delivered for each *entity* (a call id, an
extension, an agent, a queue, a queue member) and suppresses a message that
equals it apart from ``timestamp`` (the profile may key call events by call
id and event name instead, or switch the cache off).  The cache is per connection, so a
reconnecting client starts fresh.  We apply the same cache on every channel
(the WebSocket docs say nothing; "the same events as TCP" is our
assumption).
"""

from __future__ import annotations

import json
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from .profiles import Profile, resolve

#: Turkey has been on UTC+3 all year since 2016.
TURKEY = timezone(timedelta(hours=3), "TRT")

CALL_EVENTS = frozenset({"ringing", "answered", "hangup", "destroy", "hold", "unhold"})

#: Tekil ``ExtensionStatus`` codes (documented).
EXT_NOT_FOUND = "-1"
EXT_IDLE = "0"
EXT_IN_USE = "1"
EXT_BUSY = "2"
EXT_UNAVAILABLE = "4"
EXT_RINGING = "8"
EXT_ON_HOLD = "16"


def iso_ms(ts: float | None = None) -> str:
    """``new Date().toISOString()``: ``2024-12-05T06:07:37.123Z``."""
    moment = datetime.fromtimestamp(time.time() if ts is None else ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_micro(ts: float) -> str:
    """Laravel's serialisation: ``2024-12-05T06:07:37.000000Z`` (whole seconds)."""
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def local_datetime(ts: float | None = None) -> str:
    """Tekil's ``YYYY-MM-DD HH:MM:SS`` in Turkish time."""
    moment = datetime.fromtimestamp(time.time() if ts is None else ts, TURKEY)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def timestamp_text(style: str, flavor: str, ts: float | None = None) -> str:
    """The ``timestamp`` field in one of the profile styles (see ``profiles.py``)."""
    moment = time.time() if ts is None else ts
    if style == "flavor":
        style = "local" if flavor == "tekil" else "iso-ms"
    if style == "iso-ms":
        return iso_ms(moment)
    if style == "iso-z":
        return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "epoch-s":
        return str(int(moment))
    if style == "epoch-ms":
        return str(int(moment * 1000))
    if style == "epoch-us":
        return str(int(moment * 1_000_000))
    if style == "local":
        return local_datetime(moment)
    raise ValueError(f"unknown timestamp style {style!r}")


class EventFactory:
    """Builds messages in the flavour of one simulated tenant, under its profile."""

    def __init__(self, flavor: str, domain_uuid: str, domain_name: str = "",
                 profile: Callable[[], Profile] | None = None) -> None:
        self.flavor = flavor
        self.domain_uuid = domain_uuid
        self.domain_name = domain_name
        self._profile = profile or (lambda: resolve("single"))

    @property
    def profile(self) -> Profile:
        return self._profile()

    def stamp(self, ts: float | None = None) -> str:
        return timestamp_text(self.profile.timestamp, self.flavor, ts)

    # ------------------------------------------------------------ call events

    def call_event(self, event: str, call_id: str, *, extension: str | None = None,
                   caller: str = "", called: str = "", direction: str = "inbound",
                   hangup_cause: str | None = None, queue: str | None = None,
                   ts: float | None = None, other_leg: str | None = None,
                   full: bool = False) -> dict[str, Any]:
        """One call event.  *full* gives a ``hangup`` the leg's fields too (profiles
        without ``ringing``); *other_leg* is the bridged leg's id (``leg_hints``)."""
        profile = self.profile
        if self.flavor == "tekil":
            return self._tekil_call_event(event, call_id, extension=extension, caller=caller,
                                          called=called, direction=direction,
                                          hangup_cause=hangup_cause, queue=queue, ts=ts,
                                          other_leg=other_leg, full=full)
        msg: dict[str, Any] = {"event": event, "callUUID": call_id}
        if event in ("ringing", "answered") or (full and event == "hangup"):
            msg["extension"] = extension or ""
            msg["callerNumber"] = caller
            msg["calledNumber"] = called
        if event == "answered" or (full and event == "hangup"):
            msg["direction"] = direction
        if event == "answered":
            msg["channelCallState"] = "ACTIVE"
            msg["hangupCause"] = hangup_cause or "NONE"
        if event == "hangup":
            msg["hangupCause"] = hangup_cause or "NORMAL_CLEARING"
        if other_leg and profile.leg_hints:
            msg["otherLegUUID"] = other_leg
        if profile.domain == "uuid":
            msg["domain"] = self.domain_uuid
        elif profile.domain == "name":
            msg["domain"] = self.domain_name
        msg["timestamp"] = self.stamp(ts)
        return msg

    def _tekil_call_event(self, event: str, call_id: str, *, extension: str | None,
                          caller: str, called: str, direction: str,
                          hangup_cause: str | None, queue: str | None,
                          ts: float | None, other_leg: str | None,
                          full: bool) -> dict[str, Any]:
        msg: dict[str, Any] = {"event": event, "unique_id": call_id}
        if event in ("ringing", "answered") or (full and event == "hangup"):
            msg["extension"] = extension or ""
            msg["callerNumber"] = caller
            msg["calledNumber"] = called
            msg["direction"] = direction
            if queue:
                msg["queue"] = queue
        if event == "answered":
            msg["channelCallState"] = "ACTIVE"
            msg["hangupCause"] = hangup_cause or "NONE"
        if event == "hangup":
            msg["hangupCause"] = hangup_cause or "NORMAL_CLEARING"
        if other_leg and self.profile.leg_hints:
            msg["linkedid"] = other_leg
        msg["timestamp"] = self.stamp(ts)
        return msg

    # ------------------------------------------------------------ extensions

    def extension_registration(self, extension: str, registered: bool,
                               status_text: str | None = None) -> dict[str, Any]:
        return {
            "event": "extension-registration",
            "extension": extension,
            "statusText": status_text or ("Registered" if registered else "Unregistered"),
            "registered": registered,
            "domainUuid": self.domain_uuid,
            "timestamp": self.stamp(),
        }

    @staticmethod
    def extension_status(extension: str, status: str) -> dict[str, Any]:
        """Tekil's documented message, verbatim in shape (status is a string)."""
        return {"type": "ExtensionStatus", "extension": extension, "status": status}

    # ------------------------------------------------------------ agents and queues

    def bulut_agent_event(self, event: str, **fields: Any) -> dict[str, Any]:
        """``agent-status-change`` (agent, agentName, status, queue, queueExtension),
        ``agent-state-change`` (agent, state), ``bridge-agent-start``/``-end``
        (agent, agentUUID), ``bridge-agent-fail`` (agent, failCause),
        ``agent-offering`` (agent, queue), ``members-count`` (queue, count: a
        number), ``member-queue-start`` (memberUUID, cidName),
        ``member-queue-end`` (memberUUID, cidName, cause)."""
        return {"event": event, **fields, "domainUuid": self.domain_uuid,
                "timestamp": self.stamp()}


# ---------------------------------------------------------------- de-duplication


def _entity(msg: dict[str, Any], scope: str = "entity") -> tuple[str, ...]:
    name = str(msg.get("event") or msg.get("type") or "")
    if name in CALL_EVENTS:
        call_id = msg.get("callUUID") or msg.get("unique_id") or msg.get("uniqueid")
        if call_id:
            return ("call", str(call_id), name) if scope == "event" else ("call", str(call_id))
    for key in ("extension", "agent", "memberUUID", "queue"):
        if key in msg:
            return (name, key, str(msg[key]))
    return (name, _canonical(msg))


def _canonical(msg: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in msg.items() if k != "timestamp"},
                      sort_keys=True, ensure_ascii=False, default=str)


class DedupCache:
    """Per-connection memory of the last message per entity (see module docstring).

    *scope* (a callable, so a profile switch applies at once): ``"entity"``
    keys call events by call id, ``"event"`` by call id and event name,
    ``"off"`` delivers everything.
    """

    def __init__(self, size: int = 4096, scope: Callable[[], str] = lambda: "entity") -> None:
        self._last: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self._size = size
        self._scope = scope
        self.suppressed = 0

    def admit(self, msg: Any, *, force: bool = False) -> bool:
        """True if *msg* should be delivered (and remember it); *force* always delivers."""
        if not isinstance(msg, dict):
            return True
        scope = self._scope()
        if scope == "off":
            return True
        key = _entity(msg, scope)
        value = _canonical(msg)
        if self._last.get(key) == value and not force:
            self._last.move_to_end(key)
            self.suppressed += 1
            return False
        self._last[key] = value
        self._last.move_to_end(key)
        while len(self._last) > self._size:
            self._last.popitem(last=False)
        return True


def message_domain(msg: Any) -> str | None:
    """The domain a raw message is addressed to (``domain`` or ``domainUuid``)."""
    if isinstance(msg, dict):
        for key in ("domain", "domainUuid"):
            value = msg.get(key)
            if isinstance(value, str) and value:
                return value
    return None


_NAMESPACE = uuid.UUID("6f1c4a52-3c1e-4f7e-9a51-6b6f62696b6f")


def stable_uuid(*parts: str) -> str:
    """A UUID that is the same for the same *parts* (extension/agent/queue ids)."""
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))

"""Profiles: every choice the documentation leaves open, played one way or another.

Kobikom documents the *names* of its real-time call events and their key
fields, nothing more (digest §1.4; Tekil call events are not documented at
all).  A simulator that makes the same convenient guess as the client
proves nothing, so each undocumented choice is a knob of :class:`Profile`,
and the named profiles in :data:`PROFILES` combine them so that every value
of every knob is played by at least one profile.  The client's call-critical
tests run under each of them (``tests/integration/test_profiles.py``).

The knobs, and what each value means on the wire:

``legs``
    ``"call"``: one ``callUUID`` (Tekil ``unique_id``) per call; a queue call
    rings every agent under that one id and ``answered`` names the agent who
    took it.  ``"legs"``: FreeSWITCH's truth (KobiPBX is a FusionPBX), and
    Asterisk's for Tekil: every leg is its own channel with its own id.  An
    incoming call is the *trunk leg* (direction ``inbound``, ``extension`` =
    where the dialplan sent it: the agent's extension for a direct call, the
    queue number for a queue call, ``calledNumber`` = the DID) plus one leg
    per phone rung (``calledNumber`` = that extension).  A queue answers the
    trunk leg at once (mod_callcenter plays music to the caller); the agents'
    legs that lose end with ``hangupCause`` ``LOSE_RACE``.  A call the
    agent dials on the desk phone is the phone's leg (``callerNumber`` = the
    extension) and the leg to the customer.
``domain`` (Bulut call events)
    ``"uuid"`` (the domain UUID, like ``domainUuid`` on the other events),
    ``"name"`` (FusionPBX's ``domain_name``, e.g. ``902242345678.kobipbx.com``)
    or ``"absent"``.  Registration and agent events always carry
    ``domainUuid``, as documented.
``direction``
    ``"call"``: the call's direction on every leg (``inbound`` for a
    customer calling).  ``"leg"``: FreeSWITCH's ``Call-Direction``, per leg,
    from the switch's point of view: the trunk leg is ``inbound``, a leg the
    switch places (to the agent's phone, or to the customer) is ``outbound``,
    and the leg *from* a desk phone dialling out is ``inbound``.
``click_to_call``
    ``"extension-first"``: the first leg rings the agent's phone with
    ``callerNumber`` = the extension and ``calledNumber`` = the destination.
    ``"destination-as-caller"``: the first leg rings the agent's phone
    *showing the destination as the caller* (``callerNumber`` = the customer,
    ``calledNumber`` = the extension, as FreeSWITCH's
    ``origination_caller_id_number`` does), which looks exactly like the
    customer calling in.  In ``legs`` mode the agent's leg is answered first
    and the leg to the customer rings after that.
``timestamp``
    ``"iso-ms"`` (Node's ``toISOString()``: ``2024-12-05T06:07:37.123Z``),
    ``"iso-z"`` (``2024-12-05T06:07:37Z``), ``"epoch-s"`` (``1733378857``),
    ``"epoch-ms"``, ``"epoch-us"`` (FreeSWITCH's ``Event-Date-Timestamp``),
    ``"local"`` (Tekil CDR style, Turkish local time: ``2024-12-05
    09:07:37``), or ``"flavor"``: ``iso-ms`` on Bulut, ``local`` on Tekil.
``login_ack``
    False: no reply at all to a good handshake (Bulut) or login (Tekil).
``ringing``
    False: no ``ringing`` events; calls are seen from ``answered`` on, and an
    unanswered leg only by its ``hangup``, which then carries the leg's
    fields (``extension``, ``callerNumber``, ``calledNumber``, ``direction``)
    like any FreeSWITCH channel event does.
``dedup``
    The documented cache ("repeated data, apart from the timestamp, is not
    sent") keyed by call id (``"entity"``: the last message of each call),
    by event name *and* call id (``"event"``: a second ``hold`` of the same
    call after an ``unhold`` is suppressed too), or ``"off"``.
``repeats``
    Every call event is sent twice, the second with a later timestamp (what
    FreeSWITCH's several channel events per state change look like once
    mapped to one name); the cache, if on, suppresses the second copy.
``leg_hints``
    Legs name the leg they are bridged to: ``otherLegUUID`` (Bulut, from
    FreeSWITCH's ``Other-Leg-Unique-ID``) or ``linkedid`` (Tekil, Asterisk's
    id of the whole call).  Off by default: no such field is documented.
``queue_strategy``
    How a queue offers a caller to its agents.  ``"ring-all"``: every agent's
    phone rings at once; the first to answer takes it, the others' legs end
    ``LOSE_RACE`` (``bridge-agent-fail``).  ``"one-at-a-time"``: what
    mod_callcenter's default ``longest-idle-agent`` (and ``round-robin``,
    ``top-down``, ``agent-with-least-talk-time`` ...) does: ONE agent's phone
    rings for ``queue_offer_timeout`` seconds (the agent's ``call-timeout``),
    its leg ends ``NO_ANSWER`` (``bridge-agent-fail``), then the next agent's
    rings, round and round, until one answers or the caller gives up (the
    caller's leg hangs up ``ORIGINATOR_CANCEL``, ``member-queue-end``
    ``Cancel``).  With one id per call the next agent's ``ringing`` carries
    the same id and nothing ends the previous ring.  Direct calls ring their
    phones all at once either way.
``tekil_calls`` (Tekil only)
    ``"events"``: the Bulut call-event shape with Tekil spellings (see
    ``events.py``).  ``"status-only"``: what the documentation actually shows,
    ``ExtensionStatus`` and nothing else, so the client never learns the
    caller's number from the channel.

Tekil messages never carry a domain, whatever the profile says.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

Legs = Literal["call", "legs"]
DomainStyle = Literal["uuid", "name", "absent"]
DirectionStyle = Literal["call", "leg"]
ClickToCallStyle = Literal["extension-first", "destination-as-caller"]
TimestampStyle = Literal["flavor", "iso-ms", "iso-z", "epoch-s", "epoch-ms", "epoch-us", "local"]
DedupScope = Literal["entity", "event", "off"]
TekilCalls = Literal["events", "status-only"]
QueueStrategy = Literal["ring-all", "one-at-a-time"]

TIMESTAMP_STYLES: tuple[str, ...] = ("flavor", "iso-ms", "iso-z", "epoch-s", "epoch-ms",
                                     "epoch-us", "local")


@dataclass(frozen=True, slots=True)
class Profile:
    """One reading of everything the documentation leaves open (module docstring)."""

    name: str
    description: str = ""
    legs: Legs = "call"
    domain: DomainStyle = "uuid"
    direction: DirectionStyle = "call"
    click_to_call: ClickToCallStyle = "extension-first"
    timestamp: TimestampStyle = "flavor"
    login_ack: bool = True
    ringing: bool = True
    dedup: DedupScope = "entity"
    repeats: bool = False
    leg_hints: bool = False
    tekil_calls: TekilCalls = "events"
    queue_strategy: QueueStrategy = "ring-all"

    def describe(self) -> dict[str, Any]:
        return asdict(self)

    def but(self, **changes: Any) -> Profile:
        """A copy with some knobs changed (tests build their own combinations)."""
        return replace(self, **changes)


#: The profile the demo and ``SimulatorConfig()`` use: the most likely truth.
DEFAULT_PROFILE = "freeswitch"

PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile(
        "single",
        "One id per call, domain UUID, the call's direction on every event, click to call "
        "shows the extension as caller, login acknowledged: the convenient reading the "
        "first simulator made.",
    ),
    Profile(
        "freeswitch",
        "What FreeSWITCH/FusionPBX does: one id per leg, domain name, direction per leg, "
        "click to call rings the agent showing the destination as caller, timestamps in "
        "epoch microseconds, no login acknowledgement.",
        legs="legs", domain="name", direction="leg", click_to_call="destination-as-caller",
        timestamp="epoch-us", login_ack=False,
    ),
    Profile(
        "bridged",
        "Legs that name their bridged leg (otherLegUUID / linkedid), ISO timestamps without "
        "milliseconds, every event sent twice and a de-duplication cache per event name.",
        legs="legs", direction="leg", timestamp="iso-z", dedup="event", repeats=True,
        leg_hints=True,
    ),
    Profile(
        "sparse",
        "Legs, no domain, epoch seconds, no ringing events (hangups carry the call's "
        "fields), no login acknowledgement, click to call showing the destination as caller.",
        legs="legs", domain="absent", direction="leg", click_to_call="destination-as-caller",
        timestamp="epoch-s", login_ack=False, ringing=False,
    ),
    Profile(
        "noisy",
        "One id per call, domain name, epoch milliseconds, every event sent twice and no "
        "de-duplication at all.",
        domain="name", timestamp="epoch-ms", dedup="off", repeats=True,
    ),
    Profile(
        "callcenter",
        "The 'freeswitch' reading with queues as mod_callcenter runs them by default "
        "(longest-idle-agent): one agent's phone rings at a time, the next one after the "
        "first gave up.",
        legs="legs", domain="name", direction="leg", click_to_call="destination-as-caller",
        timestamp="epoch-us", login_ack=False, queue_strategy="one-at-a-time",
    ),
    Profile(
        "status-only",
        "Tekil exactly as documented: ExtensionStatus only, no call events, so the caller's "
        "number never comes over the channel (Bulut: the same as 'freeswitch').",
        legs="legs", domain="name", direction="leg", click_to_call="destination-as-caller",
        timestamp="epoch-us", login_ack=False, tekil_calls="status-only",
    ),
)}

#: Which profiles mean something for which flavour (the test matrix).
MATRIX: dict[str, tuple[str, ...]] = {
    "bulut": ("single", "freeswitch", "callcenter", "bridged", "sparse", "noisy"),
    "tekil": ("single", "freeswitch", "callcenter", "sparse", "status-only"),
}
QUEUE_STRATEGIES: tuple[str, ...] = ("ring-all", "one-at-a-time")


def resolve(profile: str | Profile) -> Profile:
    """*profile* itself, or the named profile; ``KeyError`` names the known ones."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise KeyError(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}") from None

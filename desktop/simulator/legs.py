"""How the switch's calls appear on the event channels, under the profile.

:class:`~desktop.simulator.pbx.Switch` keeps one record per *call* (what the
CDR stores).  :class:`CallEmitter` turns its transitions into call events
the way the profile (``profiles.py``) reads the documentation:

One id per call (``legs="call"``), as the first simulator did::

    inbound     ringing(id, ext) per extension rung -> answered(id, ext that took it)
                -> [hold/unhold(id)] -> hangup(id) -> destroy(id)
    outbound    ringing(id, agent's ext) -> answered(id) when the customer answers ...

One id per leg (``legs="legs"``, FreeSWITCH / Asterisk)::

    inbound     trunk leg T: ringing(T, ext = agent's ext | queue number, called = DID)
                queue only: answered(T, queue number) at once (music on hold)
                per phone rung: ringing(B_ext, ext, called = ext)
                answer: answered(B_winner); direct: answered(T); losers:
                hangup(B_loser, LOSE_RACE) + destroy
                end: hangup(T), hangup(B_winner), destroy both; unanswered: hangup of
                every ringing B (ORIGINATOR_CANCEL / NO_ANSWER), then of T
    click to    leg 1 rings the agent's phone (caller = extension, or the destination
    call        under "destination-as-caller"); the agent answers leg 1; leg 2 to the
                customer rings (caller = extension, called = customer), then is answered
    dialled on  the phone's leg P (caller = extension, no ringing: the phone is
    the phone   calling) and leg 2 to the customer; answered(2), answered(P)

Queues ringing one agent at a time (``queue_strategy="one-at-a-time"``)::

    legs        trunk leg as above; per offer: ringing(B_ext) -> after the offer
                timeout hangup(B_ext, NO_ANSWER) + destroy -> the next agent's
                ringing(B_next) ...; the answerer: answered(B); the caller giving
                up: hangup of the ringing B and of T (ORIGINATOR_CANCEL)
    one id      ringing(id, ext) per offer, nothing when an offer ends; then
                answered(id, answerer) or hangup(id, ORIGINATOR_CANCEL)

``direction`` per leg (``direction="leg"``): trunk and phone-placed legs
``inbound``, legs the switch places (to a phone, to the customer)
``outbound``; otherwise the call's direction on every event.  Leg hints
(``otherLegUUID`` / ``linkedid``) name the trunk leg (inbound) or leg 1
(click to call).  Without ``ringing`` a hangup carries the leg's fields.
Tekil under ``status-only`` sends no call event at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .config import SimulatorConfig
from .events import EventFactory
from .profiles import Profile

if TYPE_CHECKING:
    from .pbx import Call, IdSource

#: The cause the losing phones of a ring group or queue get (FreeSWITCH).
LOSE_RACE = "LOSE_RACE"
#: The cause of an agent's leg that was moved elsewhere by a redirect.
TRANSFERRED = "BLIND_TRANSFER"
#: The repeat of an event (``repeats``) is stamped this much later.
REPEAT_DELAY = 0.05


class CallEmitter:
    """Call events of the switch's calls (see the module docstring)."""

    def __init__(self, cfg: SimulatorConfig, factory: EventFactory,
                 emit: Callable[[dict[str, Any]], None], ids: IdSource) -> None:
        self.cfg = cfg
        self.factory = factory
        self._emit = emit
        self.ids = ids

    @property
    def profile(self) -> Profile:
        return self.cfg.calls

    @property
    def legs(self) -> bool:
        return self.profile.legs == "legs"

    @property
    def silent(self) -> bool:
        """Tekil as documented: ExtensionStatus only."""
        return self.cfg.flavor == "tekil" and self.profile.tekil_calls == "status-only"

    # ------------------------------------------------------------ sending

    def _send(self, event: str, call: Call, leg: dict[str, Any], *,
              cause: str | None = None) -> None:
        if self.silent:
            return
        profile = self.profile
        if event == "ringing" and not profile.ringing:
            return
        direction = leg["direction"] if profile.direction == "leg" else call.direction
        msg = self.factory.call_event(
            event, leg["id"], extension=leg["extension"], caller=leg["caller"],
            called=leg["called"], direction=direction, hangup_cause=cause,
            queue=call.queue.extension if call.queue else None, other_leg=leg.get("other"),
            full=not profile.ringing)
        self._emit(msg)
        if profile.repeats:
            again = dict(msg)
            again["timestamp"] = self.factory.stamp(time.time() + REPEAT_DELAY)
            self._emit(again)

    def _leg(self, call: Call, key: str, *, extension: str, caller: str, called: str,
             direction: str, other: str | None = None, leg_id: str | None = None) -> dict[str, Any]:
        """Create (or replace) the event-side leg *key* of *call*."""
        if leg_id is None:
            leg_id = self._new_id() if self.legs else call.call_id
        leg = {"id": leg_id, "extension": extension, "caller": caller, "called": called,
               "direction": direction, "other": other, "answered": False, "ended": False}
        call.wire[key] = leg
        return leg

    def _new_id(self) -> str:
        if self.cfg.flavor == "tekil":
            return self.ids.unique_id(time.time())
        return self.ids.uuid()

    # ------------------------------------------------------------ transitions

    def begin(self, call: Call, extensions: list[str]) -> None:
        """The call starts: its first legs ring."""
        if call.direction == "outbound":
            self._begin_outbound(call, extensions[0])
            return
        if self.legs:
            target = call.queue.extension if call.queue else extensions[0]
            trunk = self._leg(call, "trunk", extension=target, caller=call.caller,
                              called=call.called, direction="inbound", leg_id=call.call_id)
            self._send("ringing", call, trunk)
            if call.queue is not None:
                trunk["answered"] = True
                self._send("answered", call, trunk)
        for ext in extensions:
            self.ring_phone(call, ext)

    def ring_phone(self, call: Call, ext: str) -> None:
        """A leg rings the phone of *ext* (also after a redirect)."""
        if self.legs:
            trunk = call.wire.get("trunk")
            leg = self._leg(call, ext, extension=ext, caller=call.caller, called=ext,
                            direction="outbound", other=trunk["id"] if trunk else None)
        else:
            leg = self._leg(call, ext, extension=ext, caller=call.caller, called=call.called,
                            direction=call.direction, leg_id=call.call_id)
        self._send("ringing", call, leg)

    def offer_ended(self, call: Call, ext: str, cause: str = "NO_ANSWER") -> None:
        """A queue's offer to *ext* ended unanswered (one at a time): its leg ends.

        One id per call: nothing (the next agent's ``ringing`` carries the id)."""
        if not self.legs:
            return
        leg = call.wire.get(ext)
        if leg is not None and not leg["ended"]:
            self._hang(call, leg, cause)

    def _begin_outbound(self, call: Call, ext: str) -> None:
        if call.origin == "c2c":
            if self.profile.click_to_call == "destination-as-caller":
                caller, called = call.called, ext
            else:
                caller, called = ext, call.called
            first = self._leg(call, "agent", extension=ext, caller=caller, called=called,
                              direction="outbound", leg_id=call.call_id)
            self._send("ringing", call, first)
            return
        # Dialled on the desk phone.
        if self.legs:
            phone = self._leg(call, "agent", extension=ext, caller=ext, called=call.called,
                              direction="inbound", leg_id=call.call_id)
            out = self._leg(call, "customer", extension=ext, caller=ext, called=call.called,
                            direction="outbound", other=phone["id"])
            self._send("ringing", call, out)
        else:
            leg = self._leg(call, "agent", extension=ext, caller=ext, called=call.called,
                            direction="outbound", leg_id=call.call_id)
            self._send("ringing", call, leg)

    def agent_picked_up(self, call: Call) -> None:
        """Click to call: the agent answered leg 1; the leg to the customer rings."""
        if not self.legs:
            return
        first = call.wire["agent"]
        first["answered"] = True
        self._send("answered", call, first)
        ext = first["extension"]
        out = self._leg(call, "customer", extension=ext, caller=ext, called=call.called,
                        direction="outbound", other=first["id"])
        self._send("ringing", call, out)

    def answer(self, call: Call, ext: str, losers: list[str]) -> None:
        """*ext* took the call (outbound: the customer answered)."""
        if call.direction == "outbound":
            legs = [call.wire[k] for k in ("customer", "agent") if k in call.wire]
            for leg in legs if self.legs else legs[-1:]:
                if not leg["answered"]:
                    leg["answered"] = True
                    self._send("answered", call, leg)
            return
        winner = call.wire[ext]
        winner["answered"] = True
        self._send("answered", call, winner)
        if not self.legs:
            return
        trunk = call.wire.get("trunk")
        if trunk is not None:
            trunk["other"] = winner["id"]
            if not trunk["answered"]:
                trunk["answered"] = True
                self._send("answered", call, trunk)
        for loser in losers:
            lost = call.wire.get(loser)
            if lost is not None and not lost["ended"]:
                self._hang(call, lost, LOSE_RACE)

    def _hang(self, call: Call, leg: dict[str, Any], cause: str) -> None:
        leg["ended"] = True
        self._send("hangup", call, leg, cause=cause)
        self._send("destroy", call, leg)

    def _talking_leg(self, call: Call) -> dict[str, Any] | None:
        if call.direction == "outbound":
            return call.wire.get("agent")
        return call.wire.get(call.extension or "")

    def hold(self, call: Call, on: bool) -> None:
        leg = self._talking_leg(call)
        if leg is not None:
            self._send("hold" if on else "unhold", call, leg)

    def moved(self, call: Call, old: list[str]) -> None:
        """A redirect: the legs of *old* extensions end (one id per call: nothing)."""
        if not self.legs:
            return
        for ext in old:
            leg = call.wire.get(ext)
            if leg is not None and not leg["ended"]:
                self._hang(call, leg, TRANSFERRED)

    def end(self, call: Call, cause: str, *, answered: bool) -> None:
        """The call is over: every leg still up hangs up (see the module docstring)."""
        if not self.legs:
            leg = next(iter(call.wire.values()), None)
            if leg is not None:
                self._send("hangup", call, leg, cause=cause)
                self._send("destroy", call, leg)
            return
        legs = [leg for leg in call.wire.values() if not leg["ended"]]
        if answered:
            # The far end hangs up first: the trunk (or the customer's) leg.
            legs.sort(key=lambda leg: 0 if leg is call.wire.get("trunk")
                      or leg is call.wire.get("customer") else 1)
        else:
            # The phones stop ringing first, then the caller's leg goes.
            legs.sort(key=lambda leg: 1 if leg is call.wire.get("trunk") else 0)
        for leg in legs:
            self._hang(call, leg, cause)

"""The agent's phone line: the event channel, the calls on it, and their cards.

:class:`PhoneLine` is the asyncio service between the pbx layer and the UI.
It keeps the real-time channel running, feeds every event to the
:class:`~desktop.core.calls.CallTracker`, and for each call change:

1. queues the call for the journal first (queue before show: the journal's
   writer thread writes it, so the popup never waits for the disk, and a
   crash after the popup appeared loses at most the last instant's rows);
2. looks the number up in the directory once per call (an indexed point
   query, well under a millisecond even with a million contacts) and reads
   the number's history and notes from the journal;
3. hands an immutable :class:`~desktop.core.caller_card.CallerCard` to
   ``on_card``.

**Late contacts.**  A number the local directory does not know is looked up
in the remote sources (LDAP, HTTP: :mod:`desktop.core.remote_directory`)
*after* the first card went out: that card says ``lookup_pending`` and the
popup shows the number at once.  When the answer comes (within the sources'
time budgets), the call gets one more card (``UPDATED``) with the name, and
the journal row gets it too.  A remote answer already in the cache is on the
first card.  The network is never waited for before a card.

It knows nothing about Qt: the UI wraps it in a bridge QObject that
re-emits the callbacks as signals.  Callbacks are plain functions called on
the event loop; an exception in one is logged, never fatal to the line.

**The calls outlive the connection.**  A channel may stop and another start
(a lost connection, new settings: :mod:`desktop.core.line_supervisor` does
that) while the tracker and its calls stay.  A call that was in progress
when the line was lost (or quietly refreshed) is *unsettled*: its hangup may
have been sent while we were away.  It is never force-ended for that: it
stays open, with its popup and buttons, until the next event settles it or
the PBX's call record does (:meth:`PhoneLine.settle`, driven by the
supervisor).  Only the tracker's own limits (a ring of five minutes, a call
silent for four hours) end a call without an event.

**Idle means asleep.**  The tracker's timers (Tekil synthetic calls, stale
calls) run every :data:`TICK_INTERVAL` only while a call is in progress or
an event came in the last :data:`TICK_LINGER` seconds (a Tekil ring is
pending for the tracker's ``grace``); an idle line does not wake up at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Final, Protocol

from desktop.core.call_records import CallEnd
from desktop.core.caller_card import CallerCard, CardOutcome, CardState, NumberSource
from desktop.core.calls import Call, CallChange, CallOutcome, CallState, CallTracker
from desktop.core.directory import Contact
from desktop.core.journal import JournalCall, NumberHistory
from desktop.core.late_contact import KnownCaller, LateContacts, RemoteLookup
from desktop.core.numbers import NumberKind, PhoneNumber
from desktop.core.tasks import cancel_and_wait
from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.errors import ChannelError, NotConnectedError
from desktop.pbx.events import Direction, Event, ReplyEvent

log = logging.getLogger("kobikom.core.line")

#: How often the tracker's timers (Tekil synthetic calls, stale calls) run,
#: while something is pending.
TICK_INTERVAL: Final = 0.25
#: After an event, the timers keep running this much longer than the
#: tracker's ``grace`` (a Tekil ring pending on ``ExtensionStatus`` alone).
TICK_LINGER: Final = 1.0
#: Earlier calls listed on a card.
HISTORY_LIMIT: Final = 5
#: The hangup cause of a call settled from the PBX's call record.
SETTLED_BY_CDR: Final = "settled from the call record"
_OUTCOMES: Final = frozenset(o.value for o in CallOutcome)


class ContactSource(Protocol):
    def lookup(self, number: str | PhoneNumber) -> Contact | None: ...


class CallLog(Protocol):
    def enqueue(self, call: JournalCall) -> None: ...  # queue only: never waits for the disk

    def history(self, number_key: str, limit: int = 5, *,
                exclude_call_id: str | None = None) -> NumberHistory: ...

    def notes_for(self, number_key: str) -> str | None: ...


class ChannelLike(Protocol):
    async def run(self) -> None: ...

    def kick(self, reason: str = ...) -> None: ...


ChannelFactory = Callable[[Callable[[Event], None], Callable[[ConnectionState], None]],
                          ChannelLike]


class CommandsUnsupported(ChannelError):
    """The live channel cannot carry call commands (only the Tekil WebSocket can)."""


_STATE = {
    CallState.RINGING: CardState.RINGING,
    CallState.ANSWERED: CardState.ANSWERED,
    CallState.ON_HOLD: CardState.ON_HOLD,
    CallState.PASSED_ON: CardState.PASSED_ON,
    CallState.ENDED: CardState.ENDED,
}


def other_party(call: Call) -> PhoneNumber:
    """The customer's number: the caller of incoming calls, the callee of outgoing ones."""
    return call.called if call.direction is Direction.OUTBOUND else call.caller


def route_number(call: Call) -> PhoneNumber | None:
    """Where the call went, for the popup's "To ...": the DID the customer dialled.

    Never the agent's own extension (a leg to the agent's phone, or a Tekil
    status call, names the extension it rings: that is no news on the agent's
    screen); None when only that is known.  For an outgoing call, the agent's
    extension it was placed from."""
    if call.direction is Direction.OUTBOUND:
        return call.caller
    called = call.called
    if not called.raw.strip() or (called.kind is NumberKind.INTERNAL
                                  and called.key in call.offered_extensions):
        return None
    return called


def number_source(call: Call) -> NumberSource:
    """Where the card's number comes from (a Tekil status call has none)."""
    if call.own_dial:
        return NumberSource.DIALLED
    if call.synthetic and not other_party(call).raw:
        return NumberSource.NOT_SENT
    return NumberSource.PBX


def journal_entry(call: Call, contact: Contact | None, *,
                  name: str | None = None) -> JournalCall:
    """The journal row of *call*; *name* stands in when no local *contact* is known."""
    party = other_party(call)
    ended = call.state is CallState.ENDED
    return JournalCall(
        call_id=call.call_id,
        extension=call.extension,
        direction=call.direction.value,
        # None ("not known yet"), not "", so the call records can fill it in later.
        number_raw=party.raw or None,
        number_key=party.key or None,
        called_raw=(call.caller.raw if call.direction is Direction.OUTBOUND else call.called.raw)
        or None,
        queue=call.queue,
        contact_name_at_time=contact.display_name if contact else (name or None),
        ringing_at=call.ringing_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        outcome=call.outcome.value if ended and call.outcome else None,
        talk_seconds=int(call.talk_seconds()) if ended else None,
        source="live",
    )


class PhoneLine:
    """Keeps the agent's line up and publishes caller cards.

    Callbacks (constructor arguments):
        on_card(CallerCard): every change of every call, journal already written.
        on_state(ConnectionState): connection state changes of the channel.
        on_missed(int): the number of missed calls not yet seen, when it changes.
        on_unsettled(list[str]): after a loss or a quiet refresh, the calls
            that may have ended while we were away (see the module docstring).
        on_event(Event): every event, after the tracker had it: the fan-out
            to other features (the team board) over this one connection.
    """

    def __init__(
        self,
        tracker: CallTracker,
        *,
        directory: ContactSource | None,
        journal: CallLog | None,
        on_card: Callable[[CallerCard], None],
        on_state: Callable[[ConnectionState], None],
        on_missed: Callable[[int], None] | None = None,
        on_unsettled: Callable[[list[str]], None] | None = None,
        on_event: Callable[[Event], None] | None = None,
        remote: RemoteLookup | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.tracker = tracker
        self._on_event = on_event
        self._directory = directory
        self._late = LateContacts(remote, self._late_answer)
        self._journal = journal
        self._on_card = on_card
        self._on_state = on_state
        self._on_missed = on_missed
        self._on_unsettled = on_unsettled
        self._clock = clock
        self._known: dict[str, KnownCaller] = {}
        self._missed = tracker.missed_count
        self._channel: ChannelLike | None = None
        self._reply_waiters: dict[str, list[asyncio.Future[ReplyEvent]]] = {}
        self._generation: object | None = None
        self.state = ConnectionState(Phase.DISCONNECTED)
        #: Cards published (diagnostics, soak test).
        self.cards = 0
        #: When the channel was last lost (None while connected / never connected).
        self._lost_at: float | None = None
        #: The channel's connection number last seen CONNECTED (a quiet refresh
        #: shows as a new number without a phase change).
        self._connection = 0
        #: Calls that may have ended while the line was away: id -> since when.
        self._unsettled: dict[str, float] = {}
        self._ticker: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self._tick_until = 0.0
        #: Ticks of the tracker's timers so far (diagnostics, the idle test).
        self.ticks = 0

    # -- the channel -----------------------------------------------------------

    async def run(self, channel_factory: ChannelFactory, *, keep_calls: bool = False) -> None:
        """Run a channel (and the tracker's timers) until cancelled.

        When it ends, every call ends with it ("line stopped") unless
        *keep_calls*: the supervisor replaces channels under running calls.
        """
        generation = object()
        self._generation = generation

        def on_state(state: ConnectionState) -> None:
            if self._generation is generation:  # a replaced channel says nothing more
                self._state_changed(state)

        channel = channel_factory(self.feed, on_state)
        self._channel = channel
        self._start_ticker()
        try:
            await channel.run()
        finally:
            if self._channel is channel:
                self._channel = None
            if not keep_calls:
                await self.close()
                self._state_changed(ConnectionState(Phase.DISCONNECTED, reason="stopped"))

    def detach(self) -> None:
        """The running channel is being replaced: its further states are no news."""
        self._generation = None

    async def close(self, cause: str = "line stopped") -> None:
        """End every call (*cause*) and stop the timers: the line is over."""
        self._generation = None
        if self._ticker is not None:
            await cancel_and_wait(self._ticker)
            self._ticker = None
        await self._late.cancel_all()
        self._unsettled.clear()
        self._publish(self.tracker.end_all(cause=cause))

    def kick(self, reason: str = "reconnect requested") -> None:
        """Reconnect now (after resume from sleep, a network change, new credentials)."""
        if self._channel is not None:
            self._channel.kick(reason)

    # -- the tracker's timers --------------------------------------------------------

    def _start_ticker(self) -> None:
        if self._ticker is None or self._ticker.done():
            self._wake = asyncio.Event()
            self._ticker = asyncio.get_running_loop().create_task(self._tick_forever(),
                                                                  name="line-tick")

    def _needs_tick(self) -> bool:
        if self.tracker.active_calls():
            return True
        return asyncio.get_running_loop().time() < self._tick_until

    def _poke_ticker(self) -> None:
        with contextlib.suppress(RuntimeError):  # fed outside a running loop (tests, replay)
            self._tick_until = (asyncio.get_running_loop().time() + self.tracker.grace
                                + TICK_LINGER)
        if self._wake is not None:
            self._wake.set()

    async def _tick_forever(self) -> None:
        wake = self._wake
        assert wake is not None
        while True:
            if not self._needs_tick():
                wake.clear()
                await wake.wait()  # idle: no timer at all until an event comes
                continue
            await asyncio.sleep(TICK_INTERVAL)
            self.ticks += 1
            changes = self.tracker.tick(self._clock())
            if changes:
                self._publish(changes)

    # -- connection state, unsettled calls ----------------------------------------------

    def _state_changed(self, state: ConnectionState) -> None:
        if state.phase is Phase.CONNECTED:
            refreshed = self.state.phase is Phase.CONNECTED and \
                state.connection != self._connection
            since = self._lost_at
            if since is None and refreshed:
                since = self._clock()
            self._connection = state.connection
            self._lost_at = None
            if since is not None:
                self._mark_unsettled(since)
        elif self.state.phase is Phase.CONNECTED and self._lost_at is None:
            self._lost_at = self._clock()
        self.state = state
        try:
            self._on_state(state)
        except Exception:
            log.exception("connection-state callback failed")

    def _mark_unsettled(self, since: float) -> None:
        calls = self.tracker.active_calls()
        if not calls:
            return
        for call in calls:
            self._unsettled.setdefault(call.call_id, since)
        log.info("%d call(s) in progress across a reconnection: kept open until an event "
                 "or the call record settles them", len(calls))
        if self._on_unsettled is not None:
            try:
                self._on_unsettled(self.unsettled())
            except Exception:
                log.exception("unsettled-calls callback failed")

    def unsettled(self) -> list[str]:
        """Calls in progress that may have ended while the line was away."""
        active = {call.call_id for call in self.tracker.active_calls()}
        for call_id in [c for c in self._unsettled if c not in active]:
            del self._unsettled[call_id]
        return list(self._unsettled)

    def settle(self, call_id: str, end: CallEnd) -> bool:
        """The PBX's record says how *call_id* ended: end it so, now.

        The call ends with the record's end time and outcome (an answer the
        line missed, a colleague who took it, ...), journal first, then its
        card, like a live hangup.  False when the call is not unsettled any
        more (an event came meanwhile).
        """
        if call_id not in self._unsettled or self.tracker.get(call_id) is None:
            self._unsettled.pop(call_id, None)
            return False
        log.info("call %s settled from its call record (%s)", call_id, end.outcome)
        outcome = CallOutcome(end.outcome) if end.outcome in _OUTCOMES else None
        self._unsettled.pop(call_id, None)
        self._poke_ticker()
        changes = self.tracker.settle(call_id, end.ended_at, outcome,
                                      answered_at=end.answered_at, cause=SETTLED_BY_CDR)
        if changes:
            self._publish(changes)
        return bool(changes)

    # -- events ------------------------------------------------------------------

    def feed(self, event: Event) -> None:
        """Handle one event from the channel (also used by tests and benchmarks)."""
        if isinstance(event, ReplyEvent) and event.command:
            waiters = self._reply_waiters.get(event.command.lower())
            while waiters:
                waiter = waiters.pop(0)
                if not waiter.done():
                    waiter.set_result(event)
                    break
        self._poke_ticker()
        changes = self.tracker.feed(event)
        if changes:
            self._publish(changes)
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("event subscriber failed")

    def _publish(self, changes: list[tuple[Call, CallChange]]) -> None:
        for call, change in changes:
            if self._unsettled:
                self._unsettled.pop(call.call_id, None)  # an event settled it
            try:
                card = self._card(call, change)
            except Exception:
                log.exception("building the card of call %s failed", call.call_id)
                continue
            self.cards += 1
            try:
                self._on_card(card)
            except Exception:
                log.exception("card callback failed")
            # Logged once the card is out (its popup asked for): a log line is a write.
            log.info("call %s %s (%s, %s)", call.call_id, change.value, call.extension,
                     card.number.masked())
        missed = self.tracker.missed_count
        if missed != self._missed:
            self._missed = missed
            if self._on_missed is not None:
                try:
                    self._on_missed(missed)
                except Exception:
                    log.exception("missed-count callback failed")

    # -- call commands (Tekil WebSocket) ------------------------------------------

    @property
    def supports_commands(self) -> bool:
        """The live channel can carry ``originate``/``redirect``/``hangup``."""
        return callable(getattr(self._channel, "send_command", None))

    @property
    def connected(self) -> bool:
        return self._channel is not None and self.state.phase is Phase.CONNECTED

    async def send_command(self, command: Mapping[str, Any], *,
                           reply_timeout: float | None = None) -> ReplyEvent | None:
        """Send a call command on the live channel, once; never queued.

        With *reply_timeout*, wait that long for the server's reply to the
        command (the replies are undocumented: None when none came).  Raises
        :class:`~desktop.pbx.errors.NotConnectedError` when there is no live
        connection and :class:`CommandsUnsupported` when the channel has no
        commands (Bulut, Tekil TCP).
        """
        name = str(command.get("command", "?"))
        channel = self._channel
        if channel is None:
            raise NotConnectedError(f"{name!r} not sent: the phone line is not running")
        send = getattr(channel, "send_command", None)
        if not callable(send):
            raise CommandsUnsupported(
                f"{name!r} not sent: this connection ({type(channel).__name__}) cannot send "
                "call commands; only the Tekil Santral WebSocket can")
        waiter: asyncio.Future[ReplyEvent] | None = None
        if reply_timeout is not None:
            waiter = asyncio.get_running_loop().create_future()
            self._reply_waiters.setdefault(name.lower(), []).append(waiter)
        try:
            await send(command)
            if waiter is None:
                return None
            try:
                return await asyncio.wait_for(asyncio.shield(waiter), reply_timeout)
            except TimeoutError:
                return None
        finally:
            if waiter is not None:
                waiters = self._reply_waiters.get(name.lower(), [])
                if waiter in waiters:
                    waiters.remove(waiter)
                if not waiters:
                    self._reply_waiters.pop(name.lower(), None)
                waiter.cancel()

    def clear_missed(self) -> None:
        self.tracker.clear_missed()
        self._missed = self.tracker.missed_count
        if self._on_missed is not None:
            self._on_missed(self._missed)

    def forget_contact(self) -> None:
        """The directory changed: look numbers up again for live calls."""
        self._known.clear()

    def set_remote(self, remote: RemoteLookup | None) -> None:
        """Use other remote directory sources from now on (the settings changed)."""
        self._late.remote = remote

    @property
    def remote_lookups(self) -> int:
        """Remote lookups in flight (diagnostics, tests)."""
        return len(self._late)

    def _late_answer(self, known: KnownCaller) -> None:
        """A remote lookup ended: one more card of the call, with the name if found."""
        call_id = next((cid for cid, k in self._known.items() if k is known), None)
        call = self.tracker.get(call_id) if call_id is not None else None
        if call is None:
            return  # the call ended meanwhile; its last card stays as it was
        if known.remote is not None:
            log.info("call %s named by the %s directory (%s)", call.call_id,
                     known.remote.source, known.number.masked())
        self._publish([(call, CallChange.UPDATED)])

    def _lookup(self, call: Call) -> KnownCaller:
        known = self._known.get(call.call_id)
        if known is None and call.replaces is not None:
            known = self._known.pop(call.replaces, None)
        party = other_party(call)
        if known is not None and known.number.key == party.key:
            self._known[call.call_id] = known
            return known
        contact = None
        history = NumberHistory()
        notes = None
        if party.key:
            if self._directory is not None:
                try:
                    contact = self._directory.lookup(party)
                except Exception:
                    log.exception("directory lookup failed")
            if self._journal is not None:
                try:
                    history = self._journal.history(party.key, HISTORY_LIMIT,
                                                    exclude_call_id=call.call_id)
                    notes = self._journal.notes_for(party.key)
                except Exception:
                    log.exception("journal history failed")
        known = KnownCaller(party, contact, history, notes)
        self._known[call.call_id] = known
        if contact is None:
            self._late.start(known, call.call_id)
        return known

    def _card(self, call: Call, change: CallChange) -> CallerCard:
        known = self._lookup(call)
        if self._journal is not None:
            try:
                self._journal.enqueue(journal_entry(call, known.contact, name=known.name))
            except Exception:
                # Never hold the popup back because the disk is full; say it loudly.
                log.exception("could not write call %s to the journal", call.call_id)
        if change is CallChange.ENDED:
            self._known.pop(call.call_id, None)
        contact = known.contact
        remote = known.remote if contact is None else None
        source = "local" if contact is not None else (remote.source if remote else None)
        outcome = CardOutcome(call.outcome.value) if call.outcome is not None else None
        return CallerCard(
            call_id=call.call_id,
            state=_STATE[call.state],
            number=known.number,
            direction=call.direction.value,
            outcome=outcome,
            extension=call.extension,
            called=route_number(call),
            queue=call.queue,
            contact_id=contact.id if contact else None,
            name=((contact.name if contact else remote.name if remote else "") or None),
            company=((contact.company if contact else remote.company if remote else "")
                     or None),
            notes=((contact.notes if contact else remote.notes if remote else "") or None),
            pbx_name=call.caller_name,
            previous_calls=known.history.count,
            last_call_at=known.history.last_at,
            recent=known.history.recent,
            number_notes=known.notes,
            ringing_at=call.ringing_at,
            answered_at=call.answered_at,
            ended_at=call.ended_at,
            synthetic=call.synthetic,
            replaces=call.replaces,
            number_source=number_source(call),
            own_dial=call.own_dial,
            contact_source=source,
            lookup_pending=known.pending,
        )

"""The agent's phone line: the event channel, the calls on it, and their cards.

:class:`PhoneLine` is the asyncio service between the pbx layer and the UI.
It keeps the real-time channel running, feeds every event to the
:class:`~desktop.core.calls.CallTracker`, and for each call change:

1. writes the call to the journal first (write before show: a crash after
   the popup appeared must not lose the call);
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
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.calls import Call, CallChange, CallState, CallTracker
from desktop.core.directory import Contact
from desktop.core.journal import JournalCall, NumberHistory
from desktop.core.numbers import PhoneNumber
from desktop.core.remote_directory import RemoteContact, lookup_key
from desktop.core.tasks import cancel_and_wait
from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.errors import ChannelError, NotConnectedError
from desktop.pbx.events import Direction, Event, ReplyEvent

log = logging.getLogger("kobikom.core.line")

#: How often the tracker's timers (Tekil synthetic calls, stale calls) run.
TICK_INTERVAL: Final = 0.25
#: Earlier calls listed on a card.
HISTORY_LIMIT: Final = 5
#: After the channel was lost and came back, a call still "ringing" with no
#: event for this long is over (its hangup was sent while we were away).
RECONNECT_RING_GRACE: Final = 20.0
#: ... and an answered call with no event at all for this long after the loss.
#: Long, because a conversation produces no events; the CDR gap filling
#: corrects the journal later.
RECONNECT_TALK_GRACE: Final = 30 * 60.0


class ContactSource(Protocol):
    def lookup(self, number: str | PhoneNumber) -> Contact | None: ...


class RemoteLookup(Protocol):
    """The remote directory sources (:class:`desktop.core.remote_directory.RemoteDirectory`)."""

    def __bool__(self) -> bool: ...

    def cached(self, number: PhoneNumber) -> tuple[bool, RemoteContact | None]: ...

    async def lookup(self, number: PhoneNumber) -> RemoteContact | None: ...


class CallLog(Protocol):
    def record(self, call: JournalCall) -> None: ...

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


@dataclass(slots=True)
class _Known:
    """What we looked up once for a call (the number does not change mid-call)."""

    number: PhoneNumber
    contact: Contact | None
    history: NumberHistory
    notes: str | None
    #: The remote directory's contact (only when the local one knows nothing).
    remote: RemoteContact | None = None
    #: A remote lookup is running for this number.
    pending: bool = False

    @property
    def name(self) -> str | None:
        if self.contact is not None:
            return self.contact.display_name
        return self.remote.display_name if self.remote is not None else None


_STATE = {
    CallState.RINGING: CardState.RINGING,
    CallState.ANSWERED: CardState.ANSWERED,
    CallState.ON_HOLD: CardState.ON_HOLD,
    CallState.ENDED: CardState.ENDED,
}


def other_party(call: Call) -> PhoneNumber:
    """The customer's number: the caller of incoming calls, the callee of outgoing ones."""
    return call.called if call.direction is Direction.OUTBOUND else call.caller


def journal_entry(call: Call, contact: Contact | None, *,
                  name: str | None = None) -> JournalCall:
    """The journal row of *call*; *name* stands in when no local *contact* is known."""
    party = other_party(call)
    ended = call.state is CallState.ENDED
    return JournalCall(
        call_id=call.call_id,
        extension=call.extension,
        direction=call.direction.value,
        number_raw=party.raw,
        number_key=party.key,
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
        remote: RemoteLookup | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.tracker = tracker
        self._directory = directory
        self._remote = remote
        #: Remote lookups in flight (kept referenced; cancelled when the line stops).
        self._remote_tasks: set[asyncio.Task[None]] = set()
        self._journal = journal
        self._on_card = on_card
        self._on_state = on_state
        self._on_missed = on_missed
        self._clock = clock
        self._known: dict[str, _Known] = {}
        self._missed = tracker.missed_count
        self._channel: ChannelLike | None = None
        self._reply_waiters: dict[str, list[asyncio.Future[ReplyEvent]]] = {}
        self.state = ConnectionState(Phase.DISCONNECTED)
        #: Cards published (diagnostics, soak test).
        self.cards = 0
        #: When the channel was last lost (None while connected / never connected).
        self._lost_at: float | None = None
        #: Losses whose silent calls still need checking: (lost_at, reconnected_at).
        self._recoveries: list[tuple[float, float]] = []

    # -- the channel -----------------------------------------------------------

    async def run(self, channel_factory: ChannelFactory) -> None:
        """Run the channel and the tracker's timers until cancelled."""
        channel = channel_factory(self.feed, self._state_changed)
        self._channel = channel
        ticker = asyncio.get_running_loop().create_task(self._tick_forever(), name="line-tick")
        try:
            await channel.run()
        finally:
            await cancel_and_wait(ticker)
            await self._cancel_remote_lookups()
            self._channel = None
            self._publish(self.tracker.end_all(cause="line stopped"))
            self._state_changed(ConnectionState(Phase.DISCONNECTED, reason="stopped"))

    def kick(self, reason: str = "reconnect requested") -> None:
        """Reconnect now (after resume from sleep, a network change, new credentials)."""
        if self._channel is not None:
            self._channel.kick(reason)

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_INTERVAL)
            now = self._clock()
            changes = self.tracker.tick(now)
            changes += self._recover(now)
            if changes:
                self._publish(changes)

    def _recover(self, now: float) -> list[tuple[Call, CallChange]]:
        """End calls whose hangup may have been lost while we were disconnected."""
        changes: list[tuple[Call, CallChange]] = []
        keep: list[tuple[float, float]] = []
        for lost_at, back_at in self._recoveries:
            if now - back_at >= RECONNECT_RING_GRACE:
                changes += self.tracker.end_quiet(lost_at, now, states=(CallState.RINGING,))
            if now - back_at >= RECONNECT_TALK_GRACE:
                changes += self.tracker.end_quiet(
                    lost_at, now, states=(CallState.ANSWERED, CallState.ON_HOLD))
            else:
                keep.append((lost_at, back_at))
        self._recoveries = keep
        return changes

    def _state_changed(self, state: ConnectionState) -> None:
        if state.phase is Phase.CONNECTED:
            if self._lost_at is not None and self.tracker.active_calls():
                self._recoveries.append((self._lost_at, self._clock()))
            self._lost_at = None
        elif self.state.phase is Phase.CONNECTED and self._lost_at is None:
            self._lost_at = self._clock()
        self.state = state
        try:
            self._on_state(state)
        except Exception:
            log.exception("connection-state callback failed")

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
        changes = self.tracker.feed(event)
        if changes:
            self._publish(changes)

    def _publish(self, changes: list[tuple[Call, CallChange]]) -> None:
        for call, change in changes:
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
        self._remote = remote

    @property
    def remote_lookups(self) -> int:
        """Remote lookups in flight (diagnostics, tests)."""
        return len(self._remote_tasks)

    async def _cancel_remote_lookups(self) -> None:
        tasks, self._remote_tasks = self._remote_tasks, set()
        for task in tasks:
            await cancel_and_wait(task)

    def _start_remote(self, call: Call, known: _Known) -> None:
        """Ask the remote sources about *known*'s number, unless the cache knows already."""
        remote = self._remote
        if not remote or lookup_key(known.number) is None:
            return
        hit, contact = remote.cached(known.number)
        if hit:
            known.remote = contact
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # fed outside the event loop (replays, tests): local directory only
        known.pending = True
        task = loop.create_task(self._remote_lookup(remote, known),
                                name=f"remote-lookup-{call.call_id}")
        self._remote_tasks.add(task)
        task.add_done_callback(self._remote_tasks.discard)

    async def _remote_lookup(self, remote: RemoteLookup, known: _Known) -> None:
        try:
            contact = await remote.lookup(known.number)
        except asyncio.CancelledError:
            raise
        except Exception:  # the directory catches its sources' failures; this is a bug
            log.exception("remote lookup failed")
            contact = None
        known.remote = contact
        known.pending = False
        call_id = next((cid for cid, k in self._known.items() if k is known), None)
        call = self.tracker.get(call_id) if call_id is not None else None
        if call is None:
            return  # the call ended meanwhile; its last card stays as it was
        if contact is not None:
            log.info("call %s: %s directory knows %s", call.call_id, contact.source,
                     known.number.masked())
        self._publish([(call, CallChange.UPDATED)])

    def _lookup(self, call: Call) -> _Known:
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
        known = _Known(party, contact, history, notes)
        self._known[call.call_id] = known
        if contact is None:
            self._start_remote(call, known)
        return known

    def _card(self, call: Call, change: CallChange) -> CallerCard:
        known = self._lookup(call)
        if self._journal is not None:
            try:
                self._journal.record(journal_entry(call, known.contact, name=known.name))
            except Exception:
                # Never hold the popup back because the disk is full; say it loudly.
                log.exception("could not write call %s to the journal", call.call_id)
        if change is CallChange.ENDED:
            self._known.pop(call.call_id, None)
        log.info("call %s %s (%s, %s)", call.call_id, change.value, call.extension,
                 known.number.masked())
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
            called=call.called if call.direction is not Direction.OUTBOUND else call.caller,
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
            contact_source=source,
            lookup_pending=known.pending,
        )

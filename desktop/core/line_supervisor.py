"""The one owner of the agent's line: start, stop, restart and the demo switch.

The application used to start and restart the line from several places at
once.  Saving Settings while the first connect still waited on the keyring
left two live connections that published every card twice (and the orphan
survived later changes), and any save, even of the popup corner, restarted
the line and ended the calls in progress.

:class:`LineSupervisor` is the single, serialised owner instead.  Every
request goes into one queue that one worker task handles in order:

* :meth:`LineSupervisor.reconfigure` (start-up, settings saved): the
  ``resolve`` hook turns the settings into a :class:`LineSpec` (reading the
  keyring in a worker thread) or a :class:`LineProblem`; then only what
  differs from the running line changes:

  - nothing at all when the line's part is unchanged (a popup-corner save);
  - the tracker's extensions or domain: no reconnect;
  - the server, port, transport, credentials or the channel's taps (a raw
    capture turned on or off): a new channel, under the same calls;
  - another account (or demo mode): a new line; only then do calls end.

  Requests that pile up while one is being resolved are coalesced: a plan
  that is already stale when the keyring answers is dropped, and the newest
  settings are resolved instead.  There is never more than one channel.
* :meth:`LineSupervisor.switch` (demo mode on/off): end the line, run the
  app's ``prepare`` (reopen the stores, start or stop the simulator), then
  reconfigure.
* :meth:`LineSupervisor.stop` and :meth:`LineSupervisor.close`.

**No restart ends a call.**  The :class:`~desktop.core.phone_line.PhoneLine`
and its tracker outlive the connection.  Calls that were in progress while
the line was away are *unsettled*; the supervisor asks the PBX's call record
for each (``settle(query)`` -> how it ended, or None while it goes on) at
once and then every :data:`SETTLE_RETRY` seconds while any remain, and
never ends a call on a guess.

No Qt here: the app wires the callbacks to its bridge.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from desktop.core.call_records import CallEnd, CallQuery
from desktop.core.caller_card import CallerCard
from desktop.core.calls import CallTracker, TrackerFactory
from desktop.core.late_contact import RemoteLookup
from desktop.core.phone_line import CallLog, ContactSource, PhoneLine
from desktop.core.settings import Settings
from desktop.core.tasks import cancel_and_wait
from desktop.pbx.channel_setup import (
    Credentials,
    EventCallback,
    StateCallback,
    line_timing,
    time_scale,
)
from desktop.pbx.channels import EventChannel, open_channel
from desktop.pbx.connection import ConnectionState, Endpoint, Flavor, Transport
from desktop.pbx.events import Event

log = logging.getLogger("kobikom.core.supervisor")

#: Unsettled calls are looked up again this often (s; scaled by the time knob).
SETTLE_RETRY: Final = 120.0


@dataclass(frozen=True, slots=True)
class LineSpec:
    """What a running line is made of; equal parts need no restart."""

    #: "live" or "demo": calls of one mode never carry over to the other.
    mode: str
    flavor: Flavor
    transport: Transport
    endpoint: Endpoint
    credentials: Credentials = field(repr=False)
    extensions: tuple[str, ...]
    domain: str | None
    #: What else the channel is set up with (the capture settings): compared only.
    taps: Any = None

    @property
    def account(self) -> tuple[str, str, str]:
        """Whose calls these are: another account means another line."""
        return (self.mode, self.flavor.value, (self.domain or "").strip().lower())

    @property
    def channel_key(self) -> tuple[Any, ...]:
        """What the channel is made of: a change needs a new channel.

        The credentials are part of it: a capture redacts the secrets it was
        started with, so new ones get a new channel (and a new capture)."""
        return (self.flavor, self.transport, self.endpoint, self.credentials, self.taps)


@dataclass(frozen=True, slots=True)
class LineProblem:
    """The line cannot run (not set up, a secret missing): the state to show."""

    state: ConnectionState


LinePlan = LineSpec | LineProblem


def line_spec(settings: Settings, credentials: Credentials, *, mode: str = "live",
              taps: Any = None) -> LineSpec:
    """The :class:`LineSpec` of *settings* with the resolved *credentials*."""
    acct = settings.account
    return LineSpec(mode=mode, flavor=acct.flavor, transport=acct.transport,
                    endpoint=settings.endpoint(), credentials=credentials,
                    extensions=tuple(acct.extensions), domain=acct.domain_uuid or None,
                    taps=taps)


class ChannelOpener(Protocol):
    def __call__(self, flavor: Flavor, transport: Transport, endpoint: Endpoint | None,
                 credentials: Credentials, *, on_event: EventCallback,
                 on_state: StateCallback, **options: Any) -> EventChannel: ...


#: ``channel_taps(spec, on_state)`` -> (on_state for the channel, extra channel options).
ChannelTaps = Callable[[LineSpec, StateCallback], tuple[StateCallback, dict[str, Any]]]


@dataclass(slots=True)
class _Request:
    kind: str  # "reconfigure" | "switch" | "stop"
    reason: str
    done: asyncio.Future[None]
    prepare: Callable[[], Awaitable[None]] | None = None
    #: Futures of older requests this one stands in for (coalesced).
    joined: list[asyncio.Future[None]] = field(default_factory=list)

    def finish(self, exc: BaseException | None = None) -> None:
        for future in (self.done, *self.joined):
            if future.done():
                continue
            if exc is None:
                future.set_result(None)
            else:
                future.set_exception(exc)
                future.exception()  # retrieved: the log has it


class LineSupervisor:
    """See the module docstring.

    Callbacks (constructor arguments):
        on_card(CallerCard), on_missed(int): passed to the line.
        on_state(ConnectionState): the line's state, and the problem states
            (not set up, a secret missing) when there is no line.

    Hooks: ``resolve()`` -> :data:`LinePlan` (awaited on the worker; may read
    the keyring in a thread); ``stores()`` -> (directory, journal) for a new
    line; ``tracker_factory(spec)`` -> its :class:`CallTracker` (the app's
    :class:`~desktop.core.calls.TrackerFactory`, which replay uses too);
    ``channel_taps(spec, on_state)`` -> (the ``on_state``
    to give a new channel, extra options such as ``on_frame``): the app's
    raw capture; ``settle(query)`` -> how the call record says the call
    of a :class:`~desktop.core.call_records.CallQuery` ended, or None;
    ``open_channel`` and ``channel_options()`` build the channel (the app's
    timing follows ``KOBIKOM_LINE_TIME_SCALE``).
    """

    def __init__(
        self,
        *,
        resolve: Callable[[], Awaitable[LinePlan]],
        stores: Callable[[], tuple[ContactSource | None, CallLog | None]],
        on_card: Callable[[CallerCard], None],
        on_state: Callable[[ConnectionState], None],
        on_missed: Callable[[int], None] | None = None,
        settle: Callable[[CallQuery], Awaitable[CallEnd | None]] | None = None,
        open_channel: ChannelOpener = open_channel,
        channel_options: Callable[[], dict[str, Any]] | None = None,
        settle_retry: float | None = None,
        tracker_factory: Callable[[LineSpec], CallTracker] | None = None,
        channel_taps: ChannelTaps | None = None,
        remote: Callable[[], RemoteLookup | None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """*remote*: the remote directory sources a new line uses (the app's current
        ones; a running line gets new ones through ``line.set_remote``)."""
        self._resolve = resolve
        self._remote = remote
        self._stores = stores
        self._on_card = on_card
        self._on_state = on_state
        self._on_missed = on_missed
        self._settle = settle
        self._open_channel = open_channel
        self._channel_options = channel_options or (lambda: {"timing": line_timing()})
        self.settle_retry = SETTLE_RETRY * time_scale() if settle_retry is None \
            else settle_retry
        self._clock = clock
        self._channel_taps = channel_taps
        self._tracker_factory = tracker_factory or TrackerFactory(clock=clock)
        self._event_listeners: list[Callable[[Event], None]] = []
        self._pending: deque[_Request] = deque()
        self._wakeup = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._line: PhoneLine | None = None
        self._spec: LineSpec | None = None
        self._channel: EventChannel | None = None
        self._channel_task: asyncio.Task[None] | None = None
        self._settler: asyncio.Task[None] | None = None
        self._closed = False
        #: Channels started so far (diagnostics; the overlapping-start tests).
        self.channels_started = 0
        #: Plans dropped because newer settings came while they were resolved.
        self.stale_plans = 0

    def __repr__(self) -> str:
        return f"<LineSupervisor {self._spec!r} channels={self.channels_started}>"

    # -- what is running -----------------------------------------------------------

    @property
    def line(self) -> PhoneLine | None:
        return self._line

    @property
    def spec(self) -> LineSpec | None:
        return self._spec

    @property
    def channel(self) -> EventChannel | None:
        return self._channel

    @property
    def running(self) -> bool:
        """A channel is running (connected or trying)."""
        return self._channel_task is not None and not self._channel_task.done()

    # -- the event fan-out (one connection, several features) ----------------------------

    def add_event_listener(self, listener: Callable[[Event], None]) -> None:
        """Call *listener* with every event of every line from now on (after the call
        tracker had it); an exception in it is logged, never fatal to the line."""
        self._event_listeners.append(listener)

    def _fan_out(self, event: Event) -> None:
        for listener in self._event_listeners:
            try:
                listener(event)
            except Exception:
                log.exception("event listener %r failed", listener)

    # -- requests (all serialised) ----------------------------------------------------

    def reconfigure(self, reason: str = "settings changed") -> asyncio.Future[None]:
        """Bring the line in line with the settings now in effect (see the module doc)."""
        return self._submit("reconfigure", reason)

    def switch(self, prepare: Callable[[], Awaitable[None]],
               reason: str = "mode changed") -> asyncio.Future[None]:
        """End the line, await *prepare*, then reconfigure (the demo switch)."""
        return self._submit("switch", reason, prepare)

    def stop(self, reason: str = "line stopped") -> asyncio.Future[None]:
        """End the line (its calls end with *reason*)."""
        return self._submit("stop", reason)

    def kick(self, reason: str = "reconnect requested") -> None:
        """Reconnect now (network back, resume): not queued, nothing is rebuilt."""
        if self._line is not None:
            self._line.kick(reason)

    async def close(self) -> None:
        """Stop the line and the worker (shutdown); later requests are refused."""
        if self._closed:
            return
        done = self.stop("line stopped")
        self._closed = True
        with contextlib.suppress(asyncio.CancelledError, RuntimeError):
            await done
        if self._worker is not None:
            await cancel_and_wait(self._worker)
        if self._settler is not None:
            await cancel_and_wait(self._settler)

    def _submit(self, kind: str, reason: str,
                prepare: Callable[[], Awaitable[None]] | None = None) -> asyncio.Future[None]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        if self._closed:
            done.set_exception(RuntimeError("the line supervisor is closed"))
            return done
        self._pending.append(_Request(kind, reason, done, prepare))
        self._wakeup.set()
        if self._worker is None or self._worker.done():
            self._worker = loop.create_task(self._work(), name="line-supervisor")
        return done

    async def _work(self) -> None:
        while True:
            if not self._pending:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            request = self._pending.popleft()
            try:
                handled = await self._handle(request)
            except asyncio.CancelledError:
                for future in (request.done, *request.joined):
                    future.cancel()
                raise
            except Exception as exc:
                log.exception("the line could not be %s",
                              "stopped" if request.kind == "stop" else "started")
                request.finish(exc)
            else:
                if handled:
                    request.finish()

    async def _handle(self, request: _Request) -> bool:
        """Carry out *request*; False when a newer one took it over (coalesced)."""
        if request.kind == "stop":
            await self._end_line(request.reason)
            self._spec = None
            return True
        if request.kind == "switch":
            await self._end_line(request.reason)
            self._spec = None
            assert request.prepare is not None
            await request.prepare()
        log.info("line: %s", request.reason)
        plan = await self._resolve()
        newer = next((r for r in self._pending if r.kind != "stop"), None)
        if newer is not None:
            # Newer settings were saved while these were resolved (the keyring can
            # take seconds): applying these first would only start a second channel.
            self.stale_plans += 1
            log.info("line: newer settings arrived meanwhile; using those")
            newer.joined += [request.done, *request.joined]
            return False
        await self._apply(plan)
        return True

    # -- applying a plan -------------------------------------------------------------

    async def _apply(self, plan: LinePlan) -> None:
        if isinstance(plan, LineProblem):
            await self._end_line("line stopped")
            self._spec = None
            log.info("line not started: %s", plan.state.describe())
            self._state(plan.state)
            return
        spec, current = plan, self._spec
        if self._line is not None and (current is None or current.account != spec.account):
            await self._end_line("account changed")
            current = None
        line = self._line
        if line is None:
            line = self._line = self._make_line(spec)
        elif current is not None and (spec.extensions, spec.domain) != \
                (current.extensions, current.domain):
            line.tracker.configure(spec.extensions, spec.domain)
            line.forget_contact()
            log.info("line: extensions/domain updated; no reconnect needed")
        if self.running and current is not None and spec.channel_key == current.channel_key:
            if (spec.extensions, spec.domain) == (current.extensions, current.domain):
                log.info("line: nothing to change")
            self._spec = spec
            return
        await self._stop_channel(replacing=True)
        self._spec = spec
        self._start_channel(line, spec)

    def _make_line(self, spec: LineSpec) -> PhoneLine:
        directory, journal = self._stores()
        tracker = self._tracker_factory(spec)
        return PhoneLine(tracker, directory=directory, journal=journal,
                         on_card=self._on_card, on_state=self._state,
                         on_missed=self._on_missed, on_unsettled=self._unsettled,
                         on_event=self._fan_out,
                         remote=self._remote() if self._remote is not None else None,
                         clock=self._clock)

    def _start_channel(self, line: PhoneLine, spec: LineSpec) -> None:
        def factory(on_event: Callable[..., None], on_state: StateCallback) -> Any:
            options = self._channel_options()
            if self._channel_taps is not None:
                on_state, extra = self._channel_taps(spec, on_state)
                options.update(extra)
            channel = self._open_channel(spec.flavor, spec.transport, spec.endpoint,
                                         spec.credentials, on_event=on_event,
                                         on_state=on_state, **options)
            self._channel = channel
            return channel

        self.channels_started += 1
        task = asyncio.get_running_loop().create_task(line.run(factory, keep_calls=True),
                                                      name="phone-line")
        task.add_done_callback(self._channel_ended)
        self._channel_task = task

    def _channel_ended(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("the phone line's channel failed", exc_info=task.exception())

    async def _stop_channel(self, *, replacing: bool = False) -> None:
        task, self._channel_task = self._channel_task, None
        if task is not None and not task.done():
            if replacing and self._line is not None:
                self._line.detach()  # the old channel's "stopped" is no news
            await cancel_and_wait(task)
        self._channel = None

    async def _end_line(self, cause: str) -> None:
        line = self._line
        await self._stop_channel()
        if self._settler is not None:
            await cancel_and_wait(self._settler)
            self._settler = None
        if line is not None:
            self._line = None
            await line.close(cause)

    # -- state, unsettled calls ------------------------------------------------------

    def _state(self, state: ConnectionState) -> None:
        try:
            self._on_state(state)
        except Exception:
            log.exception("line-state callback failed")

    def _unsettled(self, _call_ids: list[str]) -> None:
        if self._settle is None or self._closed:
            return
        if self._settler is None or self._settler.done():
            self._settler = asyncio.get_running_loop().create_task(self._settle_calls(),
                                                                   name="settle-calls")

    async def _settle_calls(self) -> None:
        """Ask the call records about unsettled calls until none is left."""
        assert self._settle is not None
        while True:
            line = self._line
            if line is None or not line.unsettled():
                return
            for call_id in line.unsettled():
                call = line.tracker.get(call_id)
                if call is None:
                    continue
                try:
                    ended = await self._settle(CallQuery.of(call))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # a read: the next round tries again
                    log.info("no call record for call %s yet: %s", call_id, exc)
                    continue
                if ended is not None and self._line is line:
                    line.settle(call_id, ended)
            if self._line is not line or not line.unsettled():
                return
            log.info("%d call(s) still unsettled; asking the call records again in %.0f s",
                     len(line.unsettled()), self.settle_retry)
            await asyncio.sleep(self.settle_retry)


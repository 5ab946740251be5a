"""``app.sms``: the Qt bridge between the SMS widgets and the outbox and its sender.

:class:`SmsService` owns the durable outbox (:mod:`desktop.core.sms_outbox`)
and its sender (:mod:`desktop.core.sms_sender`) and turns their callbacks
into Qt signals.  Widgets only call its methods and connect to its signals;
every database access and request runs in a worker thread or on the asyncio
loop through the app's :class:`~desktop.core.tasks.TaskSet`.

The app keeps one outbox per mode (the agent's real one, and demo mode's
under ``data/demo``), each with its own sender bound to that mode's account,
so a demo message can never go to Kobikom and a real one never to the
simulator.  ``channel()`` tells the service which one is current.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import (
    QObject,
    Qt,
    Signal,
)

from desktop.core.account import AccountIncomplete
from desktop.core.sms_outbox import (
    OutboxError,
    OutboxMessage,
    SmsOutbox,
    SmsState,
)
from desktop.core.sms_sender import SenderProblem, SmsApiConfig, SmsSender
from desktop.core.tasks import TaskSet, cancel_and_wait
from desktop.pbx.errors import PbxError
from desktop.ui.sms_composer import SmsComposer
from desktop.ui.sms_history import SmsHistoryWindow

log = logging.getLogger("kobikom.ui.sms")

#: Messages the history window loads.
HISTORY_LIMIT: Final = 500
#: How long closing waits for what the agent asked for (an SMS being written to
#: the outbox, "Send again"/"Don't send", a new token) before stopping it.
CLOSE_WAIT: Final = 5.0
_EFFECTFUL: Final = frozenset({"sms-submit", "sms-send-again", "sms-dont-send",
                               "sms-save-token", "sms-save-templates"})
#: States in which the composer's own job is over.

Channel = Callable[[], tuple[Path, Callable[[], SmsApiConfig]]]
#: Builds a lane's sender: (outbox, config, on_change, on_problem) -> SmsSender.
SenderFactory = Callable[[SmsOutbox, Callable[[], SmsApiConfig],
                          Callable[[OutboxMessage], None],
                          Callable[[SenderProblem | None], None]], SmsSender]


class _Lane:
    """One mode's outbox, its sender and the sender's task."""

    def __init__(self, path: Path, outbox: SmsOutbox, sender: SmsSender) -> None:
        self.path = path
        self.outbox = outbox
        self.sender = sender
        self.task: asyncio.Task[None] | None = None


# ---------------------------------------------------------------- the service


class SmsService(QObject):
    """``app.sms``: compose, send through the outbox, follow delivery.

    Signals:
        messageChanged(OutboxMessage): a message of the current outbox changed.
        problemChanged(object): the sender's :class:`SenderProblem`, or None.
        historyLoaded(list): the current outbox's recent messages (newest first).
        templatesLoaded(list): the templates (:class:`Template`).
        sendersLoaded(list, str): sender titles and the one to preselect.
        sendersFailed(str, str): why the titles could not be loaded, and the
            remembered/default title (may be "") to offer meanwhile.
        balanceLoaded(object): :class:`SmsBalance`.
        balanceFailed(str): why the balance could not be loaded.
        submitted(str, list): a composer's request id and its queued messages.
        submitFailed(str, str): a composer's request id and why nothing was queued.
        tokenSaved(bool, str): the SMS token was stored (True) or why not.
        laneChanged(): the current outbox changed (demo mode on/off).
    """

    messageChanged = Signal(object)
    problemChanged = Signal(object)
    historyLoaded = Signal(list)
    templatesLoaded = Signal(list)
    sendersLoaded = Signal(list, str)
    sendersFailed = Signal(str, str)
    balanceLoaded = Signal(object)
    balanceFailed = Signal(str)
    submitted = Signal(str, list)
    submitFailed = Signal(str, str)
    tokenSaved = Signal(bool, str)
    laneChanged = Signal()

    def __init__(self, channel: Channel, *, tasks: TaskSet,
                 store_token: Callable[[str], None] | None = None,
                 agent_name: Callable[[], str] = lambda: "",
                 default_sender: Callable[[], str] = lambda: "",
                 notify: Callable[[str, str], None] | None = None,
                 sender_factory: SenderFactory | None = None,
                 parent: QObject | None = None) -> None:
        """*channel* returns the current outbox path and its account's SMS config.

        *store_token* saves a new SMS token/key (blocking: keyring); *notify*
        shows a tray notification (title, text).
        """
        super().__init__(parent)
        self._channel = channel
        self._tasks = tasks
        self._store_token = store_token
        self._agent_name = agent_name
        self._default_sender = default_sender
        self._notify = notify
        self._sender_factory = sender_factory
        self._lanes: dict[Path, _Lane] = {}
        self._current: Path | None = None
        self._lock = asyncio.Lock()
        #: This service's own tasks (they also live in the app's *tasks*), so that
        #: close() can end them before it closes the outboxes and HTTP clients.
        self._own: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._closed = False
        self._composers: list[SmsComposer] = []
        self._history: SmsHistoryWindow | None = None
        self.problem: SenderProblem | None = None

    # -- app.sms interface -----------------------------------------------------

    def compose(self, recipients: list[str], *, context: dict[str, str] | None = None,
                call_id: str | None = None, source: str = "") -> SmsComposer:
        """Open a composer prefilled with *recipients* (and a call's *context*)."""
        composer = SmsComposer(self, recipients=recipients, context=context or {},
                               call_id=call_id, source=source)
        composer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._composers.append(composer)
        composer.destroyed.connect(lambda *_: self._forget(composer))
        composer.show()
        composer.raise_()
        composer.activateWindow()
        return composer

    def show_history(self) -> SmsHistoryWindow:
        if self._history is None:
            self._history = SmsHistoryWindow(self)
            self._history.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self._history.destroyed.connect(self._history_closed)
        self._history.show()
        self._history.raise_()
        self._history.activateWindow()
        return self._history

    def sms_for_call(self, call_id: str) -> list[OutboxMessage]:
        """The messages sent about *call_id* (one indexed query; fine on the GUI thread)."""
        lane = self._lanes.get(self._current) if self._current is not None else None
        return lane.outbox.for_call(call_id) if lane is not None else []

    def agent_name(self) -> str:
        return self._agent_name()

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        """Open the current outbox and start its sender (also after a mode switch)."""
        self._spawn(self._ensure_lane(), "sms-open-outbox")

    def wake(self) -> None:
        """The network is back / the account changed: every sender looks now."""
        for lane in self._lanes.values():
            lane.sender.wake()

    async def close(self) -> None:
        """Finish what the agent asked for, stop the rest, then close the outboxes.

        A read that was still running (balance, sender titles) would otherwise
        carry on after the close, open the outbox again and build a new HTTP
        client that nobody closes.  Nothing new starts once closing began.
        """
        self._closing = True
        effectful = [t for t in self._own if t.get_name() in _EFFECTFUL and not t.done()]
        if effectful:  # writing an SMS to the outbox, an agent's decision, a new token
            _done, late = await asyncio.wait(effectful, timeout=CLOSE_WAIT)
            for task in late:
                log.warning("%s did not finish within %.0f s; stopping it",
                            task.get_name(), CLOSE_WAIT)
        for task in list(self._own):
            with contextlib.suppress(Exception):  # a failure is logged by the TaskSet
                await cancel_and_wait(task)
        self._closed = True
        for lane in list(self._lanes.values()):
            await lane.sender.aclose()
            lane.outbox.close()
        self._lanes.clear()

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any] | None:
        """Start *coro* in the app's task set, or not at all once closing began."""
        if self._closing:
            coro.close()
            log.debug("SMS service closing: %s not started", name)
            return None
        task = self._tasks.spawn(coro, name=name)
        self._own.add(task)
        task.add_done_callback(self._own.discard)
        return task

    async def _ensure_lane(self) -> _Lane:
        async with self._lock:
            if self._closed:  # unreachable by construction: close() ended every task
                raise RuntimeError("the SMS service is closed")
            path, config = self._channel()
            lane = self._lanes.get(path)
            if lane is None:
                outbox = await asyncio.to_thread(SmsOutbox, path)
                sender = self._make_sender(path, outbox, config)
                lane = _Lane(path, outbox, sender)
                self._lanes[path] = lane
                lane.task = self._spawn(sender.run(), f"sms-sender-{path.parent.name}")
                log.info("SMS outbox open: %s", path)
            if self._current != path:
                self._current = path
                self._set_problem(lane.sender.problem)
                self.laneChanged.emit()
            return lane

    def _make_sender(self, path: Path, outbox: SmsOutbox,
                     config: Callable[[], SmsApiConfig]) -> SmsSender:
        def on_change(message: OutboxMessage) -> None:
            self._changed(path, message)

        def on_problem(problem: SenderProblem | None) -> None:
            self._problem_of(path, problem)

        if self._sender_factory is not None:
            return self._sender_factory(outbox, config, on_change, on_problem)
        return SmsSender(outbox, config, on_change=on_change, on_problem=on_problem)

    def _changed(self, path: Path, message: OutboxMessage) -> None:
        if path != self._current:
            return
        self.messageChanged.emit(message)
        if message.state is SmsState.NEEDS_AGENT and self._notify is not None:
            self._notify(self.tr("SMS not confirmed"),
                         self.tr("Was the SMS to {0} sent? The server did not confirm. "
                                 "Open the SMS history to decide.")
                         .format(message.number.display()))
        elif message.state is SmsState.FAILED and self._notify is not None:
            self._notify(self.tr("SMS failed"),
                         self.tr("The SMS to {0} was not sent: {1}")
                         .format(message.number.display(), message.error or ""))

    def _problem_of(self, path: Path, problem: SenderProblem | None) -> None:
        if path == self._current:
            self._set_problem(problem)

    def _set_problem(self, problem: SenderProblem | None) -> None:
        self.problem = problem
        self.problemChanged.emit(problem)

    def _forget(self, composer: SmsComposer) -> None:
        if composer in self._composers:
            self._composers.remove(composer)

    def _history_closed(self) -> None:
        self._history = None

    # -- requests from the widgets ---------------------------------------------------

    def load_history(self) -> None:
        self._spawn(self._load_history(), "sms-history")

    async def _load_history(self) -> None:
        lane = await self._ensure_lane()
        messages = await asyncio.to_thread(lane.outbox.recent, HISTORY_LIMIT)
        self.historyLoaded.emit(messages)

    def load_templates(self) -> None:
        self._spawn(self._load_templates(), "sms-templates")

    async def _load_templates(self) -> None:
        lane = await self._ensure_lane()
        self.templatesLoaded.emit(await asyncio.to_thread(lane.outbox.templates))

    def save_templates(self, templates: Sequence[tuple[str, str]]) -> None:
        self._spawn(self._save_templates(list(templates)), "sms-save-templates")

    async def _save_templates(self, templates: list[tuple[str, str]]) -> None:
        lane = await self._ensure_lane()
        self.templatesLoaded.emit(await asyncio.to_thread(lane.outbox.save_templates, templates))

    def load_senders(self) -> None:
        self._spawn(self._load_senders(), "sms-senders")

    async def _load_senders(self) -> None:
        lane = await self._ensure_lane()
        remembered = await asyncio.to_thread(lane.outbox.remembered, "last_sender")
        preferred = remembered or self._default_sender()
        try:
            titles = await lane.sender.senders()
        except (AccountIncomplete, PbxError) as exc:
            self.sendersFailed.emit(str(exc), preferred)
            return
        self.sendersLoaded.emit(titles, preferred)

    def load_balance(self) -> None:
        self._spawn(self._load_balance(), "sms-balance")

    async def _load_balance(self) -> None:
        lane = await self._ensure_lane()
        try:
            balance = await lane.sender.balance()
        except (AccountIncomplete, PbxError) as exc:
            self.balanceFailed.emit(str(exc))
            return
        self.balanceLoaded.emit(balance)

    def submit(self, request_id: str, recipients: Sequence[str], text: str, sender: str, *,
               call_id: str | None = None, contact_name: str | None = None,
               source: str = "") -> None:
        """Write the messages to the outbox, then let the sender send them."""
        if self._spawn(self._submit(request_id, list(recipients), text, sender, call_id,
                                    contact_name, source), "sms-submit") is None:
            self.submitFailed.emit(request_id, self.tr(
                "The app is closing: the message was not saved. Send it after the restart."))

    async def _submit(self, request_id: str, recipients: list[str], text: str, sender: str,
                      call_id: str | None, contact_name: str | None, source: str) -> None:
        try:
            lane = await self._ensure_lane()
            messages = await asyncio.to_thread(
                lane.outbox.enqueue, recipients, text, sender, call_id=call_id,
                contact_name=contact_name, source=source)
        except OutboxError as exc:
            self.submitFailed.emit(request_id, str(exc))
            return
        except Exception as exc:
            log.exception("could not write the SMS to the outbox")
            self.submitFailed.emit(request_id, f"{type(exc).__name__}: {exc}")
            return
        for message in messages:
            log.info("SMS %s queued for %s", message.id, message.number.masked())
        self.submitted.emit(request_id, messages)
        for message in messages:
            self.messageChanged.emit(message)
        lane.sender.wake()

    def send_again(self, message_id: str) -> None:
        self._spawn(self._decide(message_id, again=True), "sms-send-again")

    def dont_send(self, message_id: str) -> None:
        self._spawn(self._decide(message_id, again=False), "sms-dont-send")

    async def _decide(self, message_id: str, *, again: bool) -> None:
        lane = await self._ensure_lane()
        if again:
            await lane.sender.send_again(message_id)
        else:
            await lane.sender.dont_send(message_id)

    @property
    def can_store_token(self) -> bool:
        return self._store_token is not None

    def save_token(self, token: str) -> None:
        self._spawn(self._save_token(token.strip()), "sms-save-token")

    async def _save_token(self, token: str) -> None:
        if not token or self._store_token is None:
            self.tokenSaved.emit(False, self.tr("Enter the SMS token."))
            return
        try:
            await asyncio.to_thread(self._store_token, token)
        except Exception as exc:
            self.tokenSaved.emit(False, str(exc))
            return
        self.tokenSaved.emit(True, "")
        self.wake()
        self.load_balance()
        self.load_senders()



"""The outbox's sender: sends queued messages, settles doubtful ones, follows delivery.

:class:`SmsSender` works through :class:`~desktop.core.sms_outbox.SmsOutbox`
and one SMS API (:mod:`desktop.pbx.sms`), built from the account on demand
(:func:`sms_api_config`; a changed token or base is picked up on the next
round).  It runs as one long task in the app (``run()``) or is driven for a
few messages by the command line (``drive()``).  The rules:

* **Written before sent.**  A message is ``queued`` in the database before
  the first byte goes out and is claimed (``queued`` -> ``sending``, an
  atomic conditional update) before the request, so two senders on one
  outbox can never both send it.
* **Nothing went out** (connection refused, DNS failure, no route): back to
  ``queued``; the sender pauses with a growing back-off (``first_retry``
  doubling up to ``max_retry``) and tries again, or at once on
  :meth:`SmsSender.wake` (the network is back, the agent pressed Retry).
  A rejected token (401) also leaves the message ``queued``; the sender
  waits until the token changes.
* **Listed before sent.**  Right before each attempt the sender lists the
  provider's messages to that number (:meth:`~desktop.pbx.sms.SmsApi.listing`,
  a read) and stores their ids and the provider's clock with the claim.
  If the list fails because nothing can reach the provider, the message
  stays ``queued`` (as below); any other failure of the list does not hold
  the message back, but an unconfirmed send of it then goes to the agent.
* **Maybe went out** (timeout or connection lost after sending, a 5xx, an
  unreadable answer, a crash while ``sending``): ``unknown``, and **never
  resent automatically**.  The sender asks the provider for its messages to
  that number, ``check_delays`` apart, and counts one as ours only when it
  can tie it to the attempt (:mod:`desktop.core.sms_confirm`: not listed
  before it, created while our request was open by the provider's clock,
  same number, title and text, not another message's).  Exactly one: the
  message is ``sent`` with the provider's id.  None after the last check,
  several, or nothing that can be tied (no list from before the attempt):
  ``needs_agent``; the UI asks "Was this SMS sent? …" and only the agent's
  "Send again" queues it once more.
* **Refused** (a 4xx other than 401/429: invalid number, insufficient
  balance…): ``failed`` with the server's words; the agent may retry.
* **Delivery** of a ``sent`` message is polled with ``poll_delays`` (growing
  back-off) for ``poll_window`` seconds; then polling stops and the message
  stays ``sent``.

Every change is reported through ``on_change(OutboxMessage)`` and the
sender's own trouble (not set up, token rejected, offline) through
``on_problem(SenderProblem | None)``.  SQL runs in worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from desktop.core.account import AccountIncomplete
from desktop.core.sms_confirm import DOUBT_ERRORS, Doubt, MatchResult, attempt_of, match_sent
from desktop.core.sms_outbox import OutboxMessage, SmsOutbox, SmsState
from desktop.core.sms_setup import (
    ProblemKind,
    SenderClosed,
    SenderProblem,
    SenderTiming,
    SmsApiConfig,
    SmsNotConfigured,
    sms_api_config,
)
from desktop.core.sms_text import SmsEncoding
from desktop.core.storage import StorageError
from desktop.pbx.errors import AuthError, NetworkError, PbxError, RequestError
from desktop.pbx.sms import (
    DeliveryState,
    SenderTitle,
    SentListing,
    SmsApi,
    SmsBalance,
)

log = logging.getLogger("kobikom.core.sms_sender")

T = TypeVar("T")


__all__ = [
    "ApiBuilder",
    "ProblemKind",
    "SenderClosed",
    "SenderProblem",
    "SenderTiming",
    "SmsApiConfig",
    "SmsNotConfigured",
    "SmsSender",
    "sms_api_config",
]


ApiBuilder = Callable[[SmsApiConfig], SmsApi]


class SmsSender:
    """Works the outbox (see the module docstring)."""

    def __init__(self, outbox: SmsOutbox, config: Callable[[], SmsApiConfig], *,
                 on_change: Callable[[OutboxMessage], None] | None = None,
                 on_problem: Callable[[SenderProblem | None], None] | None = None,
                 timing: SenderTiming | None = None,
                 api_builder: ApiBuilder | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        """*config* may block (keyring): it runs in a worker thread.

        It raises :class:`SmsNotConfigured` (or ``AccountIncomplete``) when
        SMS is not set up.
        """
        self.outbox = outbox
        self._config = config
        self._on_change = on_change
        self._on_problem = on_problem
        self.timing = timing or SenderTiming()
        self._build: ApiBuilder = api_builder or (lambda cfg: cfg.build())
        self._clock = clock
        self._api: SmsApi | None = None
        self._cfg: SmsApiConfig | None = None
        self._api_lock = asyncio.Lock()
        self._closed = False
        self._wake = asyncio.Event()
        self._blocked_until = 0.0
        self._network_failures = 0
        self._rejected: str | None = None
        self.problem: SenderProblem | None = None

    # -- public --------------------------------------------------------------

    def wake(self) -> None:
        """Look at the outbox now (network back, token changed, agent's decision)."""
        self._blocked_until = 0.0
        self._wake.set()

    async def run(self) -> None:
        """Work the outbox until cancelled."""
        log.info("SMS sender started")
        try:
            while True:
                self._wake.clear()
                try:
                    next_at = await self.step()
                except (StorageError, OSError) as exc:
                    log.error("SMS outbox unusable: %s", exc)
                    next_at = self._clock() + self.timing.idle
                delay = self.timing.idle if next_at is None else next_at - self._clock()
                delay = min(max(delay, 0.05), self.timing.idle)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await self._wake.wait()
        finally:
            await self.aclose()

    async def drive(self, ids: Sequence[str], *, deadline: float,
                    done: Callable[[list[OutboxMessage]], bool]) -> list[OutboxMessage]:
        """Work only *ids* until ``done(messages)`` or *deadline* (epoch); return them."""
        wanted = list(ids)
        while True:
            next_at = await self.step(only=wanted)
            messages = [m for m in await asyncio.to_thread(self._get_all, wanted) if m]
            now = self._clock()
            if done(messages) or now >= deadline:
                return messages
            wait = deadline - now if next_at is None else min(next_at - now, deadline - now)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(wait, 0.05)):
                    await self._wake.wait()

    async def aclose(self) -> None:
        """Close the HTTP client for good; later requests raise :class:`SenderClosed`."""
        self._closed = True
        api, self._api, self._cfg = self._api, None, None
        if api is not None:
            await api.aclose()

    async def api(self) -> SmsApi:
        """The current API (built from the account; rebuilt when it changed)."""
        async with self._api_lock:
            self._check_open()
            cfg = await asyncio.to_thread(self._config)
            self._check_open()
            if self._api is None or cfg != self._cfg:
                new = await asyncio.to_thread(self._build, cfg)
                if self._closed:  # closed while it was being built: nobody would close it
                    await new.aclose()
                    self._check_open()
                old, self._api = self._api, new
                self._cfg = cfg
                if old is not None:
                    await old.aclose()
            return self._api

    def _check_open(self) -> None:
        if self._closed:
            raise SenderClosed("not sent: the SMS sender is closed (the app is quitting)")

    async def balance(self) -> SmsBalance:
        """The account's balance; a rejected token also becomes the sender's problem."""
        return await self._read(lambda api: api.balance())

    async def senders(self) -> list[SenderTitle]:
        return await self._read(lambda api: api.senders())

    # -- agent decisions -------------------------------------------------------

    async def send_again(self, message_id: str) -> OutboxMessage | None:
        """The agent's "Send again" (needs_agent/unknown/failed): queue it once more."""
        return await self._decide(
            message_id, (SmsState.NEEDS_AGENT, SmsState.UNKNOWN, SmsState.FAILED),
            SmsState.QUEUED, "the agent chose to send it again",
            next_at=self._clock(), checks=0, error=None)

    async def dont_send(self, message_id: str) -> OutboxMessage | None:
        """The agent's "Don't send" / "Cancel": the message is closed as cancelled."""
        return await self._decide(
            message_id, (SmsState.NEEDS_AGENT, SmsState.UNKNOWN, SmsState.QUEUED,
                         SmsState.FAILED),
            SmsState.CANCELLED, "the agent chose not to send it", next_at=None)

    async def _decide(self, message_id: str, expected: Iterable[SmsState], state: SmsState,
                      detail: str, **fields: Any) -> OutboxMessage | None:
        changed = await asyncio.to_thread(self.outbox.transition, message_id, tuple(expected),
                                          state, detail=detail, **fields)
        if changed is not None:
            self._changed(changed)
            self.wake()
        return changed

    # -- one round -------------------------------------------------------------

    async def step(self, only: Sequence[str] | None = None) -> float | None:
        """Do what is due now; return when something is due next (None: nothing)."""
        now = self._clock()
        for stale in await asyncio.to_thread(self.outbox.stale_sending,
                                             now - self.timing.stale_sending):
            if only is not None and stale.id not in only:
                continue
            changed = await asyncio.to_thread(
                self.outbox.transition, stale.id, (SmsState.SENDING,), SmsState.UNKNOWN,
                detail="interrupted while sending (the app was closed or crashed)",
                next_at=now, checks=0,
                error="interrupted while sending: checking whether it went out")
            if changed is not None:
                log.warning("SMS %s was interrupted while sending; checking with the provider",
                            stale.id)
                self._changed(changed)
        due = await asyncio.to_thread(self.outbox.due, now, only=only)
        if due and now >= self._blocked_until:
            api = await self._usable_api()
            if api is not None:
                for message in due:
                    if self._clock() < self._blocked_until:
                        break
                    await self._work(api, message)
        next_at = await asyncio.to_thread(self.outbox.next_due_at, only=only)
        if next_at is None:
            return None
        return max(next_at, self._blocked_until)

    async def _usable_api(self) -> SmsApi | None:
        now = self._clock()
        try:
            api = await self.api()
        except AccountIncomplete as exc:
            self._block(ProblemKind.NOT_CONFIGURED, str(exc),
                        now + self.timing.recheck_credentials)
            return None
        assert self._cfg is not None
        if self._rejected is not None and self._cfg.fingerprint == self._rejected:
            self._block(ProblemKind.AUTH, self.problem.message if self.problem else
                        "the SMS token was rejected", now + self.timing.recheck_credentials)
            return None
        self._rejected = None
        if self.problem is not None and self.problem.kind is not ProblemKind.NETWORK:
            self._set_problem(None)
        return api

    async def _work(self, api: SmsApi, message: OutboxMessage) -> None:
        if message.state is SmsState.QUEUED:
            await self._send_one(api, message)
        elif message.state is SmsState.UNKNOWN:
            await self._check_one(api, message)
        elif message.state is SmsState.SENT:
            await self._poll_one(api, message)
        else:  # nothing to do in this state: stop scheduling it
            await asyncio.to_thread(self.outbox.update, message.id, next_at=None)

    async def _list_before(self, api: SmsApi, message: OutboxMessage,
                           ) -> SentListing | bool | None:
        """The provider's messages to the number right before an attempt.

        None: no list (the attempt goes ahead, but if its answer is lost only
        the agent can settle it); False: the provider cannot be reached, is too
        slow, or rejected the token (the message stays queued, nothing was sent).
        """
        assert self._cfg is not None
        now = self._clock()
        try:
            return await api.listing(message.to_send, message.sender,
                                     since=now - self.timing.clock_skew,
                                     until=now + self.timing.clock_skew)
        except AuthError as exc:
            self._rejected = self._cfg.fingerprint
            self._block(ProblemKind.AUTH, str(exc), now + self.timing.recheck_credentials)
            await self._bookkeep(message, next_at=now, attempts=message.attempts + 1,
                                 error=f"not sent: the SMS token was rejected ({_plain(exc)})")
            return False
        except NetworkError as exc:  # unreachable or too slow: the send would be too
            self._network_failed(exc)
            await self._bookkeep(message, next_at=now, attempts=message.attempts + 1,
                                 error=_plain(exc))
            return False
        except PbxError as exc:  # the list is broken, not the provider: send
            log.warning("SMS %s: listing the provider's messages first failed (%s); "
                        "sending anyway", message.id, exc)
            return None

    async def _send_one(self, api: SmsApi, message: OutboxMessage) -> None:
        assert self._cfg is not None
        listing = await self._list_before(api, message)
        if listing is False:
            return
        now = self._clock()
        known = listing if isinstance(listing, SentListing) else None
        claimed = await asyncio.to_thread(
            self.outbox.transition, message.id, (SmsState.QUEUED,), SmsState.SENDING,
            detail=f"sending via {api.service}", sending_at=now,
            attempts=message.attempts + 1, api=self._cfg.identity, next_at=None, error=None,
            listed_at=now if known is not None else None,
            clock_offset=known.clock_offset if known is not None else None,
            attempt_ended_at=None,
            listed=[row.provider_id for row in known.rows] if known is not None else [])
        if claimed is None:
            return  # another sender took it, or the agent cancelled it
        self._changed(claimed)
        log.info("sending SMS %s to %s (%d part(s))", claimed.id, claimed.number.masked(),
                 claimed.parts)
        try:
            sent = await api.send(claimed.to_send, claimed.text, claimed.sender,
                                  coding=SmsEncoding(claimed.encoding).coding)
        except AuthError as exc:
            self._rejected = self._cfg.fingerprint
            self._block(ProblemKind.AUTH, str(exc), now + self.timing.recheck_credentials)
            await self._move(claimed, SmsState.SENDING, SmsState.QUEUED,
                             "not sent: the SMS token was rejected",
                             next_at=now, error=_plain(exc))
        except RequestError as exc:
            if exc.status == 429:
                self._network_failed(exc)
                await self._move(claimed, SmsState.SENDING, SmsState.QUEUED,
                                 "not sent: too many requests", next_at=self._blocked_until,
                                 error=_plain(exc))
            else:
                await self._move(claimed, SmsState.SENDING, SmsState.FAILED,
                                 "refused by the server", error=_plain(exc), next_at=None)
        except NetworkError as exc:
            if exc.may_have_reached_server:
                await self._unconfirmed(claimed, exc)
            else:
                self._network_failed(exc)
                await self._move(claimed, SmsState.SENDING, SmsState.QUEUED,
                                 "not sent: no connection", next_at=now, error=_plain(exc))
        except PbxError as exc:  # ServerError: 5xx, unreadable answer
            if exc.may_have_reached_server:
                await self._unconfirmed(claimed, exc)
            else:
                await self._move(claimed, SmsState.SENDING, SmsState.FAILED,
                                 "refused by the server", error=_plain(exc), next_at=None)
        except Exception as exc:  # a bug: the request may have gone out; never resend
            log.exception("sending SMS %s failed unexpectedly", claimed.id)
            await self._unconfirmed(claimed, exc)
        else:
            self._network_ok()
            await self._move(claimed, SmsState.SENDING, SmsState.SENT,
                             f"accepted by {api.service}", provider_id=sent.provider_id,
                             provider_status=sent.status or None, sent_at=self._clock(),
                             next_at=self._clock() + self.timing.poll_delays[0], checks=0,
                             error=None)
            log.info("SMS %s accepted (provider id %s)", claimed.id, sent.provider_id)

    async def _unconfirmed(self, message: OutboxMessage, exc: BaseException) -> None:
        log.warning("SMS %s: the server did not confirm (%s); checking before anything else",
                    message.id, exc)
        await self._move(message, SmsState.SENDING, SmsState.UNKNOWN,
                         "the server did not confirm", checks=0,
                         attempt_ended_at=self._clock(),
                         next_at=self._clock() + self.timing.check_delays[0],
                         error=_plain(exc))

    async def _check_one(self, api: SmsApi, message: OutboxMessage) -> None:
        now = self._clock()
        blind = attempt_of(message, ())
        if blind.listed_before is None or blind.window is None:  # no list will ever tell
            await self._move(message, SmsState.UNKNOWN, SmsState.NEEDS_AGENT,
                             "cannot tell which message at the provider is this one",
                             next_at=None, error=DOUBT_ERRORS[Doubt.UNTIABLE])
            return
        since = (message.sending_at or message.created_at) - self.timing.clock_skew
        until = now + self.timing.clock_skew
        try:
            rows = await api.find_sent(message.to_send, message.sender, since=since,
                                       until=until)
        except AuthError as exc:
            self._rejected = self._cfg.fingerprint if self._cfg else None
            self._block(ProblemKind.AUTH, str(exc), now + self.timing.recheck_credentials)
            return
        except PbxError as exc:
            if isinstance(exc, NetworkError) and not exc.may_have_reached_server:
                self._network_failed(exc)
            delay = self.timing.check_delays[min(message.checks,
                                                 len(self.timing.check_delays) - 1)]
            await self._bookkeep(message, next_at=now + delay,
                                 error=f"checking whether it went out: {_plain(exc)}")
            return
        self._network_ok()
        claimed, listed = await asyncio.to_thread(self._claimed_and_listed, message)
        result, row = match_sent(message, rows, claimed, attempt_of(message, listed),
                                 lists_text=api.lists_text)
        if result is MatchResult.FOUND and row is not None:
            delivered = row.state is DeliveryState.DELIVERED
            offset = message.clock_offset or 0.0
            changed = await asyncio.to_thread(
                self.outbox.transition, message.id, (SmsState.UNKNOWN,),
                SmsState.DELIVERED if delivered else SmsState.SENT,
                detail="the provider has it (it went out despite the missing answer)",
                provider_id=row.provider_id, provider_status=row.status or None,
                sent_at=(row.created_at - offset) if row.created_at else message.sending_at,
                delivered_at=(row.delivered_at - offset if row.delivered_at else now)
                if delivered else None,
                next_at=None if delivered else now + self.timing.poll_delays[0],
                checks=0, error=None)
            if changed is not None:
                log.info("SMS %s was sent after all (provider id %s)", message.id,
                         row.provider_id)
                self._changed(changed)
                return
            claimed, listed = await asyncio.to_thread(self._claimed_and_listed, message)
            if row.provider_id not in claimed:
                return  # the message moved on meanwhile (the agent decided)
            result = MatchResult.NONE  # another of our messages owns it now
        if result is MatchResult.SEVERAL:
            await self._move(message, SmsState.UNKNOWN, SmsState.NEEDS_AGENT,
                             "several messages at the provider could be this one",
                             next_at=None, error=DOUBT_ERRORS[Doubt.SEVERAL])
            return
        checks = message.checks + 1
        if checks >= len(self.timing.check_delays):
            await self._move(message, SmsState.UNKNOWN, SmsState.NEEDS_AGENT,
                             "the provider has no record of it", next_at=None, checks=checks,
                             error=DOUBT_ERRORS[Doubt.NO_RECORD])
            return
        await self._bookkeep(message, checks=checks,
                             next_at=now + self.timing.check_delays[checks])

    async def _poll_one(self, api: SmsApi, message: OutboxMessage) -> None:
        now = self._clock()
        if self._cfg is None or message.api != self._cfg.identity or not message.provider_id:
            await self._bookkeep(message, next_at=None)  # another API sent it: cannot ask
            return
        try:
            row = await api.status(message.provider_id, sent_at=message.sent_at)
        except AuthError as exc:
            self._rejected = self._cfg.fingerprint
            self._block(ProblemKind.AUTH, str(exc), now + self.timing.recheck_credentials)
            return
        except PbxError as exc:
            row = None
            log.info("delivery status of SMS %s: %s", message.id, exc)
        if row is not None and row.state is DeliveryState.DELIVERED:
            await self._move(message, SmsState.SENT, SmsState.DELIVERED, "delivered",
                             provider_status=row.status, delivered_at=row.delivered_at or now,
                             next_at=None, error=None)
            return
        if row is not None and row.state is DeliveryState.FAILED:
            await self._move(message, SmsState.SENT, SmsState.FAILED, "not delivered",
                             provider_status=row.status, next_at=None,
                             error=f"the operator could not deliver it ({row.status})")
            return
        checks = message.checks + 1
        started = message.sent_at or message.created_at
        delays = self.timing.poll_delays
        next_at: float | None = now + delays[min(checks, len(delays) - 1)]
        if next_at is not None and next_at - started > self.timing.poll_window:
            next_at = None
            log.info("SMS %s: no delivery report within %.0f min; stopped asking", message.id,
                     self.timing.poll_window / 60)
        await self._bookkeep(message, checks=checks, next_at=next_at,
                             provider_status=row.status if row is not None
                             else message.provider_status)

    # -- helpers -------------------------------------------------------------

    async def _read(self, call: Callable[[SmsApi], Awaitable[T]]) -> T:
        try:
            api = await self.api()
        except AccountIncomplete as exc:
            self._block(ProblemKind.NOT_CONFIGURED, str(exc),
                        self._clock() + self.timing.recheck_credentials)
            raise
        try:
            result = await call(api)
        except AuthError as exc:
            self._rejected = self._cfg.fingerprint if self._cfg else None
            self._block(ProblemKind.AUTH, str(exc),
                        self._clock() + self.timing.recheck_credentials)
            raise
        if self.problem is not None and self.problem.kind is ProblemKind.AUTH:
            self._rejected = None
            self._set_problem(None)
            self.wake()
        return result

    async def _move(self, message: OutboxMessage, expected: SmsState, state: SmsState,
                    detail: str, **fields: Any) -> None:
        changed = await asyncio.to_thread(self.outbox.transition, message.id, (expected,),
                                          state, detail=detail, **fields)
        if changed is not None:
            self._changed(changed)

    async def _bookkeep(self, message: OutboxMessage, **fields: Any) -> None:
        changed = await asyncio.to_thread(self.outbox.update, message.id, **fields)
        if changed is not None:
            self._changed(changed)

    def _claimed_and_listed(self, message: OutboxMessage) -> tuple[set[str], set[str]]:
        return (self.outbox.claimed_provider_ids(message.to_key, exclude=message.id),
                self.outbox.listed_before(message.id))

    def _get_all(self, ids: Sequence[str]) -> list[OutboxMessage | None]:
        return [self.outbox.get(i) for i in ids]

    def _changed(self, message: OutboxMessage) -> None:
        if self._on_change is not None:
            try:
                self._on_change(message)
            except Exception:
                log.exception("SMS change listener failed")

    def _set_problem(self, problem: SenderProblem | None) -> None:
        if problem == self.problem:
            return
        self.problem = problem
        if self._on_problem is not None:
            try:
                self._on_problem(problem)
            except Exception:
                log.exception("SMS problem listener failed")

    def _block(self, kind: ProblemKind, message: str, until: float) -> None:
        self._blocked_until = until
        if self.problem is None or self.problem.kind is not kind \
                or self.problem.message != message:
            log.warning("SMS sending paused: %s", message)
        self._set_problem(SenderProblem(kind, message, until))

    def _network_failed(self, exc: PbxError) -> None:
        self._network_failures += 1
        delay = min(self.timing.max_retry,
                    self.timing.first_retry * math.pow(2, self._network_failures - 1))
        self._block(ProblemKind.NETWORK, str(exc), self._clock() + delay)

    def _network_ok(self) -> None:
        self._network_failures = 0
        if self.problem is not None and self.problem.kind is ProblemKind.NETWORK:
            self._set_problem(None)


def _plain(exc: BaseException) -> str:
    """The error for the agent: the server's own words when it gave some."""
    server = getattr(exc, "server_message", "")
    text = str(exc) or type(exc).__name__
    if server and server not in text:
        text = f"{text} ({server})"
    return text[:500]

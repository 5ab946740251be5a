"""``kobikom-desktop listen``: one JSON line per real-time event.

``--capture FILE`` also records every raw frame as received
(:mod:`desktop.pbx.capture`) for ``replay`` and ``simulator --replay``.
Secrets and the domain UUID are always left out; phone numbers are kept
(whoever runs this at a terminal chose to), unless ``--mask-numbers``.

Exit codes: 0 stopped (Ctrl-C, ``--timeout``, ``--count`` reached), 1
``--count`` not reached before ``--timeout``, 2 bad input (a port out of
range on the command line or in the settings), 3 login rejected or
credentials missing, 4 the channel never connected.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from typing import Any

from desktop.cli.common import (
    EXIT_AUTH,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_SERVER,
    EXIT_USAGE,
    add_connection_options,
    apply_connection_options,
    fail,
    load_settings,
    output_file,
    positive_int,
    positive_seconds,
)

COMMANDS = ("listen",)



def add_parsers(sub: Any) -> None:
    listen = sub.add_parser("listen", help="print real-time events as JSON lines")
    add_connection_options(listen)
    listen.add_argument("--count", type=positive_int, metavar="N", help="exit after N events")
    listen.add_argument("--timeout", type=positive_seconds, metavar="S",
                        help="exit after S seconds")
    cap = listen.add_argument_group("capture (what the server really sends)")
    cap.add_argument("--capture", type=output_file, metavar="FILE",
                     help="record every raw frame with its receive time to FILE (JSON lines, "
                          "rotated as FILE.1, FILE.2, ...); secrets are never recorded")
    cap.add_argument("--mask-numbers", action="store_true",
                     help="mask phone numbers in the capture (kept by default)")
    cap.add_argument("--capture-max-mb", type=positive_int, default=20, metavar="MB",
                     help="size cap of the capture over all its files (default 20)")


def run(args: argparse.Namespace) -> int:
    from desktop.cli.common import setup_logging

    setup_logging(args.debug, to_file=True)
    try:
        return asyncio.run(_run(args))
    except KeyboardInterrupt:
        return EXIT_OK


def event_json(event: Any) -> dict[str, Any]:
    """One event as the JSON line ``listen`` prints."""
    from desktop.core.numbers import parse_number
    from desktop.pbx import events as ev

    names: dict[type, str] = {
        ev.RingingEvent: "ringing", ev.AnsweredEvent: "answered", ev.HangupEvent: "hangup",
        ev.DestroyEvent: "destroy", ev.HoldEvent: "hold", ev.UnholdEvent: "unhold",
        ev.ExtensionRegistrationEvent: "extension-registration",
        ev.AgentStatusChangeEvent: "agent-status-change",
        ev.AgentStateChangeEvent: "agent-state-change",
        ev.BridgeAgentStartEvent: "bridge-agent-start",
        ev.BridgeAgentEndEvent: "bridge-agent-end",
        ev.BridgeAgentFailEvent: "bridge-agent-fail",
        ev.AgentOfferingEvent: "agent-offering", ev.MembersCountEvent: "members-count",
        ev.MemberQueueStartEvent: "member-queue-start",
        ev.MemberQueueEndEvent: "member-queue-end",
        ev.ExtensionStatusEvent: "ExtensionStatus", ev.ReplyEvent: "reply",
        ev.KeepAliveEvent: "keepalive", ev.UnknownEvent: "unknown",
    }
    out: dict[str, Any] = {"event": names.get(type(event), type(event).__name__)}
    if isinstance(event, ev.UnknownEvent):
        raw = event.raw
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        out["raw"] = raw
        out["reason"] = event.reason
        return out
    if isinstance(event, ev.CallEvent):
        out["call_id"] = event.call_id
        out["extension"] = getattr(event, "extension", None)
        caller = getattr(event, "caller", None)
        if caller is not None:
            out["caller"] = caller
            out["caller_e164"] = parse_number(caller).e164
            out["called"] = getattr(event, "called", None)
        for key in ("direction", "queue", "hangup_cause", "caller_name"):
            value = getattr(event, key, None)
            if value is not None:
                out[key] = getattr(value, "value", value)
    elif isinstance(event, ev.ExtensionStatusEvent):
        out.update(extension=event.extension, status=event.code, text=event.text)
    elif isinstance(event, ev.ReplyEvent):
        out.update(command=event.command, ok=event.ok, message=event.message)
    else:
        skip = {"raw", "received_at"}
        for key in getattr(type(event), "__dataclass_fields__", {}):
            if key not in skip:
                value = getattr(event, key)
                out[key] = getattr(value, "value", value)
    if event.domain is not None:
        out.setdefault("domain", event.domain)
    if event.timestamp is not None:
        out["timestamp"] = event.timestamp
    return out


async def _run(args: argparse.Namespace) -> int:
    from desktop.core.account import Account, AccountIncomplete
    from desktop.core.secrets import SecretStore
    from desktop.pbx.channels import open_channel
    from desktop.pbx.connection import Phase

    settings = apply_connection_options(load_settings(args), args)
    account = Account(settings, SecretStore())
    session = None
    try:
        try:
            session = account.rest_session()
        except AccountIncomplete:
            session = None
        credentials = account.channel_credentials(session)
    except AccountIncomplete as exc:
        return fail(EXIT_AUTH, f"cannot connect: {exc}")

    done = asyncio.Event()
    result: dict[str, Any] = {"code": EXIT_OK, "count": 0, "why": None, "connected": False,
                              "last": None}

    def on_event(event: Any) -> None:
        print(json.dumps(event_json(event), ensure_ascii=False), flush=True)
        result["count"] += 1
        if args.count and result["count"] >= args.count:
            done.set()

    def on_state(state: Any) -> None:
        print(f"state: {state.describe()}", file=sys.stderr, flush=True)
        if state.phase is not Phase.DISCONNECTED:  # not the "stopped" at the end
            result["last"] = state.describe()
        if state.phase is Phase.CONNECTED:
            result["connected"] = True
        if state.phase is Phase.AUTH_FAILED:
            result["code"] = EXIT_AUTH
            result["why"] = state.reason
            done.set()

    capture = None
    if args.capture:
        from desktop.core.capture import start_capture

        try:
            capture = start_capture(args.capture, settings, credentials,
                                    keep_numbers=not args.mask_numbers,
                                    total_mb=args.capture_max_mb)
        except OSError as exc:
            if session is not None:
                await session.aclose()
            return fail(EXIT_USAGE, f"cannot write the capture {args.capture}: "
                                    f"{exc.strerror or exc}")
    channel = open_channel(account.flavor, account.transport, settings.endpoint(),
                           credentials, on_event=on_event,
                           on_state=capture.tap_state(on_state) if capture else on_state,
                           on_frame=capture.frame if capture is not None else None)
    task = asyncio.create_task(channel.run(), name="listen")
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, done.set)
    try:
        await asyncio.wait_for(done.wait(), timeout=args.timeout)
    except TimeoutError:
        if args.count:
            result["code"] = EXIT_NOT_FOUND
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if session is not None:
            await session.aclose()
        if capture is not None:
            await asyncio.to_thread(capture.close)
    if result["code"] == EXIT_AUTH:
        print(f"kobikom-desktop: {result['why'] or 'login rejected'}", file=sys.stderr)
    elif not result["connected"]:
        endpoint = settings.endpoint()
        return fail(EXIT_SERVER, f"never connected to {endpoint.host}:{endpoint.port} "
                                 f"({result['last'] or 'no answer'})")
    return int(result["code"])

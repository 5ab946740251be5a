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
import json
from typing import Any

from desktop.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_USAGE,
    add_connection_options,
    fail,
    follow_channel,
    follow_failure,
    line_setup,
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
    setup = line_setup(args)
    count = 0
    done = asyncio.Event()

    def on_event(event: Any) -> None:
        nonlocal count
        print(json.dumps(event_json(event), ensure_ascii=False), flush=True)
        count += 1
        if args.count and count >= args.count:
            done.set()

    capture = None
    if args.capture:
        from desktop.core.capture import start_capture

        try:
            capture = start_capture(args.capture, setup.settings, setup.credentials,
                                    keep_numbers=not args.mask_numbers,
                                    total_mb=args.capture_max_mb)
        except OSError as exc:
            await setup.aclose()
            return fail(EXIT_USAGE, f"cannot write the capture {args.capture}: "
                                    f"{exc.strerror or exc}")
    try:
        outcome = await follow_channel(
            setup, on_event, timeout=args.timeout, done=done,
            on_frame=capture.frame if capture is not None else None,
            wrap_state=capture.tap_state if capture is not None else None)
    finally:
        await setup.aclose()
        if capture is not None:
            await asyncio.to_thread(capture.close)
    failed = follow_failure(outcome, setup.settings)
    if failed is not None:
        return failed
    return EXIT_NOT_FOUND if outcome.timed_out and args.count else EXIT_OK

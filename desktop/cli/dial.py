"""``kobikom-desktop dial NUMBER|URI``: one click-to-call request.
"""

from __future__ import annotations

import argparse
import asyncio
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
)

COMMANDS = ("dial",)



def add_parsers(sub: Any) -> None:
    dial = sub.add_parser(
        "dial", help="click-to-call: ring your extension, then call NUMBER",
        description="Click-to-call through the PBX: your extension rings first, then NUMBER "
                    "(a number, an extension or a tel:/callto:/sip: link) is called. Sent "
                    "once, never retried. Exit codes: 0 the PBX accepted, 1 you declined "
                    "the confirmation, 2 invalid number (nothing sent), 3 credentials "
                    "rejected or missing, 4 server or network failure (the call may have "
                    "started if the message says so).")
    dial.add_argument("number", metavar="NUMBER|URI")
    dial.add_argument("--yes", action="store_true",
                      help="call international and premium-rate numbers without asking")
    add_connection_options(dial)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    """``dial NUMBER|URI``: one click-to-call request, its answer on stdout."""
    from dataclasses import replace

    from desktop.core.account import Account
    from desktop.core.dialing import ClickToCall, DialRefusal, DialStatus, dial_target
    from desktop.core.secrets import SecretStore

    settings = apply_connection_options(load_settings(args), args)
    # No live WebSocket here: always the REST click-to-call of the account type.
    settings.dial = replace(settings.dial, use_ws_originate=False)
    target = dial_target(args.number, settings.dial)
    if isinstance(target, DialRefusal):
        return fail(EXIT_USAGE, f"{target.message} Nothing was sent.")
    if target.confirm is not None and not args.yes:
        kind = "a premium-rate" if target.confirm.value == "premium" else "an international"
        if not sys.stdin.isatty():
            return fail(EXIT_USAGE, f"{target.display} is {kind} number; pass --yes to call "
                                     "it. Nothing was sent.")
        answer = await asyncio.to_thread(input, f"{target.display} is {kind} number. "
                                                "Call it? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "e", "evet"):
            print("kobikom-desktop: not called.", file=sys.stderr)
            return EXIT_NOT_FOUND
    account = Account(settings, SecretStore())
    sessions: list[Any] = []

    async def session() -> Any:
        made = account.rest_session()
        sessions.append(made)
        return made

    service = ClickToCall(settings=lambda: settings, session=session)
    try:
        result = await service.dial(target, source="cli")
    finally:
        for made in sessions:
            await made.aclose()
    if result.ok:
        print(result.server_message or result.message)
        return EXIT_OK
    detail = f" ({result.detail})" if result.detail and args.debug else ""
    print(f"kobikom-desktop: {result.message}{detail}", file=sys.stderr)
    if result.status in (DialStatus.AUTH_FAILED, DialStatus.NOT_SET_UP):
        return EXIT_AUTH
    if result.status is DialStatus.INVALID:
        return EXIT_USAGE
    return EXIT_SERVER

"""``kobikom-desktop sms …``: the SMS outbox from the command line (no Qt).

``sms send --to NUMBER [--to NUMBER…] --text TEXT [--from TITLE]`` goes
through the same durable outbox as the tray app (``AppPaths.outbox_db``):
the message is written first, then sent, then followed for ``--wait``
seconds; one JSON line per message is printed.  ``sms list`` shows the
outbox, ``sms flush`` sends what is waiting, ``sms resend ID`` answers
"Send again" to a message nobody could confirm (or retries a failed one),
``sms cancel ID`` answers "Don't send".

Exit codes as elsewhere: 0 sent, 2 invalid number or text, 3 SMS token
missing or rejected (a rejected message stays in the outbox), 4 server or
network trouble (a message that never left stays queued: "queued, will be
sent when the connection is back"; one the server did not confirm is never
resent on its own).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from typing import Any

#: Defaults for ``sms send --wait``.
DEFAULT_WAIT = 10.0


COMMANDS = ("sms",)


def add_parsers(sub: Any) -> None:
    from desktop.cli.common import add_config_options, add_local_options

    sms = sub.add_parser("sms", help="send SMS through the outbox, and list it")
    actions = sms.add_subparsers(dest="sms_command", metavar="ACTION", required=True)

    def sms_options(p: argparse.ArgumentParser) -> None:
        add_config_options(p)
        p.add_argument("--sms-base", metavar="URL",
                       help="SMS API base URL (default: the settings, then Kobikom's)")
        p.add_argument("--sms-api", choices=["new", "old"],
                       help="which SMS API (default: the settings, then the new one)")

    send = actions.add_parser("send", help="write an SMS to the outbox and send it")
    send.add_argument("--to", action="append", required=True, metavar="NUMBER",
                      help="recipient (repeat for several)")
    send.add_argument("--text", required=True, help="the message")
    send.add_argument("--from", dest="sender", metavar="TITLE",
                      help="sender title (default: settings, last used, first of the account)")
    send.add_argument("--wait", type=float, default=DEFAULT_WAIT, metavar="S",
                      help=f"seconds to follow the message (default {DEFAULT_WAIT:g})")
    sms_options(send)
    listing = actions.add_parser("list", help="show the outbox, newest first")
    listing.add_argument("--limit", type=int, default=50, metavar="N")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    add_local_options(listing, "only the local SMS outbox")
    flush = actions.add_parser("flush", help="send what is waiting in the outbox")
    flush.add_argument("--wait", type=float, default=DEFAULT_WAIT, metavar="S")
    sms_options(flush)
    for name, text in (("resend", "send a message again (after 'was it sent?', or a failure)"),
                       ("cancel", "do not send a waiting or unconfirmed message")):
        p = actions.add_parser(name, help=text)
        p.add_argument("id", help="the message id (see 'sms list')")
        if name == "resend":
            p.add_argument("--wait", type=float, default=DEFAULT_WAIT, metavar="S")
            sms_options(p)
        else:
            add_local_options(p, "only the local SMS outbox")


def run(args: argparse.Namespace) -> int:
    from desktop.cli.common import EXIT_USAGE

    command = args.sms_command
    if command == "list":
        return _list(args)
    try:
        if command == "send":
            return asyncio.run(_send(args))
        if command == "flush":
            return asyncio.run(_flush(args))
        if command == "resend":
            return asyncio.run(_decide(args, again=True))
        if command == "cancel":
            return asyncio.run(_decide(args, again=False))
    except KeyboardInterrupt:
        return EXIT_USAGE
    return EXIT_USAGE


# ---------------------------------------------------------------- helpers


def _outbox() -> Any:
    from desktop.core.paths import app_paths
    from desktop.core.sms_outbox import SmsOutbox

    return SmsOutbox(app_paths().ensure().outbox_db)


def _config_factory(args: argparse.Namespace) -> Callable[[], Any]:
    from desktop.cli.common import load_settings
    from desktop.core.account import Account
    from desktop.core.secrets import SecretStore
    from desktop.core.sms_sender import sms_api_config

    settings = load_settings(args)
    if getattr(args, "sms_api", None):
        settings.sms.api = args.sms_api
    account = Account(settings, SecretStore())
    base = getattr(args, "sms_base", None)
    return lambda: sms_api_config(account, base_url=base)


def _row(message: Any) -> dict[str, Any]:
    return {"id": message.id, "to": message.number.display(), "state": message.state.value,
            "sender": message.sender, "parts": message.parts, "encoding": message.encoding,
            "provider_id": message.provider_id, "call_id": message.call_id,
            "created_at": round(message.created_at, 3), "error": message.error}


def _settled(messages: list[Any]) -> bool:
    from desktop.core.sms_outbox import SmsState

    for m in messages:
        if m.state in (SmsState.DELIVERED, SmsState.FAILED, SmsState.CANCELLED,
                       SmsState.NEEDS_AGENT):
            continue
        if m.state is SmsState.QUEUED and m.attempts > 0:
            continue  # not sent (no network / token rejected): nothing more to wait for
        if m.state is SmsState.SENT and m.next_at is None:
            continue
        return False
    return True


def _report(messages: list[Any], problem: Any) -> int:
    """Print one JSON line per message and a plain sentence; return the exit code."""
    from desktop.cli.common import EXIT_AUTH, EXIT_OK, EXIT_SERVER
    from desktop.core.sms_outbox import SmsState
    from desktop.core.sms_sender import ProblemKind

    code = EXIT_OK
    for message in messages:
        print(json.dumps(_row(message), ensure_ascii=False), flush=True)
        state = message.state
        shown = message.number.display()
        if state in (SmsState.SENT, SmsState.DELIVERED):
            words = "delivered" if state is SmsState.DELIVERED else \
                "sent (delivery not confirmed yet)"
            print(f"kobikom-desktop: SMS to {shown}: {words}", file=sys.stderr)
            continue
        if state is SmsState.QUEUED and problem is not None and problem.kind in (
                ProblemKind.AUTH, ProblemKind.NOT_CONFIGURED):
            print(f"kobikom-desktop: SMS to {shown} not sent: {problem.message}; it is kept "
                  f"in the outbox (id {message.id}) and will be sent once the token is "
                  f"fixed ('sms cancel {message.id}' drops it)", file=sys.stderr)
            code = max(code, EXIT_AUTH)
        elif state is SmsState.QUEUED:
            print(f"kobikom-desktop: SMS to {shown}: queued, will be sent when the connection "
                  f"is back ({message.error or 'no connection'})", file=sys.stderr)
            code = max(code, EXIT_SERVER)
        elif state in (SmsState.UNKNOWN, SmsState.NEEDS_AGENT):
            print(f"kobikom-desktop: SMS to {shown}: the server did not confirm; it was NOT "
                  f"sent again. Decide with 'sms resend {message.id}' or "
                  f"'sms cancel {message.id}' (or in the app's SMS history)", file=sys.stderr)
            code = max(code, EXIT_SERVER)
        elif state is SmsState.FAILED and not message.provider_id:
            print(f"kobikom-desktop: SMS to {shown} was refused: {message.error}; nothing "
                  f"was sent. 'sms resend {message.id}' tries this one again (running "
                  f"'sms send' again would also send to the others)", file=sys.stderr)
            code = max(code, EXIT_SERVER)
        elif state is SmsState.FAILED:
            print(f"kobikom-desktop: SMS to {shown} failed: {message.error}", file=sys.stderr)
            code = max(code, EXIT_SERVER)
        else:
            print(f"kobikom-desktop: SMS to {shown}: {state.value}", file=sys.stderr)
            code = max(code, EXIT_SERVER)
    return code


async def _drive(outbox: Any, config: Callable[[], Any], ids: list[str],
                 wait: float) -> tuple[list[Any], Any]:
    from desktop.core.sms_sender import SmsSender

    sender = SmsSender(outbox, config)
    try:
        messages = await sender.drive(ids, deadline=time.time() + max(wait, 0.0),
                                      done=_settled)
    finally:
        await sender.aclose()
    return messages, sender.problem


# ---------------------------------------------------------------- commands


async def _send(args: argparse.Namespace) -> int:
    from desktop.cli.common import EXIT_AUTH, EXIT_SERVER, EXIT_USAGE, fail
    from desktop.core.account import AccountIncomplete
    from desktop.core.sms_outbox import InvalidRecipient, OutboxError, sms_recipient, validate_text
    from desktop.pbx.errors import AuthError, PbxError

    try:
        for raw in args.to:
            sms_recipient(raw)
        validate_text(args.text)
    except InvalidRecipient as exc:
        return fail(EXIT_USAGE, f"invalid number: {exc}")
    except OutboxError as exc:
        return fail(EXIT_USAGE, str(exc))
    config = _config_factory(args)
    try:
        cfg = await asyncio.to_thread(config)  # the token must exist before we write
    except AccountIncomplete as exc:
        return fail(EXIT_AUTH, f"cannot send: {exc}")
    outbox = await asyncio.to_thread(_outbox)
    try:
        sender = args.sender or _load_sender_default(args) or \
            await asyncio.to_thread(outbox.remembered, "last_sender")
        if not sender:
            api = cfg.build()
            try:
                titles = await api.senders()
            except AuthError as exc:
                return fail(EXIT_AUTH, f"cannot send: {exc}")
            except PbxError as exc:
                return fail(EXIT_SERVER, f"no sender title given (--from) and the account's "
                             f"list could not be loaded: {exc}")
            finally:
                await api.aclose()
            if not titles:
                return fail(EXIT_USAGE, "the account has no sender titles; give --from")
            sender = titles[0].title
        try:
            messages = await asyncio.to_thread(outbox.enqueue, args.to, args.text, sender,
                                               source="cli")
        except OutboxError as exc:
            return fail(EXIT_USAGE, str(exc))
        messages, problem = await _drive(outbox, config, [m.id for m in messages], args.wait)
        return _report(messages, problem)
    finally:
        outbox.close()


def _load_sender_default(args: argparse.Namespace) -> str:
    from desktop.cli.common import load_settings

    return str(load_settings(args).sms.sender or "")


async def _flush(args: argparse.Namespace) -> int:
    from desktop.cli.common import EXIT_OK
    from desktop.core.sms_outbox import SmsState

    outbox = await asyncio.to_thread(_outbox)
    try:
        waiting = [m for m in await asyncio.to_thread(outbox.recent, 10_000)
                   if m.state is SmsState.SENDING
                   or (m.state in (SmsState.QUEUED, SmsState.UNKNOWN, SmsState.SENT)
                       and m.next_at is not None)]
        if not waiting:
            print("kobikom-desktop: nothing is waiting in the outbox", file=sys.stderr)
            return EXIT_OK
        for message in waiting:  # "flush" means now, whatever the back-off said
            if message.state is SmsState.QUEUED:
                await asyncio.to_thread(outbox.update, message.id, next_at=time.time())
        messages, problem = await _drive(outbox, _config_factory(args),
                                         [m.id for m in waiting], args.wait)
        return _report(messages, problem)
    finally:
        outbox.close()


async def _decide(args: argparse.Namespace, *, again: bool) -> int:
    from desktop.cli.common import EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, fail
    from desktop.core.sms_outbox import SmsState

    outbox = await asyncio.to_thread(_outbox)
    try:
        message = await asyncio.to_thread(outbox.find, args.id)
        if message is None:
            return fail(EXIT_NOT_FOUND, f"no message {args.id} in the outbox")
        if again:
            changed = await asyncio.to_thread(
                outbox.transition, message.id,
                (SmsState.NEEDS_AGENT, SmsState.UNKNOWN, SmsState.FAILED), SmsState.QUEUED,
                detail="the agent chose to send it again (command line)",
                next_at=time.time(), checks=0, error=None)
            if changed is None:
                return fail(EXIT_USAGE, f"message {args.id} is {message.state.value}; only "
                             "an unconfirmed or failed message can be sent again")
            messages, problem = await _drive(outbox, _config_factory(args), [message.id],
                                             args.wait)
            return _report(messages, problem)
        changed = await asyncio.to_thread(
            outbox.transition, message.id,
            (SmsState.NEEDS_AGENT, SmsState.UNKNOWN, SmsState.QUEUED, SmsState.FAILED),
            SmsState.CANCELLED, detail="the agent chose not to send it (command line)",
            next_at=None)
        if changed is None:
            return fail(EXIT_USAGE, f"message {args.id} is {message.state.value} and "
                         "cannot be cancelled")
        print(json.dumps(_row(changed), ensure_ascii=False))
        return EXIT_OK
    finally:
        outbox.close()


def _list(args: argparse.Namespace) -> int:
    from desktop.cli.common import EXIT_OK

    outbox = _outbox()
    try:
        messages = outbox.recent(max(1, args.limit))
    finally:
        outbox.close()
    for message in messages:
        if args.json:
            print(json.dumps(_row(message), ensure_ascii=False))
            continue
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(message.created_at))
        text = " ".join(message.text.split())
        text = text if len(text) <= 40 else text[:39] + "…"
        print(f"{message.id[:12]}  {when}  {message.number.display():<16}  "
              f"{message.state.value:<11}  {message.sender:<12}  {text}")
    if not messages and not args.json:
        print("kobikom-desktop: the outbox is empty", file=sys.stderr)
    return EXIT_OK

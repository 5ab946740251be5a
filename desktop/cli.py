"""The ``kobikom-desktop`` command line.

Without a sub-command it starts the tray app (``--demo`` for the embedded
simulator; a ``tel:``/``callto:``/``sip:`` URI argument is handed to the
running instance).  Sub-commands work without a display and never import Qt:

``simulator``
    run Kobikom's stand-in servers on loopback and print one JSON line with
    the ports when ready (port 0 = pick a free one).
``listen``
    connect to a real-time channel and print one JSON object per event.
``contacts import FILE`` / ``lookup NUMBER``
    the local contact directory.

Credentials for scripting come from the environment (they win over the
keyring): ``KOBIKOM_API_KEY`` (Tekil API key), ``KOBIKOM_TOKEN`` (Tekil
panel JWT), ``KOBIKOM_USER`` / ``KOBIKOM_PASSWORD`` (panel or KobiPBX login),
``KOBIKOM_SMS_TOKEN`` / ``KOBIKOM_SMS_API_KEY``.  ``KOBIKOM_DESKTOP_HOME``
puts config, data and logs under one folder.

Exit codes: 0 success, 1 not found / nothing received, 2 usage or invalid
input, 3 credentials rejected or missing, 4 server or network failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop import __version__

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_SERVER = 4

log = logging.getLogger("kobikom.cli")


# ---------------------------------------------------------------- options


def _add_config_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", type=Path,
                   help="settings file to use instead of the default one")
    p.add_argument("--debug", action="store_true", help="verbose logging to stderr")


def _add_connection_options(p: argparse.ArgumentParser) -> None:
    _add_config_options(p)
    g = p.add_argument_group("connection (default: the settings file, then Kobikom's "
                             "documented servers)")
    g.add_argument("--flavor", choices=["tekil", "bulut"],
                   help="Tekil Santral or Bulut Santral (KobiPBX)")
    g.add_argument("--transport", choices=["tcp", "ws"], help="real-time channel transport")
    g.add_argument("--host", help="real-time server host")
    g.add_argument("--port", type=int, help="real-time server port")
    tls = g.add_mutually_exclusive_group()
    tls.add_argument("--tls", dest="tls", action="store_const", const=True,
                     help="use TLS (wss://) on the WebSocket channel")
    tls.add_argument("--no-tls", dest="tls", action="store_const", const=False,
                     help="no TLS (ws://, e.g. Tekil's port 8088)")
    g.add_argument("--ca-file", metavar="PEM", help="extra CA certificates to trust "
                   "(private/test CAs); verification is never switched off")
    g.add_argument("--extension", action="append", metavar="EXT",
                   help="the agent's extension (repeat for several)")
    g.add_argument("--domain", metavar="UUID", help="KobiPBX domain UUID (Bulut)")
    g.add_argument("--api-base", metavar="URL", help="REST base URL (panel / KobiPBX API)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kobikom-desktop",
        description="Tray companion for Kobikom PBX agents: caller popup, click-to-call, "
                    "recordings, softphone QR and quick SMS.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sim = sub.add_parser("simulator", help="run the Kobikom simulator on loopback")
    sim.add_argument("--flavor", choices=["tekil", "bulut"], default="bulut")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--tcp-port", type=int, default=0)
    sim.add_argument("--ws-port", type=int, default=0)
    sim.add_argument("--http-port", type=int, default=0)
    sim.add_argument("--tcp-framing", choices=["ndjson", "concat", "split", "noisy"],
                     default="ndjson", help="how events are framed on the TCP stream")
    sim.add_argument("--demo-calls", metavar="EXT",
                     help="keep making EXT ring with varied demo calls")
    sim.add_argument("--debug", action="store_true")

    listen = sub.add_parser("listen", help="print real-time events as JSON lines")
    _add_connection_options(listen)
    listen.add_argument("--count", type=int, metavar="N", help="exit after N events")
    listen.add_argument("--timeout", type=float, metavar="S", help="exit after S seconds")

    contacts = sub.add_parser("contacts", help="the local contact directory")
    contacts_sub = contacts.add_subparsers(dest="contacts_command", metavar="ACTION",
                                           required=True)
    imp = contacts_sub.add_parser("import", help="import a CSV or vCard file")
    imp.add_argument("file", type=Path)
    _add_config_options(imp)

    lookup = sub.add_parser("lookup", help="print the contact for a number as JSON "
                            "(exit 1 when none)")
    lookup.add_argument("number")
    _add_config_options(lookup)

    # Feature sub-commands: each adds its parser in its own block below.
    # [cli-parsers: dial]
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
    _add_connection_options(dial)
    # [cli-parsers: history, recording]
    from desktop.cli_history import add_parsers as add_history_parsers

    add_history_parsers(sub, _add_config_options, _add_connection_options)
    # [cli-parsers: sms]
    from desktop.cli_sms import add_sms_parser

    add_sms_parser(sub, _add_config_options)
    # [cli-parsers: qr]
    from desktop.cli_qr import add_parser as add_qr_parser

    add_qr_parser(sub, _add_connection_options)

    return parser


def _app_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kobikom-desktop", add_help=True)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--demo", action="store_true",
                   help="run against the embedded simulator with sample contacts")
    _add_config_options(p)
    p.add_argument("uri", nargs="?", help="a tel:, callto: or sip: link (or a number) to dial")
    return p


# ---------------------------------------------------------------- shared helpers


def _setup_logging(debug: bool, *, to_file: bool = True) -> None:
    from desktop.core.logs import setup_logging
    from desktop.core.paths import app_paths

    log_file = app_paths().log_file if to_file else None
    try:
        setup_logging(log_file=log_file, debug=debug)
    except OSError:
        setup_logging(log_file=None, debug=debug)


def _load_settings(args: argparse.Namespace) -> Any:
    from desktop.core.paths import app_paths
    from desktop.core.settings import SettingsError, load_settings

    path = args.config or app_paths().config_file
    try:
        return load_settings(path)
    except SettingsError as exc:
        raise SystemExit(_fail(EXIT_USAGE, str(exc))) from None


def _apply_connection_options(settings: Any, args: argparse.Namespace) -> Any:
    from desktop.pbx.connection import Flavor, Transport

    acct, server = settings.account, settings.server
    if args.flavor:
        acct.flavor = Flavor(args.flavor)
    if args.transport:
        acct.transport = Transport(args.transport)
    if args.host:
        server.host = args.host
    if args.port:
        server.port = args.port
    if args.tls is not None:
        server.tls = "true" if args.tls else "false"
    if args.ca_file:
        server.ca_file = args.ca_file
    if args.extension:
        acct.extensions = list(args.extension)
    if args.domain:
        acct.domain_uuid = args.domain
    if args.api_base:
        server.api_base = args.api_base
    return settings


def _fail(code: int, message: str) -> int:
    print(f"kobikom-desktop: {message}", file=sys.stderr)
    return code


def _account(args: argparse.Namespace) -> Any:
    """The account from the settings file with the command-line overrides applied."""
    from desktop.core.account import Account
    from desktop.core.secrets import SecretStore

    return Account(_apply_connection_options(_load_settings(args), args), SecretStore())


def _exit_code_for(exc: BaseException) -> int:
    """Map pbx-layer errors to the documented exit codes (3 auth, 4 server/network)."""
    from desktop.core.account import AccountIncomplete
    from desktop.pbx.errors import AuthError, PbxError

    if isinstance(exc, (AuthError, AccountIncomplete)):
        return EXIT_AUTH
    if isinstance(exc, PbxError):
        return EXIT_SERVER
    return EXIT_SERVER


def _event_json(event: Any) -> dict[str, Any]:
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


# ---------------------------------------------------------------- commands


async def _cmd_simulator(args: argparse.Namespace) -> int:
    from desktop.simulator import Simulator, SimulatorConfig

    cfg = SimulatorConfig(flavor=args.flavor, host=args.host, tcp_port=args.tcp_port,
                          ws_port=args.ws_port, http_port=args.http_port,
                          tcp_framing=args.tcp_framing)
    sim = Simulator(cfg)
    try:
        await sim.start()
    except OSError as exc:
        return _fail(EXIT_SERVER, f"cannot start the simulator: {exc.strerror or exc}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    ready = {
        "flavor": cfg.flavor, "host": cfg.host, **sim.ports, "http_base": sim.http_base,
        "domain_uuid": cfg.domain_uuid, "extensions": list(cfg.extensions),
        "control": f"{sim.http_base}/_sim/",
    }
    print(json.dumps(ready), flush=True)
    demo: asyncio.Task[None] | None = None
    if args.demo_calls:
        demo = asyncio.create_task(sim.run_demo(extension=args.demo_calls), name="demo-calls")
    try:
        await stop.wait()
    finally:
        if demo is not None:
            demo.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await demo
        await sim.stop()
    return EXIT_OK


async def _cmd_listen(args: argparse.Namespace) -> int:
    from desktop.core.account import Account, AccountIncomplete
    from desktop.core.secrets import SecretStore
    from desktop.pbx.channels import open_channel
    from desktop.pbx.connection import Phase

    settings = _apply_connection_options(_load_settings(args), args)
    account = Account(settings, SecretStore())
    session = None
    try:
        try:
            session = account.rest_session()
        except AccountIncomplete:
            session = None
        credentials = account.channel_credentials(session)
    except AccountIncomplete as exc:
        return _fail(EXIT_AUTH, f"cannot connect: {exc}")

    done = asyncio.Event()
    result: dict[str, Any] = {"code": EXIT_OK, "count": 0, "why": None}

    def on_event(event: Any) -> None:
        print(json.dumps(_event_json(event), ensure_ascii=False), flush=True)
        result["count"] += 1
        if args.count and result["count"] >= args.count:
            done.set()

    def on_state(state: Any) -> None:
        print(f"state: {state.describe()}", file=sys.stderr, flush=True)
        if state.phase is Phase.AUTH_FAILED:
            result["code"] = EXIT_AUTH
            result["why"] = state.reason
            done.set()

    channel = open_channel(account.flavor, account.transport, settings.endpoint(),
                           credentials, on_event=on_event, on_state=on_state)
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
    if result["code"] == EXIT_AUTH:
        print(f"kobikom-desktop: {result['why'] or 'login rejected'}", file=sys.stderr)
    return int(result["code"])


def _open_directory(args: argparse.Namespace) -> Any:
    from desktop.core.directory import Directory
    from desktop.core.paths import app_paths

    paths = app_paths().ensure()
    return Directory(paths.contacts_db)


def _cmd_contacts_import(args: argparse.Namespace) -> int:
    from desktop.core.contact_import import import_contacts

    if not args.file.is_file():
        return _fail(EXIT_USAGE, f"{args.file}: no such file")
    directory = _open_directory(args)
    started = time.perf_counter()
    try:
        report = import_contacts(directory, args.file)
    except (OSError, ValueError) as exc:
        return _fail(EXIT_USAGE, f"{args.file}: {exc}")
    finally:
        directory.close()
    for err in report.errors:
        print(f"{args.file}:{err.line}: skipped: {err.reason}", file=sys.stderr)
    print(json.dumps({
        "file": str(args.file), "added": report.added, "updated": report.updated,
        "unchanged": report.unchanged, "skipped": report.skipped,
        "seconds": round(time.perf_counter() - started, 3)}, ensure_ascii=False))
    return EXIT_OK


def _cmd_lookup(args: argparse.Namespace) -> int:
    from desktop.core.contact_commands import contact_to_json
    from desktop.core.numbers import NumberKind, parse_number

    number = parse_number(args.number)
    if number.kind is NumberKind.INVALID:
        return _fail(EXIT_USAGE, f"{args.number!r} is not a phone number")
    directory = _open_directory(args)
    try:
        contact = directory.lookup(number)
    finally:
        directory.close()
    if contact is None:
        print(f"kobikom-desktop: no contact for {number.display()}", file=sys.stderr)
        return EXIT_NOT_FOUND
    print(json.dumps(contact_to_json(contact), ensure_ascii=False, indent=2))
    return EXIT_OK


async def _cmd_dial(args: argparse.Namespace) -> int:
    """``dial NUMBER|URI``: one click-to-call request, its answer on stdout."""
    from dataclasses import replace

    from desktop.core.account import Account
    from desktop.core.dialing import ClickToCall, DialRefusal, DialStatus, dial_target
    from desktop.core.secrets import SecretStore

    settings = _apply_connection_options(_load_settings(args), args)
    # No live WebSocket here: always the REST click-to-call of the account type.
    settings.dial = replace(settings.dial, use_ws_originate=False)
    target = dial_target(args.number, settings.dial)
    if isinstance(target, DialRefusal):
        return _fail(EXIT_USAGE, f"{target.message} Nothing was sent.")
    if target.confirm is not None and not args.yes:
        kind = "a premium-rate" if target.confirm.value == "premium" else "an international"
        if not sys.stdin.isatty():
            return _fail(EXIT_USAGE, f"{target.display} is {kind} number; pass --yes to call "
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


# ---------------------------------------------------------------- entry point


def _hand_over_to_running_instance(args: argparse.Namespace) -> bool:
    """A second launch passes its URI to the running app, importing only QtNetwork.

    Importing the whole GUI stack first would add half a second before a clicked
    ``tel:`` link reaches the running instance.  ``desktop.app.main`` checks
    again (a race with an instance starting at the same moment).
    """
    from desktop.core.paths import app_paths

    try:
        from desktop.ui.single_instance import hand_over, server_name
    except ImportError:  # Qt missing: desktop.app reports it properly
        return False
    argv = [a for a in (args.uri,) if a]
    return hand_over(server_name(str(app_paths().data_dir)), argv)



_SUBCOMMANDS = {"simulator", "listen", "contacts", "lookup",
                # [cli-names] feature sub-commands add their names here
                "history", "recording",
                "sms",
                "dial",
                "qr",
                }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in _SUBCOMMANDS and argv[0] not in {"-h", "--help", "--version"}):
        app_args = _app_parser().parse_args(argv)
        if _hand_over_to_running_instance(app_args):
            _setup_logging(app_args.debug)
            log.info("another instance is running; arguments handed over")
            return EXIT_OK
        from desktop.app import main as app_main  # the GUI stack is imported only here

        return app_main(app_args)
    args = build_parser().parse_args(argv)
    if args.command in {"simulator", "listen"}:
        _setup_logging(args.debug, to_file=args.command == "listen")
        runner = _cmd_simulator if args.command == "simulator" else _cmd_listen
        try:
            return asyncio.run(runner(args))
        except KeyboardInterrupt:
            return EXIT_OK
    _setup_logging(getattr(args, "debug", False))
    if args.command == "contacts":
        return _cmd_contacts_import(args)
    if args.command == "lookup":
        return _cmd_lookup(args)
    # [cli-dispatch: dial]
    if args.command == "dial":
        return asyncio.run(_cmd_dial(args))
    # [cli-dispatch: history, recording]
    if args.command in {"history", "recording"}:
        from desktop.cli_history import run_history, run_recording

        return run_history(args) if args.command == "history" else run_recording(args)
    # [cli-dispatch: sms]
    if args.command == "sms":
        from desktop.cli_sms import run_sms

        return run_sms(args)
    # [cli-dispatch: qr]
    if args.command == "qr":
        from desktop.cli_qr import run as run_qr

        return run_qr(args)
    build_parser().print_help()
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

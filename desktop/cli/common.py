"""What every command family of the command line shares.

Exit codes, the ``--config``/connection options (or the refusal of
``--config`` by commands that read no settings), argument types that check
ports and files, logging set-up, loading the settings file with the
command-line overrides, the mapping of errors to exit codes, and the one
error boundary (:func:`guarded`) that :func:`desktop.cli.main` runs every
command in.  Command modules import from here, never from
:mod:`desktop.cli` itself (which imports them).

Exit codes (documented in ``kobikom-desktop --help``):

==== =====================================================================
0    success
1    not found / nothing received / declined
2    usage or invalid input (bad arguments, a file that cannot be imported,
     a broken settings file)
3    credentials rejected or missing
4    server or network failure (``listen``: never connected)
5    a local file or database of the app could not be read or written
70   internal error: a bug; one line on stderr, the traceback in the log
130  interrupted (Ctrl-C)
141  the reader of the output went away (``… | head``): quietly, no message
==== =====================================================================
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import stat
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import asyncio

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_SERVER = 4
EXIT_LOCAL = 5
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for "cat big | head"

#: The highest TCP port.
MAX_PORT = 65535

log = logging.getLogger("kobikom.cli")


class CliError(Exception):
    """An expected failure: *message* for the user, *code* for the shell."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ---------------------------------------------------------------- argument types
def port_number(text: str) -> int:
    """``--port``: a TCP port, 1-65535."""
    return _port(text, lowest=1)


def port_or_zero(text: str) -> int:
    """A port to listen on: 1-65535, or 0 for "any free port"."""
    return _port(text, lowest=0)


def _port(text: str, *, lowest: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not lowest <= value <= MAX_PORT:
        raise argparse.ArgumentTypeError(
            f"port {value} is out of range ({lowest}-{MAX_PORT})")
    return value


def positive_int(text: str) -> int:
    """A count such as ``--count N``: a whole number of 1 or more."""
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return value


def positive_seconds(text: str) -> float:
    """A duration such as ``--timeout S``: seconds, more than 0."""
    try:
        value = float(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text} must be a number of seconds above 0")
    return value


def input_file(text: str) -> Path:
    """A file to read: it exists, and is a file, not a folder."""
    path = Path(text).expanduser()
    try:
        info = path.stat()
    except FileNotFoundError:
        raise argparse.ArgumentTypeError(f"{text}: no such file") from None
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read {text}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise argparse.ArgumentTypeError(f"{text} is a folder, not a file")
    return path


def output_file(text: str) -> Path:
    """A file to write: not a folder, in a folder that exists."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{folder}: no such folder")
    return path


# ---------------------------------------------------------------- options
def add_config_options(p: argparse.ArgumentParser) -> None:
    """``--config FILE`` (honoured: the command reads the settings) and ``--debug``."""
    p.add_argument("--config", metavar="FILE", type=Path,
                   help="settings file to use instead of the default one")
    p.add_argument("--debug", action="store_true", help="verbose logging to stderr")


def add_local_options(p: argparse.ArgumentParser, reads: str) -> None:
    """``--debug``, and a ``--config`` that is refused, saying the command reads *reads*.

    For commands that work on the app's local data only (contacts, call
    history, the SMS outbox): a settings file would change nothing, so
    accepting ``--config`` and ignoring it would mislead.
    """

    class RefuseConfig(argparse.Action):
        def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                     values: Any, option_string: str | None = None) -> NoReturn:
            parser.error(f"--config is not used here: this command reads {reads}, not the "
                         "settings (KOBIKOM_DESKTOP_HOME chooses another folder for the "
                         "app's data)")

    p.add_argument("--config", metavar="FILE", nargs="?", action=RefuseConfig,
                   help=argparse.SUPPRESS)
    p.add_argument("--debug", action="store_true", help="verbose logging to stderr")


def add_connection_options(p: argparse.ArgumentParser) -> None:
    add_config_options(p)
    g = p.add_argument_group("connection (default: the settings file, then Kobikom's "
                             "documented servers)")
    g.add_argument("--flavor", choices=["tekil", "bulut"],
                   help="Tekil Santral or Bulut Santral (KobiPBX)")
    g.add_argument("--transport", choices=["tcp", "ws"], help="real-time channel transport")
    g.add_argument("--host", help="real-time server host")
    g.add_argument("--port", type=port_number, help="real-time server port (1-65535)")
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


# ---------------------------------------------------------------- logging
def setup_logging(debug: bool, *, to_file: bool = True) -> None:
    from desktop.core.logs import setup_logging as _setup
    from desktop.core.paths import app_paths

    log_file = app_paths().log_file if to_file else None
    try:
        _setup(log_file=log_file, debug=debug)
    except OSError:
        _setup(log_file=None, debug=debug)


# ---------------------------------------------------------------- settings
def load_settings(args: argparse.Namespace) -> Any:
    """The settings in effect: defaults, the administrator's policy, the agent's file.

    Ignored keys (unknown, or locked by the policy) are warned about on
    stderr, naming each; an invalid file is a CliError (2) naming every bad
    value.  A missing default file gives the defaults; a ``--config`` file
    that is missing or a folder is an error (the user named it).
    """
    from desktop.core.paths import app_paths
    from desktop.core.policy import load_effective_settings, load_policy
    from desktop.core.settings import SettingsError

    given = getattr(args, "config", None)
    path = Path(given).expanduser() if given else app_paths().config_file
    if given and path.is_dir():
        raise CliError(EXIT_USAGE, f"{given} is a folder, not a settings file")
    if given and not path.exists():
        raise CliError(EXIT_USAGE, f"{given}: no such settings file")
    policy = load_policy()
    try:
        effective = load_effective_settings(path, policy)
    except SettingsError as exc:
        raise CliError(EXIT_USAGE, str(exc)) from None
    for warning in (*policy.warnings, *effective.warnings):
        print(f"kobikom-desktop: warning: {warning}", file=sys.stderr)
    return effective.settings


def check_port(settings: Any) -> None:
    """A port in the settings file out of range is an input error, not a retry loop."""
    port = getattr(getattr(settings, "server", None), "port", 0)
    if isinstance(port, int) and port and not 1 <= port <= MAX_PORT:
        raise CliError(EXIT_USAGE, f"the settings file's server port {port} is out of range "
                                   f"(1-{MAX_PORT})")


def apply_connection_options(settings: Any, args: argparse.Namespace) -> Any:
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
    check_port(settings)
    return settings


def fail(code: int, message: str) -> int:
    print(f"kobikom-desktop: {message}", file=sys.stderr)
    return code


def load_account(args: argparse.Namespace) -> Any:
    """The account from the settings file with the command-line overrides applied."""
    from desktop.core.account import Account
    from desktop.core.secrets import SecretStore

    return Account(apply_connection_options(load_settings(args), args), SecretStore())


def exit_code_for(exc: BaseException) -> int:
    """Map pbx-layer errors to the documented exit codes (3 auth, 4 server/network)."""
    from desktop.core.account import AccountIncomplete
    from desktop.pbx.errors import AuthError, PbxError

    if isinstance(exc, (AuthError, AccountIncomplete)):
        return EXIT_AUTH
    if isinstance(exc, PbxError):
        return EXIT_SERVER
    return EXIT_SERVER


# ---------------------------------------------------------------- following the channel
# ``listen`` and ``team`` connect the same way: the settings with the command-line
# overrides, the account's channel credentials, one channel until a signal, a goal
# or the timeout, the connection states on stderr.


@dataclass
class LineSetup:
    """What a command needs to open the real-time channel (see :func:`line_setup`)."""

    settings: Any
    account: Any
    #: The account's REST session when it could be built (None: no REST login).
    session: Any
    credentials: Any

    async def aclose(self) -> None:
        if self.session is not None:
            await self.session.aclose()


def line_setup(args: argparse.Namespace) -> LineSetup:
    """Settings, account and channel credentials; CliError (3) when they are missing."""
    from desktop.core.account import Account, AccountIncomplete
    from desktop.core.secrets import SecretStore

    settings = apply_connection_options(load_settings(args), args)
    account = Account(settings, SecretStore())
    try:
        try:
            session = account.rest_session()
        except AccountIncomplete:
            session = None
        credentials = account.channel_credentials(session)
    except AccountIncomplete as exc:
        raise CliError(EXIT_AUTH, f"cannot connect: {exc}") from None
    return LineSetup(settings, account, session, credentials)


@dataclass
class FollowOutcome:
    """How following the channel ended."""

    connected: bool = False
    #: The timeout ran out (rather than a signal or the caller's ``done``).
    timed_out: bool = False
    #: The login was rejected: the reason.
    auth_failed: str | None = None
    #: The last connection state described (for "never connected").
    last: str | None = None


async def follow_channel(setup: LineSetup, on_event: Callable[[Any], None], *,
                         timeout: float | None, done: asyncio.Event | None = None,
                         on_frame: Callable[..., None] | None = None,
                         wrap_state: Callable[[Callable[[Any], None]],
                                              Callable[[Any], None]] | None = None,
                         ) -> FollowOutcome:
    """Run the account's channel, handing every event to *on_event*, until *done* is
    set, SIGINT/SIGTERM, a rejected login or *timeout* seconds."""
    import asyncio  # not at the top: the tray app's start never needs it this early

    from desktop.pbx.channels import open_channel
    from desktop.pbx.connection import Phase

    done = done or asyncio.Event()
    outcome = FollowOutcome()

    def on_state(state: Any) -> None:
        print(f"state: {state.describe()}", file=sys.stderr, flush=True)
        if state.phase is not Phase.DISCONNECTED:  # not the "stopped" at the end
            outcome.last = state.describe()
        if state.phase is Phase.CONNECTED:
            outcome.connected = True
        if state.phase is Phase.AUTH_FAILED:
            outcome.auth_failed = state.reason or "login rejected"
            done.set()

    account = setup.account
    channel = open_channel(account.flavor, account.transport, setup.settings.endpoint(),
                           setup.credentials, on_event=on_event,
                           on_state=wrap_state(on_state) if wrap_state else on_state,
                           on_frame=on_frame)
    task = asyncio.create_task(channel.run(), name="follow-channel")
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, done.set)
    try:
        await asyncio.wait_for(done.wait(), timeout=timeout)
    except TimeoutError:
        outcome.timed_out = True
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return outcome


def follow_failure(outcome: FollowOutcome, settings: Any) -> int | None:
    """The exit code (message printed) when following failed, else None."""
    if outcome.auth_failed is not None:
        print(f"kobikom-desktop: {outcome.auth_failed}", file=sys.stderr)
        return EXIT_AUTH
    if not outcome.connected:
        endpoint = settings.endpoint()
        return fail(EXIT_SERVER, f"never connected to {endpoint.host}:{endpoint.port} "
                                 f"({outcome.last or 'no answer'})")
    return None


# ---------------------------------------------------------------- the error boundary
def expected_error(exc: BaseException) -> tuple[int, str] | None:
    """``(exit code, message)`` for an error a user can meet and act on, else None (a bug)."""
    from desktop.core.account import AccountIncomplete
    from desktop.core.contact_export import ContactExportError
    from desktop.core.contact_import import ContactImportError
    from desktop.core.settings import SettingsError
    from desktop.core.storage import StorageError
    from desktop.pbx.errors import AuthError, PbxError

    if isinstance(exc, CliError):
        return exc.code, exc.message
    if isinstance(exc, (ContactImportError, ContactExportError, SettingsError)):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, (AuthError, AccountIncomplete)):
        return EXIT_AUTH, str(exc)
    if isinstance(exc, PbxError):
        return EXIT_SERVER, exc.message
    if isinstance(exc, StorageError):
        return EXIT_LOCAL, str(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return EXIT_LOCAL, f"{where}{exc.strerror or exc}"
    return None


def _quiet_stdout() -> None:
    """After a broken pipe: send what is left to /dev/null so the exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _log_bug(exc: BaseException, debug: bool) -> Path | None:
    """The traceback into the log file (and to stderr with ``--debug``); the file, or None."""
    from desktop.core.paths import app_paths

    root = logging.getLogger("kobikom")
    files = [h for h in root.handlers if isinstance(h, logging.FileHandler)]
    if not files:
        setup_logging(debug, to_file=True)
        files = [h for h in root.handlers if isinstance(h, logging.FileHandler)]
    record = log.makeRecord(log.name, logging.CRITICAL, __file__, 0,
                            "internal error: %s", (type(exc).__name__,),
                            (type(exc), exc, exc.__traceback__))
    for handler in files:
        handler.handle(record)
    if debug:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    return app_paths().log_file if files else None


def guarded(run: Callable[[], int], argv: Sequence[str]) -> int:
    """Run a command: expected errors become a message and their exit code, a broken
    pipe ends quietly, Ctrl-C exits 130, and a bug becomes one line pointing to the log
    (which holds the traceback).  No traceback reaches the terminal (without ``--debug``).
    """
    debug = "--debug" in argv
    try:
        code = run()
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("kobikom-desktop: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        found = expected_error(exc)
        if found is not None:
            log.debug("expected error", exc_info=True)
            return fail(*found)
        try:
            log_file = _log_bug(exc, debug)
        except Exception:  # the log itself failed: still no traceback on the terminal
            log_file = None
        where = f"the details are in {log_file}" if log_file is not None else \
            "the log could not be written"
        return fail(EXIT_INTERNAL, f"internal error ({type(exc).__name__}); this is a bug, "
                                   f"{where}")

"""What every command family of the command line shares.

Exit codes, the ``--config``/connection options, logging set-up, loading the
settings file with the command-line overrides, and the mapping of pbx-layer
errors to exit codes.  Command modules import from here, never from
:mod:`desktop.cli` itself (which imports them).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_SERVER = 4

log = logging.getLogger("kobikom.cli")


def add_config_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", type=Path,
                   help="settings file to use instead of the default one")
    p.add_argument("--debug", action="store_true", help="verbose logging to stderr")


def add_connection_options(p: argparse.ArgumentParser) -> None:
    add_config_options(p)
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


def setup_logging(debug: bool, *, to_file: bool = True) -> None:
    from desktop.core.logs import setup_logging as _setup
    from desktop.core.paths import app_paths

    log_file = app_paths().log_file if to_file else None
    try:
        _setup(log_file=log_file, debug=debug)
    except OSError:
        _setup(log_file=None, debug=debug)


def load_settings(args: argparse.Namespace) -> Any:
    """The settings in effect: defaults, the administrator's policy, the agent's file.

    Ignored keys (unknown, or locked by the policy) are warned about on
    stderr, naming each; an invalid file exits 2 naming every bad value.
    """
    from desktop.core.paths import app_paths
    from desktop.core.policy import load_effective_settings, load_policy
    from desktop.core.settings import SettingsError

    path = args.config or app_paths().config_file
    policy = load_policy()
    try:
        effective = load_effective_settings(path, policy)
    except SettingsError as exc:
        raise SystemExit(fail(EXIT_USAGE, str(exc))) from None
    for warning in (*policy.warnings, *effective.warnings):
        print(f"kobikom-desktop: warning: {warning}", file=sys.stderr)
    return effective.settings


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

"""The ``kobikom-desktop`` command line.

Without a sub-command it starts the tray app (``--demo`` for the embedded
simulator; a ``tel:``/``callto:``/``sip:`` URI argument is handed to the
running instance).  Sub-commands work without a display and never import Qt.
Each command family lives in its own module of this package and registers
itself in :data:`FAMILIES`; what they share is in :mod:`desktop.cli.common`.
No command module imports from this one.

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
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from desktop import __version__
from desktop.cli.common import EXIT_OK, EXIT_USAGE, add_config_options, log, setup_logging

#: The command-family modules, in the order ``--help`` lists them.  Each has
#: ``COMMANDS`` (its sub-command names), ``add_parsers(sub)`` and ``run(args)``.
FAMILIES: tuple[str, ...] = (
    "simulator", "listen", "replay", "contacts", "dial", "history", "sms", "qr",
    "settings", "autostart", "selftest",
)


def _families() -> list[ModuleType]:
    return [importlib.import_module(f"desktop.cli.{name}") for name in FAMILIES]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kobikom-desktop",
        description="Tray companion for Kobikom PBX agents: caller popup, click-to-call, "
                    "recordings, softphone QR and quick SMS.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for family in _families():
        family.add_parsers(sub)
    return parser


def _app_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kobikom-desktop", add_help=True)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--demo", action="store_true",
                   help="run against the embedded simulator with sample contacts")
    p.add_argument("--autostart", action="store_true",
                   help="started at login by the system: quit at once if this user "
                        "switched starting at login off")
    add_config_options(p)
    p.add_argument("uri", nargs="?", help="a tel:, callto: or sip: link (or a number) to dial")
    return p


def _autostart_switched_off() -> bool:
    """A machine-wide login entry started us, but this user switched it off."""
    from desktop.core.autostart import for_this_system

    try:
        return not for_this_system().enabled()
    except OSError:
        return False


def _hand_over_to_running_instance(args: argparse.Namespace) -> bool:
    """A second launch passes its URI to the running app, importing only QtNetwork.

    Importing the whole GUI stack first would add half a second before a clicked
    ``tel:`` link reaches the running instance.  ``desktop.launch.main`` checks
    again (a race with an instance starting at the same moment).
    """
    from desktop.core.paths import app_paths

    try:
        from desktop.ui.single_instance import hand_over, server_name
    except ImportError:  # Qt missing: desktop.app reports it properly
        return False
    argv = [a for a in (args.uri,) if a]
    return hand_over(server_name(str(app_paths().data_dir)), argv)


def _subcommands() -> dict[str, ModuleType]:
    return {name: family for family in _families() for name in family.COMMANDS}


def _is_app_launch(argv: list[str]) -> bool:
    """No sub-command: the tray app (``[--demo] [--debug] [--config F] [URI]``).

    Decided without importing the command families when it can be (no
    arguments, or an option first: sub-commands are words), so an agent's
    launch does not pay for them before the tray shows.
    """
    if not argv or (argv[0].startswith("-") and argv[0] not in _PARSER_OPTIONS):
        return True
    return argv[0] not in _subcommands() and argv[0] not in _PARSER_OPTIONS


#: Options of the sub-command parser itself.
_PARSER_OPTIONS = frozenset({"-h", "--help", "--version"})


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _is_app_launch(argv):
        app_args = _app_parser().parse_args(argv)
        if app_args.autostart and _autostart_switched_off():
            setup_logging(app_args.debug)
            log.info("started at login, but starting at login is off for this user: quitting")
            return EXIT_OK
        if _hand_over_to_running_instance(app_args):
            setup_logging(app_args.debug)
            log.info("another instance is running; arguments handed over")
            return EXIT_OK
        # The GUI stack is imported only here: the tray first, the rest while it shows.
        from desktop.launch import main as app_main

        return app_main(app_args)
    args = build_parser().parse_args(argv)
    family = _subcommands().get(args.command or "")
    if family is None:
        build_parser().print_help()
        return EXIT_USAGE
    if args.command not in {"simulator", "listen"}:
        setup_logging(getattr(args, "debug", False))
    return int(family.run(args))

"""The ``kobikom-desktop`` command line.

Without a sub-command it starts the tray app (``--demo`` for the embedded
simulator; a ``tel:``/``callto:``/``sip:`` link or a number is handed to
the running instance, or dialled by the app it starts).  Only digits (with
the usual separators) and those links are taken as a number: any other
first word is a command, and an unknown one is an error with a suggestion
(``histroy`` -> ``history``), never a call.  Sub-commands work without a
display and never import Qt.  Each command family lives in its own module
of this package and registers itself in :data:`FAMILIES`; what they share
is in :mod:`desktop.cli.common`.  No command module imports from this one.

Every command runs inside one error boundary (:func:`desktop.cli.common.guarded`):
expected errors print one line and exit with the documented code, a broken
pipe (``… | head``) ends quietly, and a bug prints one line pointing to the
log file, which holds the traceback.

Credentials for scripting come from the environment (they win over the
keyring): ``KOBIKOM_API_KEY`` (Tekil API key), ``KOBIKOM_TOKEN`` (Tekil
panel JWT), ``KOBIKOM_USER`` / ``KOBIKOM_PASSWORD`` (panel or KobiPBX login),
``KOBIKOM_SMS_TOKEN`` / ``KOBIKOM_SMS_API_KEY``.  ``KOBIKOM_DESKTOP_HOME``
puts config, data and logs under one folder.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from desktop import __version__
from desktop.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    add_config_options,
    guarded,
    log,
    setup_logging,
)

#: The command-family modules, in the order ``--help`` lists them.  Each has
#: ``COMMANDS`` (its sub-command names), ``add_parsers(sub)`` and ``run(args)``.
FAMILIES: tuple[str, ...] = (
    "simulator", "listen", "team", "replay", "contacts", "dial", "history", "sms", "qr",
    "settings", "autostart", "selftest",
)

DESCRIPTION = ("Tray companion for Kobikom PBX agents: caller popup, click-to-call, "
               "recordings, softphone QR and quick SMS.")
EXIT_CODES = """exit codes:
  0    success
  1    not found / nothing received / declined
  2    usage or invalid input (bad arguments, a file that cannot be imported, a bad
       settings file)
  3    credentials rejected or missing
  4    server or network failure (listen: never connected)
  5    a local file or database of the app could not be read or written
  70   internal error (a bug): the details are in the log file
  130  interrupted; 141 the output was closed (... | head)"""


def _families() -> list[ModuleType]:
    return [importlib.import_module(f"desktop.cli.{name}") for name in FAMILIES]


def build_parser() -> argparse.ArgumentParser:
    """The parser of the sub-commands (``kobikom-desktop COMMAND ...``)."""
    parser = argparse.ArgumentParser(prog="kobikom-desktop", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for family in _families():
        family.add_parsers(sub)
    return parser


def _commands_help() -> str:
    """The sub-commands and their one-line help, for the top-level ``--help``."""
    lines = ["commands (kobikom-desktop COMMAND --help for each):"]
    for action in build_parser()._subparsers._group_actions:  # type: ignore[union-attr]
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                lines.append(f"  {choice.dest:<12} {choice.help or ''}")
    return "\n".join(lines)


def _app_parser(*, with_commands: bool = False) -> argparse.ArgumentParser:
    """The app's own options (no COMMAND): what the top-level ``--help`` shows first."""
    p = argparse.ArgumentParser(
        prog="kobikom-desktop",
        usage="%(prog)s [-h] [--version] [--demo] [--config FILE] [--debug] [LINK]\n"
              "       %(prog)s COMMAND [options]",
        description=DESCRIPTION + " Without a COMMAND it starts the tray app.",
        epilog=(_commands_help() + "\n\n" + EXIT_CODES) if with_commands else EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--demo", action="store_true",
                   help="run against the embedded simulator with sample contacts")
    p.add_argument("--autostart", action="store_true",
                   help="started at login by the system: quit at once if this user "
                        "switched starting at login off")
    add_config_options(p)
    p.add_argument("uri", nargs="?", metavar="LINK",
                   help="a tel:, callto: or sip: link, or a number (digits only), to dial; "
                        "handed to the running app if there is one")
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


def _not_a_command(word: str, commands: Sequence[str]) -> CliError:
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return CliError(EXIT_USAGE, f"'{word}' is not a command{hint}. Commands: "
                                f"{', '.join(sorted(commands))}; a number to dial must be "
                                "digits or a tel:, callto: or sip: link. See --help.")


#: Options of the sub-command parser itself.
_PARSER_OPTIONS = frozenset({"-h", "--help", "--version"})


def _is_app_launch(argv: list[str]) -> bool:
    """No sub-command: the tray app (``[--demo] [--debug] [--config F] [LINK]``).

    Decided without importing the command families when it can be (no
    arguments, or an option first: sub-commands are words), so an agent's
    launch does not pay for them before the tray shows.  A first word that
    is no command is the app's link only when it is digits or a link.
    """
    from desktop.core.number_text import looks_like_number_or_link  # standard library only

    if not argv or (argv[0].startswith("-") and argv[0] not in _PARSER_OPTIONS):
        return True
    if argv[0] in _PARSER_OPTIONS or argv[0] in _subcommands():
        return False
    if not looks_like_number_or_link(argv[0]):
        raise _not_a_command(argv[0], list(_subcommands()))
    return True


def _run_app(argv: list[str]) -> int:
    from desktop.core.number_text import looks_like_number_or_link

    app_args = _app_parser().parse_args(argv)
    if app_args.uri is not None and not looks_like_number_or_link(app_args.uri):
        commands = _subcommands()  # only now: a launch with a link never pays for them
        if app_args.uri in commands:
            raise CliError(EXIT_USAGE, f"'{app_args.uri}' is a command: put it first "
                                       f"(kobikom-desktop {app_args.uri} [options])")
        raise _not_a_command(app_args.uri, list(commands))
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

    return int(app_main(app_args))


def _run(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        _app_parser(with_commands=True).print_help()
        return EXIT_OK
    if _is_app_launch(argv):
        return _run_app(argv)
    args = build_parser().parse_args(argv)
    family = _subcommands().get(args.command or "")
    if family is None:
        _app_parser(with_commands=True).print_help()
        return EXIT_USAGE
    if args.command not in {"simulator", "listen"}:
        setup_logging(getattr(args, "debug", False))
    return int(family.run(args))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    return guarded(lambda: _run(args), args)

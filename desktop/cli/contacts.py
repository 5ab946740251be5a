"""``kobikom-desktop contacts import FILE`` and ``lookup NUMBER``: the directory.

``lookup NUMBER`` asks the local directory first, then the remote sources of
the settings in order (LDAP, then the HTTP lookup; :mod:`desktop.core.remote_sources`),
and prints the first contact found as JSON with ``"source": "local" | "ldap" |
"http"``.  A source that fails is named on stderr and the next one is asked.
Exit 0 found, 1 not found, 4 not found while a source failed (the answer
may be wrong), 2 not a number.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from desktop.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_SERVER,
    EXIT_USAGE,
    add_config_options,
    fail,
    load_settings,
)

COMMANDS = ("contacts", "lookup")



def add_parsers(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help="the local contact directory")
    contacts_sub = contacts.add_subparsers(dest="contacts_command", metavar="ACTION",
                                           required=True)
    imp = contacts_sub.add_parser("import", help="import a CSV or vCard file")
    imp.add_argument("file", type=Path)
    add_config_options(imp)

    lookup = sub.add_parser("lookup", help="print the contact for a number as JSON: the local "
                            "directory, then LDAP, then the HTTP lookup (exit 1 when none)")
    lookup.add_argument("number")
    add_config_options(lookup)


def run(args: argparse.Namespace) -> int:
    if args.command == "contacts":
        return _cmd_contacts_import(args)
    return _cmd_lookup(args)


def open_directory(args: argparse.Namespace) -> Any:
    from desktop.core.directory import Directory
    from desktop.core.paths import app_paths

    paths = app_paths().ensure()
    return Directory(paths.contacts_db)


def _cmd_contacts_import(args: argparse.Namespace) -> int:
    from desktop.core.contact_import import import_contacts

    if not args.file.is_file():
        return fail(EXIT_USAGE, f"{args.file}: no such file")
    directory = open_directory(args)
    started = time.perf_counter()
    try:
        report = import_contacts(directory, args.file)
    except (OSError, ValueError) as exc:
        return fail(EXIT_USAGE, f"{args.file}: {exc}")
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
    import asyncio

    from desktop.core.contact_commands import contact_to_json
    from desktop.core.numbers import NumberKind, parse_number
    from desktop.core.remote_sources import lookup_everywhere, remote_directory
    from desktop.core.secrets import SecretStore

    number = parse_number(args.number)
    if number.kind is NumberKind.INVALID:
        return fail(EXIT_USAGE, f"{args.number!r} is not a phone number")
    settings = load_settings(args)
    directory = open_directory(args)

    async def everywhere() -> Any:
        remote = remote_directory(settings, SecretStore())
        try:
            return await lookup_everywhere(number, directory, remote, contact_to_json)
        finally:
            await remote.aclose()

    try:
        answer = asyncio.run(everywhere())
    finally:
        directory.close()
    for failed in answer.failures:
        print(f"kobikom-desktop: {failed.source}: {failed.error}", file=sys.stderr)
    if answer.contact is None:
        print(f"kobikom-desktop: no contact for {number.display()}", file=sys.stderr)
        return EXIT_SERVER if answer.failures else EXIT_NOT_FOUND
    print(json.dumps(answer.contact, ensure_ascii=False, indent=2))
    return EXIT_OK

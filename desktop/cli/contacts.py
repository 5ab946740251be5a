"""``kobikom-desktop contacts import FILE`` and ``lookup NUMBER``: the local directory.
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
    EXIT_USAGE,
    add_config_options,
    fail,
)

COMMANDS = ("contacts", "lookup")



def add_parsers(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help="the local contact directory")
    contacts_sub = contacts.add_subparsers(dest="contacts_command", metavar="ACTION",
                                           required=True)
    imp = contacts_sub.add_parser("import", help="import a CSV or vCard file")
    imp.add_argument("file", type=Path)
    add_config_options(imp)

    lookup = sub.add_parser("lookup", help="print the contact for a number as JSON "
                            "(exit 1 when none)")
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
    from desktop.core.contact_commands import contact_to_json
    from desktop.core.numbers import NumberKind, parse_number

    number = parse_number(args.number)
    if number.kind is NumberKind.INVALID:
        return fail(EXIT_USAGE, f"{args.number!r} is not a phone number")
    directory = open_directory(args)
    try:
        contact = directory.lookup(number)
    finally:
        directory.close()
    if contact is None:
        print(f"kobikom-desktop: no contact for {number.display()}", file=sys.stderr)
        return EXIT_NOT_FOUND
    print(json.dumps(contact_to_json(contact), ensure_ascii=False, indent=2))
    return EXIT_OK

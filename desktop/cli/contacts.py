"""``kobikom-desktop contacts import|export`` and ``lookup NUMBER``: the directory.

``contacts import``/``export`` read and write only the local contact
directory (in the app's data folder; ``KOBIKOM_DESKTOP_HOME`` chooses
another): they refuse ``--config``, which would change nothing.

``contacts import FILE`` prints one JSON summary line on stdout (rows read
and skipped, numbers saved, dropped and skipped as fax) and one line per
problem on stderr, naming the file, the row, the column and the whole
cell.  Exit 2 when the file as a whole cannot be imported (missing, a
folder, empty, binary, an Excel workbook, no usable header) or could be
read only in part.

``contacts export [--format csv|vcf] FILE`` writes every contact as a CSV
that is safe to open in Excel, or as vCard 3.0; import followed by export
followed by import changes nothing.

``lookup NUMBER`` asks the local directory first, then the remote sources
of the settings in order (LDAP, then the HTTP lookup;
:mod:`desktop.core.remote_sources`; ``--config`` is honoured), and prints
the first contact found as JSON with ``"source": "local" | "ldap" |
"http"``.  A source that fails is named on stderr and the next one is
asked.  The number may be pasted with bidi marks, zero-width characters or
a ``tel:`` prefix, and written with an extension (the main number is what
is matched).  Exit 0 found, 1 not found, 4 not found while a source failed
(the answer may be wrong), 2 not a number.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from desktop.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_SERVER,
    EXIT_USAGE,
    add_config_options,
    add_local_options,
    fail,
    input_file,
    load_settings,
    output_file,
)

COMMANDS = ("contacts", "lookup")

_READS = "only the local contact directory"


def add_parsers(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help="the local contact directory: import, export",
                              description="Import contacts from CSV or vCard files, or export "
                                          "them.")
    contacts_sub = contacts.add_subparsers(dest="contacts_command", metavar="ACTION",
                                           required=True)
    imp = contacts_sub.add_parser(
        "import", help="import a CSV or vCard file",
        description="Import a CSV (Excel, Outlook, Google) or vCard (iPhone, Android, "
                    "Outlook) file. Re-importing a file updates what it added before.")
    imp.add_argument("file", type=input_file, metavar="FILE")
    add_local_options(imp, _READS)

    exp = contacts_sub.add_parser(
        "export", help="export every contact as CSV or vCard",
        description="Write every contact to FILE: a CSV that is safe to open in Excel, or a "
                    "vCard 3.0 file.")
    exp.add_argument("file", type=output_file, metavar="FILE")
    exp.add_argument("--format", choices=["csv", "vcf"],
                     help="csv or vcf (default: from the file name, else csv)")
    add_local_options(exp, _READS)

    lookup = sub.add_parser("lookup", help="print the contact for a number as JSON: the local "
                            "directory, then LDAP, then the HTTP lookup (exit 1 when none)")
    lookup.add_argument("number")
    add_config_options(lookup)  # the remote sources are in the settings


def run(args: argparse.Namespace) -> int:
    if args.command == "contacts":
        if args.contacts_command == "export":
            return _cmd_export(args)
        return _cmd_import(args)
    return _cmd_lookup(args)


def open_directory(args: argparse.Namespace) -> Any:
    from desktop.core.directory import Directory
    from desktop.core.paths import app_paths

    paths = app_paths().ensure()
    return Directory(paths.contacts_db)


def _cmd_import(args: argparse.Namespace) -> int:
    from desktop.core.contact_commands import import_report_to_json
    from desktop.core.contact_import import import_contacts

    directory = open_directory(args)
    started = time.perf_counter()
    try:
        report = import_contacts(directory, args.file)
    finally:
        directory.close()
    name = args.file.name
    for problem in report.errors:
        print(problem.describe(name), file=sys.stderr)
    if report.problems_not_listed:
        print(f"{name}: {report.problems_not_listed} more problems not listed",
              file=sys.stderr)
    summary = {"file": str(args.file), **import_report_to_json(report, problems=False),
               "seconds": round(time.perf_counter() - started, 3)}
    print(json.dumps(summary, ensure_ascii=False))
    if report.stopped_at is not None:
        return fail(EXIT_USAGE, f"{name} could be read only up to line {report.stopped_at}; "
                                "the rows before it were imported")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from desktop.core.contact_commands import export_report_to_json
    from desktop.core.contact_export import ExportFormat, export_contacts

    fmt = ExportFormat(args.format) if args.format else None
    directory = open_directory(args)
    try:
        report = export_contacts(directory, args.file, fmt)
    finally:
        directory.close()
    print(json.dumps(export_report_to_json(report), ensure_ascii=False))
    return EXIT_OK


def _cmd_lookup(args: argparse.Namespace) -> int:
    import asyncio

    from desktop.core.contact_commands import contact_to_json
    from desktop.core.numbers import parse_number
    from desktop.core.remote_sources import lookup_everywhere, remote_directory
    from desktop.core.secrets import SecretStore

    number = parse_number(args.number)
    if not number.storable:
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

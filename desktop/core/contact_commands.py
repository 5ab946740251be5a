"""Plain functions behind ``kobikom-desktop contacts import|export`` and ``lookup NUMBER``.

The CLI (``desktop/cli/``) parses arguments and prints; these functions
do the work and return JSON-ready dicts, so the CLI stays thin and the
output format is tested here::

    directory = Directory(paths.contacts_db)
    report = import_contacts(directory, "rehber.csv")
    print(json.dumps(import_report_to_json(report), ensure_ascii=False, indent=2))

    print(json.dumps(lookup_to_json(directory, "0532 123 45 67"), ensure_ascii=False))

Names, notes and numbers are personal data (KVKK): print them to the user's
terminal, never to the log.
"""

from __future__ import annotations

from typing import Any

from desktop.core.contact_export import ExportReport
from desktop.core.contact_import import ImportReport
from desktop.core.directory import Contact, Directory
from desktop.core.numbers import NumberKind, parse_number


def contact_to_json(contact: Contact) -> dict[str, Any]:
    """A contact as a JSON-ready dict (numbers with their key and display form)."""
    numbers = []
    for number in contact.numbers:
        parsed = parse_number(number.raw)
        numbers.append(
            {
                "raw": number.raw,
                "key": number.key,
                "e164": parsed.e164,
                "display": parsed.display(),
                "extension": number.extension,
                "label": number.label,
                "internal": parsed.kind is NumberKind.INTERNAL,
            }
        )
    return {
        "id": contact.id,
        "name": contact.name,
        "company": contact.company,
        "numbers": numbers,
        "email": contact.email,
        "notes": contact.notes,
        "source": contact.source,
        "external_id": contact.external_id,
    }


def lookup_to_json(directory: Directory, number: str) -> dict[str, Any]:
    """``lookup NUMBER``: the number as parsed, the best match and every match."""
    parsed = parse_number(number)
    matches = directory.lookup_all(parsed)
    return {
        "number": {
            "raw": number,
            "kind": parsed.kind.value,
            "key": parsed.key,
            "e164": parsed.e164,
            "display": parsed.display(),
            "extension": parsed.extension,
            "valid": parsed.valid,
        },
        "contact": contact_to_json(matches[0]) if matches else None,
        "others": [contact_to_json(c) for c in matches[1:]],
    }


def import_report_to_json(report: ImportReport, *, problems: bool = True) -> dict[str, Any]:
    """``contacts import FILE``: counts, and the problems by row and column."""
    out: dict[str, Any] = {
        "source": report.source,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "removed": report.removed,
        "cancelled": report.cancelled,
        "rows": report.rows,
        "numbers": report.numbers,
        "numbers_dropped": report.numbers_dropped,
        "fax_skipped": report.fax_skipped,
        "complete": report.complete,
    }
    if problems:
        out["errors"] = [
            {"line": e.line, "row": e.row, "column": e.column, "reason": e.reason,
             "skipped": e.skipped}
            for e in report.errors
        ]
        out["problems_not_listed"] = report.problems_not_listed
    return out


def export_report_to_json(report: ExportReport) -> dict[str, Any]:
    """``contacts export FILE``: what was written where."""
    return {"file": report.path, "format": report.format.value, "contacts": report.contacts,
            "numbers": report.numbers}

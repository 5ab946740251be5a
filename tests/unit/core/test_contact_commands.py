"""The JSON the CLI prints for ``lookup`` and ``contacts import``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.contact_commands import (
    contact_to_json,
    import_report_to_json,
    lookup_to_json,
)
from desktop.core.contact_import import import_contacts
from desktop.core.directory import ContactDraft, ContactNumber, Directory


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory(tmp_path / "contacts.sqlite3")
    yield d
    d.close()


def test_contact_to_json(directory: Directory) -> None:
    contact = directory.add(
        ContactDraft(
            name="Ayşe Yılmaz",
            company="Yıldız Lojistik A.Ş.",
            email="a@y.test",
            notes="VIP",
            numbers=(ContactNumber.of("905321234567"), ContactNumber.of("1001", "work"),
                     ContactNumber.of("0212 555 12 34 / 101", "work")),
        )
    )
    data = contact_to_json(contact)
    assert data == {
        "id": contact.id,
        "name": "Ayşe Yılmaz",
        "company": "Yıldız Lojistik A.Ş.",
        "numbers": [
            {
                "raw": "905321234567",
                "key": "+905321234567",
                "e164": "+905321234567",
                "display": "0532 123 45 67",
                "extension": None,
                "label": "mobile",
                "internal": False,
            },
            {
                "raw": "1001",
                "key": "1001",
                "e164": None,
                "display": "1001",
                "extension": None,
                "label": "work",
                "internal": True,
            },
            {
                "raw": "0212 555 12 34 / 101",
                "key": "+902125551234",
                "e164": "+902125551234",
                "display": "(0212) 555 12 34",
                "extension": "101",
                "label": "work",
                "internal": False,
            },
        ],
        "email": "a@y.test",
        "notes": "VIP",
        "source": "local",
        "external_id": None,
    }
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_lookup_to_json(directory: Directory) -> None:
    directory.add(ContactDraft(name="Ayşe", numbers=(ContactNumber.of("05321234567"),)))
    hit = lookup_to_json(directory, "+90 532 123 45 67")
    assert hit["number"]["key"] == "+905321234567"
    assert hit["number"]["kind"] == "external"
    assert hit["contact"]["name"] == "Ayşe"
    assert hit["others"] == []
    miss = lookup_to_json(directory, "0212 444 55 66")
    assert miss["contact"] is None
    assert miss["number"]["display"] == "(0212) 444 55 66"


def test_import_report_to_json(directory: Directory, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Ad;Telefon\nAyşe;05321234567\n;\n;xyz\n", encoding="utf-8")
    data = import_report_to_json(import_contacts(directory, path))
    assert data == {
        "source": "csv:c.csv",
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "removed": 0,
        "cancelled": False,
        "rows": 2,
        "numbers": 1,
        "numbers_dropped": 1,
        "fax_skipped": 0,
        "complete": True,
        "errors": [
            {
                "line": 4,
                "row": 4,
                "column": "Telefon",
                "reason": "no valid number (not a phone number: 'xyz') and no name",
                "skipped": True,
            }
        ],
        "problems_not_listed": 0,
    }

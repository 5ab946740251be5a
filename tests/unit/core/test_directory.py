"""The contact directory on a real SQLite file."""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.directory import (
    Contact,
    ContactDraft,
    ContactNotFound,
    ContactNumber,
    Directory,
    label_from,
    number_key,
)
from desktop.core.numbers import parse_number
from desktop.core.storage import StorageError
from desktop.core.text import MAX_NAME, MAX_NOTES

TURKISH_FORMS = [
    "05321234567",
    "+90 532 123 45 67",
    "905321234567",
    "00905321234567",
    "5321234567",
    "0532 123 45 67",
    "(0532) 123-45-67",
]


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory(tmp_path / "contacts.sqlite3")
    yield d
    d.close()


def draft(name: str, *numbers: str, company: str = "", **kw: str) -> ContactDraft:
    return ContactDraft(
        name=name, company=company, numbers=tuple(ContactNumber.of(n) for n in numbers), **kw
    )


# ------------------------------------------------------------------ storage
def test_wal_mode_and_schema_version(directory: Directory, tmp_path: Path) -> None:
    assert directory.journal_mode() == "wal"
    assert directory.schema_version() == 2
    raw = sqlite3.connect(tmp_path / "contacts.sqlite3")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_reopen_keeps_data(tmp_path: Path) -> None:
    d = Directory(tmp_path / "c.db")
    added = d.add(draft("Ayşe Yılmaz", "0532 123 45 67"))
    d.close()
    again = Directory(tmp_path / "c.db")
    assert again.get(added.id) == added
    again.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    Directory(path).close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(StorageError, match="newer"):
        Directory(path)


def test_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        Directory(path)


def test_closed_directory_refuses_work(tmp_path: Path) -> None:
    d = Directory(tmp_path / "c.db")
    d.close()
    with pytest.raises(StorageError):
        d.count()


# ------------------------------------------------------------------ lookup
@pytest.mark.parametrize("stored", TURKISH_FORMS)
@pytest.mark.parametrize("asked", TURKISH_FORMS)
def test_lookup_by_every_turkish_form(directory: Directory, stored: str, asked: str) -> None:
    directory.add(draft("Ayşe Yılmaz", stored))
    found = directory.lookup(asked)
    assert found is not None
    assert found.name == "Ayşe Yılmaz"
    assert found.numbers[0].raw == stored  # kept as entered
    assert found.numbers[0].key == "+905321234567"


def test_lookup_accepts_a_parsed_number(directory: Directory) -> None:
    directory.add(draft("Ayşe", "0212 444 55 66"))
    found = directory.lookup(parse_number("+902124445566"))
    assert found is not None
    assert found.name == "Ayşe"


def test_lookup_internal_extension(directory: Directory) -> None:
    directory.add(draft("Muhasebe", "1001"))
    directory.add(draft("Tekil dahili", "101000"))
    found = directory.lookup("1001")
    assert found is not None
    assert found.name == "Muhasebe"
    found = directory.lookup("101000")
    assert found is not None
    assert found.name == "Tekil dahili"
    assert directory.lookup("1002") is None


def test_lookup_misses_and_anonymous(directory: Directory) -> None:
    directory.add(draft("Ayşe", "05321234567"))
    assert directory.lookup("05321234568") is None
    assert directory.lookup("anonymous") is None
    assert directory.lookup("") is None


def test_lookup_prefers_most_recently_updated(directory: Directory) -> None:
    first = directory.add(draft("Eski Kayıt", "05321234567"))
    time.sleep(0.01)
    second = directory.add(draft("Yeni Kayıt", "+905321234567"))
    found = directory.lookup("05321234567")
    assert found is not None
    assert found.id == second.id
    assert [c.id for c in directory.lookup_all("905321234567")] == [second.id, first.id]
    time.sleep(0.01)
    directory.update(first.id, draft("Eski Kayıt (güncel)", "05321234567"))
    found = directory.lookup("05321234567")
    assert found is not None
    assert found.id == first.id


# ------------------------------------------------------------------ search
@pytest.fixture
def people(directory: Directory) -> Directory:
    directory.add(draft("İSMAİL ÇELİK", "0505 612 33 48", company="Çelik Yapı"))
    directory.add(draft("Volkan IŞIK", "0532 146 73 95", company="Işık Reklam"))
    directory.add(draft("Ayşe Yılmaz", "0532 123 45 67", company="Yıldız Lojistik A.Ş."))
    directory.add(draft("Mehmet Öztürk", "0224 443 12 90", company="Özkan Tekstil Ltd. Şti."))
    directory.add(draft("Santral", "1001"))
    return directory


def names(contacts: list[Contact]) -> list[str]:
    return sorted(c.name for c in contacts)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ismail", ["İSMAİL ÇELİK"]),
        ("İsmail", ["İSMAİL ÇELİK"]),
        ("ışık", ["Volkan IŞIK"]),
        ("IŞIK", ["Volkan IŞIK"]),
        ("isik", ["Volkan IŞIK"]),  # typed without Turkish letters
        ("yıl", ["Ayşe Yılmaz"]),  # name and company both match: listed once
        ("yildiz", ["Ayşe Yılmaz"]),
        ("özk", ["Mehmet Öztürk"]),  # company
        ("ltd. şti", ["Mehmet Öztürk"]),
        ("ayşe yıldız", ["Ayşe Yılmaz"]),  # every word, in any field
        ("532 123", ["Ayşe Yılmaz"]),
        ("0532 1", ["Ayşe Yılmaz", "Volkan IŞIK"]),
        ("+90 532 146", ["Volkan IŞIK"]),
        ("45 67", ["Ayşe Yılmaz"]),
        ("1001", ["Santral"]),
        ("m", ["Mehmet Öztürk"]),  # short: start of the name only
        ("zzz", []),
        ("%", []),
        ("_", []),
        ("", []),
    ],
)
def test_search(people: Directory, query: str, expected: list[str]) -> None:
    assert names(people.search(query)) == expected


def test_search_puts_name_prefix_matches_first(directory: Directory) -> None:
    directory.add(draft("Ali Kaya", "05321111111", company="Kayalar İnşaat"))
    directory.add(draft("Kaya Demir", "05322222222"))
    result = directory.search("kaya")
    assert [c.name for c in result] == ["Kaya Demir", "Ali Kaya"]


def test_search_limit(directory: Directory) -> None:
    directory.add_many(draft(f"Ayşe {i:03d}", f"0532{i:07d}") for i in range(120))
    assert len(directory.search("ayşe")) == 50
    assert len(directory.search("ayşe", limit=7)) == 7
    assert len(directory.search("ayş", limit=200)) == 120
    assert directory.search("ayşe", limit=0) == []


def test_search_sees_updates_and_deletes(directory: Directory) -> None:
    contact = directory.add(draft("Ayşe Yılmaz", "05321234567"))
    directory.update(contact.id, draft("Fatma Kaya", "05329999999"))
    assert directory.search("yılmaz") == []
    assert directory.search("0532123") == []
    assert names(directory.search("fatma")) == ["Fatma Kaya"]
    assert directory.delete(contact.id)
    assert directory.search("fatma") == []
    assert directory.lookup("05329999999") is None


# ------------------------------------------------------------------ CRUD
def test_add_get_update_delete_count(directory: Directory) -> None:
    contact = directory.add(
        ContactDraft(
            name="Ayşe",
            company="Yıldız",
            email="a@y.com",
            notes="satır 1\nsatır 2",
            numbers=(ContactNumber.of("0532 123 45 67"), ContactNumber.of("0212 444 55 66", "İş")),
        )
    )
    assert contact.id > 0
    assert [n.label for n in contact.numbers] == ["mobile", "work"]
    assert contact.notes == "satır 1\nsatır 2"
    assert directory.get(contact.id) == contact
    assert directory.count() == 1
    updated = directory.update(contact.id, ContactDraft(name="Ayşe Y.", numbers=()))
    assert updated.id == contact.id
    assert updated.name == "Ayşe Y."
    assert updated.numbers == ()
    assert updated.created_at == contact.created_at
    assert updated.updated_at >= contact.updated_at
    assert directory.lookup("05321234567") is None
    assert directory.delete(contact.id) is True
    assert directory.delete(contact.id) is False
    assert directory.get(contact.id) is None
    assert directory.count() == 0
    with pytest.raises(ContactNotFound):
        directory.update(contact.id, ContactDraft(name="x"))


def test_ids_are_not_reused(directory: Directory) -> None:
    first = directory.add(draft("A", "1001"))
    directory.delete(first.id)
    assert directory.add(draft("B", "1002")).id > first.id


def test_iter_all_and_count_by_source(directory: Directory) -> None:
    directory.add_many(draft(f"K{i}", f"0532{i:07d}") for i in range(2500))
    directory.add(ContactDraft(name="PBX", source="pbx", numbers=(ContactNumber.of("1001"),)))
    assert [c.name for c in directory.iter_all(batch=300)][:3] == ["K0", "K1", "K2"]
    assert sum(1 for _ in directory.iter_all()) == 2501
    assert directory.count("pbx") == 1
    assert directory.count("local") == 2500


def test_duplicate_numbers_in_one_contact_are_stored_once(directory: Directory) -> None:
    contact = directory.add(draft("A", "05321234567", "+90 532 123 45 67", "1001"))
    assert [n.key for n in contact.numbers] == ["+905321234567", "1001"]


def test_keys_are_recomputed_from_raw(directory: Directory) -> None:
    contact = directory.add(
        ContactDraft(
            name="A", numbers=(ContactNumber(raw="0532 123 45 67", key="bogus", label="weird"),)
        )
    )
    assert contact.numbers == (ContactNumber("0532 123 45 67", "+905321234567", "other"),)


# ------------------------------------------------------------------ untrusted text
def test_control_characters_are_stripped_and_lengths_capped(directory: Directory) -> None:
    hostile = "<b>x</b><img src=x>\x00\x1b[31m\u202e"
    contact = directory.add(
        ContactDraft(
            name=hostile + "ş" * 500,
            company="Fir\x07ma",
            notes="n\x00ot\r\n" + "x" * 5000,
            numbers=(ContactNumber.of("0532\x00 123 45 67"),),
        )
    )
    assert contact.name.startswith("<b>x</b><img src=x>[31m")
    assert len(contact.name) == MAX_NAME
    assert contact.company == "Firma"
    assert contact.notes.startswith("not\n")
    assert len(contact.notes) == MAX_NOTES
    assert contact.numbers[0].raw == "0532 123 45 67"
    assert directory.lookup("05321234567") == contact
    for text in (contact.name, contact.company, contact.notes):
        assert not any(ord(ch) < 32 and ch != "\n" for ch in text)


# ------------------------------------------------------------------ merge (import/sync)
def test_merge_adds_then_reports_unchanged_then_updates(directory: Directory) -> None:
    drafts = [draft("Ayşe", "05321234567"), draft("Ali", "05421234567", company="X")]
    first = directory.merge("csv:a.csv", drafts)
    assert first is not None
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    again = directory.merge("csv:a.csv", drafts)
    assert again is not None
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    changed = [draft("Ayşe", "05321234567", notes="VIP"), draft("Ali", "05429999999")]
    third = directory.merge("csv:a.csv", changed)
    assert third is not None
    assert (third.added, third.updated, third.unchanged) == (0, 2, 0)
    assert directory.count() == 2
    ali = directory.lookup("05429999999")
    assert ali is not None
    assert ali.name == "Ali"
    assert ali.company == ""
    assert directory.lookup("05421234567") is None


def test_merge_reports_duplicates_within_a_batch(directory: Directory) -> None:
    result = directory.merge(
        "csv:a.csv", [draft("A", "1001"), draft("B", "1002"), draft("A", "1001")]
    )
    assert result is not None
    assert result.added == 2
    assert result.duplicates == ((2, 0),)


def test_merge_remove_missing_only_touches_its_source(directory: Directory) -> None:
    local = directory.add(draft("Yerel", "05321234567"))
    directory.merge("pbx", [draft("P1", "1001"), draft("P2", "1002")])
    result = directory.merge("pbx", [draft("P1", "1001")], remove_missing=True)
    assert result is not None
    assert result.removed == 1
    assert result.unchanged == 1
    assert directory.get(local.id) == local
    assert directory.lookup("1002") is None
    assert directory.count("pbx") == 1


def test_merge_cancel_changes_nothing(directory: Directory) -> None:
    cancel = threading.Event()
    cancel.set()
    assert directory.merge("csv:a.csv", [draft("A", "1001")], cancel=cancel) is None
    assert directory.count() == 0


def test_merge_progress(directory: Directory) -> None:
    seen: list[tuple[int, int]] = []
    directory.merge(
        "csv:a.csv",
        [draft(f"K{i}", f"0532{i:07d}") for i in range(12000)],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (12000, 12000)
    assert len(seen) >= 3
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


# ------------------------------------------------------------------ threads
def test_bulk_write_in_a_thread_while_looking_up(directory: Directory) -> None:
    directory.add(draft("Ayşe Yılmaz", "05321234567"))
    errors: list[BaseException] = []
    done = threading.Event()

    def writer() -> None:
        try:
            for batch in range(5):
                directory.merge(
                    f"csv:{batch}.csv",
                    [draft(f"K{batch}-{i}", f"0542{batch}{i:06d}") for i in range(6000)],
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            directory.release()
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    lookups = 0
    while not done.is_set() or lookups < 50:
        found = directory.lookup("+90 532 123 45 67")
        assert found is not None
        assert found.name == "Ayşe Yılmaz"
        directory.search("ayş")
        lookups += 1
    thread.join(timeout=60)
    assert not errors, errors
    assert directory.count() == 30001
    assert lookups >= 50


# ------------------------------------------------------------------ numbers
@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("CELL", "mobile"),
        ("work,voice", "work"),
        ("İş", "work"),
        ("Cep Telefonu", "mobile"),
        ("Ev", "home"),
        ("HOME", "home"),
        ("voice", None),
        ("", None),
        ("* Mobile", "mobile"),
        ("fax", "other"),
    ],
)
def test_label_from(text: str, label: str | None) -> None:
    assert label_from(text) == label


_NSN = st.from_regex(r"[2-5][0-9]{9}", fullmatch=True)
_FORMS = st.sampled_from(["0{}", "+90{}", "90{}", "0090{}", "{}", "+90 {} ", "0 ({})"])


@settings(max_examples=400, deadline=None)
@given(_NSN, _FORMS)
def test_number_key_fast_path_agrees_with_libphonenumber(nsn: str, form: str) -> None:
    raw = form.format(nsn)
    assert number_key(raw) == parse_number(raw).key


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789+ -()", max_size=16))
def test_number_key_agrees_with_parse_number_on_anything(raw: str) -> None:
    assert number_key(raw) == parse_number(raw).key


# ------------------------------------------------------------------ schema 2
def test_schema_2_parses_stored_numbers_again(tmp_path: Path) -> None:
    """A directory written by the old parser: wrong keys, raw text keys, junk."""
    from desktop.core.directory_sql import schema_v1

    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN")
    schema_v1(raw)
    rows = [
        (1, "Öğün Gıda", [("0212 555 30 30 (103)", "+902125553030103"), ("+90 yok", "+90 yok")]),
        (2, "Yıldız", [("+90 212 555 40 40 ext. 104", "+90 212 555 40 40 ext. 104")]),
        (3, "Ayşe", [("0532 412 18 75", "+905324121875")]),
    ]
    for cid, name, numbers in rows:
        raw.execute("INSERT INTO contacts (id, name, ident, fingerprint, name_key, created_at, "
                    "updated_at) VALUES (?, ?, 0, 0, ?, 1.0, 2.0)", (cid, name, name.lower()))
        for pos, (text, key) in enumerate(numbers):
            raw.execute("INSERT INTO numbers (contact_id, pos, raw, key) VALUES (?, ?, ?, ?)",
                        (cid, pos, text, key))
        raw.execute("INSERT INTO contact_search (rowid, text) VALUES (?, ?)", (cid, name))
    raw.execute("PRAGMA user_version = 1")
    raw.execute("COMMIT")
    raw.close()

    directory = Directory(path)
    try:
        assert directory.schema_version() == 2
        ogun = directory.get(1)
        assert [(n.raw, n.key, n.extension) for n in ogun.numbers] == [
            ("0212 555 30 30 (103)", "+902125553030", "103")]  # "+90 yok" is gone
        assert ogun.updated_at == 2.0  # a repair, not an edit
        assert directory.lookup("0212 555 30 30").name == "Öğün Gıda"
        assert directory.lookup("+902125553030103") is None
        assert directory.lookup("+90 212 555 40 40").name == "Yıldız"
        assert directory.get(2).numbers[0].extension == "104"
        assert directory.search("555 30 30")[0].name == "Öğün Gıda"  # search text rebuilt
        assert directory.lookup("05324121875").name == "Ayşe"
    finally:
        directory.close()


def test_nothing_that_is_not_a_number_is_stored_as_a_key(directory: Directory) -> None:
    contact = directory.add(draft("Veli", "+90 yok", "yok", "0532 412 18 75", "101"))
    assert [n.key for n in contact.numbers] == ["+905324121875", "101"]
    assert directory.lookup("+90 yok") is None
    assert directory.lookup("yok") is None


def test_two_extensions_of_one_switchboard_are_two_numbers(directory: Directory) -> None:
    contact = directory.add(draft("Öğün Gıda", "0212 555 30 30 / 101", "0212 555 30 30 / 102",
                                  "0212 555 30 30 / 101"))
    assert [(n.key, n.extension) for n in contact.numbers] == [
        ("+902125553030", "101"), ("+902125553030", "102")]
    assert directory.lookup("101") is None

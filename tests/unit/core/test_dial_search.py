"""The dialer's search on a real directory and a real journal (SQLite files)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.dial_search import (
    RECENT_SHOWN_EMPTY,
    RECENT_SHOWN_QUERY,
    DialerSearch,
    EntryKind,
)
from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.journal import Journal, JournalCall


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory(tmp_path / "contacts.sqlite3")
    d.add_many([
        ContactDraft(name="Şule Işık", company="Doğan Eczanesi",
                     numbers=(ContactNumber.of("0555 781 40 26", "mobile"),
                              ContactNumber.of("0212 356 44 10", "work"))),
        ContactDraft(name="İSMAİL ÇELİK", company="Çelik Yapı Market",
                     numbers=(ContactNumber.of("0505 612 33 48"),)),
        ContactDraft(name="Ayşe Yılmaz", company="Yıldız Lojistik A.Ş.",
                     numbers=(ContactNumber.of("+90 532 412 18 75"),)),
        ContactDraft(name="Santral", numbers=(ContactNumber.of("1002"),)),
    ])
    yield d
    d.close()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    now = time.time()
    calls = [
        ("c1", "05321234567", "inbound", "missed", now - 60),
        ("c2", "05551234567", "outbound", "answered", now - 3600),
        ("c3", "05321234567", "inbound", "answered", now - 7200),  # older, same number
        ("c4", "+905057654321", "inbound", "answered", now - 86400),
        ("c5", "anonymous", "inbound", "missed", now - 10),  # withheld: never a recent
        ("c6", "05556120000", "inbound", "answered", now - 20),
    ]
    for call_id, number, direction, outcome, at in calls:
        j.record(JournalCall(call_id=call_id, extension="1001", direction=direction,
                             number_raw=number, ringing_at=at, ended_at=at + 30,
                             outcome=outcome, contact_name_at_time=None))
    yield j
    j.close()


def test_empty_query_lists_recent_numbers_newest_first(directory: Directory,
                                                       journal: Journal) -> None:
    search = DialerSearch(directory, journal)
    recent = search.load_recent()
    results = search.search("", recent)
    assert [e.kind for e in results.entries] == [EntryKind.RECENT] * 4
    assert [e.number.display() for e in results.entries] == [
        "0555 612 00 00", "0532 123 45 67", "0555 123 45 67", "0505 765 43 21"]
    newest = results.entries[1]
    assert newest.outcome == "missed"  # the newest call with that number
    assert len(results.entries) <= RECENT_SHOWN_EMPTY


def test_turkish_folding_finds_contacts(directory: Directory) -> None:
    search = DialerSearch(directory)
    for query in ("şule", "SULE", "ışık", "isik", "IŞIK", "ismail", "İsmail", "çelik",
                  "celik", "eczane", "yildiz lojistik"):
        names = {e.name for e in search.search(query).entries}
        assert names, query
    assert {e.name for e in search.search("ışık").entries} == {"Şule Işık"}
    assert {e.name for e in search.search("ismail").entries} == {"İSMAİL ÇELİK"}
    assert {e.name for e in search.search("yıldız").entries} == {"Ayşe Yılmaz"}


def test_one_row_per_number_with_labels(directory: Directory) -> None:
    entries = DialerSearch(directory).search("şule").entries
    assert [(e.number.display(), e.label) for e in entries] == [
        ("0555 781 40 26", "mobile"), ("(0212) 356 44 10", "work")]
    assert all(e.kind is EntryKind.CONTACT for e in entries)


def test_number_fragment_shows_only_the_matching_numbers(directory: Directory) -> None:
    entries = DialerSearch(directory).search("356 44").entries
    assert [(e.name, e.number.display()) for e in entries] == [
        ("Şule Işık", "(0212) 356 44 10")]


def test_typed_number_comes_first_and_dials_what_was_typed(directory: Directory,
                                                           journal: Journal) -> None:
    search = DialerSearch(directory, journal)
    results = search.search("0532 123 45 67", search.load_recent())
    assert results.typed is not None
    assert results.typed.dial_string == "05321234567"
    first = results.entries[0]
    assert first.kind is EntryKind.TYPED
    assert first.dial_text == "0532 123 45 67"
    # the recent call with the same number is not listed twice
    assert [e.number.key for e in results.entries].count("+905321234567") == 1


def test_incomplete_number_has_no_typed_row(directory: Directory, journal: Journal) -> None:
    search = DialerSearch(directory, journal)
    results = search.search("0555", search.load_recent())
    assert results.typed is None
    assert EntryKind.TYPED not in {e.kind for e in results.entries}
    recent = [e for e in results.entries if e.kind is EntryKind.RECENT]
    assert [e.number.display() for e in recent] == ["0555 612 00 00", "0555 123 45 67"]
    assert len(recent) <= RECENT_SHOWN_QUERY


def test_recent_calls_match_by_current_contact_name(tmp_path: Path,
                                                    directory: Directory) -> None:
    journal = Journal(tmp_path / "j2.sqlite3")
    try:
        journal.record(JournalCall(call_id="x", direction="inbound", number_raw="05057654321",
                                   ringing_at=time.time(), outcome="answered"))
        directory.add(ContactDraft(name="Gülşen Kaya", numbers=(ContactNumber.of(
            "0505 765 43 21"),)))
        search = DialerSearch(directory, journal)
        results = search.search("gulsen", search.load_recent())
        assert results.entries[0].kind is EntryKind.RECENT
        assert results.entries[0].name == "Gülşen Kaya"
        assert len(results.entries) == 1  # the contact row is the same number: shown once
    finally:
        journal.close()


def test_typed_extension_row_only_for_bare_digits(directory: Directory) -> None:
    search = DialerSearch(directory)
    typed = search.search("1003")
    assert typed.typed is not None
    assert typed.entries[0].kind is EntryKind.TYPED
    assert typed.entries[0].dial_text == "1003"
    assert search.search("356 44").typed is None  # a fragment of a written number


def test_extension_contact(directory: Directory) -> None:
    entries = DialerSearch(directory).search("santral").entries
    assert [e.dial_text for e in entries] == ["1002"]


@pytest.mark.parametrize("query", ["'; DROP TABLE contacts; --", "%", "_", "\\", "\u200f",
                                   "x" * 10_000, "🙂", "ş" * 500])
def test_hostile_queries(directory: Directory, journal: Journal, query: str) -> None:
    search = DialerSearch(directory, journal)
    results = search.search(query, search.load_recent())
    assert len(results.query) <= 100
    assert directory.count() == 4  # still there


def test_without_journal_or_directory() -> None:
    assert DialerSearch(None, None).search("ayşe").entries == ()
    assert DialerSearch(None, None).load_recent() == []

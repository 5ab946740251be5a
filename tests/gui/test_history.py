"""The history model and window on a real journal: 100,000 calls, real widgets.

The model is checked against the journal's own queries (row counts, order,
filters, Turkish search) and for laziness (only the pages a view paints are
read).  The window's row actions go to recording fakes of the app's
features.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QGuiApplication

from desktop.core.history_query import read_head
from desktop.core.journal import HistoryFilter, HistoryKind, Journal, JournalCall
from desktop.core.tasks import TaskSet
from desktop.core.text import search_fold
from desktop.ui.history import (
    PAGE_SIZE,
    DateRange,
    HistoryActions,
    HistoryModel,
    HistoryWindow,
)
from tests.helpers import history_data
from tests.helpers.qt_asyncio import qt_asyncio_loop, run_until

ROWS = 100_000


@pytest.fixture(scope="module")
def big_journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    journal = Journal(tmp_path_factory.mktemp("history") / "journal.sqlite3")
    history_data.fill(journal, ROWS)
    yield journal
    journal.close()


@pytest.fixture
def qloop(qapp: Any) -> Iterator[Any]:
    with qt_asyncio_loop(qapp) as loop:
        yield loop


@pytest.fixture
def tasks(qapp: Any) -> Iterator[TaskSet]:
    taskset = TaskSet("history-test")
    yield taskset
    run_until(qapp, lambda: len(taskset) == 0)


def make_model(journal: Journal, tasks: TaskSet, **kwargs: Any) -> HistoryModel:
    kwargs.setdefault("locale", QLocale(QLocale.Language.English,
                                        QLocale.Country.UnitedStates))
    kwargs.setdefault("clock", lambda: history_data.END)
    return HistoryModel(journal, spawn=tasks.spawn, **kwargs)


def load(qtbot: Any, model: HistoryModel, flt: HistoryFilter | None = None) -> int:
    with qtbot.waitSignal(model.loaded, timeout=10_000) as blocker:
        model.set_filter(flt or HistoryFilter())
    return int(blocker.args[0])


def test_100k_rows_are_counted_not_loaded(qtbot: Any, qloop: Any, tasks: TaskSet,
                                         big_journal: Journal) -> None:
    model = make_model(big_journal, tasks)
    assert load(qtbot, model) == ROWS
    assert model.rowCount() == ROWS
    assert model.page_reads == 0
    ids = big_journal.select_ids()
    first, middle, last = model.row_at(0), model.row_at(50_123), model.row_at(ROWS - 1)
    assert first is not None
    assert middle is not None
    assert last is not None
    assert [first.row_id, middle.row_id, last.row_id] == [ids[0], ids[50_123], ids[-1]]
    assert first.started_at >= middle.started_at >= last.started_at  # type: ignore[operator]
    # two pages, not 100,000 rows (the first came with the filter's head read)
    assert model.page_reads == 2
    # a row is read once per page, then served from the cache
    for row in range(50_100, 50_100 + PAGE_SIZE // 2):
        model.data(model.index(row, HistoryModel.NUMBER))
    assert model.page_reads == 2


def test_a_view_reads_only_what_it_paints(qtbot: Any, qloop: Any, tasks: TaskSet,
                                          big_journal: Journal) -> None:
    model = make_model(big_journal, tasks)
    window = HistoryWindow(model, HistoryActions(), clock=lambda: history_data.END)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: model.rowCount() == ROWS, timeout=10_000)
    qtbot.waitExposed(window)
    window.table.scrollToBottom()
    qtbot.wait(50)
    assert model.page_reads <= 4
    last = model.index(ROWS - 1, HistoryModel.NUMBER)
    assert window.table.visualRect(last).isValid()
    assert "100,000" in window.status_label.text()


@pytest.mark.parametrize("flt", [
    HistoryFilter(kind=HistoryKind.MISSED),
    HistoryFilter(kind=HistoryKind.INBOUND),
    HistoryFilter(kind=HistoryKind.OUTBOUND),
    HistoryFilter(since=history_data.END - 7 * 86400),
    HistoryFilter(text="YILMAZ"),
    HistoryFilter(text="ışık"),
    HistoryFilter(text="0532 45"),
    HistoryFilter(kind=HistoryKind.MISSED, text="özkan"),
], ids=lambda f: f"{f.kind.value}-{f.text or f.since}")
def test_filters_and_search_match_the_journal(qtbot: Any, qloop: Any, tasks: TaskSet,
                                              big_journal: Journal,
                                              flt: HistoryFilter) -> None:
    model = make_model(big_journal, tasks)
    expected = big_journal.count(flt)
    assert load(qtbot, model, flt) == expected == model.rowCount()
    assert 0 < expected < ROWS
    for row in range(0, expected, max(1, expected // 50)):
        item = model.row_at(row)
        assert item is not None
        if flt.kind is HistoryKind.MISSED:
            assert item.outcome == "missed"
            assert model.data(model.index(row, HistoryModel.OUTCOME)).startswith("Missed")
        elif flt.kind is not HistoryKind.ALL:
            assert item.direction == flt.kind.value
        if flt.since is not None:
            assert item.started_at is not None
            assert item.started_at >= flt.since
        if flt.text and flt.text[0].isalpha():
            assert all(w in search_fold(item.contact_name or "")
                       for w in search_fold(flt.text).split())
        elif flt.text:
            assert "53245" in (item.number_key or "")


class GatedReads:
    """The model's ``run_blocking``: head reads run at once, full id lists wait for :meth:`open`."""

    def __init__(self) -> None:
        self._gate: asyncio.Event | None = None
        self.held = 0

    def open(self) -> None:
        assert self._gate is not None
        self._gate.set()

    async def __call__(self, fn: Callable[..., Any], *args: Any) -> Any:
        if fn is not read_head:
            if self._gate is None:
                self._gate = asyncio.Event()
            self.held += 1
            await self._gate.wait()
        return await asyncio.to_thread(fn, *args)


def test_a_filter_paints_its_head_before_the_ids_arrive(
        qtbot: Any, qloop: Any, tasks: TaskSet, big_journal: Journal) -> None:
    reads = GatedReads()
    model = make_model(big_journal, tasks, run_blocking=reads)
    window = HistoryWindow(model, HistoryActions(), clock=lambda: history_data.END)
    qtbot.addWidget(window)
    window.show()
    window.set_kind(HistoryKind.OUTBOUND)
    qtbot.waitUntil(lambda: reads.held == 1 and not model.loading, timeout=10_000)
    flt = HistoryFilter(kind=HistoryKind.OUTBOUND)
    ids = big_journal.select_ids(flt)
    # the first page is on screen, read in the worker: no page read on the GUI thread
    assert model.rowCount() == PAGE_SIZE
    assert not model.complete
    window.table.viewport().repaint()
    assert model.page_reads == 0
    assert [model.row_at(r).row_id for r in range(PAGE_SIZE)] == ids[:PAGE_SIZE]  # type: ignore[union-attr]
    assert window.status_label.text() == "Loading…"
    window.select_row(5)
    with qtbot.waitSignal(model.loaded, timeout=10_000) as blocker:
        reads.open()
    # the rest is appended below the head: the selection and the head's page stay
    assert blocker.args == [len(ids)]
    assert model.rowCount() == len(ids) > PAGE_SIZE
    assert model.complete
    assert window.selected_row() is not None
    assert window.selected_row().row_id == ids[5]  # type: ignore[union-attr]
    last = model.row_at(len(ids) - 1)
    assert last is not None
    assert last.row_id == ids[-1]
    assert model.page_reads == 1


def test_a_newer_filter_wins_over_the_ids_of_an_older_one(
        qtbot: Any, qloop: Any, tasks: TaskSet, big_journal: Journal) -> None:
    reads = GatedReads()
    model = make_model(big_journal, tasks, run_blocking=reads)
    model.set_filter(HistoryFilter(kind=HistoryKind.INBOUND))
    qtbot.waitUntil(lambda: reads.held == 1 and not model.loading, timeout=10_000)
    missed = HistoryFilter(kind=HistoryKind.MISSED)
    model.set_filter(missed)
    qtbot.waitUntil(lambda: reads.held == 2 and not model.loading, timeout=10_000)
    with qtbot.waitSignal(model.loaded, timeout=10_000) as blocker:
        reads.open()
    qtbot.wait(100)  # the inbound ids (released too) must not replace the missed calls
    expected = big_journal.select_ids(missed)
    assert blocker.args == [len(expected)]
    assert model.rowCount() == len(expected)
    assert model.row_at(len(expected) - 1).row_id == expected[-1]  # type: ignore[union-attr]


def test_a_new_call_is_inserted_at_the_top(qtbot: Any, qloop: Any, tasks: TaskSet,
                                           tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3")
    try:
        history_data.fill(journal, 500)
        model = make_model(journal, tasks)
        load(qtbot, model)
        resets: list[int] = []
        model.modelReset.connect(lambda: resets.append(1))
        journal.record(JournalCall("new", direction="inbound", number_raw="05321234567",
                                   ringing_at=history_data.END + 10, outcome="missed"))
        with qtbot.waitSignal(model.rowsInserted, timeout=5000) as inserted:
            model.refresh()
        assert inserted.args[1:] == [0, 0]
        assert resets == []
        assert model.rowCount() == 501
        assert model.row_at(0).call_id == "new"
        number = model.index(0, HistoryModel.NUMBER)
        assert model.data(number) == "0532 123 45 67"
        assert model.data(number, Qt.ItemDataRole.FontRole).bold()  # new missed call
        assert model.data(model.index(0, HistoryModel.TIME)).startswith("Today")
    finally:
        journal.close()


# ---------------------------------------------------------------- the window


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __call__(self, name: str) -> Callable[..., None]:
        return lambda *args: self.calls.append((name, args))


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Journal]:
    journal = Journal(tmp_path / "small.sqlite3")
    now = time.time()
    journal.record_many([
        JournalCall("a1", direction="inbound", number_raw="05321234567",
                    contact_name_at_time="Ayşe Yılmaz", ringing_at=now - 60,
                    answered_at=now - 55, ended_at=now + 70, outcome="answered",
                    recording="2024/x.WAV"),
        JournalCall("m1", direction="inbound", number_raw="02122223344", ringing_at=now - 7200,
                    ended_at=now - 7190, outcome="missed"),
        JournalCall("o1", direction="outbound", number_raw="05429998877",
                    ringing_at=now - 3 * 86400, outcome="not_answered"),
        JournalCall("x1", direction="inbound", number_raw="Anonymous", ringing_at=now - 86400 * 40,
                    outcome="missed"),
    ])
    yield journal
    journal.close()


def make_window(qtbot: Any, journal: Journal, tasks: TaskSet,
                actions: HistoryActions) -> HistoryWindow:
    model = make_model(journal, tasks, clock=time.time)
    window = HistoryWindow(model, actions)
    qtbot.addWidget(window)
    window.show()
    window.apply_filter()
    qtbot.waitUntil(lambda: model.rowCount() == journal.count() and not model.loading)
    return window


def test_row_actions(qtbot: Any, qloop: Any, tasks: TaskSet, small: Journal) -> None:
    rec = Recorder()
    actions = HistoryActions(call_back=rec("call"), send_sms=rec("sms"),
                             play_recording=rec("play"), add_contact=rec("contact"),
                             set_note=rec("note"))
    window = make_window(qtbot, small, tasks, actions)
    assert not window.call_back_button.isEnabled()  # nothing selected
    window.select_row(0)  # a1: answered, a mobile number, recording
    assert window.play_button.isEnabled()
    assert window.sms_button.isEnabled()
    window.call_back_button.click()
    window.sms_button.click()
    window.play_button.click()
    window.add_contact_button.click()
    window.copy_button.click()
    assert QGuiApplication.clipboard().text() == "05321234567"
    window.note_button.click()
    dialog = window.note_dialog
    assert dialog is not None
    dialog.editor.setPlainText("Akşam aranmak istiyor")
    dialog._save()
    assert rec.calls == [("call", ("05321234567",)), ("sms", ("05321234567", "a1")),
                         ("play", ("a1",)), ("contact", ("05321234567",)),
                         ("note", ("+905321234567", "Akşam aranmak istiyor"))]
    window.select_row(1)  # m1: a landline, missed
    assert not window.sms_button.isEnabled()
    assert not window.play_button.isEnabled()
    window.select_row(3)  # withheld number: nothing to dial
    assert not window.call_back_button.isEnabled()
    assert not window.copy_button.isEnabled()


def test_missing_features_hide_their_buttons(qtbot: Any, qloop: Any, tasks: TaskSet,
                                             small: Journal) -> None:
    window = make_window(qtbot, small, tasks, HistoryActions())
    assert window.sms_button.isHidden()
    assert window.call_back_button.isHidden()
    window.select_row(0)
    assert not window.play_button.isEnabled()
    assert not window.note_button.isEnabled()


def test_open_in_crm_gives_the_rows_call(qtbot: Any, qloop: Any, tasks: TaskSet,
                                         small: Journal) -> None:
    from desktop.core.crm import CrmFields, ScreenPop
    from desktop.core.settings import CrmOpenOn

    opened: list[str] = []
    pop = ScreenPop("https://crm.example.com/?p={e164}&n={name}&c={call_id}&d={direction}",
                    CrmOpenOn.CLICK, opened.append)
    window = make_window(qtbot, small, tasks, HistoryActions(
        open_in_crm=lambda row: pop.open(CrmFields.from_history(row))))
    assert window.crm_button.text() == "Open in CRM"
    assert not window.crm_button.isHidden()
    assert not window.crm_button.isEnabled()  # nothing selected
    window.select_row(0)
    window.crm_button.click()
    assert opened == ["https://crm.example.com/?p=%2B905321234567&n=Ay%C5%9Fe%20Y%C4%B1lmaz"
                      "&c=a1&d=inbound"]
    window.select_row(3)  # withheld: no page to open
    assert not window.crm_button.isEnabled()
    assert make_window(qtbot, small, tasks, HistoryActions()).crm_button.isHidden()


def test_kind_date_and_search_controls(qtbot: Any, qloop: Any, tasks: TaskSet,
                                       small: Journal) -> None:
    window = make_window(qtbot, small, tasks,
                         HistoryActions(directory_keys=lambda text: (
                             ["+905429998877"] if "mehmet" in text.lower() else [])))
    model = window.model

    def shown() -> list[str]:
        return [model.row_at(r).call_id for r in range(model.rowCount())]  # type: ignore[union-attr]

    window.set_kind(HistoryKind.MISSED)
    qtbot.waitUntil(lambda: shown() == ["m1", "x1"])
    window.filter_bar.set_date_range(DateRange.WEEK)
    qtbot.waitUntil(lambda: shown() == ["m1"])
    window.set_kind(HistoryKind.ALL)
    window.filter_bar.set_date_range(DateRange.CUSTOM)
    assert window.from_edit.isVisible()
    window.from_edit.setDate(QDate.currentDate().addDays(-5))
    window.to_edit.setDate(QDate.currentDate().addDays(-2))
    qtbot.waitUntil(lambda: shown() == ["o1"])
    window.filter_bar.set_date_range(DateRange.ANY)
    window.search_edit.setText("ayse yil")
    qtbot.waitUntil(lambda: shown() == ["a1"])
    # a name only the directory knows finds that contact's number
    window.search_edit.setText("Mehmet")
    qtbot.waitUntil(lambda: shown() == ["o1"])
    window.search_edit.setText("2223")
    qtbot.waitUntil(lambda: shown() == ["m1"])
    assert "1 call" in window.status_label.text()


def test_untrusted_text_stays_plain(qtbot: Any, qloop: Any, tasks: TaskSet,
                                    small: Journal) -> None:
    small.record(JournalCall("h1", direction="inbound", number_raw="05551112233",
                             contact_name_at_time="<b>Patron</b><img src=x>",
                             ringing_at=time.time(), outcome="answered"))
    small.set_note("+905551112233", "<i>önemli</i>")
    window = make_window(qtbot, small, tasks, HistoryActions())
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).call_id == "h1")  # type: ignore[union-attr]
    assert model.data(model.index(row, HistoryModel.CONTACT)) == "<b>Patron</b><img src=x>"
    tip = model.data(model.index(row, HistoryModel.NUMBER), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;i&gt;önemli&lt;/i&gt;" in tip

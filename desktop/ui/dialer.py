"""The Dialer window: type a name, a company or any part of a number, press Enter.

One search box.  As the agent types, :class:`DialerWindow` asks
:class:`~desktop.core.dial_search.DialerSearch` (contacts, folded the
Turkish way, and the numbers of recent calls) in a worker thread; while a
search runs, further keystrokes only remember the newest text, which is
searched next, so results of text the agent has typed past are never shown
and never pile up.  With an empty box the recent calls are listed.

Enter dials the selected row (the first one is selected when results come
in; when the box holds a dialable number, that number is the first row).
If Enter comes before the results for the current text, the dialer waits
for them rather than dial a row that belongs to older text.  Double-click
dials a row too.  Escape closes the window.  The window only *asks* for a
call (:attr:`DialerWindow.dialRequested`); click-to-call does the rest.

Every text from outside (names, companies) is painted as plain text.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.dial_search import (
    DialerEntry,
    DialerResults,
    DialerSearch,
    EntryKind,
    RecentNumber,
    clean_query,
    is_number_query,
)
from desktop.core.dial_targets import DialRefusal, RefusalReason, dial_target
from desktop.core.tasks import TaskSet
from desktop.ui.contact_table import with_extension
from desktop.ui.dialer_rows import (
    COLOR_CONTACT,
    COLOR_ERROR,
    COLOR_MISSED,
    COLOR_RECENT,
    COLOR_TYPED,
    DialerDelegate,
    DialerModel,
    RowTexts,
)
from desktop.ui.icons import app_icon

log = logging.getLogger("kobikom.ui.dialer")

#: The window's size when it first opens (logical px).
WINDOW_SIZE: Final = QSize(460, 540)


class DialerWindow(QWidget):
    """Search contacts and recent calls, then call one (see the module docstring).

    Signals:
        dialRequested(str): the text to dial (a number as stored or typed).
        resultsShown(str, int): the results of this query are on screen (count).
        recentLoaded(int): the recent numbers were loaded (count).
    """

    dialRequested = Signal(str)
    resultsShown = Signal(str, int)
    recentLoaded = Signal(int)

    def __init__(self, search: DialerSearch, *, tasks: TaskSet,
                 clock: Callable[[], float] = time.time, locale: QLocale | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._searcher = search
        self._tasks = tasks
        self._clock = clock
        self._locale = locale if locale is not None else QLocale()
        self._recent: list[RecentNumber] = []
        #: Bumped when the recent calls change: a search with older ones is stale too.
        self._recent_version = 0
        self._results: DialerResults | None = None
        self._wanted = ""
        self._busy = False
        self._enter_pending = False
        self._closed = False
        #: Seconds each shown search took from keystroke to screen (benchmark).
        self.latencies: list[float] = []
        self._typed_at: dict[str, float] = {}

        self.setObjectName("dialerWindow")
        self.setWindowTitle(self.tr("Dial – Kobikom"))
        self.setWindowIcon(app_icon())
        self.resize(WINDOW_SIZE)
        self._build()
        self._start_search("")

    # -- construction ----------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 10)
        layout.setSpacing(8)

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("dialerSearch")
        self.search_box.setPlaceholderText(self.tr("Name, company or number"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName(self.tr("Search contacts and recent calls"))
        font = self.search_box.font()
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(size * 1.15)
        self.search_box.setFont(font)
        self.search_box.setMinimumHeight(34)
        self.search_box.textChanged.connect(self._on_text_changed)
        self.search_box.returnPressed.connect(self.activate_current)
        self.search_box.installEventFilter(self)
        layout.addWidget(self.search_box)

        self.section_label = QLabel(self)
        self.section_label.setObjectName("dialerSection")
        self.section_label.setTextFormat(Qt.TextFormat.PlainText)
        self.section_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.section_label)

        self.model = DialerModel(self.row_texts, self)
        self.list_view = QListView(self)
        self.list_view.setObjectName("dialerResults")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(DialerDelegate(self.row_texts, self.list_view))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setMouseTracking(True)
        self.list_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.list_view.doubleClicked.connect(self._dial_index)
        self.list_view.setAccessibleName(self.tr("Results"))

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("dialerEmpty")
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.empty_label.setMargin(24)
        # Looks like the (empty) list it stands in for.
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_label.setAutoFillBackground(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_view)
        self.stack.addWidget(self.empty_label)
        layout.addWidget(self.stack, 1)

        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("dialerHint")
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setWordWrap(True)
        hint_palette = self.hint_label.palette()
        hint_palette.setColor(QPalette.ColorRole.WindowText, COLOR_ERROR)
        self.hint_label.setPalette(hint_palette)
        self.hint_label.setVisible(False)
        layout.addWidget(self.hint_label)

        bottom = QHBoxLayout()
        self.keys_label = QLabel(self.tr("Enter calls · Esc closes"), self)
        self.keys_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keys_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        bottom.addWidget(self.keys_label, 1)
        self.call_button = QPushButton(self.tr("Call"), self)
        self.call_button.setObjectName("dialerCall")
        self.call_button.setAutoDefault(False)
        self.call_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.call_button.clicked.connect(self.activate_current)
        bottom.addWidget(self.call_button)
        layout.addLayout(bottom)
        self._update_empty_state()

    # -- texts -----------------------------------------------------------------

    def _label_text(self, label: str) -> str:
        return {"mobile": self.tr("Mobile"), "work": self.tr("Work"), "home": self.tr("Home"),
                "other": self.tr("Other")}.get(label, "")

    def _call_text(self, entry: DialerEntry) -> str:
        missed = entry.outcome == "missed"
        if missed:
            return self.tr("Missed call")
        if entry.direction == "outbound":
            return self.tr("Outgoing call")
        if entry.direction == "inbound":
            return self.tr("Incoming call")
        return self.tr("Call")

    def _when_text(self, at: float | None) -> str:
        if at is None:
            return ""
        when = QDateTime.fromSecsSinceEpoch(int(at))
        today = QDateTime.fromSecsSinceEpoch(int(self._clock())).date()
        time_text = self._locale.toString(when.time(), QLocale.FormatType.ShortFormat)
        if when.date() == today:
            return time_text
        if when.date() == today.addDays(-1):
            return self.tr("Yesterday {time}").format(time=time_text)
        return self._locale.toString(when.date(), QLocale.FormatType.ShortFormat)

    def row_texts(self, entry: DialerEntry) -> RowTexts:
        """The texts of one row (also what tests and screen readers read)."""
        number = with_extension(entry.number.display(), entry.number.extension)
        if entry.kind is EntryKind.TYPED:
            if entry.number.is_premium:
                detail = self.tr("Premium-rate number")
            elif entry.number.is_international:
                detail = self.tr("International number")
            else:
                detail = self.tr("The number you typed")
            return RowTexts(self.tr("Call {number}").format(number=number), detail, "", "",
                            "#", COLOR_TYPED)
        if entry.kind is EntryKind.RECENT:
            missed = entry.outcome == "missed"
            title = entry.name or number
            details = [entry.company] if entry.name and entry.company else []
            details.append(self._call_text(entry))
            arrow = "↗" if entry.direction == "outbound" else "↙"
            return RowTexts(title, " · ".join(d for d in details if d),
                            number if entry.name else "", self._when_text(entry.last_at),
                            arrow, COLOR_MISSED if missed else COLOR_RECENT)
        title = entry.name or entry.company or number
        details = [entry.company] if entry.name and entry.company else []
        label = self._label_text(entry.label)
        if label:
            details.append(label)
        words = (entry.name or entry.company).split()
        initials = "".join(w[0] for w in words[:2]).upper() if words else "#"
        return RowTexts(title, " · ".join(details), number, "", initials, COLOR_CONTACT)

    # -- public API --------------------------------------------------------------

    def open_with(self, text: str = "") -> None:
        """Show (or raise) the window with *text* in the box, ready to type."""
        if text:
            self.search_box.setText(text)
        self.show()
        self.raise_()
        self.activateWindow()
        self.search_box.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self.search_box.selectAll()
        self.reload_recent()

    def reload_recent(self) -> None:
        """Read the recent calls again (in a worker thread)."""
        self._tasks.spawn(self._load_recent(), name="dialer-recent")

    def results(self) -> DialerResults | None:
        """The results on screen."""
        return self._results

    def selected_entry(self) -> DialerEntry | None:
        index = self.list_view.currentIndex()
        return self.model.entry(index.row()) if index.isValid() else None

    def activate_current(self) -> None:
        """Enter / "Call": dial the selected row, or wait for the current text's results."""
        text = self.search_box.text()
        current = self._results is not None and self._results.query == clean_query(text)
        if not current:
            target = dial_target(text)
            if not isinstance(target, DialRefusal):
                self._request(text)
            else:
                self._enter_pending = True  # dial the top row once its results are here
            return
        entry = self.selected_entry()
        if entry is not None:
            self._request(entry.dial_text)
            return
        self._explain(text)

    # -- search --------------------------------------------------------------------

    def _on_text_changed(self, text: str) -> None:
        self._enter_pending = False
        self.hint_label.setVisible(False)
        self._typed_at[text] = time.perf_counter()
        if len(self._typed_at) > 64:
            self._typed_at = {text: self._typed_at[text]}
        self._start_search(text)

    def _start_search(self, text: str) -> None:
        self._wanted = text
        if self._busy:
            return  # the running search picks up the newest text when it ends
        self._busy = True
        self._tasks.spawn(self._search(text), name="dialer-search")

    async def _search(self, text: str) -> None:
        version = self._recent_version
        try:
            results = await asyncio.to_thread(self._searcher.search, text, list(self._recent))
        except Exception:
            log.exception("dialer search failed")
            results = DialerResults(clean_query(text), ())
        finally:
            self._busy = False
        if self._closed:
            return
        if text != self._wanted or version != self._recent_version:
            self._start_search(self._wanted)  # typed past it: drop, search the newest
            return
        self._show(results, text)

    async def _load_recent(self) -> None:
        try:
            recent = await asyncio.to_thread(self._searcher.load_recent)
        except Exception:
            log.exception("loading recent calls failed")
            return
        if self._closed:
            return
        self._recent = recent
        self._recent_version += 1
        self.recentLoaded.emit(len(recent))
        self._start_search(self.search_box.text())

    def _show(self, results: DialerResults, text: str) -> None:
        selected = self.selected_entry()
        self._results = results
        self.model.set_entries(results.entries)
        row = 0
        if selected is not None and self._enter_pending is False:
            for i, entry in enumerate(results.entries):
                if entry.number.key == selected.number.key and entry.kind is selected.kind:
                    row = i
                    break
        if results.entries:
            self.list_view.setCurrentIndex(self.model.index(row))
        self._update_empty_state()
        typed_at = self._typed_at.pop(text, None)
        if typed_at is not None:
            self.latencies.append(time.perf_counter() - typed_at)
        self.resultsShown.emit(results.query, len(results.entries))
        if self._enter_pending:
            self._enter_pending = False
            self.activate_current()

    def _update_empty_state(self) -> None:
        results = self._results
        query = results.query if results is not None else ""
        if results is not None and results.entries:
            self.stack.setCurrentWidget(self.list_view)
            self.section_label.setText(self.tr("Recent calls") if not query
                                       else self.tr("Matches"))
            self.section_label.setVisible(True)
            return
        self.stack.setCurrentWidget(self.empty_label)
        self.section_label.setVisible(False)
        if not query:
            self.empty_label.setText(self.tr("Type a name, a company or a number.\n"
                                             "Recent calls appear here."))
        elif is_number_query(query):
            self.empty_label.setText(self.tr("No contact has a number with “{text}”.")
                                     .format(text=query))
        else:
            self.empty_label.setText(self.tr("No contact matches “{text}”.").format(text=query))

    # -- dialling ------------------------------------------------------------------

    def _dial_index(self, index: QModelIndex) -> None:
        entry = self.model.entry(index.row())
        if entry is not None:
            self._request(entry.dial_text)

    def _request(self, text: str) -> None:
        self.hint_label.setVisible(False)
        self.dialRequested.emit(text)
        self.close()

    def refusal_text(self, refusal: DialRefusal) -> str:
        quoted = refusal.text
        reason = refusal.reason
        if reason is RefusalReason.EMPTY:
            return self.tr("Type a number or a name first.")
        if reason is RefusalReason.TOO_LONG:
            return self.tr("That is too long to be a phone number.")
        if reason is RefusalReason.NO_NUMBER:
            return self.tr("“{text}” contains no phone number.").format(text=quoted)
        if reason is RefusalReason.SEVERAL_NUMBERS:
            return self.tr("“{text}” contains more than one number.").format(text=quoted)
        if reason is RefusalReason.WITHHELD:
            return self.tr("The number was withheld.")
        if reason is RefusalReason.BAD_PREFIX:
            return self.tr("The outside-line prefix in the settings is not valid.")
        return self.tr("“{text}” is not a valid phone number.").format(text=quoted)

    def _explain(self, text: str) -> None:
        """Enter with nothing to dial: say why, in the window."""
        if not text.strip():
            message = self.tr("Type a number or a name first.")
        elif is_number_query(clean_query(text)):
            target = dial_target(text)
            message = self.refusal_text(target) if isinstance(target, DialRefusal) else ""
        else:
            message = self.tr("No contact matches “{text}”.").format(text=text.strip())
        self.hint_label.setText(message)
        self.hint_label.setVisible(bool(message))

    # -- events --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                QApplication.sendEvent(self.list_view, event)
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: Any) -> None:
        self._closed = True
        super().closeEvent(event)

"""The dialer's result rows: the list model and the painted row (plain text only).

:class:`DialerModel` holds the :class:`~desktop.core.dial_search.DialerEntry`
rows; :class:`DialerDelegate` paints each one (avatar, title, detail,
number, time) from the :class:`RowTexts` the window words for it, so every
text from outside is drawn as plain text, never as rich text.  Split from
``dialer.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.core.dial_search import DialerEntry

#: Height of one result row (logical px at the default font).
ROW_PADDING: Final = 8
AVATAR_SIZE: Final = 30
#: Colours of the row avatars.
COLOR_CONTACT: Final = QColor("#1a73e8")
COLOR_RECENT: Final = QColor("#5f6368")
COLOR_MISSED: Final = QColor("#d93025")
COLOR_TYPED: Final = QColor("#188038")
COLOR_ERROR: Final = QColor("#c5221f")

ENTRY_ROLE: Final = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class RowTexts:
    """What a row shows: title and detail on the left, number and time on the right."""

    title: str
    detail: str
    number: str
    when: str
    avatar: str
    color: QColor


class DialerModel(QAbstractListModel):
    """The rows of the dialer (one :class:`DialerEntry` each)."""

    def __init__(self, texts: Callable[[DialerEntry], RowTexts],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: tuple[DialerEntry, ...] = ()
        self._texts = texts

    def set_entries(self, entries: tuple[DialerEntry, ...]) -> None:
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def entries(self) -> tuple[DialerEntry, ...]:
        return self._entries

    def entry(self, row: int) -> DialerEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._entries)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == ENTRY_ROLE:
            return entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            texts = self._texts(entry)
            parts = [texts.title, texts.detail, texts.number, texts.when]
            return " · ".join(p for p in parts if p)
        return None


class DialerDelegate(QStyledItemDelegate):
    """Paints a row: avatar, title, detail, number, time (all plain text)."""

    def __init__(self, texts: Callable[[DialerEntry], RowTexts],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = texts

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setWeight(QFont.Weight.DemiBold)
        small = QFont(option.font)
        size = small.pointSizeF() if small.pointSizeF() > 0 else 10.0
        small.setPointSizeF(size * 0.9)
        return title, small

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        title, small = self._fonts(option)
        height = QFontMetrics(title).height() + QFontMetrics(small).height() + 2 * ROW_PADDING + 2
        return QSize(200, max(height, AVATAR_SIZE + 2 * ROW_PADDING))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, DialerEntry):
            return
        texts = self._texts(entry)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        elif state & QStyle.StateFlag.State_MouseOver:
            hover = QColor(palette.color(QPalette.ColorRole.Highlight))
            hover.setAlphaF(0.08)
            painter.fillRect(rect, hover)
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected
                                   else QPalette.ColorRole.Text)
        secondary = QColor(text_color)
        secondary.setAlphaF(0.85 if selected else 0.62)
        title_font, small_font = self._fonts(option)

        # avatar
        avatar = QRectF(rect.left() + 10, rect.center().y() - AVATAR_SIZE / 2 + 0.5,
                        AVATAR_SIZE, AVATAR_SIZE)
        fill = QColor(texts.color)
        fill.setAlphaF(0.16 if not selected else 0.0)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill if not selected else QColor(255, 255, 255, 60))
        painter.drawEllipse(avatar)
        painter.setPen(text_color if selected else texts.color.darker(110))
        painter.setFont(small_font)
        painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, texts.avatar)

        left = int(avatar.right()) + 10
        right_width = 0
        metrics_small = QFontMetrics(small_font)
        metrics_title = QFontMetrics(title_font)
        if texts.number or texts.when:
            right_width = max(metrics_title.horizontalAdvance(texts.number),
                              metrics_small.horizontalAdvance(texts.when)) + 4
            right_width = min(right_width, rect.width() // 2)
        inner = rect.adjusted(left - rect.left(), ROW_PADDING, -12, -ROW_PADDING)
        line1 = QRect(inner.left(), inner.top(), inner.width(), metrics_title.height())
        line2 = QRect(inner.left(), line1.bottom() + 2, inner.width(), metrics_small.height())
        text_width = inner.width() - (right_width + 12 if right_width else 0)

        painter.setFont(title_font)
        painter.setPen(text_color)
        painter.drawText(QRect(line1.left(), line1.top(), text_width, line1.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         metrics_title.elidedText(texts.title, Qt.TextElideMode.ElideRight,
                                                  text_width))
        if right_width:
            painter.drawText(QRect(line1.right() - right_width, line1.top(), right_width,
                                   line1.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             metrics_title.elidedText(texts.number, Qt.TextElideMode.ElideLeft,
                                                      right_width))
        painter.setFont(small_font)
        painter.setPen(secondary)
        painter.drawText(QRect(line2.left(), line2.top(), text_width, line2.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         metrics_small.elidedText(texts.detail, Qt.TextElideMode.ElideRight,
                                                  text_width))
        if right_width and texts.when:
            painter.drawText(QRect(line2.right() - right_width, line2.top(), right_width,
                                   line2.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             texts.when)
        painter.restore()

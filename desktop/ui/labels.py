"""Plain-text labels: the one way the UI puts words on screen.

Text from outside (caller names, CRM fields, server messages, SMS) must
never be read as Qt rich text, so every label is built here with
``Qt.TextFormat.PlainText`` and nobody has to remember it.
:class:`PlainTextLabel` is the popup's label for untrusted text: always
plain, at most N lines, the last one elided; :func:`rich_tooltip_for_plain`
and :func:`window_title_text` make untrusted text safe for tooltips (which
auto-detect rich text) and window titles.
"""

from __future__ import annotations

import html
import math
from typing import Final

from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QWidget

#: Help notes are this much smaller than the body text.
HELP_FONT_SCALE: Final = 0.92


def plain_label(parent: QWidget, text: str = "", *, wrap: bool = False,
                selectable: bool = False, bold: bool = False,
                hidden: bool = False) -> QLabel:
    """A QLabel that shows *text* literally (never as rich text)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    if hidden:
        label.setVisible(False)
    return label


def style_as_help(label: QLabel) -> QLabel:
    """Make *label* a help note: the palette's placeholder colour, a little smaller."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText,
                     palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    font = QFont(label.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * HELP_FONT_SCALE)
    label.setFont(font)
    return label


def help_label(parent: QWidget, text: str) -> QLabel:
    """A grey, slightly smaller, word-wrapped plain-text note."""
    return style_as_help(plain_label(parent, text, wrap=True))


def rich_tooltip_for_plain(text: str) -> str:
    """A tooltip that shows *text* literally (tooltips auto-detect rich text)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def window_title_text(text: str) -> str:
    """*text* made safe for ``setWindowTitle`` (``[*]`` is Qt's modified marker)."""
    return " ".join(text.split()).replace("[*]", "[*][*]")


def format_duration(seconds: float) -> str:
    """``mm:ss``, or ``h:mm:ss`` from one hour on."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def wrap_plain_text(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """*text* broken into at most *max_lines* lines of *width*; the last one elided.

    Blank lines are dropped.  When the text does not fit, the last line
    holds the rest of it (following paragraphs joined by spaces) elided
    with "…".
    """
    metrics = QFontMetricsF(font)
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    width = max(1.0, width)
    lines: list[str] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    for index, paragraph in enumerate(paragraphs):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        try:
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                start, length = line.textStart(), line.textLength()
                if len(lines) == max_lines - 1:
                    rest = " ".join([paragraph[start:], *paragraphs[index + 1:]])
                    lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
                    return lines
                lines.append(paragraph[start:start + length].rstrip())
        finally:
            layout.endLayout()
    return lines


#: Widths whose lines a :class:`PlainTextLabel` keeps for its current text.
LINE_CACHE_WIDTHS: Final = 8


class PlainTextLabel(QLabel):
    """A label for untrusted text: always plain text, at most *max_lines* lines.

    QLabel cannot elide, and a word-wrapping QLabel grows without bound.
    This one keeps ``text()`` the full string (screen readers read it) and
    paints only the lines that fit, eliding the last; the full text is in
    the tooltip when something was cut.  ``setTextFormat`` is pinned to
    ``Qt.PlainText``: nothing here ever parses markup.
    """

    def __init__(self, max_lines: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        super().setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._max_lines = max(1, max_lines)
        # Layout asks for the lines, the size hint and the line height several
        # times per new text (a popup refill): computed once per text and font.
        # The font is a generation number, bumped on every FontChange.
        self._font_generation = 0
        #: (text, font generation) -> lines by width (the layout asks at two or
        #: three widths: its own, the natural one of the size hint, the painted one).
        self._cache: tuple[tuple[str, int], dict[int, list[str]]] | None = None
        self._hint: tuple[tuple[str, int], QSize] | None = None
        self._spacing: tuple[int, float] | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        """Refuse anything but plain text (see the class docstring)."""
        if fmt is not Qt.TextFormat.PlainText:
            raise ValueError("PlainTextLabel shows untrusted text and is always Qt.PlainText")

    def lines(self, width: int | None = None) -> list[str]:
        """The lines painted at *width* (default: the current contents width)."""
        if width is None:
            width = self.contentsRect().width()
        key = (self.text(), self._font_generation)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, {})
        by_width = self._cache[1]
        found = by_width.get(width)
        if found is None:
            if len(by_width) >= LINE_CACHE_WIDTHS:
                by_width.clear()
            found = by_width[width] = wrap_plain_text(key[0], self.font(), width,
                                                      self._max_lines)
        return found

    def is_elided(self) -> bool:
        shown = " ".join(self.lines())
        return shown != " ".join(p.strip() for p in self.text().split("\n") if p.strip())

    def _line_height(self) -> float:
        if self._spacing is None or self._spacing[0] != self._font_generation:
            self._spacing = (self._font_generation, QFontMetricsF(self.font()).lineSpacing())
        return self._spacing[1]

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right()
        count = max(1, len(self.lines(inner)))
        return math.ceil(count * self._line_height()) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        key = (self.text(), self._font_generation)
        if self._hint is None or self._hint[0] != key:
            metrics = QFontMetricsF(self.font())
            widest = max((metrics.horizontalAdvance(p) for p in key[0].split("\n")),
                         default=0.0)
            self._hint = (key, QSize(math.ceil(widest), 0))
        width = self._hint[1].width() + margins.left() + margins.right()
        return QSize(width, self.heightForWidth(max(width, 1)))

    def minimumSizeHint(self) -> QSize:
        margins = self.contentsMargins()
        return QSize(0, math.ceil(self._line_height()) + margins.top() + margins.bottom())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange:
            self._font_generation += 1  # the caches above are for the old font
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            if self.is_elided():
                QToolTip.showText(event.globalPos(), rich_tooltip_for_plain(self.text()), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        metrics = QFontMetricsF(self.font())
        y = rect.top() + metrics.ascent()
        for line in self.lines(rect.width()):
            painter.drawText(QPointF(rect.left(), y), line)
            y += metrics.lineSpacing()
        painter.end()

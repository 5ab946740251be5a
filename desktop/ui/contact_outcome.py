"""The outcome box of the contacts window: the last operation's result and its problem rows.

:class:`OutcomeBox` is a closable :class:`~desktop.ui.notice.NoticeBox`
with a fold-out list of the rows an import had problems with.
:func:`import_summary` words an :class:`~desktop.core.contact_import.ImportReport`
for the agent: what was added, updated, left and skipped, how many
numbers were stored, dropped or skipped as fax, whether the file was read
to its end, and one line per problem naming the row, the column and the
whole cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QListWidget, QToolButton, QWidget

from desktop.core.contact_import import ImportReport, ImportRowError
from desktop.ui.notice import NoticeBox, NoticeKind

#: Problem rows of an import visible without scrolling.
PROBLEM_ROWS_SHOWN: Final = 6


def problem_text(problem: ImportRowError) -> str:
    """One problem row as the agent reads it (row, column, what happened)."""
    if problem.row:
        where = QCoreApplication.translate("ImportSummary", "Row {row}").format(row=problem.row)
    else:
        where = QCoreApplication.translate("ImportSummary", "Line {line}").format(
            line=problem.line)
    if problem.column:
        where = QCoreApplication.translate("ImportSummary", "{where}, column “{column}”").format(
            where=where, column=problem.column)
    if problem.skipped:
        return QCoreApplication.translate("ImportSummary", "{where}: {reason}").format(
            where=where, reason=problem.reason)
    return QCoreApplication.translate(
        "ImportSummary", "{where}: {reason} (the rest of the row was imported)").format(
        where=where, reason=problem.reason)


def import_summary(report: ImportReport) -> tuple[NoticeKind, str, str, list[str]]:
    """``(kind, title, text, problem rows)`` of a finished import."""
    file = report.source.split(":", 1)[1] if ":" in report.source else report.source
    if report.cancelled:
        return (NoticeKind.INFO, QCoreApplication.translate("ImportSummary", "Import cancelled"),
                QCoreApplication.translate("ImportSummary", "Nothing from {file} was saved."
                                           ).format(file=file), [])
    text = QCoreApplication.translate(
        "ImportSummary",
        "Added {added}, updated {updated}, unchanged {unchanged}, skipped {skipped}.",
    ).format(added=report.added, updated=report.updated, unchanged=report.unchanged,
             skipped=report.skipped)
    text += " " + QCoreApplication.translate(
        "ImportSummary",
        "{rows} rows read; {numbers} numbers saved, {dropped} dropped, {fax} fax skipped.",
    ).format(rows=report.rows, numbers=report.numbers, dropped=report.numbers_dropped,
             fax=report.fax_skipped)
    if report.stopped_at is not None:
        text += " " + QCoreApplication.translate(
            "ImportSummary", "The file could be read only up to line {line}.").format(
            line=report.stopped_at)
    problems = [problem_text(e) for e in report.errors]
    if report.problems_not_listed:
        problems.append(QCoreApplication.translate(
            "ImportSummary", "… and {count} more problems.").format(
            count=report.problems_not_listed))
    trouble = report.skipped or report.numbers_dropped or report.stopped_at is not None
    kind = NoticeKind.WARNING if trouble else NoticeKind.SUCCESS
    title = QCoreApplication.translate("ImportSummary", "Imported {file}").format(file=file)
    return kind, title, text, problems


class OutcomeBox(NoticeBox):
    """A notice with a fold-out list of problem rows (see :meth:`show_result`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, closable=True)
        self.problems_button = QToolButton(self)
        self.problems_button.setCheckable(True)
        self.problems_button.setAutoRaise(True)
        self.problems_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.problems_button.setArrowType(Qt.ArrowType.RightArrow)
        self.problems_button.toggled.connect(self._toggle_problems)
        self.problems_list = QListWidget(self)
        self.problems_list.setVisible(False)
        self.problems_list.setUniformItemSizes(True)
        self.extra.addWidget(self.problems_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.extra.addWidget(self.problems_list)
        self.dismissed.connect(self.problems_list.clear)

    def show_result(self, kind: NoticeKind, title: str, text: str = "", *,
                    problems: Sequence[str] = ()) -> None:
        self.show_message(kind, title, text)
        self.problems_list.clear()
        self.problems_list.addItems(list(problems))
        self.problems_button.setVisible(bool(problems))
        self.problems_button.setChecked(False)
        self._toggle_problems(False)
        rows = min(len(problems), PROBLEM_ROWS_SHOWN)
        if rows:
            frame = 2 * self.problems_list.frameWidth()
            self.problems_list.setFixedHeight(
                rows * self.problems_list.sizeHintForRow(0) + frame + 2)

    def _toggle_problems(self, shown: bool) -> None:
        self.problems_list.setVisible(shown)
        self.problems_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        count = self.problems_list.count()
        if shown:
            text = self.tr("Hide the row with a problem") if count == 1 else \
                self.tr("Hide the {count} rows with problems").format(count=count)
        else:
            text = self.tr("Show the row with a problem") if count == 1 else \
                self.tr("Show the {count} rows with problems").format(count=count)
        self.problems_button.setText(text)

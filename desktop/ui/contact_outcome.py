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
from desktop.ui.popup import rich_tooltip_for_plain

#: Problem rows of an import visible without scrolling.
PROBLEM_ROWS_SHOWN: Final = 6


def _reasons() -> dict[str, str]:
    """Each kind of import problem in the agent's language (same parameters as the core's
    English :data:`~desktop.core.contact_cells.PROBLEM_TEXTS`)."""
    return {
        "not_a_number": QCoreApplication.translate(
            "ImportProblem", "not a phone number: {cell}"),
        "not_valid": QCoreApplication.translate(
            "ImportProblem", "not a valid phone number: {cell}"),
        "part_not_a_number": QCoreApplication.translate(
            "ImportProblem", "not a phone number: '{part}' in {cell}"),
        "part_not_valid": QCoreApplication.translate(
            "ImportProblem", "not a valid phone number: '{part}' in {cell}"),
        "scientific": QCoreApplication.translate(
            "ImportProblem", "Excel scientific notation {cell}: its last digits are lost; "
            "format the column as Text in Excel and export again"),
        "cell_too_long": QCoreApplication.translate(
            "ImportProblem", "cell too long: only its first {limit} characters were read"),
        "not_an_extension": QCoreApplication.translate(
            "ImportProblem", "not an extension: {cell}"),
        "field_too_long": QCoreApplication.translate(
            "ImportProblem", "{what} too long ({length} characters): cut to {limit}"),
        "too_many_numbers": QCoreApplication.translate(
            "ImportProblem", "{count} numbers: only the first {limit} are kept"),
        "no_name_no_number": QCoreApplication.translate(
            "ImportProblem", "no name and no phone number"),
        "no_valid_number": QCoreApplication.translate(
            "ImportProblem", "no valid number ({cells}) and no name"),
        "too_many_columns": QCoreApplication.translate(
            "ImportProblem", "too many columns ({count}; the header has {width})"),
        "csv_syntax": QCoreApplication.translate(
            "ImportProblem", "CSV syntax error ({error}); the rest of the file was not read"),
        "card_no_end": QCoreApplication.translate(
            "ImportProblem", "the card has no END:VCARD"),
        "same_contact": QCoreApplication.translate(
            "ImportProblem", "the same contact as row {first_row}"),
    }


def _fields() -> dict[str, str]:
    return {
        "name": QCoreApplication.translate("ImportProblem", "the name"),
        "company": QCoreApplication.translate("ImportProblem", "the company"),
        "e-mail": QCoreApplication.translate("ImportProblem", "the e-mail address"),
        "notes": QCoreApplication.translate("ImportProblem", "the notes"),
    }


def reason_text(problem: ImportRowError) -> str:
    """What happened, in the agent's language (the core's English text if unknown)."""
    template = _reasons().get(problem.code)
    if template is None:
        return problem.reason
    params = dict(problem.params)
    if "what" in params:
        params["what"] = _fields().get(params["what"], params["what"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a translation with a wrong placeholder
        return problem.reason


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
            where=where, reason=reason_text(problem))
    return QCoreApplication.translate(
        "ImportSummary", "{where}: {reason} (the rest of the row was imported)").format(
        where=where, reason=reason_text(problem))


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
        for row, text in enumerate(problems):  # long cells are elided in the list
            item = self.problems_list.item(row)
            if item is not None:
                item.setToolTip(rich_tooltip_for_plain(text))
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

"""The SMS composer's layout: To, From, Template, the text, counters, notices, buttons.

Split from :mod:`desktop.ui.sms_composer` (which wires and drives these widgets).
Texts keep the ``SmsComposer`` translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.labels import plain_label
from desktop.ui.notice import NoticeBox

if TYPE_CHECKING:
    from desktop.ui.sms_composer import SmsComposer


def build_composer(w: SmsComposer) -> None:
    """Lay out *w*'s widgets (as attributes of *w*); the composer connects and drives them."""
    layout = QVBoxLayout(w)
    layout.setContentsMargins(14, 14, 14, 12)
    layout.setSpacing(8)
    form = QFormLayout()
    form.setHorizontalSpacing(10)
    form.setVerticalSpacing(6)
    w.to_edit = QLineEdit(w)
    w.to_edit.setPlaceholderText(
        QCoreApplication.translate("SmsComposer", "0532 123 45 67, 0542 …"))
    w.to_edit.setToolTip(
        QCoreApplication.translate("SmsComposer", "Separate several numbers with commas"))
    w.to_error = plain_label(w)
    w.to_error.setStyleSheet("color: #d93025;")
    w.to_error.setVisible(False)
    to_column = QVBoxLayout()
    to_column.setSpacing(2)
    to_column.addWidget(w.to_edit)
    to_column.addWidget(w.to_error)
    # Recipients of this window that are done (sent, or waiting for the
    # agent): they left "To" and are never sent again from here.
    w.done_label = plain_label(w)
    w.done_label.setStyleSheet("color: #3c4043;")
    w.done_label.setWordWrap(True)
    w.done_label.setVisible(False)
    to_column.addWidget(w.done_label)
    form.addRow(QCoreApplication.translate("SmsComposer", "To:"), to_column)

    w.sender_combo = QComboBox(w)
    w.sender_combo.setMinimumContentsLength(14)
    w.sender_combo.setPlaceholderText(QCoreApplication.translate("SmsComposer", "Loading…"))
    w.balance_label = plain_label(w)
    w.balance_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                    | Qt.AlignmentFlag.AlignVCenter)
    w.refresh_button = QToolButton(w)
    w.refresh_button.setText("↻")
    w.refresh_button.setToolTip(
        QCoreApplication.translate("SmsComposer", "Reload sender titles and balance"))
    w.refresh_button.setAutoRaise(True)
    sender_row = QHBoxLayout()
    sender_row.addWidget(w.sender_combo, 1)
    sender_row.addWidget(w.balance_label, 1)
    sender_row.addWidget(w.refresh_button)
    form.addRow(QCoreApplication.translate("SmsComposer", "From:"), sender_row)

    w.template_combo = QComboBox(w)
    w.template_combo.addItem(QCoreApplication.translate("SmsComposer", "Choose a template…"))
    w.edit_templates_button = QPushButton(
        QCoreApplication.translate("SmsComposer", "Edit templates…"), w)
    template_row = QHBoxLayout()
    template_row.addWidget(w.template_combo, 1)
    template_row.addWidget(w.edit_templates_button)
    form.addRow(QCoreApplication.translate("SmsComposer", "Template:"), template_row)
    layout.addLayout(form)

    w.text_edit = QPlainTextEdit(w)
    w.text_edit.setPlaceholderText(QCoreApplication.translate("SmsComposer", "Your message"))
    w.text_edit.setTabChangesFocus(True)
    w.text_edit.setMinimumHeight(110)
    layout.addWidget(w.text_edit, 1)

    w.counter_label = plain_label(w)
    w.encoding_label = plain_label(w)
    w.encoding_label.setStyleSheet("color: #3c4043;")
    w.hint_label = plain_label(w)
    w.hint_label.setStyleSheet("color: #5f6368;")
    for label in (w.counter_label, w.encoding_label, w.hint_label):
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    counter_box = QVBoxLayout()
    counter_box.setSpacing(2)
    counter_box.addWidget(w.counter_label)
    counter_box.addWidget(w.encoding_label)
    counter_box.addWidget(w.hint_label)
    layout.addLayout(counter_box)

    w.notice = NoticeBox(w)
    layout.addWidget(w.notice)
    w.again_button = QPushButton(QCoreApplication.translate("SmsComposer", "Send again"), w)
    w.dont_button = QPushButton(QCoreApplication.translate("SmsComposer", "Don't send"), w)
    decide_row = QHBoxLayout()
    decide_row.addStretch(1)
    decide_row.addWidget(w.dont_button)
    decide_row.addWidget(w.again_button)
    w.notice.extra.addLayout(decide_row)
    w.again_button.setVisible(False)
    w.dont_button.setVisible(False)

    w.token_row = QWidget(w)
    token_layout = QHBoxLayout(w.token_row)
    token_layout.setContentsMargins(0, 0, 0, 0)
    w.token_edit = QLineEdit(w.token_row)
    w.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
    w.token_edit.setPlaceholderText(
        QCoreApplication.translate("SmsComposer", "SMS API token from the SMS panel"))
    w.token_save = QPushButton(QCoreApplication.translate("SmsComposer", "Save token"), w.token_row)
    token_layout.addWidget(QLabel(
        QCoreApplication.translate("SmsComposer", "SMS token:"), w.token_row))
    token_layout.addWidget(w.token_edit, 1)
    token_layout.addWidget(w.token_save)
    w.token_row.setVisible(False)
    layout.addWidget(w.token_row)

    w.buttons = QDialogButtonBox(w)
    w.send_button = w.buttons.addButton(QCoreApplication.translate("SmsComposer", "Send"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
    w.send_button.setDefault(True)
    w.send_button.setToolTip(QCoreApplication.translate("SmsComposer", "Send (Ctrl+Enter)"))
    w.close_button = w.buttons.addButton(QCoreApplication.translate("SmsComposer", "Cancel"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
    layout.addWidget(w.buttons)

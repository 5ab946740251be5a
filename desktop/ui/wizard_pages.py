"""The setup wizard's three pages: account type, sign-in details, connection test.

See :mod:`desktop.ui.setup_wizard` for the wizard that owns them; the pages
hold widgets and ask the wizard for everything else.
"""

from __future__ import annotations

import enum
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.core.account_check import CheckId
from desktop.ui.account_form import AccountForm
from desktop.ui.autostart_switch import StartAtLogin
from desktop.ui.notice import NoticeBox
from desktop.ui.wizard_checks import CheckRow, FieldBlock, _help_label

if TYPE_CHECKING:
    from desktop.ui.setup_wizard import SetupWizard

log = logging.getLogger("kobikom.ui.setup_wizard")


class AccountChoice(enum.Enum):
    TEKIL = "tekil"
    BULUT = "bulut"
    DEMO = "demo"


#: Page ids of the wizard.
PAGE_TYPE = 0
PAGE_ACCOUNT = 1
PAGE_CHECK = 2


class TypePage(QWizardPage):
    """Page 1: which Kobikom service, or the demo; and "Import settings…"."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Welcome to Kobikom Desktop"))
        self.setSubTitle(self.tr("Which Kobikom phone system does your company use?"))
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        self.group = QButtonGroup(self)
        self.buttons: dict[AccountChoice, QRadioButton] = {}
        for choice, title, text in (
            (AccountChoice.TEKIL, self.tr("Tekil Santral"),
             self.tr("Your own PBX, managed in the Kobikom panel. You sign in with your panel "
                     "e-mail and password.")),
            (AccountChoice.BULUT, self.tr("Bulut Santral (KobiPBX)"),
             self.tr("The KobiPBX cloud PBX. Your sign-in details and domain UUID come from "
                     "Kobikom's technical team.")),
            (AccountChoice.DEMO, self.tr("Just show me"),
             self.tr("Try the app with a built-in demo PBX that rings now and then. Nothing is "
                     "sent anywhere; you can set up your account later.")),
        ):
            button = QRadioButton(title, self)
            font = QFont(button.font())
            font.setBold(True)
            button.setFont(font)
            self.group.addButton(button)
            self.buttons[choice] = button
            note = _help_label(text, self)
            note.setContentsMargins(24, 0, 0, 8)
            layout.addWidget(button)
            layout.addWidget(note)
        self.group.buttonToggled.connect(self._choice_changed)
        layout.addSpacing(6)
        layout.addWidget(_help_label(self.tr(
            "Not sure which one? Ask your IT administrator, or write to "
            "yazilim@kobikom.com.tr."), self))
        layout.addStretch(1)
        row = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import settings…"), self)
        self.import_button.setAutoDefault(False)
        self.import_button.setToolTip(self.tr(
            "Use a settings file prepared by your IT administrator (it holds no passwords)."))
        self.import_button.clicked.connect(wizard.browse_import)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.notice = NoticeBox(self, closable=True)
        layout.addWidget(self.notice)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Start the demo"))

    def _choice_changed(self, *_args: object) -> None:
        # "Just show me" ends the wizard here: Finish ("Start the demo") instead of Next.
        self.setFinalPage(self.choice() is AccountChoice.DEMO)
        self.completeChanged.emit()

    def choice(self) -> AccountChoice | None:
        for choice, button in self.buttons.items():
            if button.isChecked():
                return choice
        return None

    def select(self, choice: AccountChoice) -> None:
        self.buttons[choice].setChecked(True)

    def isComplete(self) -> bool:
        return self.choice() is not None

    def nextId(self) -> int:
        return -1 if self.choice() is AccountChoice.DEMO else PAGE_ACCOUNT



class AccountPage(QWizardPage):
    """Page 2: sign-in details for the chosen account type, and the connection.

    The fields are the shared :class:`~desktop.ui.account_form.AccountForm`
    (the Settings dialog shows the same one): its sign-in part here, its
    connection part under "Advanced connection settings".
    """

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        self.scroll_area = scroll
        body = QWidget(scroll)
        scroll.setWidget(body)
        self.body = body
        body.installEventFilter(self)
        scroll.viewport().installEventFilter(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 8, 2)
        layout.setSpacing(12)

        self.admin_notice = NoticeBox(body)
        self.unlock_button = QPushButton(self.tr("Change them anyway"), self.admin_notice)
        self.unlock_button.setAutoDefault(False)
        self.unlock_button.clicked.connect(wizard.unlock)
        unlock_row = QHBoxLayout()
        unlock_row.addWidget(self.unlock_button)
        unlock_row.addStretch(1)
        self.admin_notice.extra.addLayout(unlock_row)
        layout.addWidget(self.admin_notice)
        self.keyring_notice = NoticeBox(body)
        layout.addWidget(self.keyring_notice)

        self.form = AccountForm(body, show_flavor=False, show_extensions=False,
                                margins=(0, 0, 0, 0))
        layout.addWidget(self.form.identity)
        form = self.form  # its widgets under their usual names
        self.user_edit, self.password_edit = form.user_edit, form.password_edit
        self.api_key_edit, self.domain_edit = form.api_key_edit, form.domain_edit
        self.transport_combo, self.host_edit = form.transport_combo, form.host_edit
        self.port_edit, self.tls_check = form.port_edit, form.tls_check
        self.ca_edit, self.ca_button = form.ca_edit, form.ca_button
        self.api_base_edit = form.api_base_edit
        rows = self.form.identity_rows.rows
        self.api_key_block = rows["api_key"].box
        self.domain_block = rows["domain"].box

        self.sms_edit = QLineEdit(body)
        self.sms_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.sms_block = FieldBlock(
            self.tr("SMS API token (optional)"), self.sms_edit,
            self.tr("Only for sending SMS. In the Kobikom SMS panel: Ayarlar (Settings) → "
                    "SMS API."), body)
        layout.addWidget(self.sms_block)

        self.advanced_button = QToolButton(body)
        self.advanced_button.setText(self.tr("Advanced connection settings"))
        self.advanced_button.setCheckable(True)
        self.advanced_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_button.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_button.setAutoRaise(True)
        self.advanced_button.toggled.connect(self._toggle_advanced)
        layout.addWidget(self.advanced_button)
        self.advanced = QWidget(body)
        adv = QVBoxLayout(self.advanced)
        adv.setContentsMargins(18, 0, 0, 0)
        adv.setSpacing(10)
        adv.addWidget(self.form.connection)
        self.sms_api_combo = QComboBox(self.advanced)
        self.sms_api_combo.addItem(self.tr("New SMS API (sms.kobikom.com.tr)"), "new")
        self.sms_api_combo.addItem(self.tr("Old SMS API (smspaneli.kobikom.com.tr)"), "old")
        self.sms_api_block = FieldBlock(self.tr("SMS service"), self.sms_api_combo,
                                        parent=self.advanced)
        adv.addWidget(self.sms_api_block)
        self.advanced.setVisible(False)
        layout.addWidget(self.advanced)
        layout.addStretch(1)
        self.missing_label = _help_label("", self)
        outer.addWidget(self.missing_label)
        self.completeChanged.connect(self._show_missing)

        self.form.changed.connect(self.completeChanged)
        self.sms_api_combo.currentIndexChanged.connect(wizard.update_for_account)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Test connection"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            QTimer.singleShot(0, self._fit_body)
        return super().eventFilter(watched, event)

    def _fit_body(self) -> None:
        """Give the scrolled fields the height their word-wrapped help texts need.

        A scroll area sizes its widget from ``minimumSizeHint()``, which ignores
        height-for-width: the form's grid of wrapped texts would be squashed.
        """
        layout = self.body.layout()
        if layout is None:
            return
        needed = layout.totalHeightForWidth(self.scroll_area.viewport().width())
        if needed > 0 and needed != self.body.minimumHeight():
            self.body.setMinimumHeight(needed)

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        if shown:  # once the layout has grown, bring the opened section into view
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(self.advanced, 0, 0))

    def show_advanced(self, shown: bool = True) -> None:
        self.advanced_button.setChecked(shown)

    def _show_missing(self) -> None:
        names = {"user": self.tr("e-mail"), "password": self.tr("password"),
                 "api_key": self.tr("API key"), "domain_uuid": self.tr("domain UUID"),
                 "port": self.tr("a valid port")}
        missing = [names[m] for m in self.wiz.missing_fields()]
        self.missing_label.setText(
            self.tr("Still needed: {fields}.").format(fields=", ".join(missing))
            if missing else "")
        self.missing_label.setVisible(bool(missing))

    def initializePage(self) -> None:
        self.wiz.update_for_account()
        # After QWizard has placed its own focus: start typing in the first empty field.
        QTimer.singleShot(0, self.focus_first_empty)

    def focus_first_empty(self) -> None:
        edits = [self.user_edit, self.password_edit,
                 self.api_key_edit if self.api_key_block.isVisibleTo(self) else None,
                 self.domain_edit if self.domain_block.isVisibleTo(self) else None]
        target = next((e for e in edits if e is not None and e.isEnabled() and not e.text()),
                      self.user_edit)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        # Keyboard-driven tests wait for this before typing.
        log.debug("setup wizard page ready: account (focus %s)", target.objectName() or "edit")

    def isComplete(self) -> bool:
        return not self.wiz.missing_fields()

    def nextId(self) -> int:
        return PAGE_CHECK


class CheckPage(QWizardPage):
    """Page 3: the real checks, one row each, and the extension picker."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.setTitle(self.tr("Test connection"))
        self.setSubTitle(self.tr("Kobikom Desktop now talks to the real servers with the "
                                 "details you entered."))
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test again"), self)
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(wizard.start_check)
        self.state_label = _help_label("", self)
        top.addWidget(self.test_button)
        top.addWidget(self.state_label, 1)
        layout.addLayout(top)
        self.rows: dict[CheckId, CheckRow] = {}
        for check, title in (
            (CheckId.LOGIN, self.tr("Sign-in")),
            (CheckId.EVENTS, self.tr("Live call events")),
            (CheckId.EXTENSION, self.tr("Your extension")),
            (CheckId.SMS, self.tr("SMS")),
        ):
            row = CheckRow(title, self)
            self.rows[check] = row
            layout.addWidget(row)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        self.extension_combo = QComboBox(self)
        self.extension_combo.setEditable(True)
        self.extension_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line_edit = self.extension_combo.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(self.tr("e.g. 1001"))
            # An editable combo box keeps Enter to itself: make it "Save and connect".
            line_edit.returnPressed.connect(self._enter_pressed)
        self.extension_block = FieldBlock(
            self.tr("Your extension"), self.extension_combo,
            self.tr("The internal number of your desk phone or softphone: pick it from the "
                    "list the PBX sent, or type it."), self)
        layout.addWidget(self.extension_block)
        self.extension_combo.currentTextChanged.connect(wizard.extension_changed)
        self.start_at_login = StartAtLogin(wizard.autostart, wizard.tasks, default=True,
                                           parent=self)
        layout.addWidget(self.start_at_login)
        self.summary = NoticeBox(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Save and connect"))
        self.setFinalPage(True)

    def _enter_pressed(self) -> None:
        if self.isComplete():
            QTimer.singleShot(0, self.wiz.accept)

    def initializePage(self) -> None:
        self.wiz.start_check()
        QTimer.singleShot(0, self._focus_extension)

    def _focus_extension(self) -> None:
        self.extension_combo.setFocus(Qt.FocusReason.OtherFocusReason)
        log.debug("setup wizard page ready: check")

    def cleanupPage(self) -> None:
        self.wiz.cancel_check()

    def isComplete(self) -> bool:
        return bool(self.wiz.chosen_extensions()) and not self.wiz.saving

    def nextId(self) -> int:
        return -1

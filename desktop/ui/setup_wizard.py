"""The first-run wizard: from nothing to a verified account in a minute.

Three pages (a :class:`QWizard`, shown with ``show()``, never ``exec()``):

1. **Account type**: Tekil Santral, Bulut Santral (KobiPBX), or "just show
   me" (demo mode: :attr:`SetupWizard.demoRequested`, nothing is saved).
   "Import settings…" reads an administrator's settings file here.
2. **Sign-in details**: what the account type needs (e-mail and password;
   the Tekil API key or the KobiPBX domain UUID; the SMS token, optional),
   each with a short note on where to find it in the Kobikom panel, plus
   the connection details under "Advanced".  Keys an administrator's file
   set are greyed out ("Change…" unlocks them).
3. **Test connection**: the real checks of :mod:`desktop.core.account_check`
   (sign-in, live call events, the extension, SMS) with one line per check
   (icon, what happened, how to fix it), and the extension picker filled
   from the list the PBX sent (or typed).

Finish writes the settings file (``save_settings``) and the secrets
(:class:`SecretStore`: keyring, or "this session only" when there is none,
said plainly) in worker threads, then emits :attr:`SetupWizard.settingsSaved`.
Nothing blocks the GUI: the keyring, the file and the checks all run as
asyncio tasks kept in a :class:`TaskSet`.

The check texts are the account check's English templates, translated in
the ``AccountCheck`` context; everything else goes through ``self.tr``.
"""

from __future__ import annotations

import asyncio
import copy
import enum
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
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

from desktop.core.account import Account
from desktop.core.account_check import (
    AccountCheckReport,
    CheckId,
    CheckResult,
    CheckStatus,
    CheckTimeouts,
    PbxExtension,
    evaluate_extension,
    fill,
    run_account_check,
)
from desktop.core.secrets import SecretName, SecretStore, SecretStoreError
from desktop.core.settings import Settings, SettingsError, save_settings
from desktop.core.settings_import import SettingsImport, apply_provided, read_settings_file
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import DEFAULT_API_BASE, Flavor, Transport, default_endpoint
from desktop.ui.icons import app_icon
from desktop.ui.labels import help_label, plain_label
from desktop.ui.notice import NoticeBox, NoticeKind

log = logging.getLogger("kobikom.ui.setup_wizard")

WIZARD_SIZE: Final = QSize(680, 620)
LOGO_SIZE: Final = 48
#: How-to-fix lines: darker than the grey help notes (they matter more).
COLOR_FIX: Final = QColor("#5f6368")
STATUS_ICON_SIZE: Final = 20
COLOR_OK: Final = QColor("#188038")
COLOR_WARNING: Final = QColor("#e37400")
COLOR_FAILED: Final = QColor("#d93025")
COLOR_SKIPPED: Final = QColor("#80868b")
COLOR_RUNNING: Final = QColor("#1a73e8")

_EXTENSION: Final = re.compile(r"\d{1,10}")
#: The extension number at the start of a picker label ("1002 – Mehmet Kaya").
_LABEL_NUMBER: Final = re.compile(r"(\d{1,10})\s+[–-]\s")


class AccountChoice(enum.Enum):
    TEKIL = "tekil"
    BULUT = "bulut"
    DEMO = "demo"


# ---------------------------------------------------------------- status icons


def status_pixmap(status: CheckStatus | None, size: int = STATUS_ICON_SIZE,
                  device_pixel_ratio: float = 1.0) -> QPixmap:
    """A round status badge: ✓ ok, ! warning, ✕ failed, – skipped, ··· running (None)."""
    pixmap = QPixmap(round(size * device_pixel_ratio), round(size * device_pixel_ratio))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    color = {CheckStatus.OK: COLOR_OK, CheckStatus.WARNING: COLOR_WARNING,
             CheckStatus.FAILED: COLOR_FAILED, CheckStatus.SKIPPED: COLOR_SKIPPED,
             None: COLOR_RUNNING}[status]
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    if status is None:
        painter.setPen(QPen(color, s * 0.09))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(s * 0.08, s * 0.08, s * 0.84, s * 0.84))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for x in (0.32, 0.5, 0.68):
            painter.drawEllipse(QPointF(s * x, s * 0.5), s * 0.06, s * 0.06)
        painter.end()
        return pixmap
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(QRectF(0.0, 0.0, s, s))
    pen = QPen(QColor("#ffffff"), s * 0.13, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath()
    if status is CheckStatus.OK:
        path.moveTo(s * 0.28, s * 0.52)
        path.lineTo(s * 0.44, s * 0.68)
        path.lineTo(s * 0.73, s * 0.35)
    elif status is CheckStatus.FAILED:
        path.moveTo(s * 0.33, s * 0.33)
        path.lineTo(s * 0.67, s * 0.67)
        path.moveTo(s * 0.67, s * 0.33)
        path.lineTo(s * 0.33, s * 0.67)
    elif status is CheckStatus.WARNING:
        path.moveTo(s * 0.5, s * 0.25)
        path.lineTo(s * 0.5, s * 0.56)
        painter.drawPath(path)
        path = QPainterPath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(QPointF(s * 0.5, s * 0.74), s * 0.075, s * 0.075)
    else:
        path.moveTo(s * 0.3, s * 0.5)
        path.lineTo(s * 0.7, s * 0.5)
    painter.drawPath(path)
    painter.end()
    return pixmap


# ---------------------------------------------------------------- small widgets


def _help_label(text: str, parent: QWidget) -> QLabel:
    return help_label(parent, text)


def _plain(text: str, parent: QWidget, *, bold: bool = False) -> QLabel:
    return plain_label(parent, text, wrap=True, bold=bold)


class FieldBlock(QWidget):
    """A label above its editor and a help note below (room for long Turkish labels)."""

    def __init__(self, label: str, editor: QWidget | QHBoxLayout, help_text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        self.label = _plain(label, self, bold=True)
        column.addWidget(self.label)
        if isinstance(editor, QHBoxLayout):
            column.addLayout(editor)
            item = editor.itemAt(0)
            first = item.widget() if item is not None else None
            if first is not None:
                self.label.setBuddy(first)
        else:
            column.addWidget(editor)
            self.label.setBuddy(editor)
        self.help = _help_label(help_text, self)
        self.help.setVisible(bool(help_text))
        column.addWidget(self.help)

    def set_help(self, text: str) -> None:
        self.help.setText(text)
        self.help.setVisible(bool(text))


class CheckRow(QFrame):
    """One check: status icon, title, what happened and how to fix it (plain text)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkRow")
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(1)
        self.icon = QLabel(self)
        self.icon.setFixedSize(STATUS_ICON_SIZE, STATUS_ICON_SIZE)
        grid.addWidget(self.icon, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)
        self.title = _plain(title, self, bold=True)
        grid.addWidget(self.title, 0, 1)
        self.message = _plain("", self)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.message, 1, 1)
        self.fix = _help_label("", self)
        palette = self.fix.palette()
        palette.setColor(QPalette.ColorRole.WindowText, COLOR_FIX)
        self.fix.setPalette(palette)
        self.fix.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.fix, 2, 1)
        grid.setColumnStretch(1, 1)
        self.status: CheckStatus | None = None
        self.result: CheckResult | None = None
        self.set_idle()

    def _icon(self, status: CheckStatus | None) -> None:
        self.icon.setPixmap(status_pixmap(status, STATUS_ICON_SIZE, self.devicePixelRatioF()))

    def set_idle(self) -> None:
        self.status, self.result = None, None
        self.icon.clear()
        self.message.setText(self.tr("Not tested yet."))
        self.fix.setVisible(False)

    def set_running(self) -> None:
        self.status, self.result = None, None
        self._icon(None)
        self.message.setText(self.tr("Checking…"))
        self.fix.setVisible(False)

    def set_result(self, result: CheckResult) -> None:
        self.status, self.result = result.status, result
        self._icon(result.status)
        self.message.setText(check_message(result))
        fix = check_fix(result)
        self.fix.setText(fix)
        self.fix.setVisible(bool(fix))

    def text(self) -> str:
        """Everything the row says (tests, screen readers)."""
        parts = [self.title.text(), self.message.text()]
        if self.fix.isVisibleTo(self):
            parts.append(self.fix.text())
        return "\n".join(parts)


def check_message(result: CheckResult) -> str:
    """The result's message in the UI language (the AccountCheck context)."""
    return fill(QCoreApplication.translate("AccountCheck", result.message_template),
                result.facts)


def check_fix(result: CheckResult) -> str:
    if not result.fix_template:
        return ""
    return fill(QCoreApplication.translate("AccountCheck", result.fix_template), result.facts)


# ---------------------------------------------------------------- secrets


@dataclass(slots=True)
class StoredSecrets:
    """What the keyring already holds (read in a worker thread)."""

    available: bool
    problem: str | None
    password: str = ""
    api_key: str = ""
    sms_token: str = ""
    sms_api_key: str = ""


def read_stored_secrets(store: SecretStore, user: str) -> StoredSecrets:
    """Runs in a worker thread: the keyring may block (D-Bus, an unlock prompt)."""
    state = StoredSecrets(available=store.available, problem=store.problem)
    state.password = (store.get(SecretName.PASSWORD, user) or "") if user else ""
    state.api_key = store.get(SecretName.API_KEY) or ""
    state.sms_token = store.get(SecretName.SMS_TOKEN) or ""
    state.sms_api_key = store.get(SecretName.SMS_API_KEY) or ""
    return state


#: (secret, keyring account, value); an empty value deletes it.
SecretChange = tuple[SecretName, str, str]


def write_secrets(store: SecretStore, changes: list[SecretChange]) -> tuple[bool, list[str]]:
    """Runs in a worker thread; (all went to the keyring, the keyring's complaints)."""
    permanent = True
    problems: list[str] = []
    for name, account, value in changes:
        try:
            if value:
                permanent = store.set(name, value, account) and permanent
            else:
                store.delete(name, account)
        except SecretStoreError as exc:
            permanent = False
            problems.append(str(exc))
    return permanent, problems


# ---------------------------------------------------------------- pages


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
        return -1 if self.choice() is AccountChoice.DEMO else SetupWizard.PAGE_ACCOUNT



class AccountPage(QWizardPage):
    """Page 2: sign-in details for the chosen account type, and the connection."""

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

        self.user_edit = QLineEdit(body)
        self.user_edit.setPlaceholderText(self.tr("name@company.com.tr"))
        self.user_edit.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.user_block = FieldBlock(self.tr("E-mail"), self.user_edit, parent=body)
        layout.addWidget(self.user_block)

        self.password_edit = QLineEdit(body)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_block = FieldBlock(self.tr("Password"), self.password_edit, parent=body)
        layout.addWidget(self.password_block)

        self.api_key_edit = QLineEdit(body)
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key_block = FieldBlock(
            self.tr("API key"), self.api_key_edit,
            self.tr("Shown in your Kobikom panel as \"API ANAHTARI\". The app uses it to "
                    "receive your calls live."), body)
        layout.addWidget(self.api_key_block)

        self.domain_edit = QLineEdit(body)
        self.domain_edit.setPlaceholderText("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
        self.domain_block = FieldBlock(
            self.tr("Domain UUID"), self.domain_edit,
            self.tr("Your company's KobiPBX domain UUID, from Kobikom's technical team. It "
                    "unlocks your company's live call events: keep it private."), body)
        layout.addWidget(self.domain_block)

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
        self.transport_combo = QComboBox(self.advanced)
        self.transport_combo.addItem(self.tr("TCP"), Transport.TCP)
        self.transport_combo.addItem(self.tr("WebSocket"), Transport.WS)
        self.transport_block = FieldBlock(self.tr("Live events over"), self.transport_combo,
                                          parent=self.advanced)
        adv.addWidget(self.transport_block)
        server_row = QHBoxLayout()
        server_row.setSpacing(6)
        self.host_edit = QLineEdit(self.advanced)
        self.port_edit = QLineEdit(self.advanced)
        self.port_edit.setMaxLength(5)
        self.port_edit.setFixedWidth(110)
        server_row.addWidget(self.host_edit, 1)
        server_row.addWidget(_plain(":", self.advanced))
        server_row.addWidget(self.port_edit)
        self.server_block = FieldBlock(
            self.tr("Live event server and port"), server_row,
            self.tr("Leave empty for Kobikom's server (shown in grey)."), self.advanced)
        adv.addWidget(self.server_block)
        self.tls_check = QCheckBox(self.tr("Encrypted connection (TLS)"), self.advanced)
        adv.addWidget(self.tls_check)
        ca_row = QHBoxLayout()
        ca_row.setSpacing(6)
        self.ca_edit = QLineEdit(self.advanced)
        self.ca_edit.setPlaceholderText(self.tr("None (the system's certificates)"))
        self.ca_button = QPushButton(self.tr("Browse…"), self.advanced)
        self.ca_button.setAutoDefault(False)
        self.ca_button.clicked.connect(wizard.browse_ca)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        self.ca_block = FieldBlock(
            self.tr("CA certificate"), ca_row,
            self.tr("Only for a private certificate authority (PEM file). Certificates are "
                    "always verified."), self.advanced)
        adv.addWidget(self.ca_block)
        self.api_base_edit = QLineEdit(self.advanced)
        self.api_base_block = FieldBlock(
            self.tr("REST address"), self.api_base_edit,
            self.tr("Leave empty for Kobikom's (shown in grey)."), self.advanced)
        adv.addWidget(self.api_base_block)
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

        self.transport_combo.currentIndexChanged.connect(wizard.update_for_account)
        self.tls_check.toggled.connect(wizard.update_for_account)
        self.sms_api_combo.currentIndexChanged.connect(wizard.update_for_account)
        for edit in (self.user_edit, self.password_edit, self.api_key_edit, self.domain_edit,
                     self.port_edit):
            edit.textChanged.connect(self.completeChanged)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Test connection"))

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
        return SetupWizard.PAGE_CHECK


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


# ---------------------------------------------------------------- the wizard


class SetupWizard(QWizard):
    """The first-run wizard (see the module docstring).

    Signals:
        settingsSaved(Settings): the settings file was written and the
            secrets stored (in the keyring, or for this session when there is
            no keyring: ``keyring_problem`` says so).
        demoRequested(): the agent chose "just show me"; nothing was saved.
        checkFinished(object): an :class:`AccountCheckReport` (tests, logs).
    """

    settingsSaved = Signal(object)
    demoRequested = Signal()
    checkFinished = Signal(object)

    PAGE_TYPE: Final = 0
    PAGE_ACCOUNT: Final = 1
    PAGE_CHECK: Final = 2

    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        *,
        config_path: Path,
        tasks: TaskSet | None = None,
        locked: frozenset[str] = frozenset(),
        locked_source: str = "",
        notice: tuple[NoticeKind, str, str] | None = None,
        check_timeouts: CheckTimeouts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._base = copy.deepcopy(settings)
        self._secrets = secrets
        self._config_path = Path(config_path)
        self._tasks = tasks if tasks is not None else TaskSet("setup-wizard")
        self._check_timeouts = check_timeouts
        self._locked = set(locked)
        self._locked_source = locked_source
        self._check_task: asyncio.Task[None] | None = None
        self._checked_settings: tuple[object, ...] | None = None
        self._save_task: asyncio.Task[None] | None = None
        self._file_dialog: QFileDialog | None = None
        #: The PBX's extensions from the last check (None: not fetched).
        self.extensions: list[PbxExtension] | None = None
        self.report: AccountCheckReport | None = None
        self.saving = False
        self.saved = False
        #: Why secrets are kept for this session only (None: the keyring works).
        self.keyring_problem: str | None = None
        self.stored: StoredSecrets | None = None

        self.setWindowTitle(self.tr("Set up Kobikom Desktop"))
        self.setWindowIcon(app_icon())
        self.setObjectName("setupWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, app_icon().pixmap(LOGO_SIZE, LOGO_SIZE))
        self.type_page = TypePage(self)
        self.account_page = AccountPage(self)
        self.check_page = CheckPage(self)
        self.setPage(self.PAGE_TYPE, self.type_page)
        self.setPage(self.PAGE_ACCOUNT, self.account_page)
        self.setPage(self.PAGE_CHECK, self.check_page)
        self.resize(WIZARD_SIZE)

        self._fill(self._base)
        if notice is not None:
            self.type_page.notice.show_message(*notice)
        self._apply_locks()
        self._tasks.spawn(self._load_secrets(), name="wizard-load-secrets")

    # ------------------------------------------------------------------ values

    @property
    def flavor(self) -> Flavor:
        return Flavor.TEKIL if self.type_page.choice() is AccountChoice.TEKIL else Flavor.BULUT

    @property
    def transport(self) -> Transport:
        value = self.account_page.transport_combo.currentData()
        return value if isinstance(value, Transport) else Transport.TCP

    def _fill(self, settings: Settings) -> None:
        acct, server = settings.account, settings.server
        page = self.account_page
        if settings.configured or acct.user or acct.domain_uuid:
            self.type_page.select(AccountChoice.TEKIL if acct.flavor is Flavor.TEKIL
                                  else AccountChoice.BULUT)
        page.transport_combo.setCurrentIndex(page.transport_combo.findData(acct.transport))
        page.user_edit.setText(acct.user)
        page.domain_edit.setText(acct.domain_uuid)
        page.host_edit.setText(server.host)
        page.port_edit.setText(str(server.port) if server.port else "")
        if server.tls:
            tls = server.tls.lower() == "true"
        else:
            tls = default_endpoint(acct.flavor, acct.transport).tls
        page.tls_check.setChecked(tls)
        page.ca_edit.setText(server.ca_file)
        page.api_base_edit.setText(server.api_base)
        page.sms_api_combo.setCurrentIndex(max(0, page.sms_api_combo.findData(settings.sms.api)))
        self.check_page.extension_combo.setEditText(", ".join(acct.extensions))

    def chosen_extensions(self) -> list[str]:
        """The extension(s) picked or typed: "1002", "1002 – Mehmet Kaya", "1001, 1002"."""
        combo = self.check_page.extension_combo
        text = combo.currentText().strip()
        labels = {combo.itemText(i): combo.itemData(i) for i in range(combo.count())}
        if isinstance(labels.get(text), str):
            return [labels[text]]
        chosen = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            label = labels.get(part)
            if isinstance(label, str):
                chosen.append(label)
                continue
            # A label being typed or completed ("1002 – Meh…"): the number in front.
            head = _LABEL_NUMBER.match(part)
            chosen.append(head.group(1) if head else part)
        return chosen

    def settings(self) -> Settings:
        """The settings as entered (values the wizard does not show are kept)."""
        new = copy.deepcopy(self._base)
        page = self.account_page
        acct, server = new.account, new.server
        acct.flavor = self.flavor
        acct.transport = self.transport
        acct.user = page.user_edit.text().strip()
        if self.flavor is Flavor.BULUT:
            acct.domain_uuid = page.domain_edit.text().strip()
        acct.extensions = self.chosen_extensions()
        server.host = page.host_edit.text().strip()
        port = page.port_edit.text().strip()
        server.port = int(port) if port.isdigit() else 0
        default_tls = default_endpoint(self.flavor, self.transport).tls
        checked = page.tls_check.isChecked()
        if "server.tls" not in self._locked or not server.tls:
            server.tls = "" if checked == default_tls else ("true" if checked else "false")
        server.ca_file = page.ca_edit.text().strip()
        server.api_base = page.api_base_edit.text().strip()
        new.sms.api = str(page.sms_api_combo.currentData() or "new")
        return new

    def typed_secrets(self) -> dict[SecretName, str]:
        page = self.account_page
        sms = page.sms_edit.text().strip()
        old = page.sms_api_combo.currentData() == "old"
        values = {SecretName.PASSWORD: page.password_edit.text(),
                  SecretName.SMS_API_KEY if old else SecretName.SMS_TOKEN: sms}
        if self.flavor is Flavor.TEKIL:
            values[SecretName.API_KEY] = page.api_key_edit.text().strip()
        return values

    def check_account(self) -> Account:
        """The account as typed, with a session-only store (nothing touches the keyring)."""
        store = SecretStore(use_env=False, session_only=True)
        settings = self.settings()
        for name, value in self.typed_secrets().items():
            if value:
                store.set(name, value, settings.account.user if name is SecretName.PASSWORD
                          else "")
        return Account(settings, store)

    def missing_fields(self) -> list[str]:
        page = self.account_page
        missing = []
        if not page.user_edit.text().strip():
            missing.append("user")
        if not page.password_edit.text():
            missing.append("password")
        if self.flavor is Flavor.TEKIL and not page.api_key_edit.text().strip() \
                and not self._base.account.ws_login_with_token:
            missing.append("api_key")
        if self.flavor is Flavor.BULUT and not page.domain_edit.text().strip():
            missing.append("domain_uuid")
        port = page.port_edit.text().strip()
        if port and (not port.isdigit() or not 0 < int(port) < 65536):
            missing.append("port")
        return missing

    # ------------------------------------------------------------------ reacting

    def update_for_account(self) -> None:
        page = self.account_page
        tekil = self.flavor is Flavor.TEKIL
        page.api_key_block.setVisible(tekil)
        page.domain_block.setVisible(not tekil)
        if tekil:
            page.setTitle(self.tr("Tekil Santral sign-in"))
            page.setSubTitle(self.tr("Your Kobikom panel sign-in and API key."))
            page.user_block.set_help(self.tr(
                "The e-mail address you sign in to the Kobikom panel with."))
            page.password_block.set_help(self.tr(
                "Your Kobikom panel password. It is kept in the system keyring, never in a "
                "file."))
        else:
            page.setTitle(self.tr("Bulut Santral (KobiPBX) sign-in"))
            page.setSubTitle(self.tr("Your KobiPBX API sign-in and your company's domain "
                                     "UUID."))
            page.user_block.set_help(self.tr(
                "Your KobiPBX API e-mail address, from Kobikom's technical team."))
            page.password_block.set_help(self.tr(
                "Your KobiPBX API password, from Kobikom's technical team. It is kept in the "
                "system keyring, never in a file."))
        old_sms = page.sms_api_combo.currentData() == "old"
        page.sms_block.label.setText(self.tr("SMS API key (optional)") if old_sms
                                     else self.tr("SMS API token (optional)"))
        transport = self.transport
        if tekil and transport is Transport.TCP:
            page.transport_block.set_help(self.tr(
                "Kobikom switches the Tekil TCP socket on only on request "
                "(yazilim@kobikom.com.tr). WebSocket works without that."))
        elif transport is Transport.TCP:
            page.transport_block.set_help(self.tr("TCP is the usual choice for desktop apps."))
        else:
            page.transport_block.set_help(self.tr(
                "Use WebSocket if your network blocks other ports."))
        tls = page.tls_check.isChecked()
        endpoint = default_endpoint(self.flavor, transport, tls=tls)
        page.host_edit.setPlaceholderText(endpoint.host)
        page.port_edit.setPlaceholderText(str(endpoint.port))
        page.api_base_edit.setPlaceholderText(DEFAULT_API_BASE[self.flavor])
        page.completeChanged.emit()

    def extension_changed(self, _text: str) -> None:
        row = self.check_page.rows[CheckId.EXTENSION]
        if self.extensions is not None and self._check_task is None:
            row.set_result(evaluate_extension(self.extensions, self.chosen_extensions()))
            self._summarize()
        self.check_page.completeChanged.emit()

    # ------------------------------------------------------------------ locks

    _LOCK_WIDGETS: Final = {
        "account.transport": ("transport_combo",),
        "account.domain_uuid": ("domain_edit",),
        "server.host": ("host_edit",),
        "server.port": ("port_edit",),
        "server.tls": ("tls_check",),
        "server.ca_file": ("ca_edit", "ca_button"),
        "server.api_base": ("api_base_edit",),
        "sms.api": ("sms_api_combo",),
    }

    def locked(self) -> frozenset[str]:
        return frozenset(self._locked)

    def _apply_locks(self) -> None:
        page = self.account_page
        for key, names in self._LOCK_WIDGETS.items():
            for name in names:
                widget = getattr(page, name)
                widget.setEnabled(key not in self._locked)
                if key in self._locked:
                    widget.setToolTip(self.tr("Set by your administrator's settings file."))
                else:
                    widget.setToolTip("")
        flavor_locked = "account.flavor" in self._locked
        if flavor_locked and self.type_page.choice() in (None, AccountChoice.DEMO):
            self.type_page.select(AccountChoice.TEKIL if self._base.account.flavor
                                  is Flavor.TEKIL else AccountChoice.BULUT)
        for choice in (AccountChoice.TEKIL, AccountChoice.BULUT):
            button = self.type_page.buttons[choice]
            button.setEnabled(not flavor_locked or button.isChecked())
        if self._locked:
            what = self._describe_locked()
            page.admin_notice.show_message(
                NoticeKind.INFO, self.tr("Set up by your administrator"),
                self.tr("These settings come from {file}: {names}. Enter only your own "
                        "sign-in details.").format(file=self._locked_source or self.tr(
                            "your administrator's settings file"), names=what))
        else:
            page.admin_notice.setVisible(False)

    def _describe_locked(self) -> str:
        labels = {
            "account.flavor": self.tr("account type"),
            "account.transport": self.tr("connection"),
            "account.domain_uuid": self.tr("domain UUID"),
            "server.host": self.tr("server"), "server.port": self.tr("server"),
            "server.tls": self.tr("server"), "server.ws_path": self.tr("server"),
            "server.ca_file": self.tr("certificates"),
            "server.api_base": self.tr("REST address"),
            "sms.api": self.tr("SMS service"), "sms.base": self.tr("SMS service"),
            "sms.sender": self.tr("SMS sender"),
            "account.crm_id": self.tr("CRM id"),
            "account.ws_login_with_token": self.tr("connection"),
        }
        seen: list[str] = []
        for key in sorted(self._locked):
            label = labels.get(key, key)
            if label not in seen:
                seen.append(label)
        return ", ".join(seen)

    def unlock(self) -> None:
        """The agent wants to change the administrator's values after all."""
        self._locked.clear()
        self._apply_locks()

    # ------------------------------------------------------------------ import

    def browse_import(self) -> None:
        """Ask for a settings file without a nested event loop (tests call import_file)."""
        dialog = QFileDialog(self, self.tr("Import settings"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Settings files (*.toml)"), self.tr("All files (*)")])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.fileSelected.connect(lambda path: self.import_file(Path(path)))
        self._file_dialog = dialog
        dialog.open()

    def import_file(self, path: Path) -> asyncio.Task[None]:
        """Read *path* in a worker thread, then apply it (see :meth:`apply_import`)."""
        return self._tasks.spawn(self._import(path), name="wizard-import")

    async def _import(self, path: Path) -> None:
        notice = self.type_page.notice
        try:
            imported = await asyncio.to_thread(read_settings_file, path)
        except SettingsError as exc:
            log.info("settings import refused: %s", exc)
            notice.show_message(NoticeKind.ERROR, self.tr("This file cannot be imported"),
                                str(exc))
            return
        self.apply_import(imported)

    def apply_import(self, imported: SettingsImport) -> None:
        """Take the file's values and lock those an administrator decides."""
        self._base = apply_provided(self._base, imported)
        self._fill(self._base)
        if "account.flavor" in imported.provided:
            self.type_page.select(AccountChoice.TEKIL if self._base.account.flavor
                                  is Flavor.TEKIL else AccountChoice.BULUT)
        self._locked = set(imported.admin_keys)
        self._locked_source = imported.path.name
        self._apply_locks()
        self.update_for_account()
        text = self.tr("Settings from {file} are filled in.").format(file=imported.path.name)
        if imported.warnings:
            text += "\n" + "\n".join(imported.warnings)
        self.type_page.notice.show_message(
            NoticeKind.WARNING if imported.warnings else NoticeKind.SUCCESS,
            self.tr("Settings imported"), text)

    def browse_ca(self) -> None:
        dialog = QFileDialog(self, self.tr("CA certificate"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Certificates (*.pem *.crt *.cer)"),
                               self.tr("All files (*)")])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.fileSelected.connect(self.account_page.ca_edit.setText)
        self._file_dialog = dialog
        dialog.open()

    # ------------------------------------------------------------------ secrets

    async def _load_secrets(self) -> None:
        user = self._base.account.user
        try:
            stored = await asyncio.to_thread(read_stored_secrets, self._secrets, user)
        except Exception:
            log.exception("reading the keyring failed")
            return
        self.stored = stored
        page = self.account_page
        for edit, value in ((page.password_edit, stored.password),
                            (page.api_key_edit, stored.api_key),
                            (page.sms_edit, stored.sms_api_key if
                             self._base.sms.api == "old" else stored.sms_token)):
            if value and not edit.text():
                edit.setText(value)
        if not stored.available:
            self.keyring_problem = stored.problem
            page.keyring_notice.show_message(
                NoticeKind.WARNING, self.tr("No system keyring"),
                self.tr("Your password and keys can be kept only until you quit Kobikom "
                        "Desktop; you will be asked again next time. ({problem})")
                .format(problem=stored.problem or ""))

    # ------------------------------------------------------------------ checks

    def start_check(self) -> None:
        """(Re)run the account check with what is entered now."""
        self.cancel_check()
        page = self.check_page
        for row in page.rows.values():
            row.set_running()
        page.state_label.setText(self.tr("Checking…"))
        page.test_button.setEnabled(False)
        page.summary.setVisible(False)
        self.extensions = None
        self.report = None
        self._check_task = self._tasks.spawn(self._check(self.check_account()),
                                             name="wizard-account-check")

    def cancel_check(self) -> None:
        task, self._check_task = self._check_task, None
        if task is not None and not task.done():
            task.cancel()
        self.check_page.test_button.setEnabled(True)
        self.check_page.state_label.setText("")

    def checking(self) -> bool:
        return self._check_task is not None

    async def _check(self, account: Account) -> None:
        rows = self.check_page.rows
        try:
            report = await run_account_check(
                account, on_result=lambda result: rows[result.check].set_result(result),
                timeouts=self._check_timeouts)
        except asyncio.CancelledError:
            raise
        finally:
            if self._check_task is asyncio.current_task():
                self._check_task = None
                self.check_page.test_button.setEnabled(True)
                self.check_page.state_label.setText("")
        self.report = report
        self.extensions = report.extensions
        self._fill_extensions(report.extensions or [])
        if report.extensions is not None:
            rows[CheckId.EXTENSION].set_result(
                evaluate_extension(report.extensions, self.chosen_extensions()))
        self._summarize()
        self.check_page.completeChanged.emit()
        self.checkFinished.emit(report)

    def _fill_extensions(self, extensions: list[PbxExtension]) -> None:
        combo = self.check_page.extension_combo
        current = self.chosen_extensions()
        blocked = combo.blockSignals(True)
        combo.clear()
        for extension in extensions:
            combo.addItem(extension.label(), extension.number)
        numbers = [e.number for e in extensions]
        if len(current) == 1 and current[0] in numbers:
            combo.setCurrentIndex(numbers.index(current[0]))
        elif current:
            combo.setCurrentIndex(-1)
            combo.setEditText(", ".join(current))
        elif len(extensions) == 1:
            combo.setCurrentIndex(0)
        else:
            combo.setCurrentIndex(-1)
            combo.setEditText("")
        combo.blockSignals(blocked)

    def _summarize(self) -> None:
        summary = self.check_page.summary
        rows = self.check_page.rows.values()
        failed = [row for row in rows if row.status is CheckStatus.FAILED]
        if failed:
            summary.show_message(
                NoticeKind.WARNING, self.tr("Some checks failed"),
                self.tr("Fix what is marked and test again. You can also save now and fix it "
                        "later in Settings."))
        elif self.chosen_extensions():
            summary.show_message(NoticeKind.SUCCESS, self.tr("Everything works"),
                                 self.tr("Click \"Save and connect\" to start."))
        else:
            summary.setVisible(False)

    def row(self, check: CheckId) -> CheckRow:
        return self.check_page.rows[check]

    # ------------------------------------------------------------------ finishing

    def accept(self) -> None:
        """Finish: "just show me" starts the demo; otherwise save first, then close."""
        if self.saved:
            super().accept()
            return
        if self.saving:
            return
        if self.currentId() == self.PAGE_TYPE and \
                self.type_page.choice() is AccountChoice.DEMO:
            log.info("setup wizard: demo mode chosen")
            self.saved = True
            self.demoRequested.emit()
            super().accept()
            return
        extensions = self.chosen_extensions()
        if not extensions or any(not _EXTENSION.fullmatch(e) for e in extensions):
            self.check_page.summary.show_message(
                NoticeKind.ERROR, self.tr("Check your extension"),
                self.tr("An extension is a number such as 1001."))
            return
        self.saving = True
        self.check_page.completeChanged.emit()
        self._set_buttons_enabled(False)
        self._save_task = self._tasks.spawn(self._save(self.settings(), self._secret_changes()),
                                            name="wizard-save")

    def _secret_changes(self) -> list[SecretChange]:
        """What to store: every typed secret; a cleared one is deleted if it was stored."""
        user = self.account_page.user_edit.text().strip()
        changes: list[SecretChange] = []
        for name, value in self.typed_secrets().items():
            account = user if name is SecretName.PASSWORD else ""
            if value and os.environ.get(name.env_var) == value:
                continue  # it comes from the environment (scripting): not copied to the keyring
            if value or (self.stored is not None and _had(self.stored, name)):
                changes.append((name, account, value))
        old_user = self._base.account.user
        if old_user and old_user != user:
            # A new sign-in e-mail: forget the old account's password.
            changes.append((SecretName.PASSWORD, old_user, ""))
        return changes

    def _set_buttons_enabled(self, enabled: bool) -> None:
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton,
                      QWizard.WizardButton.CancelButton):
            button = self.button(which)
            if button is not None:
                button.setEnabled(enabled)

    async def _save(self, settings: Settings, changes: list[SecretChange]) -> None:
        summary = self.check_page.summary
        try:
            await asyncio.to_thread(save_settings, settings, self._config_path)
        except OSError as exc:
            log.warning("saving the settings failed: %s", exc)
            summary.show_message(
                NoticeKind.ERROR, self.tr("The settings could not be saved"),
                self.tr("{path}: {reason}").format(path=str(self._config_path),
                                                   reason=exc.strerror or str(exc)))
            self.saving = False
            self._set_buttons_enabled(True)
            self.check_page.completeChanged.emit()
            return
        permanent, problems = await asyncio.to_thread(write_secrets, self._secrets, changes)
        if not permanent:
            self.keyring_problem = "; ".join(problems) or self.keyring_problem or \
                self._secrets.problem or "no system keyring"
        log.info("setup wizard: settings saved to %s (%s); secrets %s", self._config_path,
                 settings.account.flavor.value,
                 "in the keyring" if permanent else "kept for this session only")
        self.saving = False
        self.saved = True
        self.settingsSaved.emit(settings)
        super().accept()

    def done(self, result: int) -> None:
        if self.saving:
            return  # the save finishes first; it closes the wizard itself
        self.cancel_check()
        super().done(result)


def _had(stored: StoredSecrets, name: SecretName) -> bool:
    """Whether the keyring held *name* when the wizard opened."""
    return bool({SecretName.PASSWORD: stored.password, SecretName.API_KEY: stored.api_key,
                 SecretName.SMS_TOKEN: stored.sms_token,
                 SecretName.SMS_API_KEY: stored.sms_api_key}.get(name))


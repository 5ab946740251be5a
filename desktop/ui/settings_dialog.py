"""The Settings dialog: account, connection, popup, calls, SMS, history, diagnostics.

:class:`SettingsDialog` edits a copy of :class:`~desktop.core.settings.Settings`
and the account's secrets (panel password, Tekil API key, SMS token, old SMS
API key).  It never blocks the event loop:

* secrets are read and written through :class:`~desktop.core.secrets.SecretStore`
  in a worker thread (``asyncio.to_thread``: the keyring may talk D-Bus or
  wait for an unlock prompt), and never reach the settings file;
* the settings file is written atomically (``save_settings``) in a worker
  thread too;
* the dialog is shown with ``show()`` (:meth:`SettingsDialog.ask`), never
  ``exec()``: a nested event loop inside qasync's loop is asking for trouble.

Server fields left empty mean "Kobikom's documented default"; the defaults
for the chosen account type and transport are shown as placeholders
(``DEFAULT_ENDPOINTS``, ``TEKIL_WS_PLAIN_PORT``, ``DEFAULT_API_BASE``).
Validation is inline: errors (a port out of range, letters in an
extension...) keep the dialog open, warnings (a domain that does not look
like a UUID: Kobikom's documents mask theirs) are only shown.

When saving fails (disk full, keyring refused) the message is shown in the
dialog and it stays open with everything the agent typed.

How a saved value reaches the running app: ``settingsSaved`` ->
``Application._settings_saved`` replaces ``app.settings``; click-to-call, the
SMS sender and the recordings cache read the app's settings (and the keyring)
each time they act, so the next call, SMS or recording uses the new values
(the app also wakes the SMS sender, so waiting messages go out at once).
``register_tel_links`` is applied by ``TelLinkSettings``
(:mod:`desktop.ui.click_to_call`), which follows the settings file.
"""

from __future__ import annotations

import asyncio
import copy
import enum
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core import tel_links
from desktop.core.secrets import USER_ENV, SecretName, SecretStore, SecretStoreError
from desktop.core.settings import PopupCorner, Settings, SettingsError, save_settings
from desktop.core.settings_import import apply_provided, read_settings_file
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import (
    DEFAULT_API_BASE,
    DEFAULT_OLD_SMS_BASE,
    DEFAULT_SMS_BASE,
    Flavor,
    Transport,
    default_endpoint,
)
from desktop.ui.icons import app_icon
from desktop.ui.labels import plain_label, style_as_help
from desktop.ui.notice import NoticeBox, NoticeKind
from desktop.ui.settings_capture import CapturePage

log = logging.getLogger("kobikom.ui.settings")

#: Auto-close delay of the popup, seconds.
AUTO_CLOSE_MIN: Final = 2
AUTO_CLOSE_MAX: Final = 120
#: ``originate`` timings (milliseconds, as sent; Kobikom's example: 30000 / 15000).
RING_TIMEOUT_MS_MIN: Final = 5_000
RING_TIMEOUT_MS_MAX: Final = 300_000
WAIT_RESPONSE_MS_MIN: Final = 1_000
WAIT_RESPONSE_MS_MAX: Final = 120_000
TIMING_STEP_MS: Final = 1_000
#: Size cap of the recordings cache (MB).
RECORDINGS_CACHE_MB_MIN: Final = 10
RECORDINGS_CACHE_MB_MAX: Final = 100_000
RECORDINGS_CACHE_MB_STEP: Final = 100
#: Longest outside-line prefix accepted (PBX codes are one or two characters).
PREFIX_MAX_LENGTH: Final = 8
#: Width of the dialog (logical px); the height follows the tallest tab.
MIN_WIDTH: Final = 640
#: Most rows of one tab (the grid's stretch row goes below them).
FORM_ROWS: Final = 12
#: Colours of the inline messages (the popup's palette).
COLOR_ERROR: Final = "#d93025"
COLOR_WARNING: Final = "#b06000"

_UUID: Final = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_EXTENSION: Final = re.compile(r"\d{1,10}")
_HOST: Final = re.compile(r"[A-Za-z0-9.\-_]+|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+")
#: What :func:`desktop.core.dialing.dial_target` accepts as an outside-line prefix.
_PREFIX: Final = re.compile(r"[0-9*#]+")
#: The secrets the dialog edits, none of them tied to the login e-mail but the password.
_SECRET_NAMES: Final = (SecretName.PASSWORD, SecretName.API_KEY, SecretName.SMS_TOKEN,
                        SecretName.SMS_API_KEY)


class Level(enum.Enum):
    ERROR = "error"  # Save is refused
    WARNING = "warning"  # shown, Save allowed


@dataclass(slots=True)
class _Secrets:
    """What the keyring holds for the account, as read off the GUI thread."""

    available: bool = True
    problem: str | None = None
    user: str = ""
    password: str = ""
    api_key: str = ""
    sms_token: str = ""
    sms_api_key: str = ""
    #: Secrets that come from an environment variable (they take precedence).
    from_env: set[SecretName] = field(default_factory=set)


def _read_secrets(store: SecretStore, user: str) -> _Secrets:
    """Runs in a worker thread: the keyring may block (D-Bus, unlock prompt)."""
    state = _Secrets(available=store.available, problem=store.problem, user=user)
    state.password = store.get(SecretName.PASSWORD, user) or ""
    state.api_key = store.get(SecretName.API_KEY, "") or ""
    state.sms_token = store.get(SecretName.SMS_TOKEN, "") or ""
    state.sms_api_key = store.get(SecretName.SMS_API_KEY, "") or ""
    state.from_env = {name for name in _SECRET_NAMES if os.environ.get(name.env_var)}
    return state


#: (secret, account, new value); an empty value deletes the secret.
SecretChange = tuple[SecretName, str, str]


def _write_secrets(store: SecretStore, changes: list[SecretChange]) -> list[str]:
    """Runs in a worker thread; returns the keyring's complaints (empty = all stored)."""
    problems: list[str] = []
    for name, account, value in changes:
        try:
            if value:
                store.set(name, value, account)
            else:
                store.delete(name, account)
        except SecretStoreError as exc:
            problems.append(str(exc))
    return problems


def _is_web_address(value: str) -> bool:
    """Empty (the default) or a full http(s) address with a host."""
    if not value:
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def _message_label(parent: QWidget) -> QLabel:
    return plain_label(parent, wrap=True, hidden=True)


class SettingsDialog(QDialog):
    """Account, connection, popup, calls, SMS and history settings, with the secrets.

    Signals:
        settingsSaved(Settings): the settings file was written; the new
            settings (a fresh object, not the one passed in).  Emitted even
            if storing a secret then failed (the dialog stays open with that
            error; the secret is kept for this session).
    """

    settingsSaved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        *,
        config_path: Path,
        tasks: TaskSet | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._original = settings
        self._secrets = secrets
        self._config_path = Path(config_path)
        self._tasks = tasks if tasks is not None else TaskSet("settings-dialog")
        self._loaded: _Secrets | None = None
        #: The TLS choice for WebSocket, kept while TCP is selected.
        self._ws_tls = True
        self._busy = False
        self._finished = False
        self._messages: dict[str, QLabel] = {}
        self._field_tab: dict[str, int] = {}
        self._field_widget: dict[str, QWidget] = {}
        self._rows: dict[str, tuple[QLabel, QWidget]] = {}
        self._next_row: dict[int, int] = {}

        self.setWindowTitle(self.tr("Kobikom Desktop – Settings"))
        self.setWindowIcon(app_icon())
        self.setObjectName("settingsDialog")

        self._build()
        self._fill(settings)
        self._set_loading(True)
        self._update_for_account()
        self._validate()
        self._tasks.spawn(self._load_secrets(), name="settings-load-secrets")

    # ------------------------------------------------------------------ ask

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        settings: Settings,
        secrets: SecretStore,
        *,
        config_path: Path,
        tasks: TaskSet | None = None,
    ) -> SettingsDialog:
        """Show the dialog without blocking (no nested event loop); tests replace this.

        Connect to :attr:`settingsSaved` for the result.  The dialog deletes
        itself when closed.
        """
        dialog = cls(settings, secrets, config_path=config_path, tasks=tasks, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(10)

        self.keyring_box = NoticeBox(self)
        outer.addWidget(self.keyring_box)

        self.tabs = QTabWidget(self)
        outer.addWidget(self.tabs, 1)
        self._build_account_tab()
        self._build_connection_tab()
        self._build_popup_tab()
        self._build_calls_tab()
        self._build_sms_tab()
        self._build_history_tab()
        self.capture_page = CapturePage(self.tabs)  # [capture] (desktop/ui/settings_capture.py)
        self.tabs.addTab(self.capture_page, self.capture_page.title())

        self.error_box = NoticeBox(self)
        outer.addWidget(self.error_box)

        bottom = QHBoxLayout()
        # IT roll-outs: an administrator's settings file (no secrets; issue 7).
        self.import_button = QPushButton(self.tr("Import settings…"), self)
        self.import_button.setAutoDefault(False)
        self.import_button.setToolTip(self.tr(
            "Use a settings file prepared by your IT administrator (it holds no passwords)."))
        self.import_button.clicked.connect(self._browse_import)
        bottom.addWidget(self.import_button)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self._style_help(self.status_label)
        bottom.addWidget(self.status_label, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save_clicked)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)
        self.setMinimumWidth(MIN_WIDTH)
        self.resize(MIN_WIDTH, self.sizeHint().height())

    def _form(self, title: str) -> QGridLayout:
        """A tab with a two-column grid (a QFormLayout mis-sizes word-wrapped help texts)."""
        page = QWidget(self.tabs)
        form = QGridLayout(page)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(10)
        form.setContentsMargins(14, 14, 14, 10)
        form.setColumnStretch(1, 1)
        form.setRowStretch(FORM_ROWS, 1)
        self.tabs.addTab(page, title)
        return form

    def _style_help(self, label: QLabel) -> None:
        style_as_help(label)

    def _row(self, form: QGridLayout, name: str, label: str, editor: QWidget | QHBoxLayout,
             help_text: str = "", *, focus: QWidget | None = None) -> QLabel:
        """Add *editor* with its help text and inline message; returns the help label.

        *focus* is the widget the label points to (default: *editor*).
        """
        box = QWidget(form.parentWidget())
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(editor, QHBoxLayout):
            column.addLayout(editor)
        else:
            column.addWidget(editor)
            focus = focus or editor
        assert focus is not None, "a row made of a layout needs its focus widget"
        help_label = QLabel(help_text, box)
        help_label.setTextFormat(Qt.TextFormat.PlainText)
        help_label.setWordWrap(True)
        help_label.setObjectName(f"{name}Help")
        self._style_help(help_label)
        help_label.setVisible(bool(help_text))
        column.addWidget(help_label)
        message = _message_label(box)
        message.setObjectName(f"{name}Message")
        column.addWidget(message)
        title = QLabel(label, form.parentWidget())
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setBuddy(focus)
        title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        title.setMinimumHeight(focus.sizeHint().height())
        row = self._next_row.get(id(form), 0)
        self._next_row[id(form)] = row + 1
        form.addWidget(title, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addWidget(box, row, 1)
        self._rows[name] = (title, box)
        self._messages[name] = message
        self._field_tab[name] = self.tabs.count() - 1
        self._field_widget[name] = focus
        return help_label

    def _build_account_tab(self) -> None:
        form = self._form(self.tr("Account"))
        self.flavor_combo = QComboBox()
        self.flavor_combo.addItem(self.tr("Tekil Santral"), Flavor.TEKIL)
        self.flavor_combo.addItem(self.tr("Bulut Santral (KobiPBX)"), Flavor.BULUT)
        self.flavor_help = self._row(form, "flavor", self.tr("Account type:"), self.flavor_combo)

        self.extensions_edit = QLineEdit()
        self.extensions_edit.setPlaceholderText(self.tr("e.g. 1001"))
        self._row(form, "extensions", self.tr("Your extension(s):"), self.extensions_edit,
                  self.tr("The internal number of your desk phone or softphone. Several: "
                          "separate them with commas (1001, 1002)."))

        self.domain_edit = QLineEdit()
        self.domain_edit.setPlaceholderText("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
        self._row(form, "domain", self.tr("Domain UUID:"), self.domain_edit,
                  self.tr("Provided by Kobikom's technical team. It is the only key to your "
                          "company's live call events: keep it private."))

        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText(self.tr("name@company.com.tr"))
        self.user_edit.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.user_help = self._row(form, "user", self.tr("Login e-mail:"), self.user_edit)

        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_help = self._row(form, "password", self.tr("Password:"),
                                       self.password_edit)

        self.api_key_edit = QLineEdit()
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._row(form, "api_key", self.tr("API key:"), self.api_key_edit,
                  self.tr("The \"API ANAHTARI\" (API key) shown in your Kobikom panel. Used to "
                          "log in to the live call events."))

        self.ws_token_check = QCheckBox(
            self.tr("Log in to the Tekil WebSocket with the panel token instead of the API key"))
        self.ws_token_help = self._row(form, "ws_token", "", self.ws_token_check,
                                       self.tr("The token comes from logging in with the "
                                               "e-mail and password above."))

        self.flavor_combo.currentIndexChanged.connect(self._update_for_account)
        for edit in (self.extensions_edit, self.domain_edit, self.user_edit):
            edit.textChanged.connect(self._validate)
        self.ws_token_check.toggled.connect(self._update_for_account)

    def _build_connection_tab(self) -> None:
        form = self._form(self.tr("Connection"))
        self.transport_combo = QComboBox()
        self.transport_combo.addItem(self.tr("TCP"), Transport.TCP)
        self.transport_combo.addItem(self.tr("WebSocket"), Transport.WS)
        self.transport_help = self._row(form, "transport", self.tr("Live events over:"),
                                        self.transport_combo)

        self.host_edit = QLineEdit()
        self._row(form, "host", self.tr("Server:"), self.host_edit,
                  self.tr("Leave empty for Kobikom's server (shown in grey)."))
        self.port_edit = QLineEdit()
        self.port_edit.setMaxLength(5)
        self.port_help = self._row(form, "port", self.tr("Port:"), self.port_edit)
        self.tls_check = QCheckBox(self.tr("Encrypted connection (TLS, wss://)"))
        self.tls_help = self._row(form, "tls", self.tr("Security:"), self.tls_check)

        ca_row = QHBoxLayout()
        ca_row.setSpacing(6)
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText(self.tr("None (the system's certificates)"))
        self.ca_button = QPushButton(self.tr("Browse…"))
        self.ca_button.setAutoDefault(False)
        self.ca_button.clicked.connect(self._browse_ca)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        self._row(form, "ca_file", self.tr("CA certificate:"), ca_row,
                  self.tr("Optional, only for a private or test certificate authority (PEM "
                          "file). Certificates are always verified."), focus=self.ca_edit)

        self.api_base_edit = QLineEdit()
        self._row(form, "api_base", self.tr("REST address:"), self.api_base_edit,
                  self.tr("The panel API used for calls, history and the phonebook. Leave "
                          "empty for Kobikom's (shown in grey)."))

        self.transport_combo.currentIndexChanged.connect(self._update_for_account)
        self.tls_check.toggled.connect(self._tls_toggled)
        for edit in (self.host_edit, self.port_edit, self.ca_edit, self.api_base_edit):
            edit.textChanged.connect(self._validate)
        self._ca_dialog: QFileDialog | None = None

    def _build_popup_tab(self) -> None:
        form = self._form(self.tr("Popup && language"))
        self.popup_enabled_check = QCheckBox(self.tr("Show a popup when a call rings"))
        self._row(form, "popup_enabled", "", self.popup_enabled_check)
        self.corner_combo = QComboBox()
        for corner, text in (
            (PopupCorner.BOTTOM_RIGHT, self.tr("Bottom right")),
            (PopupCorner.TOP_RIGHT, self.tr("Top right")),
            (PopupCorner.BOTTOM_LEFT, self.tr("Bottom left")),
            (PopupCorner.TOP_LEFT, self.tr("Top left")),
        ):
            self.corner_combo.addItem(text, corner)
        self._row(form, "corner", self.tr("Screen corner:"), self.corner_combo,
                  self.tr("On the screen where the mouse is."))
        self.auto_close_spin = QSpinBox()
        self.auto_close_spin.setRange(AUTO_CLOSE_MIN, AUTO_CLOSE_MAX)
        self.auto_close_spin.setSuffix(self.tr(" s"))
        self._row(form, "auto_close", self.tr("Close after:"), self.auto_close_spin,
                  self.tr("How long the popup of an ended call stays. Missed calls stay until "
                          "you close them."))
        self.language_combo = QComboBox()
        self.language_combo.addItem(self.tr("System language"), "")
        self.language_combo.addItem("Türkçe", "tr")
        self.language_combo.addItem("English", "en")
        self.language_help = self._row(
            form, "language", self.tr("Language:"), self.language_combo,
            self.tr("A new language takes effect when Kobikom Desktop is restarted."))
        self.popup_enabled_check.toggled.connect(self._update_popup_fields)

    def _build_calls_tab(self) -> None:
        form = self._form(self.tr("Calls"))
        self.prefix_edit = QLineEdit()
        self.prefix_edit.setMaxLength(PREFIX_MAX_LENGTH)
        self.prefix_edit.setPlaceholderText(self.tr("None"))
        self._row(form, "prefix", self.tr("Outside line prefix:"), self.prefix_edit,
                  self.tr("Dialled before outside numbers, e.g. 0 or 9, if your PBX needs "
                          "one. Not used for extensions."))
        self.confirm_international_check = QCheckBox(
            self.tr("Ask before calling international or premium-rate numbers"))
        self._row(form, "confirm_international", "", self.confirm_international_check)
        self.tel_links_check = QCheckBox(
            self.tr("Open tel:, callto: and sip: links with Kobikom Desktop"))
        self.tel_links_help = self._row(form, "tel_links", "", self.tel_links_check)
        if tel_links.supported():
            self.tel_links_help.setText(self.tr(
                "Clicking a phone link in a browser or e-mail then calls the number."))
        else:
            self.tel_links_check.setEnabled(False)
            self.tel_links_help.setText(self.tr(
                "On this system the installer sets this up."))
        self.tel_links_help.setVisible(True)

        self.originate_check = QCheckBox(
            self.tr("Place calls over the WebSocket connection (originate)"))
        self.originate_help = self._row(form, "originate", "", self.originate_check)
        self.ring_timeout_spin = QSpinBox()
        self.ring_timeout_spin.setRange(RING_TIMEOUT_MS_MIN, RING_TIMEOUT_MS_MAX)
        self.ring_timeout_spin.setSingleStep(TIMING_STEP_MS)
        self.ring_timeout_spin.setSuffix(self.tr(" ms"))
        self.wait_response_spin = QSpinBox()
        self.wait_response_spin.setRange(WAIT_RESPONSE_MS_MIN, WAIT_RESPONSE_MS_MAX)
        self.wait_response_spin.setSingleStep(TIMING_STEP_MS)
        self.wait_response_spin.setSuffix(self.tr(" ms"))
        timings = QHBoxLayout()
        timings.setSpacing(6)
        timings.addWidget(self.ring_timeout_spin)
        self.wait_response_label = QLabel(self.tr("Wait for answer:"))
        self.wait_response_label.setTextFormat(Qt.TextFormat.PlainText)
        self.wait_response_label.setBuddy(self.wait_response_spin)
        timings.addSpacing(12)
        timings.addWidget(self.wait_response_label)
        timings.addWidget(self.wait_response_spin)
        timings.addStretch(1)
        self._row(form, "ring_timeout", self.tr("Ring timeout:"), timings,
                  self.tr("Sent with originate as given (Kobikom's example: 30000 and "
                          "15000)."), focus=self.ring_timeout_spin)
        self.trunk_edit = QLineEdit()
        self.trunk_edit.setPlaceholderText(self.tr("kobikom (default)"))
        self._row(form, "trunk", self.tr("Trunk:"), self.trunk_edit,
                  self.tr("The outgoing line for originate. Leave empty unless Kobikom "
                          "gave you another name."))

        self.prefix_edit.textChanged.connect(self._validate)
        self.originate_check.toggled.connect(self._update_originate_fields)

    def _build_sms_tab(self) -> None:
        form = self._form(self.tr("SMS"))
        self.sms_api_combo = QComboBox()
        self.sms_api_combo.addItem(self.tr("New SMS API (sms.kobikom.com.tr)"), "new")
        self.sms_api_combo.addItem(self.tr("Old SMS API (smspaneli.kobikom.com.tr)"), "old")
        self._row(form, "sms_api", self.tr("SMS service:"), self.sms_api_combo,
                  self.tr("Use the one your SMS panel belongs to."))

        self.sms_token_edit = QLineEdit()
        self.sms_token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._row(form, "sms_token", self.tr("SMS token:"), self.sms_token_edit,
                  self.tr("In the SMS panel under Ayarlar > SMS API. Kept in the system "
                          "keyring."))
        self.sms_api_key_edit = QLineEdit()
        self.sms_api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._row(form, "sms_api_key", self.tr("SMS API key:"), self.sms_api_key_edit,
                  self.tr("In the SMS panel under Ayarlar > SMS API. Kept in the system "
                          "keyring."))

        self.sms_base_edit = QLineEdit()
        self._row(form, "sms_base", self.tr("SMS address:"), self.sms_base_edit,
                  self.tr("Leave empty for Kobikom's (shown in grey)."))
        self.sms_sender_edit = QLineEdit()
        self.sms_sender_edit.setPlaceholderText(self.tr("e.g. FIRMAADI"))
        self._row(form, "sms_sender", self.tr("Default sender:"), self.sms_sender_edit,
                  self.tr("The sender title (başlık) chosen first; the SMS window "
                          "remembers the last one you used."))
        self.agent_name_edit = QLineEdit()
        self.agent_name_edit.setPlaceholderText(self.tr("e.g. Ayşe Yıldız"))
        self._row(form, "agent_name", self.tr("Your name:"), self.agent_name_edit,
                  self.tr("Fills in {agent} in SMS templates."))

        self.sms_api_combo.currentIndexChanged.connect(self._update_sms_fields)
        self.sms_base_edit.textChanged.connect(self._validate)

    def _build_history_tab(self) -> None:
        form = self._form(self.tr("History"))
        self.recordings_cache_spin = QSpinBox()
        self.recordings_cache_spin.setRange(RECORDINGS_CACHE_MB_MIN, RECORDINGS_CACHE_MB_MAX)
        self.recordings_cache_spin.setSingleStep(RECORDINGS_CACHE_MB_STEP)
        self.recordings_cache_spin.setSuffix(self.tr(" MB"))
        self._row(form, "recordings_cache", self.tr("Recordings kept:"),
                  self.recordings_cache_spin,
                  self.tr("Recordings you played are kept on this computer up to this size; "
                          "the ones not played for longest are removed first."))

    # ------------------------------------------------------------------ values

    def _fill(self, settings: Settings) -> None:
        acct, server = settings.account, settings.server
        self.flavor_combo.setCurrentIndex(self.flavor_combo.findData(acct.flavor))
        self.transport_combo.setCurrentIndex(self.transport_combo.findData(acct.transport))
        self.extensions_edit.setText(", ".join(acct.extensions))
        self.domain_edit.setText(acct.domain_uuid)
        self.user_edit.setText(acct.user)
        self.ws_token_check.setChecked(acct.ws_login_with_token)
        self.host_edit.setText(server.host)
        self.port_edit.setText(str(server.port) if server.port else "")
        tls = (server.tls.lower() == "true") if server.tls else \
            default_endpoint(acct.flavor, Transport.WS).tls
        self._ws_tls = tls
        self.tls_check.setChecked(tls and acct.transport is Transport.WS)
        self.ca_edit.setText(server.ca_file)
        self.api_base_edit.setText(server.api_base)
        self.popup_enabled_check.setChecked(settings.popup.enabled)
        self.corner_combo.setCurrentIndex(self.corner_combo.findData(settings.popup.corner))
        self.auto_close_spin.setValue(settings.popup.auto_close_seconds)
        index = self.language_combo.findData(settings.ui.language)
        self.language_combo.setCurrentIndex(max(0, index))
        self._update_popup_fields()
        dial = settings.dial
        self.prefix_edit.setText(dial.outside_line_prefix)
        self.confirm_international_check.setChecked(dial.confirm_international)
        self.tel_links_check.setChecked(settings.ui.register_tel_links)
        self.originate_check.setChecked(dial.use_ws_originate)
        self.ring_timeout_spin.setValue(dial.ring_timeout_ms)
        self.wait_response_spin.setValue(dial.wait_response_ms)
        self.trunk_edit.setText(dial.trunk)
        sms = settings.sms
        self.sms_api_combo.setCurrentIndex(
            self.sms_api_combo.findData("old" if sms.api == "old" else "new"))
        self.sms_base_edit.setText(sms.base)
        self.sms_sender_edit.setText(sms.sender)
        self.agent_name_edit.setText(sms.agent_name)
        self.recordings_cache_spin.setValue(settings.history.recordings_cache_mb)
        self.capture_page.fill(settings.capture)
        self._update_sms_fields()

    @property
    def flavor(self) -> Flavor:
        value = self.flavor_combo.currentData()
        return value if isinstance(value, Flavor) else Flavor.BULUT

    @property
    def transport(self) -> Transport:
        value = self.transport_combo.currentData()
        return value if isinstance(value, Transport) else Transport.TCP

    def _tls_override(self) -> bool | None:
        """The TLS choice to apply to the default endpoint (None = TCP, no choice)."""
        return self.tls_check.isChecked() if self.transport is Transport.WS else None

    def extensions(self) -> list[str]:
        return [part.strip() for part in self.extensions_edit.text().split(",") if part.strip()]

    def settings(self) -> Settings:
        """The settings as currently entered (fields the dialog does not show are kept)."""
        new = copy.deepcopy(self._original)
        acct, server = new.account, new.server
        acct.flavor = self.flavor
        acct.transport = self.transport
        acct.extensions = self.extensions()
        if self.flavor is Flavor.BULUT:
            acct.domain_uuid = self.domain_edit.text().strip()
        acct.user = self.user_edit.text().strip()
        acct.ws_login_with_token = self.ws_token_check.isChecked()
        server.host = self.host_edit.text().strip()
        port = self.port_edit.text().strip()
        server.port = int(port) if port.isdigit() else 0
        if self.transport is Transport.WS:
            default_tls = default_endpoint(self.flavor, Transport.WS).tls
            checked = self.tls_check.isChecked()
            server.tls = "" if checked == default_tls else ("true" if checked else "false")
        server.ca_file = self.ca_edit.text().strip()
        server.api_base = self.api_base_edit.text().strip()
        new.popup.enabled = self.popup_enabled_check.isChecked()
        corner = self.corner_combo.currentData()
        new.popup.corner = corner if isinstance(corner, PopupCorner) else PopupCorner.BOTTOM_RIGHT
        new.popup.auto_close_seconds = self.auto_close_spin.value()
        new.ui.language = str(self.language_combo.currentData() or "")
        new.ui.register_tel_links = self.tel_links_check.isChecked()
        dial = new.dial
        dial.outside_line_prefix = self.prefix_edit.text().strip()
        dial.confirm_international = self.confirm_international_check.isChecked()
        dial.use_ws_originate = self.originate_check.isChecked()
        dial.ring_timeout_ms = self.ring_timeout_spin.value()
        dial.wait_response_ms = self.wait_response_spin.value()
        dial.trunk = self.trunk_edit.text().strip()
        new.sms.api = self.sms_api
        new.sms.base = self.sms_base_edit.text().strip()
        new.sms.sender = self.sms_sender_edit.text().strip()
        new.sms.agent_name = self.agent_name_edit.text().strip()
        new.history.recordings_cache_mb = self.recordings_cache_spin.value()
        self.capture_page.apply(new.capture)
        return new

    @property
    def sms_api(self) -> str:
        """"new" or "old" (the SMS API chosen)."""
        return "old" if self.sms_api_combo.currentData() == "old" else "new"

    # ------------------------------------------------------------------ reacting

    def _set_row_visible(self, name: str, visible: bool) -> None:
        for widget in self._rows[name]:
            widget.setVisible(visible)

    def row_visible(self, name: str) -> bool:
        """Whether field *name* is shown (not hidden for the account type)."""
        return not self._rows[name][1].isHidden()

    def _update_for_account(self) -> None:
        flavor, transport = self.flavor, self.transport
        tekil = flavor is Flavor.TEKIL
        self._set_row_visible("domain", not tekil)
        self.domain_edit.setEnabled(not tekil)
        self._set_row_visible("api_key", tekil)
        self._set_row_visible("ws_token", tekil)
        self.ws_token_check.setEnabled(tekil and transport is Transport.WS)

        if tekil:
            self.flavor_help.setText(self.tr(
                "Tekil Santral: your own PBX, managed in the Kobikom panel."))
            self.user_help.setText(self.tr("The e-mail you log in to the Kobikom panel with."))
            self.password_help.setText(self.tr(
                "Your panel password. Used for calls from the app, call history and the "
                "PBX phonebook."))
        else:
            self.flavor_help.setText(self.tr(
                "Bulut Santral: the KobiPBX cloud PBX (api.kobipbx.com)."))
            self.user_help.setText(self.tr(
                "Your KobiPBX login e-mail; the credentials come from Kobikom's technical "
                "team."))
            self.password_help.setText(self.tr(
                "Your KobiPBX password. Used for calls from the app and call history."))
        for label in (self.flavor_help, self.user_help, self.password_help):
            label.setVisible(True)
        if tekil and transport is Transport.TCP:
            self.transport_help.setText(self.tr(
                "The Tekil TCP service must first be enabled by Kobikom: ask "
                "yazilim@kobikom.com.tr. WebSocket works without that."))
        elif transport is Transport.TCP:
            self.transport_help.setText(self.tr("TCP is the usual choice for desktop apps."))
        else:
            self.transport_help.setText(self.tr(
                "Use WebSocket if your network blocks other ports."))
        self.transport_help.setVisible(True)

        ws = transport is Transport.WS
        blocked = self.tls_check.blockSignals(True)
        self.tls_check.setChecked(self._ws_tls if ws else False)
        self.tls_check.blockSignals(blocked)
        self.tls_check.setEnabled(ws)

        # Placeholders: Kobikom's documented defaults for this type and transport.
        endpoint = default_endpoint(flavor, transport, tls=self._tls_override())
        self.host_edit.setPlaceholderText(self.tr("{value} (default)").format(value=endpoint.host))
        self.port_edit.setPlaceholderText(
            self.tr("{value} (default)").format(value=endpoint.port))
        self.api_base_edit.setPlaceholderText(
            self.tr("{value} (default)").format(value=DEFAULT_API_BASE[flavor]))

        if not ws:
            self.tls_help.setText(self.tr("The TCP services are not encrypted."))
        elif tekil:
            self.tls_help.setText(self.tr(
                "Without TLS, Tekil's WebSocket listens on port 8088 (with TLS: 8098)."))
        else:
            self.tls_help.setText(self.tr("KobiPBX's WebSocket is always encrypted."))
        self.tls_help.setVisible(True)
        self._update_originate_fields()
        self._validate()

    def _tls_toggled(self, checked: bool) -> None:
        if self.transport is Transport.WS:
            self._ws_tls = checked
        self._update_for_account()

    def originate_available(self) -> bool:
        """``originate`` is a Tekil WebSocket command: other connections cannot use it."""
        return self.flavor is Flavor.TEKIL and self.transport is Transport.WS

    def _update_originate_fields(self) -> None:
        available = self.originate_available()
        self.originate_check.setEnabled(available)
        if available:
            self.originate_help.setText(self.tr(
                "Instead of the panel API. If the connection is down, the panel API is "
                "used."))
        else:
            self.originate_help.setText(self.tr(
                "Only for Tekil Santral accounts connected over WebSocket (Connection "
                "tab)."))
        self.originate_help.setVisible(True)
        used = available and self.originate_check.isChecked()
        for widget in (self.ring_timeout_spin, self.wait_response_label,
                       self.wait_response_spin, self.trunk_edit):
            widget.setEnabled(used)

    def _update_sms_fields(self) -> None:
        old = self.sms_api == "old"
        self._set_row_visible("sms_token", not old)
        self._set_row_visible("sms_api_key", old)
        default = DEFAULT_OLD_SMS_BASE if old else DEFAULT_SMS_BASE
        self.sms_base_edit.setPlaceholderText(self.tr("{value} (default)").format(value=default))

    def _update_popup_fields(self) -> None:
        enabled = self.popup_enabled_check.isChecked()
        self.corner_combo.setEnabled(enabled)
        self.auto_close_spin.setEnabled(enabled)

    def _browse_ca(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a CA certificate"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Certificates (*.pem *.crt *.cer)"),
                               self.tr("All files (*)")])
        dialog.fileSelected.connect(self.ca_edit.setText)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._ca_dialog = dialog
        dialog.open()

    def _browse_import(self) -> None:
        dialog = QFileDialog(self, self.tr("Import settings"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Settings files (*.toml)"), self.tr("All files (*)")])
        dialog.fileSelected.connect(lambda path: self.import_settings(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._ca_dialog = dialog
        dialog.open()

    def import_settings(self, path: Path) -> asyncio.Task[None]:
        """Fill in the values of an administrator's file (read in a worker thread).

        Nothing is saved until Save; a file with a secret or a bad value is
        refused with a message naming the key (:mod:`desktop.core.settings_import`).
        """
        return self._tasks.spawn(self._import(path), name="settings-import")

    async def _import(self, path: Path) -> None:
        try:
            imported = await asyncio.to_thread(read_settings_file, path)
        except SettingsError as exc:
            if not self._finished:
                self.error_box.show_message(
                    NoticeKind.ERROR, self.tr("This file cannot be imported"), str(exc))
            return
        if self._finished:
            return
        shown = apply_provided(self.settings(), imported)
        self._original = apply_provided(self._original, imported)  # values not shown here
        self._fill(shown)
        self._update_for_account()
        text = self.tr("Settings from {file} are filled in; click Save to keep them.").format(
            file=imported.path.name)
        if imported.warnings:
            text += "\n" + "\n".join(imported.warnings)
        self.error_box.show_message(
            NoticeKind.WARNING if imported.warnings else NoticeKind.SUCCESS,
            self.tr("Settings imported"), text)

    # ------------------------------------------------------------------ validation

    def _set_message(self, name: str, level: Level | None, text: str = "") -> None:
        label = self._messages[name]
        if level is None or not text:
            label.setVisible(False)
            label.setText("")
            label.setProperty("level", "")
            return
        color = COLOR_ERROR if level is Level.ERROR else COLOR_WARNING
        label.setStyleSheet(f"color: {color};")
        label.setText(text)
        label.setProperty("level", level.value)
        label.setVisible(True)

    def message(self, name: str) -> tuple[Level | None, str]:
        """The inline message of field *name* (for tests and accessibility)."""
        label = self._messages[name]
        if not label.text():
            return None, ""
        return Level(label.property("level")), label.text()

    def _validate(self) -> list[str]:
        """Update every inline message; returns the names of fields with errors."""
        checks: dict[str, tuple[Level, str] | None] = {
            "extensions": self._check_extensions(),
            "domain": self._check_domain(),
            "user": self._check_user(),
            "host": self._check_host(),
            "port": self._check_port(),
            "ca_file": self._check_ca_file(),
            "api_base": self._check_api_base(),
            "prefix": self._check_prefix(),
            "sms_base": self._check_sms_base(),
        }
        errors = []
        for name, result in checks.items():
            if result is None:
                self._set_message(name, None)
            else:
                self._set_message(name, *result)
                if result[0] is Level.ERROR:
                    errors.append(name)
        return errors

    def _check_extensions(self) -> tuple[Level, str] | None:
        parts = self.extensions()
        for part in parts:
            if not _EXTENSION.fullmatch(part):
                return Level.ERROR, self.tr(
                    "“{value}” is not an extension number: use digits only, separated by "
                    "commas.").format(value=part)
        if not parts:
            return Level.WARNING, self.tr("Enter your extension to get call popups.")
        return None

    def _check_domain(self) -> tuple[Level, str] | None:
        if self.flavor is not Flavor.BULUT:
            return None
        value = self.domain_edit.text().strip()
        if not value:
            return Level.WARNING, self.tr(
                "Bulut Santral accounts need the domain UUID to receive calls.")
        if not _UUID.fullmatch(value):
            return Level.WARNING, self.tr(
                "This does not look like a UUID (8-4-4-4-12 hexadecimal digits). Check it "
                "with Kobikom if calls do not arrive.")
        return None

    def _check_user(self) -> tuple[Level, str] | None:
        value = self.user_edit.text().strip()
        if value and ("@" not in value or " " in value):
            return Level.WARNING, self.tr("This does not look like an e-mail address.")
        if os.environ.get(USER_ENV):
            return Level.WARNING, self.tr(
                "The {name} environment variable is set and is used instead.").format(
                    name=USER_ENV)
        return None

    def _check_host(self) -> tuple[Level, str] | None:
        value = self.host_edit.text().strip()
        if value and not _HOST.fullmatch(value):
            return Level.ERROR, self.tr(
                "Enter only a host name or IP address (no “wss://”, no port, no spaces).")
        return None

    def _check_port(self) -> tuple[Level, str] | None:
        value = self.port_edit.text().strip()
        if not value:
            return None
        if not value.isdigit() or not 1 <= int(value) <= 65535:
            return Level.ERROR, self.tr(
                "The port must be a number from 1 to 65535 (empty: the default).")
        return None

    def _check_ca_file(self) -> tuple[Level, str] | None:
        value = self.ca_edit.text().strip()
        if value and not Path(value).expanduser().is_file():
            return Level.ERROR, self.tr("There is no such file.")
        return None

    def _check_api_base(self) -> tuple[Level, str] | None:
        if _is_web_address(self.api_base_edit.text().strip()):
            return None
        return Level.ERROR, self.tr(
            "Enter a full address such as https://panelapi.kobikom.com.tr "
            "(empty: the default).")

    def _check_sms_base(self) -> tuple[Level, str] | None:
        if _is_web_address(self.sms_base_edit.text().strip()):
            return None
        return Level.ERROR, self.tr(
            "Enter a full address such as https://sms.kobikom.com.tr (empty: the default).")

    def _check_prefix(self) -> tuple[Level, str] | None:
        value = self.prefix_edit.text().strip()
        if value and not _PREFIX.fullmatch(value):
            return Level.ERROR, self.tr(
                "Use only digits, * and #, e.g. 0 or 9.")
        return None

    # ------------------------------------------------------------------ secrets

    def _secret_edits(self) -> dict[SecretName, QLineEdit]:
        return {SecretName.PASSWORD: self.password_edit, SecretName.API_KEY: self.api_key_edit,
                SecretName.SMS_TOKEN: self.sms_token_edit,
                SecretName.SMS_API_KEY: self.sms_api_key_edit}

    def _set_loading(self, loading: bool) -> None:
        for edit in self._secret_edits().values():
            edit.setEnabled(not loading)
            edit.setPlaceholderText(
                self.tr("Reading the keyring…") if loading else self.tr("Not set"))
        self.save_button.setEnabled(not loading)
        self.status_label.setText(
            self.tr("Reading the saved password and API key…") if loading else "")

    async def _load_secrets(self) -> None:
        try:
            state = await asyncio.to_thread(_read_secrets, self._secrets,
                                            self._original.account.user)
        except Exception as exc:  # a broken keyring must not leave the dialog disabled
            log.warning("reading secrets failed: %s", type(exc).__name__)
            state = _Secrets(available=False, problem=self.tr(
                "the keyring could not be read ({error})").format(error=type(exc).__name__),
                user=self._original.account.user)
        if self._finished:
            return
        self._loaded = state
        self.password_edit.setText(state.password)
        self.api_key_edit.setText(state.api_key)
        self.sms_token_edit.setText(state.sms_token)
        self.sms_api_key_edit.setText(state.sms_api_key)
        self._set_loading(False)
        for name, edit in self._secret_edits().items():
            if name in state.from_env:
                edit.setEnabled(False)
                edit.setToolTip(self.tr(
                    "Set by the {name} environment variable, which takes precedence.").format(
                        name=name.env_var))
        if not state.available:
            problem = state.problem or self.tr("no working system keyring was found")
            self.keyring_box.show_message(
                NoticeKind.WARNING,
                self.tr("Passwords and keys are kept for this session only"),
                self.tr("You will have to enter them again after restarting the app. "
                        "Reason: {problem}.").format(problem=problem.rstrip(".")))

    def secrets_loaded(self) -> bool:
        return self._loaded is not None

    def _secret_changes(self, settings: Settings) -> list[SecretChange]:
        loaded = self._loaded
        assert loaded is not None
        changes: list[SecretChange] = []
        password = self.password_edit.text()
        user = settings.account.user
        if SecretName.PASSWORD not in loaded.from_env and (
                password != loaded.password or user != loaded.user):
            changes.append((SecretName.PASSWORD, user, password))
        for name, edit, stored in (
                (SecretName.API_KEY, self.api_key_edit, loaded.api_key),
                (SecretName.SMS_TOKEN, self.sms_token_edit, loaded.sms_token),
                (SecretName.SMS_API_KEY, self.sms_api_key_edit, loaded.sms_api_key)):
            value = edit.text().strip()
            if name not in loaded.from_env and value != stored:
                changes.append((name, "", value))
        return changes

    # ------------------------------------------------------------------ saving

    def _save_clicked(self) -> None:
        if self._busy or self._loaded is None:
            return
        self.error_box.setVisible(False)
        errors = self._validate()
        if errors:
            first = errors[0]
            self.tabs.setCurrentIndex(self._field_tab[first])
            self._field_widget[first].setFocus(Qt.FocusReason.OtherFocusReason)
            self.status_label.setText(self.tr("Please correct the fields marked in red."))
            return
        settings = self.settings()
        changes = self._secret_changes(settings)
        self._set_busy(True)
        self._tasks.spawn(self._save(settings, changes), name="settings-save")

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.tabs.setEnabled(not busy)
        self.status_label.setText(self.tr("Saving…") if busy else "")

    async def _save(self, settings: Settings, changes: list[SecretChange]) -> None:
        try:
            await asyncio.to_thread(save_settings, settings, self._config_path)
        except Exception as exc:  # disk full, read-only, a bad value: say so, keep the input
            if isinstance(exc, OSError) and exc.strerror:
                detail = exc.strerror
            elif isinstance(exc, (OSError, SettingsError)):
                detail = str(exc)
            else:
                log.exception("saving settings to %s failed", self._config_path)
                detail = type(exc).__name__
            log.warning("saving settings to %s failed: %s", self._config_path, detail)
            if not self._finished:
                self._set_busy(False)
                self.error_box.show_message(
                    NoticeKind.ERROR, self.tr("The settings could not be saved"),
                    self.tr("{file}: {error}").format(file=str(self._config_path),
                                                      error=detail))
            return
        log.info("settings saved to %s", self._config_path)
        try:
            problems = await asyncio.to_thread(_write_secrets, self._secrets, changes)
        except Exception as exc:  # SecretStore only raises SecretStoreError; be safe anyway
            log.exception("storing secrets failed")
            problems = [self.tr("storing the secrets failed ({error})").format(
                error=type(exc).__name__)]
        self._original = settings
        if self._loaded is not None:
            self._remember_saved(settings, changes, problems)
        self.settingsSaved.emit(copy.deepcopy(settings))
        if self._finished:
            return
        self._set_busy(False)
        if problems:
            self.error_box.show_message(
                NoticeKind.ERROR,
                self.tr("The settings were saved, but the keyring refused a secret"),
                "\n".join(problems))
            return
        self.accept()

    def _remember_saved(self, settings: Settings, changes: list[SecretChange],
                        problems: list[str]) -> None:
        """After a save, the stored state is the new baseline (unless the keyring refused)."""
        loaded = self._loaded
        assert loaded is not None
        if problems:
            return
        for name, _account, value in changes:
            if name is SecretName.PASSWORD:
                loaded.password = value
            elif name is SecretName.API_KEY:
                loaded.api_key = value
            elif name is SecretName.SMS_TOKEN:
                loaded.sms_token = value
            elif name is SecretName.SMS_API_KEY:
                loaded.sms_api_key = value
        loaded.user = settings.account.user

    # ------------------------------------------------------------------ geometry

    def _fit_height(self) -> None:
        """Keep the dialog at least as tall as its word-wrapped texts need at its width.

        Qt derives a window's minimum size from ``minimumSize()`` of its
        layout, which ignores height-for-width: a form of word-wrapping help
        texts would be squashed.  The tab widget's height-for-width covers
        every tab (hidden ones too), so switching tabs does not resize.
        """
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
            if self.height() < needed:
                self.resize(self.width(), needed)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self._fit_height()
        return handled

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    # ------------------------------------------------------------------ closing

    def done(self, result: int) -> None:
        self._finished = True
        if self._ca_dialog is not None:
            self._ca_dialog = None
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()  # the file is being written; closing now would hide the outcome
            return
        self._finished = True
        super().closeEvent(event)

    def reject(self) -> None:
        if self._busy:
            return  # the file is being written; closing now would hide the outcome
        super().reject()


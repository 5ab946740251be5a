"""The Settings dialog's tabs beyond the account: general, calls, SMS and history.

:class:`SettingsTabs` is the base class of :class:`~desktop.ui.settings_dialog.SettingsDialog`
(the account and connection tabs come from the shared
:class:`~desktop.ui.account_form.AccountForm`).  It builds the tabs, fills
them from :class:`~desktop.core.settings.Settings`, reads them back and
checks their fields; each row names the settings key it edits, so that keys
the administrator's policy locks are greyed out like the account's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop.core import tel_links
from desktop.core.settings import PopupCorner, Settings
from desktop.pbx.connection import DEFAULT_OLD_SMS_BASE, DEFAULT_SMS_BASE, Flavor, Transport
from desktop.ui.account_form import is_web_address
from desktop.ui.autostart_switch import StartAtLogin
from desktop.ui.form_rows import FormRows, Level

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTabWidget

    from desktop.ui.account_form import AccountForm

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
#: What :func:`desktop.core.dialing.dial_target` accepts as an outside-line prefix.
_PREFIX: Final = re.compile(r"[0-9*#]+")


class SettingsTabs(QDialog):
    """General, calls, SMS and history tabs: the base class of the Settings dialog.

    (A base class rather than a mixin: Qt's translation context of its strings
    is "SettingsTabs", which the dialog's ``tr`` finds through the class chain.)
    """

    tabs: QTabWidget
    form: AccountForm
    start_at_login: StartAtLogin
    _pages: dict[str, FormRows]

    def _tab(self, title: str) -> FormRows:
        page = QWidget(self.tabs)
        rows = FormRows(page)
        self.tabs.addTab(page, title)
        return rows

    # ------------------------------------------------------------------ building

    def _build_general_tab(self, start_at_login: StartAtLogin) -> FormRows:
        rows = self._tab(self.tr("General"))
        self.start_at_login = start_at_login
        rows.add("autostart", self.tr("Start:"), start_at_login,
                 self.tr("Kobikom Desktop waits in the tray from the moment you log in, so "
                         "no call goes unseen."))
        self.popup_enabled_check = QCheckBox(self.tr("Show a popup when a call rings"))
        rows.add("popup_enabled", "", self.popup_enabled_check, key="popup.enabled")
        self.corner_combo = QComboBox()
        for corner, text in (
            (PopupCorner.BOTTOM_RIGHT, self.tr("Bottom right")),
            (PopupCorner.TOP_RIGHT, self.tr("Top right")),
            (PopupCorner.BOTTOM_LEFT, self.tr("Bottom left")),
            (PopupCorner.TOP_LEFT, self.tr("Top left")),
        ):
            self.corner_combo.addItem(text, corner)
        rows.add("corner", self.tr("Screen corner:"), self.corner_combo,
                 self.tr("On the screen where the mouse is."), key="popup.corner")
        self.auto_close_spin = QSpinBox()
        self.auto_close_spin.setRange(AUTO_CLOSE_MIN, AUTO_CLOSE_MAX)
        self.auto_close_spin.setSuffix(self.tr(" s"))
        rows.add("auto_close", self.tr("Close after:"), self.auto_close_spin,
                 self.tr("How long the popup of an ended call stays. Missed calls stay until "
                         "you close them."), key="popup.auto_close_seconds")
        self.language_combo = QComboBox()
        self.language_combo.addItem(self.tr("System language"), "")
        self.language_combo.addItem("Türkçe", "tr")
        self.language_combo.addItem("English", "en")
        self.language_help = rows.add(
            "language", self.tr("Language:"), self.language_combo,
            self.tr("A new language takes effect when Kobikom Desktop is restarted."),
            key="ui.language")
        self.popup_enabled_check.toggled.connect(self._update_popup_fields)
        return rows

    def _build_calls_tab(self) -> FormRows:
        rows = self._tab(self.tr("Calls"))
        self.prefix_edit = QLineEdit()
        self.prefix_edit.setMaxLength(PREFIX_MAX_LENGTH)
        self.prefix_edit.setPlaceholderText(self.tr("None"))
        rows.add("prefix", self.tr("Outside line prefix:"), self.prefix_edit,
                 self.tr("Dialled before outside numbers, e.g. 0 or 9, if your PBX needs "
                         "one. Not used for extensions."), key="dial.outside_line_prefix")
        self.confirm_international_check = QCheckBox(
            self.tr("Ask before calling international or premium-rate numbers"))
        rows.add("confirm_international", "", self.confirm_international_check,
                 key="dial.confirm_international")
        self.tel_links_check = QCheckBox(
            self.tr("Open tel:, callto: and sip: links with Kobikom Desktop"))
        self.tel_links_help = rows.add("tel_links", "", self.tel_links_check,
                                       key="ui.register_tel_links")
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
        self.originate_help = rows.add("originate", "", self.originate_check,
                                       key="dial.use_ws_originate")
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
        rows.add("ring_timeout", self.tr("Ring timeout:"), timings,
                 self.tr("Sent with originate as given (Kobikom's example: 30000 and "
                         "15000)."), focus=self.ring_timeout_spin, key="dial.ring_timeout_ms",
                 widgets=[self.ring_timeout_spin, self.wait_response_spin])
        self.trunk_edit = QLineEdit()
        self.trunk_edit.setPlaceholderText(self.tr("kobikom (default)"))
        rows.add("trunk", self.tr("Trunk:"), self.trunk_edit,
                 self.tr("The outgoing line for originate. Leave empty unless Kobikom "
                         "gave you another name."), key="dial.trunk")
        self.originate_check.toggled.connect(self._update_originate_fields)
        # [board]: the team and queue board's badge (desktop/ui/board_service.py).
        self.waiting_badge_check = QCheckBox(
            self.tr("Show on the tray icon how many callers wait in my queues"))
        rows.add("waiting_badge", "", self.waiting_badge_check, key="board.waiting_badge")
        self.my_queues_edit = QLineEdit()
        self.my_queues_edit.setPlaceholderText(self.tr("The queues I answer"))
        rows.add("my_queues", self.tr("My queues:"), self.my_queues_edit,
                 self.tr("Queue numbers or names, separated by commas. Empty: the queues "
                         "you are seen answering, else all of them."), key="board.queues")
        return rows

    def _build_sms_tab(self) -> FormRows:
        rows = self._tab(self.tr("SMS"))
        self.sms_api_combo = QComboBox()
        self.sms_api_combo.addItem(self.tr("New SMS API (sms.kobikom.com.tr)"), "new")
        self.sms_api_combo.addItem(self.tr("Old SMS API (smspaneli.kobikom.com.tr)"), "old")
        rows.add("sms_api", self.tr("SMS service:"), self.sms_api_combo,
                 self.tr("Use the one your SMS panel belongs to."), key="sms.api")
        self.sms_token_edit = QLineEdit()
        self.sms_token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        rows.add("sms_token", self.tr("SMS token:"), self.sms_token_edit,
                 self.tr("In the SMS panel under Ayarlar > SMS API. Kept in the system "
                         "keyring."))
        self.sms_api_key_edit = QLineEdit()
        self.sms_api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        rows.add("sms_api_key", self.tr("SMS API key:"), self.sms_api_key_edit,
                 self.tr("In the SMS panel under Ayarlar > SMS API. Kept in the system "
                         "keyring."))
        self.sms_base_edit = QLineEdit()
        rows.add("sms_base", self.tr("SMS address:"), self.sms_base_edit,
                 self.tr("Leave empty for Kobikom's (shown in grey)."), key="sms.base")
        self.sms_sender_edit = QLineEdit()
        self.sms_sender_edit.setPlaceholderText(self.tr("e.g. FIRMAADI"))
        rows.add("sms_sender", self.tr("Default sender:"), self.sms_sender_edit,
                 self.tr("The sender title (başlık) chosen first; the SMS window "
                         "remembers the last one you used."), key="sms.sender")
        self.agent_name_edit = QLineEdit()
        self.agent_name_edit.setPlaceholderText(self.tr("e.g. Ayşe Yıldız"))
        rows.add("agent_name", self.tr("Your name:"), self.agent_name_edit,
                 self.tr("Fills in {agent} in SMS templates."), key="sms.agent_name")
        self.sms_api_combo.currentIndexChanged.connect(self._update_sms_fields)
        return rows

    def _build_history_tab(self) -> FormRows:
        rows = self._tab(self.tr("History"))
        self.recordings_cache_spin = QSpinBox()
        self.recordings_cache_spin.setRange(RECORDINGS_CACHE_MB_MIN, RECORDINGS_CACHE_MB_MAX)
        self.recordings_cache_spin.setSingleStep(RECORDINGS_CACHE_MB_STEP)
        self.recordings_cache_spin.setSuffix(self.tr(" MB"))
        rows.add("recordings_cache", self.tr("Recordings kept:"), self.recordings_cache_spin,
                 self.tr("Recordings you played are kept on this computer up to this size; "
                         "the ones not played for longest are removed first."),
                 key="history.recordings_cache_mb")
        return rows

    # ------------------------------------------------------------------ values

    def _fill_tabs(self, settings: Settings) -> None:
        self.popup_enabled_check.setChecked(settings.popup.enabled)
        self.corner_combo.setCurrentIndex(self.corner_combo.findData(settings.popup.corner))
        self.auto_close_spin.setValue(settings.popup.auto_close_seconds)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(
            settings.ui.language)))
        dial = settings.dial
        self.prefix_edit.setText(dial.outside_line_prefix)
        self.confirm_international_check.setChecked(dial.confirm_international)
        self.tel_links_check.setChecked(settings.ui.register_tel_links)
        self.originate_check.setChecked(dial.use_ws_originate)
        self.ring_timeout_spin.setValue(dial.ring_timeout_ms)
        self.wait_response_spin.setValue(dial.wait_response_ms)
        self.trunk_edit.setText(dial.trunk)
        self.waiting_badge_check.setChecked(settings.board.waiting_badge)
        self.my_queues_edit.setText(", ".join(settings.board.queues))
        sms = settings.sms
        self.sms_api_combo.setCurrentIndex(
            self.sms_api_combo.findData("old" if sms.api == "old" else "new"))
        self.sms_base_edit.setText(sms.base)
        self.sms_sender_edit.setText(sms.sender)
        self.agent_name_edit.setText(sms.agent_name)
        self.recordings_cache_spin.setValue(settings.history.recordings_cache_mb)
        self._update_popup_fields()
        self._update_sms_fields()

    def _apply_tabs(self, new: Settings) -> None:
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
        new.board.waiting_badge = self.waiting_badge_check.isChecked()
        new.board.queues = [q.strip() for q in self.my_queues_edit.text().split(",")
                            if q.strip()]
        new.sms.api = self.sms_api
        new.sms.base = self.sms_base_edit.text().strip()
        new.sms.sender = self.sms_sender_edit.text().strip()
        new.sms.agent_name = self.agent_name_edit.text().strip()
        new.history.recordings_cache_mb = self.recordings_cache_spin.value()

    @property
    def sms_api(self) -> str:
        """"new" or "old" (the SMS API chosen)."""
        return "old" if self.sms_api_combo.currentData() == "old" else "new"

    # ------------------------------------------------------------------ reacting

    def originate_available(self) -> bool:
        """``originate`` is a Tekil WebSocket command: other connections cannot use it."""
        return self.form.flavor is Flavor.TEKIL and self.form.transport is Transport.WS

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
        self._pages["calls"].enforce_locks()

    def _update_sms_fields(self) -> None:
        old = self.sms_api == "old"
        rows = self._pages["sms"]
        rows.set_visible("sms_token", not old)
        rows.set_visible("sms_api_key", old)
        default = DEFAULT_OLD_SMS_BASE if old else DEFAULT_SMS_BASE
        self.sms_base_edit.setPlaceholderText(self.tr("{value} (default)").format(value=default))

    def _update_popup_fields(self) -> None:
        enabled = self.popup_enabled_check.isChecked()
        self.corner_combo.setEnabled(enabled)
        self.auto_close_spin.setEnabled(enabled)
        self._pages["general"].enforce_locks()

    # ------------------------------------------------------------------ validation

    def _check_tabs(self) -> dict[str, tuple[Level, str] | None]:
        return {"prefix": self._check_prefix(), "sms_base": self._check_sms_base()}

    def _check_sms_base(self) -> tuple[Level, str] | None:
        if is_web_address(self.sms_base_edit.text().strip()):
            return None
        return Level.ERROR, self.tr(
            "Enter a full address such as https://sms.kobikom.com.tr (empty: the default).")

    def _check_prefix(self) -> tuple[Level, str] | None:
        value = self.prefix_edit.text().strip()
        if value and not _PREFIX.fullmatch(value):
            return Level.ERROR, self.tr("Use only digits, * and #, e.g. 0 or 9.")
        return None

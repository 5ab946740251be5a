"""The Settings dialog's CRM and Directory tabs, and the dial hotkey's row.

:class:`IntegrationPages` builds two tabs with :class:`~desktop.ui.form_rows.FormRows`
rows that name their settings keys, so that the administrator's policy locks
them like every other row:

* **CRM**: the CRM address template and when it opens;
* **Directory**: LDAP / Active Directory (server, base DN, bind user and its
  password, filter, attributes, time budget) and the HTTP lookup (address,
  token, time budget);
* the **dial hotkey** goes on the dialog's Calls tab (``calls_rows``: where the
  agent looks for ways to call), or on the CRM tab when there is none.

The templates are checked as they are typed with the same rules as the
settings file (:data:`desktop.core.settings.VALUE_CHECKS`; the LDAP filter
also by ldap3), and refused ones keep the dialog open.  The two secrets (the
LDAP bind password, the lookup token) are edited here but stored by the
dialog in the keyring with the account's other secrets.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QTabWidget, QWidget

from desktop.core.hotkeys import check_hotkey
from desktop.core.secrets import SecretName
from desktop.core.settings import LOOKUP_TIMEOUT_RANGE_MS, CrmOpenOn, Settings, check_value
from desktop.ui.form_rows import COLOR_WARNING, FormRows, Level
from desktop.ui.integration_texts import error_text

#: Step of the time budgets (ms).
TIMEOUT_STEP_MS: Final = 100
#: Longest text of an address or DN field.
MAX_FIELD_CHARS: Final = 2000

Check = tuple[Level, str] | None


class IntegrationPages(QObject):
    """The CRM and Directory tabs and the hotkey row; the dialog calls
    fill/apply/check/lock (the rows of *calls_rows* are the dialog's to lock)."""

    def __init__(self, tabs: QTabWidget, calls_rows: FormRows | None = None) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.crm_page = QWidget(tabs)
        self.crm_rows = FormRows(self.crm_page)
        self.directory_page = QWidget(tabs)
        self.directory_rows = FormRows(self.directory_page)
        #: Where the dial hotkey's row is.
        self.hotkey_rows = calls_rows if calls_rows is not None else self.crm_rows
        self._build_crm()
        self._build_hotkey()
        self._build_directory()
        tabs.addTab(self.crm_page, self.tr("CRM"))
        tabs.addTab(self.directory_page, self.tr("Directory"))

    # ------------------------------------------------------------------ building

    @staticmethod
    def _line_edit(placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setMaxLength(MAX_FIELD_CHARS)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        return edit

    @staticmethod
    def _timeout_spin() -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(*LOOKUP_TIMEOUT_RANGE_MS)
        spin.setSingleStep(TIMEOUT_STEP_MS)
        return spin

    def _build_crm(self) -> None:
        rows = self.crm_rows
        self.crm_url_edit = self._line_edit("https://crm.example.com/search?phone={e164}")
        rows.add("crm_url", self.tr("CRM address:"), self.crm_url_edit, self.tr(
            "Opened in your browser for a call. Variables: {number} {e164} {national} "
            "{international} {name} {company} {call_id} {extension} {queue} {direction}."),
            key="crm.url")
        self.open_on_combo = QComboBox()
        for value, text in ((CrmOpenOn.RING, self.tr("When a call rings")),
                            (CrmOpenOn.ANSWER, self.tr("When I answer")),
                            (CrmOpenOn.CLICK, self.tr("Only when I click Open in CRM"))):
            self.open_on_combo.addItem(text, value)
        rows.add("crm_open_on", self.tr("Open the page:"), self.open_on_combo, self.tr(
            "Once per incoming call. The popup and the call history have an Open in CRM "
            "button."), key="crm.open_on")
        self.crm_url_edit.textChanged.connect(self._changed)

    def _build_hotkey(self) -> None:
        rows = self.hotkey_rows
        self.hotkey_edit = self._line_edit(self.tr("None"))
        self.hotkey_help = rows.add("hotkey", self.tr("Dial hotkey:"), self.hotkey_edit, self.tr(
            "Press it in any program to call the selected number (or the copied one), after "
            "a confirmation. E.g. Ctrl+Alt+D; empty for none."), key="hotkey.dial")
        self.hotkey_status = QLabel(rows.page)
        self.hotkey_status.setTextFormat(Qt.TextFormat.PlainText)
        self.hotkey_status.setWordWrap(True)
        self.hotkey_status.setObjectName("hotkeyStatus")
        # A warning's colour: the hotkey does not work now (the value itself is fine).
        self.hotkey_status.setStyleSheet(f"color: {COLOR_WARNING};")
        self.hotkey_status.hide()
        box_layout = rows.rows["hotkey"].box.layout()
        assert box_layout is not None
        box_layout.addWidget(self.hotkey_status)
        self.hotkey_edit.textChanged.connect(self._changed)

    def _build_directory(self) -> None:
        rows = self.directory_rows
        self.ldap_url_edit = self._line_edit("ldap://dc1.example.com.tr:389")
        rows.add("ldap_url", self.tr("LDAP server:"), self.ldap_url_edit, self.tr(
            "LDAP or Active Directory, looked up for callers your contacts do not know. "
            "Empty: not used."), key="ldap.url")
        self.base_dn_edit = self._line_edit("ou=people,dc=example,dc=com,dc=tr")
        rows.add("ldap_base_dn", self.tr("Base DN:"), self.base_dn_edit, key="ldap.base_dn")
        self.bind_dn_edit = self._line_edit(self.tr("Anonymous"))
        rows.add("ldap_bind_dn", self.tr("Bind user:"), self.bind_dn_edit, key="ldap.bind_dn")
        self.ldap_password_edit = self._line_edit(self.tr("Not set"))
        self.ldap_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        rows.add("ldap_password", self.tr("Bind password:"), self.ldap_password_edit,
                 self.tr("Kept in the system keyring."))
        self.filter_edit = self._line_edit("(|(telephoneNumber={e164})(mobile={e164}))")
        rows.add("ldap_filter", self.tr("Filter:"), self.filter_edit, self.tr(
            "Variables: {number} {e164} {national} {international}. Empty: the default "
            "shown."), key="ldap.filter")
        self.name_attr_edit = self._line_edit("displayName,cn")
        rows.add("ldap_name_attribute", self.tr("Name attributes:"), self.name_attr_edit,
                 self.tr("The first one with a value is shown."), key="ldap.name_attribute")
        self.company_attr_edit = self._line_edit("company,o")
        rows.add("ldap_company_attribute", self.tr("Company attributes:"),
                 self.company_attr_edit, key="ldap.company_attribute")
        self.ldap_timeout_spin = self._timeout_spin()
        self.ldap_timeout_spin.setSuffix(self.tr(" ms"))
        rows.add("ldap_timeout", self.tr("Wait at most:"), self.ldap_timeout_spin, self.tr(
            "The popup shows at once; the name is filled in if the server answers in "
            "time."), key="ldap.timeout_ms")
        self.http_url_edit = self._line_edit("https://crm.example.com/api/caller?phone={e164}")
        rows.add("http_url", self.tr("CRM lookup address:"), self.http_url_edit, self.tr(
            "Asked after LDAP; answers a contact as JSON (see the README). Variables: "
            "{number} {e164} {national} {international}."), key="http_lookup.url")
        self.http_token_edit = self._line_edit(self.tr("Not set"))
        self.http_token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        rows.add("http_token", self.tr("Lookup token:"), self.http_token_edit, self.tr(
            "Sent as a bearer token; kept in the system keyring."))
        self.http_timeout_spin = self._timeout_spin()
        self.http_timeout_spin.setSuffix(self.tr(" ms"))
        rows.add("http_timeout", self.tr("Wait at most:"), self.http_timeout_spin,
                 key="http_lookup.timeout_ms")
        for edit in (self.ldap_url_edit, self.filter_edit, self.http_url_edit):
            edit.textChanged.connect(self._changed)
        self.ldap_url_edit.textChanged.connect(self.update_enabled)
        self.http_url_edit.textChanged.connect(self.update_enabled)

    # ------------------------------------------------------------------ values

    def fill(self, settings: Settings) -> None:
        self.crm_url_edit.setText(settings.crm.url)
        self.open_on_combo.setCurrentIndex(max(0, self.open_on_combo.findData(
            settings.crm.open_on)))
        self.hotkey_edit.setText(settings.hotkey.dial)
        ldap = settings.ldap
        self.ldap_url_edit.setText(ldap.url)
        self.base_dn_edit.setText(ldap.base_dn)
        self.bind_dn_edit.setText(ldap.bind_dn)
        self.filter_edit.setText(ldap.filter)
        self.name_attr_edit.setText(ldap.name_attribute)
        self.company_attr_edit.setText(ldap.company_attribute)
        self.ldap_timeout_spin.setValue(ldap.timeout_ms)
        self.http_url_edit.setText(settings.http_lookup.url)
        self.http_timeout_spin.setValue(settings.http_lookup.timeout_ms)
        self.update_enabled()

    def apply(self, settings: Settings) -> None:
        """Write the fields into *settings* (checked values in canonical form)."""
        settings.crm.url = self.crm_url_edit.text().strip()
        settings.crm.open_on = self.open_on_combo.currentData()
        try:
            settings.hotkey.dial = check_hotkey(self.hotkey_edit.text())
        except ValueError:
            settings.hotkey.dial = self.hotkey_edit.text().strip()  # refused by check()
        ldap = settings.ldap
        ldap.url = self.ldap_url_edit.text().strip()
        ldap.base_dn = self.base_dn_edit.text().strip()
        ldap.bind_dn = self.bind_dn_edit.text().strip()
        ldap.filter = self.filter_edit.text().strip()
        ldap.name_attribute = self.name_attr_edit.text().strip() or "displayName,cn"
        ldap.company_attribute = self.company_attr_edit.text().strip()
        ldap.timeout_ms = self.ldap_timeout_spin.value()
        settings.http_lookup.url = self.http_url_edit.text().strip()
        settings.http_lookup.timeout_ms = self.http_timeout_spin.value()

    def secret_edits(self) -> dict[SecretName, QLineEdit]:
        return {SecretName.LDAP_PASSWORD: self.ldap_password_edit,
                SecretName.HTTP_LOOKUP_TOKEN: self.http_token_edit}

    def secret_account(self, name: SecretName) -> str:
        """The keyring account of a secret edited here (the bind DN for LDAP)."""
        return self.bind_dn_edit.text().strip() if name is SecretName.LDAP_PASSWORD else ""

    # ------------------------------------------------------------------ checks

    def check(self) -> dict[str, Check]:
        """Every field's inline message (None: fine)."""
        return {
            "crm_url": _checked("crm.url", self.crm_url_edit.text()),
            "hotkey": _checked("hotkey.dial", self.hotkey_edit.text()),
            "ldap_url": _checked("ldap.url", self.ldap_url_edit.text()),
            "ldap_filter": _checked_filter(self.filter_edit.text()),
            "ldap_base_dn": (Level.ERROR, self.tr("Write the base DN to search under."))
            if self.ldap_url_edit.text().strip() and not self.base_dn_edit.text().strip()
            else None,
            "http_url": _checked("http_lookup.url", self.http_url_edit.text()),
        }

    def validate(self) -> list[str]:
        """Show the messages; the names of the fields with errors."""
        errors = []
        for name, result in self.check().items():
            rows = self.rows_of(name)
            rows.set_message(name, *(result or (None, "")))
            if result is not None and result[0] is Level.ERROR:
                errors.append(name)
        return errors

    def rows_of(self, name: str) -> FormRows:
        return next(rows for rows in (self.crm_rows, self.directory_rows, self.hotkey_rows)
                    if name in rows.rows)

    def lock(self, keys: object) -> None:
        for rows in (self.crm_rows, self.directory_rows):
            rows.lock(keys)  # type: ignore[arg-type]
        self.update_enabled()

    def set_hotkey_problem(self, text: str) -> None:
        """Why the registered hotkey does not work now ("" when it does)."""
        self.hotkey_status.setText(text)
        self.hotkey_status.setVisible(bool(text))

    # ------------------------------------------------------------------ reacting

    def _changed(self) -> None:
        self.validate()

    def update_enabled(self) -> None:
        """Grey out what an empty server address makes useless (and the locked rows)."""
        ldap = bool(self.ldap_url_edit.text().strip())
        for edit in (self.base_dn_edit, self.bind_dn_edit, self.ldap_password_edit,
                     self.filter_edit, self.name_attr_edit, self.company_attr_edit,
                     self.ldap_timeout_spin):
            edit.setEnabled(ldap)
        http = bool(self.http_url_edit.text().strip())
        self.http_token_edit.setEnabled(http)
        self.http_timeout_spin.setEnabled(http)
        self.directory_rows.enforce_locks()


def _checked(key: str, text: str) -> Check:
    try:
        check_value(key, text)
    except ValueError as exc:
        return Level.ERROR, error_text(exc)
    return None


def _checked_filter(text: str) -> Check:
    from desktop.core.remote_ldap import check_filter

    try:
        check_filter(text)
    except ValueError as exc:
        return Level.ERROR, error_text(exc)
    return None

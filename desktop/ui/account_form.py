"""The account form: one set of account and connection fields for two hosts.

The Settings dialog (:mod:`desktop.ui.settings_dialog`) and the setup wizard
(:mod:`desktop.ui.setup_wizard`) both edit the same things: the account type,
the sign-in e-mail and password, the Tekil API key or the KobiPBX domain, the
extension, and the connection (transport, server, port, TLS, CA file, REST
address).  :class:`AccountForm` builds those fields once, in two pages the
host places where it likes (the dialog: two tabs; the wizard: the sign-in
page, with the connection under "Advanced"), and owns what they share:

* filling them from :class:`~desktop.core.settings.Settings` and reading them
  back (:meth:`fill`, :meth:`apply`);
* help texts and placeholders that follow the account type and transport
  (Kobikom's documented defaults are shown in grey);
* inline validation (:meth:`validate`: errors block saving, warnings do not);
* locks: keys the administrator's policy fixes are greyed out with "Set by
  your administrator" (:meth:`lock`).

Secrets (password, API key) are only shown and read here; the hosts load
and store them through the keyring off the GUI thread.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.core.secrets import USER_ENV
from desktop.core.settings import Settings
from desktop.pbx.connection import DEFAULT_API_BASE, Flavor, Transport, default_endpoint
from desktop.ui.form_rows import FormRows, Level

_UUID: Final = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_EXTENSION: Final = re.compile(r"\d{1,10}")
_HOST: Final = re.compile(r"[A-Za-z0-9.\-_]+|\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+")
#: Field rows and the settings keys they edit (locks name keys).
ROW_KEYS: Final = {
    "flavor": "account.flavor", "extensions": "account.extensions",
    "domain": "account.domain_uuid", "user": "account.user",
    "ws_token": "account.ws_login_with_token", "transport": "account.transport",
    "host": "server.host", "port": "server.port", "tls": "server.tls",
    "ca_file": "server.ca_file", "api_base": "server.api_base",
}


def is_web_address(value: str) -> bool:
    """Empty (the default) or a full http(s) address with a host."""
    if not value:
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


class AccountForm(QObject):
    """Account and connection fields in two pages (see the module docstring).

    Signals:
        changed(): a field changed (the host re-validates, updates its buttons).
    """

    changed = Signal()

    def __init__(self, parent: QWidget, *, show_flavor: bool = True,
                 show_extensions: bool = True,
                 margins: tuple[int, int, int, int] = (14, 14, 14, 10)) -> None:
        super().__init__(parent)
        self._parent = parent
        self._flavor = Flavor.BULUT
        #: The TLS choice for WebSocket, kept while TCP is selected.
        self._ws_tls = True
        self._file_dialog: QFileDialog | None = None
        self.identity = QWidget(parent)
        self.identity.setObjectName("accountIdentity")
        self.connection = QWidget(parent)
        self.connection.setObjectName("accountConnection")
        self.identity_rows = FormRows(self.identity, margins=margins)
        self.connection_rows = FormRows(self.connection, margins=margins)
        self._build_identity()
        self._build_connection()
        self.identity_rows.set_visible("flavor", show_flavor)
        self.identity_rows.set_visible("extensions", show_extensions)
        self._show_extensions = show_extensions

    # ------------------------------------------------------------------ building

    def _build_identity(self) -> None:
        rows = self.identity_rows
        self.flavor_combo = QComboBox()
        self.flavor_combo.addItem(self.tr("Tekil Santral"), Flavor.TEKIL)
        self.flavor_combo.addItem(self.tr("Bulut Santral (KobiPBX)"), Flavor.BULUT)
        self.flavor_help = rows.add("flavor", self.tr("Account type:"), self.flavor_combo,
                                    key=ROW_KEYS["flavor"])

        self.extensions_edit = QLineEdit()
        self.extensions_edit.setPlaceholderText(self.tr("e.g. 1001"))
        rows.add("extensions", self.tr("Your extension(s):"), self.extensions_edit,
                 self.tr("The internal number of your desk phone or softphone. Several: "
                         "separate them with commas (1001, 1002)."),
                 key=ROW_KEYS["extensions"])

        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText(self.tr("name@company.com.tr"))
        self.user_edit.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.user_help = rows.add("user", self.tr("Login e-mail:"), self.user_edit,
                                  key=ROW_KEYS["user"])

        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_help = rows.add("password", self.tr("Password:"), self.password_edit)

        self.api_key_edit = QLineEdit()
        self.api_key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        rows.add("api_key", self.tr("API key:"), self.api_key_edit,
                 self.tr("The \"API ANAHTARI\" (API key) shown in your Kobikom panel. Used to "
                         "log in to the live call events."))

        self.domain_edit = QLineEdit()
        self.domain_edit.setPlaceholderText("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
        rows.add("domain", self.tr("Domain UUID:"), self.domain_edit,
                 self.tr("Provided by Kobikom's technical team. It is the only key to your "
                         "company's live call events: keep it private."),
                 key=ROW_KEYS["domain"])

        self.ws_token_check = QCheckBox(
            self.tr("Log in to the Tekil WebSocket with the panel token instead of the API key"))
        self.ws_token_help = rows.add("ws_token", "", self.ws_token_check,
                                      self.tr("The token comes from logging in with the "
                                              "e-mail and password above."),
                                      key=ROW_KEYS["ws_token"])

        self.flavor_combo.currentIndexChanged.connect(self._flavor_chosen)
        for edit in (self.extensions_edit, self.domain_edit, self.user_edit,
                     self.password_edit, self.api_key_edit):
            edit.textChanged.connect(self.changed)
        self.ws_token_check.toggled.connect(self.update)

    def _build_connection(self) -> None:
        rows = self.connection_rows
        self.transport_combo = QComboBox()
        self.transport_combo.addItem(self.tr("TCP"), Transport.TCP)
        self.transport_combo.addItem(self.tr("WebSocket"), Transport.WS)
        self.transport_help = rows.add("transport", self.tr("Live events over:"),
                                       self.transport_combo, key=ROW_KEYS["transport"])
        self.host_edit = QLineEdit()
        rows.add("host", self.tr("Server:"), self.host_edit,
                 self.tr("Leave empty for Kobikom's server (shown in grey)."),
                 key=ROW_KEYS["host"])
        self.port_edit = QLineEdit()
        self.port_edit.setMaxLength(5)
        self.port_help = rows.add("port", self.tr("Port:"), self.port_edit,
                                  key=ROW_KEYS["port"])
        self.tls_check = QCheckBox(self.tr("Encrypted connection (TLS, wss://)"))
        self.tls_help = rows.add("tls", self.tr("Security:"), self.tls_check,
                                 key=ROW_KEYS["tls"])
        ca_row = QHBoxLayout()
        ca_row.setSpacing(6)
        self.ca_edit = QLineEdit()
        self.ca_edit.setPlaceholderText(self.tr("None (the system's certificates)"))
        self.ca_button = QPushButton(self.tr("Browse…"))
        self.ca_button.setAutoDefault(False)
        self.ca_button.clicked.connect(self.browse_ca)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        rows.add("ca_file", self.tr("CA certificate:"), ca_row,
                 self.tr("Optional, only for a private or test certificate authority (PEM "
                         "file). Certificates are always verified."), focus=self.ca_edit,
                 key=ROW_KEYS["ca_file"], widgets=[self.ca_edit, self.ca_button])
        self.api_base_edit = QLineEdit()
        rows.add("api_base", self.tr("REST address:"), self.api_base_edit,
                 self.tr("The panel API used for calls, history and the phonebook. Leave "
                         "empty for Kobikom's (shown in grey)."), key=ROW_KEYS["api_base"])
        self.transport_combo.currentIndexChanged.connect(self.update)
        self.tls_check.toggled.connect(self._tls_toggled)
        for edit in (self.host_edit, self.port_edit, self.ca_edit, self.api_base_edit):
            edit.textChanged.connect(self.changed)

    # ------------------------------------------------------------------ values

    @property
    def flavor(self) -> Flavor:
        if self.identity_rows.visible("flavor"):
            value = self.flavor_combo.currentData()
            return value if isinstance(value, Flavor) else Flavor.BULUT
        return self._flavor

    def set_flavor(self, flavor: Flavor) -> None:
        """Choose the account type (the wizard asks for it on its first page)."""
        self._flavor = flavor
        self.flavor_combo.setCurrentIndex(self.flavor_combo.findData(flavor))
        self.update()

    @property
    def transport(self) -> Transport:
        value = self.transport_combo.currentData()
        return value if isinstance(value, Transport) else Transport.TCP

    def extensions(self) -> list[str]:
        return [part.strip() for part in self.extensions_edit.text().split(",") if part.strip()]

    def fill(self, settings: Settings) -> None:
        acct, server = settings.account, settings.server
        self._flavor = acct.flavor
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
        self.update()

    def apply(self, settings: Settings) -> Settings:
        """A copy of *settings* with the account and connection as entered."""
        new = copy.deepcopy(settings)
        acct, server = new.account, new.server
        acct.flavor = self.flavor
        acct.transport = self.transport
        if self._show_extensions:
            acct.extensions = self.extensions()
        if self.flavor is Flavor.BULUT:
            acct.domain_uuid = self.domain_edit.text().strip()
        acct.user = self.user_edit.text().strip()
        acct.ws_login_with_token = self.ws_token_check.isChecked()
        server.host = self.host_edit.text().strip()
        port = self.port_edit.text().strip()
        server.port = int(port) if port.isdigit() else 0
        if self.transport is Transport.WS and not self.identity_rows.is_locked("tls") \
                and not self.connection_rows.is_locked("tls"):
            default_tls = default_endpoint(self.flavor, Transport.WS).tls
            checked = self.tls_check.isChecked()
            server.tls = "" if checked == default_tls else ("true" if checked else "false")
        server.ca_file = self.ca_edit.text().strip()
        server.api_base = self.api_base_edit.text().strip()
        return new

    # ------------------------------------------------------------------ reacting

    def _flavor_chosen(self, *_args: object) -> None:
        value = self.flavor_combo.currentData()
        if isinstance(value, Flavor):
            self._flavor = value
        self.update()

    def _tls_toggled(self, checked: bool) -> None:
        if self.transport is Transport.WS:
            self._ws_tls = checked
        self.update()

    def update(self, *_args: object) -> None:
        """Help texts, placeholders and which fields apply, for the type and transport."""
        flavor, transport = self.flavor, self.transport
        tekil = flavor is Flavor.TEKIL
        rows = self.identity_rows
        rows.set_visible("domain", not tekil)
        self.domain_edit.setEnabled(not tekil)
        rows.set_visible("api_key", tekil)
        rows.set_visible("ws_token", tekil)
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
        tls = self.tls_check.isChecked() if ws else None
        endpoint = default_endpoint(flavor, transport, tls=tls)
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
        self.identity_rows.enforce_locks()
        self.connection_rows.enforce_locks()
        self.changed.emit()

    def browse_ca(self) -> None:
        dialog = QFileDialog(self._parent, self.tr("Choose a CA certificate"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Certificates (*.pem *.crt *.cer)"),
                               self.tr("All files (*)")])
        dialog.fileSelected.connect(self.ca_edit.setText)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._file_dialog = dialog
        dialog.open()

    # ------------------------------------------------------------------ locks

    def lock(self, keys: Collection[str] | Mapping[str, str], note: str | None = None) -> None:
        """Grey out the fields of *keys* with *note* (default: "Set by your administrator");
        a mapping gives each key its own note."""
        self.identity_rows.lock(keys, note)
        self.connection_rows.lock(keys, note)
        self.update()

    def rows_for(self, name: str) -> FormRows:
        return self.identity_rows if name in self.identity_rows.rows else self.connection_rows

    # ------------------------------------------------------------------ validation

    def validate(self) -> dict[str, tuple[Level, str] | None]:
        """Every field's inline message (None: fine); also shown under the fields."""
        checks: dict[str, tuple[Level, str] | None] = {
            "extensions": self._check_extensions() if self._show_extensions else None,
            "domain": self._check_domain(),
            "user": self._check_user(),
            "host": self._check_host(),
            "port": self._check_port(),
            "ca_file": self._check_ca_file(),
            "api_base": self._check_api_base(),
        }
        for name, result in checks.items():
            rows = self.rows_for(name)
            if result is None:
                rows.set_message(name, None)
            else:
                rows.set_message(name, *result)
        return checks

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
        if is_web_address(self.api_base_edit.text().strip()):
            return None
        return Level.ERROR, self.tr(
            "Enter a full address such as https://panelapi.kobikom.com.tr "
            "(empty: the default).")

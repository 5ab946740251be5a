"""The Settings dialog: account, connection, general, calls, SMS, history, diagnostics.

:class:`SettingsDialog` edits a copy of :class:`~desktop.core.settings.Settings`
and the account's secrets (panel password, Tekil API key, SMS token, old SMS
API key).  The account and connection tabs are the shared
:class:`~desktop.ui.account_form.AccountForm` (the setup wizard uses the
same form); the other tabs come from :class:`~desktop.ui.settings_tabs.SettingsTabs`.
It never blocks the event loop:

* secrets are read and written through :class:`~desktop.core.secrets.SecretStore`
  in a worker thread (``asyncio.to_thread``: the keyring may talk D-Bus or
  wait for an unlock prompt), and never reach the settings file;
* the settings file is written atomically (``save_settings``) in a worker
  thread too, and so is the "Start at login" entry;
* the dialog is shown with ``show()`` (:meth:`SettingsDialog.ask`), never
  ``exec()``: a nested event loop inside qasync's loop is asking for trouble.

Server fields left empty mean "Kobikom's documented default"; the defaults
for the chosen account type and transport are shown as placeholders.
Validation is inline: errors (a port out of range, letters in an
extension...) keep the dialog open, warnings (a domain that does not look
like a UUID: Kobikom's documents mask theirs) are only shown.

Keys the administrator's policy locks (:mod:`desktop.core.policy`) are
greyed out with "Set by your administrator"; saving keeps the policy's value
for them and writes neither them nor the policy's other values unchanged to
the agent's file.

When saving fails (disk full, keyring refused) the message is shown in the
dialog and it stays open with everything the agent typed.

How a saved value reaches the running app: ``settingsSaved`` ->
``Application._settings_saved`` replaces ``app.settings``; click-to-call, the
SMS sender and the recordings cache read the app's settings (and the keyring)
each time they act, so the next call, SMS or recording uses the new values.
``register_tel_links`` is applied by ``TelLinkSettings``
(:mod:`desktop.ui.click_to_call`), which follows the settings file.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.autostart import Autostart
from desktop.core.policy import Policy
from desktop.core.secrets import SecretName, SecretStore
from desktop.core.settings import Settings, SettingsError, save_settings
from desktop.core.settings_import import apply_provided, read_settings_file
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import Flavor, Transport
from desktop.ui.account_form import AccountForm
from desktop.ui.account_secrets import (
    SecretChange,
    StoredSecrets,
    read_secrets,
    write_secrets,
)
from desktop.ui.autostart_switch import StartAtLogin
from desktop.ui.form_rows import FormRows, Level
from desktop.ui.icons import app_icon
from desktop.ui.labels import style_as_help
from desktop.ui.notice import NoticeBox, NoticeKind
from desktop.ui.settings_capture import CapturePage
from desktop.ui.settings_integrations import IntegrationPages
from desktop.ui.settings_tabs import SettingsTabs

__all__ = ["Level", "SettingsDialog"]

log = logging.getLogger("kobikom.ui.settings")

#: Width of the dialog (logical px); the height follows the tallest tab.
MIN_WIDTH: Final = 760


class SettingsDialog(SettingsTabs):
    """Account, connection, general, calls, SMS and history settings, with the secrets.

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
        policy: Policy | None = None,
        autostart: Autostart | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._policy = policy if policy is not None else Policy()
        self._original = self._policy.enforce(settings)
        self._secrets = secrets
        self._config_path = Path(config_path)
        self._tasks = tasks if tasks is not None else TaskSet("settings-dialog")
        self._loaded: StoredSecrets | None = None
        self._busy = False
        self._finished = False
        self._pages: dict[str, FormRows] = {}
        self._import_dialog: QFileDialog | None = None

        self.setWindowTitle(self.tr("Kobikom Desktop – Settings"))
        self.setWindowIcon(app_icon())
        self.setObjectName("settingsDialog")

        self._build(autostart)
        self._fill(self._original)
        self._apply_locks()
        self._set_loading(True)
        self._update_for_account()
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
        policy: Policy | None = None,
        autostart: Autostart | None = None,
    ) -> SettingsDialog:
        """Show the dialog without blocking (no nested event loop); tests replace this.

        Connect to :attr:`settingsSaved` for the result.  The dialog deletes
        itself when closed.
        """
        dialog = cls(settings, secrets, config_path=config_path, tasks=tasks, policy=policy,
                     autostart=autostart, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # ------------------------------------------------------------------ building

    def _build(self, autostart: Autostart | None) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        self.policy_box = NoticeBox(self)
        outer.addWidget(self.policy_box)
        self.keyring_box = NoticeBox(self)
        outer.addWidget(self.keyring_box)

        self.tabs = QTabWidget(self)
        outer.addWidget(self.tabs, 1)
        self.form = AccountForm(self)
        self.tabs.addTab(self.form.identity, self.tr("Account"))
        self.tabs.addTab(self.form.connection, self.tr("Connection"))
        self._pages["account"] = self.form.identity_rows
        self._pages["connection"] = self.form.connection_rows
        self._pages["general"] = self._build_general_tab(
            StartAtLogin(autostart, self._tasks, parent=self))
        self._pages["calls"] = self._build_calls_tab()
        self._pages["sms"] = self._build_sms_tab()
        self._pages["history"] = self._build_history_tab()
        self.capture_page = CapturePage(self.tabs)  # [capture] (desktop/ui/settings_capture.py)
        self.tabs.addTab(self.capture_page, self.capture_page.title())
        # [crm], [ldap], [http_lookup] tabs; [hotkey] on the Calls tab
        # (desktop/ui/settings_integrations.py)
        self.integration_pages = IntegrationPages(self.tabs, calls_rows=self._pages["calls"])
        self._pages["crm"] = self.integration_pages.crm_rows
        self._pages["directory"] = self.integration_pages.directory_rows
        # The account form's widgets under their usual names.
        form = self.form
        self.flavor_combo, self.extensions_edit = form.flavor_combo, form.extensions_edit
        self.domain_edit, self.user_edit = form.domain_edit, form.user_edit
        self.password_edit, self.api_key_edit = form.password_edit, form.api_key_edit
        self.ws_token_check, self.transport_combo = form.ws_token_check, form.transport_combo
        self.host_edit, self.port_edit = form.host_edit, form.port_edit
        self.tls_check, self.ca_edit = form.tls_check, form.ca_edit
        self.ca_button, self.api_base_edit = form.ca_button, form.api_base_edit
        self.form.changed.connect(self._form_changed)
        for edit in (self.prefix_edit, self.sms_base_edit):
            edit.textChanged.connect(self._validate)

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
        style_as_help(self.status_label)
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

    def _apply_locks(self) -> None:
        locked = self._policy.locked
        self.form.lock(locked)
        for name in ("general", "calls", "sms", "history"):
            self._pages[name].lock(locked)
        self.integration_pages.lock(locked)
        if locked:
            self.policy_box.show_message(
                NoticeKind.INFO, self.tr("Set up by your administrator"),
                self.tr("The greyed-out settings are set by your administrator and cannot "
                        "be changed here."))

    # ------------------------------------------------------------------ values

    def _fill(self, settings: Settings) -> None:
        self.form.fill(settings)
        self._fill_tabs(settings)
        self.capture_page.fill(settings.capture)
        self.integration_pages.fill(settings)

    @property
    def flavor(self) -> Flavor:
        return self.form.flavor

    @property
    def transport(self) -> Transport:
        return self.form.transport

    def extensions(self) -> list[str]:
        return self.form.extensions()

    def settings(self) -> Settings:
        """The settings as entered (fields the dialog does not show are kept; keys the
        administrator locks keep the policy's value)."""
        new = self.form.apply(self._original)
        self._apply_tabs(new)
        self.capture_page.apply(new.capture)
        self.integration_pages.apply(new)
        return self._policy.enforce(new)

    def locked_fields(self) -> list[str]:
        """The names of the rows shown as set by the administrator (tests)."""
        return [name for rows in self._pages.values() for name in rows.locked_rows()]

    # ------------------------------------------------------------------ reacting

    def _rows_of(self, name: str) -> FormRows:
        return next(rows for rows in self._pages.values() if name in rows.rows)

    def row_visible(self, name: str) -> bool:
        """Whether field *name* is shown (not hidden for the account type)."""
        return self._rows_of(name).visible(name)

    def _form_changed(self) -> None:
        self._update_originate_fields()
        self._validate()

    def _update_for_account(self) -> None:
        self.form.update()

    def _browse_import(self) -> None:
        dialog = QFileDialog(self, self.tr("Import settings"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([self.tr("Settings files (*.toml)"), self.tr("All files (*)")])
        dialog.fileSelected.connect(lambda path: self.import_settings(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._import_dialog = dialog
        dialog.open()

    def import_settings(self, path: Path) -> asyncio.Task[None]:
        """Fill in the values of an administrator's file (read in a worker thread).

        Nothing is saved until Save; a file with a secret or a bad value is
        refused with a message naming the key (:mod:`desktop.core.settings_import`).
        Keys the policy locks keep the policy's value.
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
        shown = self._policy.enforce(apply_provided(self.settings(), imported))
        self._original = self._policy.enforce(apply_provided(self._original, imported))
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

    def message(self, name: str) -> tuple[Level | None, str]:
        """The inline message of field *name* (for tests and accessibility)."""
        return self._rows_of(name).message(name)

    def _validate(self) -> list[str]:
        """Update every inline message; returns the names of fields with errors."""
        checks = self.form.validate()
        for name, result in {**self._check_tabs(), **self.integration_pages.check()}.items():
            rows = self._rows_of(name)
            if result is None:
                rows.set_message(name, None)
            else:
                rows.set_message(name, *result)
            checks[name] = result
        return [name for name, result in checks.items()
                if result is not None and result[0] is Level.ERROR]

    # ------------------------------------------------------------------ secrets

    def _secret_edits(self) -> dict[SecretName, QLineEdit]:
        return {SecretName.PASSWORD: self.password_edit, SecretName.API_KEY: self.api_key_edit,
                SecretName.SMS_TOKEN: self.sms_token_edit,
                SecretName.SMS_API_KEY: self.sms_api_key_edit,
                **self.integration_pages.secret_edits()}

    def _set_loading(self, loading: bool) -> None:
        for edit in self._secret_edits().values():
            edit.setEnabled(not loading)
            edit.setPlaceholderText(
                self.tr("Reading the keyring…") if loading else self.tr("Not set"))
        if not loading:
            self.integration_pages.update_enabled()
        self.save_button.setEnabled(not loading)
        self.status_label.setText(
            self.tr("Reading the saved password and API key…") if loading else "")

    async def _load_secrets(self) -> None:
        try:
            state = await asyncio.to_thread(read_secrets, self._secrets,
                                            self._original.account.user,
                                            ldap_account=self._original.ldap.bind_dn)
        except Exception as exc:  # a broken keyring must not leave the dialog disabled
            log.warning("reading secrets failed: %s", type(exc).__name__)
            state = StoredSecrets(available=False, problem=self.tr(
                "the keyring could not be read ({error})").format(error=type(exc).__name__),
                user=self._original.account.user)
        if self._finished:
            return
        self._loaded = state
        for name, edit in self._secret_edits().items():
            edit.setText(state.value(name))
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
        for name, edit in ((SecretName.API_KEY, self.api_key_edit),
                           (SecretName.SMS_TOKEN, self.sms_token_edit),
                           (SecretName.SMS_API_KEY, self.sms_api_key_edit)):
            value = edit.text().strip()
            if name not in loaded.from_env and value != loaded.value(name):
                changes.append((name, "", value))
        # The LDAP bind password belongs to the bind DN: a new DN stores it anew.
        ldap_password = self.integration_pages.ldap_password_edit.text()
        bind_dn = settings.ldap.bind_dn
        if SecretName.LDAP_PASSWORD not in loaded.from_env and (
                ldap_password != loaded.ldap_password or bind_dn != loaded.ldap_account):
            if bind_dn != loaded.ldap_account and loaded.ldap_password:
                changes.append((SecretName.LDAP_PASSWORD, loaded.ldap_account, ""))
            if ldap_password or bind_dn == loaded.ldap_account:
                changes.append((SecretName.LDAP_PASSWORD, bind_dn, ldap_password))
        token = self.integration_pages.http_token_edit.text().strip()
        if SecretName.HTTP_LOOKUP_TOKEN not in loaded.from_env and \
                token != loaded.http_lookup_token:
            changes.append((SecretName.HTTP_LOOKUP_TOKEN, "", token))
        return changes

    # ------------------------------------------------------------------ saving

    def _save_clicked(self) -> None:
        if self._busy or self._loaded is None:
            return
        self.error_box.setVisible(False)
        errors = self._validate()
        if errors:
            first = errors[0]
            rows = self._rows_of(first)
            self.tabs.setCurrentWidget(rows.page)
            rows.rows[first].focus.setFocus(Qt.FocusReason.OtherFocusReason)
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
            await asyncio.to_thread(save_settings, settings, self._config_path,
                                    omit=self._policy.omitted(settings))
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
            _permanent, problems = await asyncio.to_thread(write_secrets, self._secrets,
                                                           changes)
        except Exception as exc:  # SecretStore only raises SecretStoreError; be safe anyway
            log.exception("storing secrets failed")
            problems = [self.tr("storing the secrets failed ({error})").format(
                error=type(exc).__name__)]
        autostart_problem = await self.start_at_login.apply()
        self._original = settings
        if self._loaded is not None and not problems:
            for name, _account, value in changes:
                self._loaded.remember(name, value)
            self._loaded.user = settings.account.user
            self._loaded.ldap_account = settings.ldap.bind_dn
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
        if autostart_problem:
            self.error_box.show_message(
                NoticeKind.ERROR,
                self.tr("The settings were saved, but starting at login could not be changed"),
                autostart_problem)
            return
        self.accept()

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

"""The first-run wizard: from nothing to a verified account in a minute.

Three pages (a :class:`QWizard`, shown with ``show()``, never ``exec()``):

1. **Account type**: Tekil Santral, Bulut Santral (KobiPBX), or "just show
   me" (demo mode: :attr:`SetupWizard.demoRequested`, nothing is saved).
   "Import settings…" reads an administrator's settings file here.
2. **Sign-in details**: what the account type needs (e-mail and password;
   the Tekil API key or the KobiPBX domain UUID; the SMS token, optional),
   each with a short note on where to find it in the Kobikom panel, plus
   the connection details under "Advanced".  These are the shared
   :class:`~desktop.ui.account_form.AccountForm` of the Settings dialog.
   Keys an administrator's roll-out file set are greyed out ("Change them
   anyway" unlocks them); keys the administrator's *policy* locks
   (:mod:`desktop.core.policy`) are greyed out with "Set by your
   administrator" and stay so.
3. **Test connection**: the real checks of :mod:`desktop.core.account_check`
   (sign-in, live call events, the extension, SMS) with one line per check
   (icon, what happened, how to fix it), and the extension picker filled
   from the list the PBX sent (or typed), and "Start at login" (on by
   default).

Finish writes the settings file (``save_settings``) and the secrets
(:class:`SecretStore`: keyring, or "this session only" when there is none,
said plainly) in worker threads, then emits :attr:`SetupWizard.settingsSaved`.
Nothing blocks the GUI: the keyring, the file and the checks all run as
asyncio tasks kept in a :class:`TaskSet`.

The pages live in :mod:`desktop.ui.wizard_pages`, the check rows in
:mod:`desktop.ui.wizard_checks`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from pathlib import Path
from typing import Final

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget, QWizard

from desktop.core.account import Account
from desktop.core.account_check import (
    AccountCheckReport,
    CheckId,
    CheckStatus,
    CheckTimeouts,
    PbxExtension,
    evaluate_extension,
    run_account_check,
)
from desktop.core.autostart import Autostart
from desktop.core.policy import Policy
from desktop.core.secrets import SecretName, SecretStore
from desktop.core.settings import Settings, SettingsError, save_settings
from desktop.core.settings_import import SettingsImport, apply_provided, read_settings_file
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import Flavor, Transport
from desktop.ui.account_secrets import SecretChange, StoredSecrets, read_secrets, write_secrets
from desktop.ui.form_rows import locked_note
from desktop.ui.icons import app_icon
from desktop.ui.notice import NoticeKind
from desktop.ui.wizard_checks import CheckRow
from desktop.ui.wizard_pages import (
    PAGE_ACCOUNT,
    PAGE_CHECK,
    PAGE_TYPE,
    AccountChoice,
    AccountPage,
    CheckPage,
    TypePage,
)

__all__ = ["AccountChoice", "SetupWizard"]

log = logging.getLogger("kobikom.ui.setup_wizard")

WIZARD_SIZE: Final = QSize(680, 620)
LOGO_SIZE: Final = 48

_EXTENSION: Final = re.compile(r"\d{1,10}")
#: The extension number at the start of a picker label ("1002 – Mehmet Kaya").
_LABEL_NUMBER: Final = re.compile(r"(\d{1,10})\s+[–-]\s")


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

    PAGE_TYPE: Final = PAGE_TYPE
    PAGE_ACCOUNT: Final = PAGE_ACCOUNT
    PAGE_CHECK: Final = PAGE_CHECK

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
        policy: Policy | None = None,
        autostart: Autostart | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._policy = policy if policy is not None else Policy()
        self._base = self._policy.enforce(settings)
        self._secrets = secrets
        self._config_path = Path(config_path)
        self._tasks = tasks if tasks is not None else TaskSet("setup-wizard")
        #: For the pages: the tasks and the "Start at login" backend (None: this system's).
        self.tasks = self._tasks
        self.autostart = autostart
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
        acct = settings.account
        page = self.account_page
        if settings.configured or acct.user or acct.domain_uuid:
            self.type_page.select(AccountChoice.TEKIL if acct.flavor is Flavor.TEKIL
                                  else AccountChoice.BULUT)
        page.form.fill(settings)
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
        """The settings as entered (values the wizard does not show are kept; keys the
        administrator's policy locks keep the policy's value)."""
        page = self.account_page
        page.form.set_flavor(self.flavor)
        new = page.form.apply(self._base)
        new.account.extensions = self.chosen_extensions()
        if "server.tls" in self._locked and self._base.server.tls:
            new.server.tls = self._base.server.tls
        new.sms.api = str(page.sms_api_combo.currentData() or "new")
        return self._policy.enforce(new)

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
        page.form.set_flavor(self.flavor)  # also updates the form's help texts
        if self.flavor is Flavor.TEKIL:
            page.setTitle(self.tr("Tekil Santral sign-in"))
            page.setSubTitle(self.tr("Your Kobikom panel sign-in and API key."))
        else:
            page.setTitle(self.tr("Bulut Santral (KobiPBX) sign-in"))
            page.setSubTitle(self.tr("Your KobiPBX API sign-in and your company's domain "
                                     "UUID."))
        old_sms = page.sms_api_combo.currentData() == "old"
        page.sms_block.label.setText(self.tr("SMS API key (optional)") if old_sms
                                     else self.tr("SMS API token (optional)"))
        page.completeChanged.emit()

    def extension_changed(self, _text: str) -> None:
        row = self.check_page.rows[CheckId.EXTENSION]
        if self.extensions is not None and self._check_task is None:
            row.set_result(evaluate_extension(self.extensions, self.chosen_extensions()))
            self._summarize()
        self.check_page.completeChanged.emit()

    # ------------------------------------------------------------------ locks

    def locked(self) -> frozenset[str]:
        """Keys greyed out: the roll-out file's (unlockable) and the policy's."""
        return frozenset(self._locked | self._policy.locked)

    def _apply_locks(self) -> None:
        page = self.account_page
        hard = self._policy.locked
        notes = dict.fromkeys(self._locked, self.tr("Set by your administrator's settings file."))
        notes.update(dict.fromkeys(hard, locked_note()))
        page.form.lock(notes)
        sms_locked = "sms.api" in notes
        page.sms_api_combo.setEnabled(not sms_locked)
        page.sms_api_combo.setToolTip(notes.get("sms.api", ""))
        flavor_locked = "account.flavor" in notes
        if flavor_locked and self.type_page.choice() in (None, AccountChoice.DEMO):
            self.type_page.select(AccountChoice.TEKIL if self._base.account.flavor
                                  is Flavor.TEKIL else AccountChoice.BULUT)
        for choice in (AccountChoice.TEKIL, AccountChoice.BULUT):
            button = self.type_page.buttons[choice]
            button.setEnabled(not flavor_locked or button.isChecked())
            button.setToolTip(notes.get("account.flavor", "") if flavor_locked else "")
        page.unlock_button.setVisible(bool(self._locked - hard))
        if hard:
            page.admin_notice.show_message(
                NoticeKind.INFO, self.tr("Set up by your administrator"),
                self.tr("These settings are set by your administrator: {names}. Enter only "
                        "your own sign-in details.").format(names=self._describe_locked()))
        elif self._locked:
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
        shown = ("account.", "server.", "sms.")  # what this page asks for
        for key in sorted(k for k in self._locked | self._policy.locked if k.startswith(shown)):
            label = labels.get(key, key)
            if label not in seen:
                seen.append(label)
        return ", ".join(seen)

    def unlock(self) -> None:
        """The agent wants to change the roll-out file's values after all (the policy's
        locks stay)."""
        self._locked.clear()
        self._apply_locks()
        self.update_for_account()

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
        self._base = self._policy.enforce(apply_provided(self._base, imported))
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

    # ------------------------------------------------------------------ secrets

    async def _load_secrets(self) -> None:
        user = self._base.account.user
        try:
            stored = await asyncio.to_thread(read_secrets, self._secrets, user)
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
            if value or (self.stored is not None and bool(self.stored.value(name))):
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
            await asyncio.to_thread(save_settings, settings, self._config_path,
                                    omit=self._policy.omitted(settings))
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
        autostart_problem = await self.check_page.start_at_login.apply()
        if autostart_problem:
            log.warning("setup wizard: start at login not changed: %s", autostart_problem)
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

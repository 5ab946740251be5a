"""The Qt bridge between the contacts widgets and the core contacts service.

:class:`ContactsBridge` starts the core service's coroutines through the
app's :class:`~desktop.core.tasks.TaskSet`, drops the results of searches
overtaken by newer ones, carries import/sync progress from the worker
thread to the GUI thread, and reports everything back as Qt signals with
the agent's words for every failure.  Widgets only call its methods and
connect to its signals; all the work is in the core service.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.core.contact_export import ContactExportError, ExportFormat
from desktop.core.contact_import import ContactImportError
from desktop.core.contacts_service import (
    ContactEdit,
    ContactsService,
    DirectoryError,
    PbxAddRefused,
    PhonebookUnavailable,
)
from desktop.core.directory import ContactDraft, ContactNotFound, Directory
from desktop.core.phonebook_sync import PhonebookFormatError
from desktop.core.tasks import TaskSet
from desktop.pbx.errors import AuthError, NetworkError, PbxError, RequestError, ServerError
from desktop.pbx.rest import TekilSession

log = logging.getLogger("kobikom.ui.contacts")


class ContactsBridge(QObject):
    """Directory, file import/export and PBX phonebook work off the GUI thread.

    Signals:
        searchFinished(str query, list contacts): the result of the latest
            :meth:`search` (results of older queries are dropped).
        countChanged(int): the number of contacts in the directory (after
            every search).
        contactSaved(Contact): :meth:`save` stored a contact.
        contactDeleted(int id): :meth:`delete` removed a contact.
        importProgress(int done, int total): rows written so far.
        importFinished(ImportReport): the import ended (``report.cancelled``
            when :meth:`cancel_import` stopped it; nothing changed then).
        importFailed(str message): the file could not be imported at all.
        exportFinished(ExportReport): :meth:`export_file` wrote the file.
        exportFailed(str message): the file could not be written.
        syncProgress(int done, int total): PBX phonebook rows applied.
        syncFinished(ImportReport): the PBX phonebook was applied.
        syncFailed(str message): fetching or applying it failed.
        pbxContactAdded(ContactDraft): ``createContact`` succeeded.
        pbxAddFailed(str message): ``createContact`` failed (plain words).
        pbxGroupsLoaded(list): ``[(id, name), ...]`` of the PBX phonebook
            groups (empty when they cannot be loaded).
        errorOccurred(str message): saving, deleting or searching failed.
        changed(): anything in the directory changed (popups refresh).
        busyChanged(): an import, export or sync started or ended.
    """

    searchFinished = Signal(str, list)
    countChanged = Signal(int)
    contactSaved = Signal(object)
    contactDeleted = Signal(int)
    importProgress = Signal(int, int)
    importFinished = Signal(object)
    importFailed = Signal(str)
    exportFinished = Signal(object)
    exportFailed = Signal(str)
    syncProgress = Signal(int, int)
    syncFinished = Signal(object)
    syncFailed = Signal(str)
    pbxContactAdded = Signal(object)
    pbxAddFailed = Signal(str)
    pbxGroupsLoaded = Signal(list)
    errorOccurred = Signal(str)
    changed = Signal()
    busyChanged = Signal()

    def __init__(self, service: ContactsService, *, tasks: TaskSet,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = service
        self._tasks = tasks
        self._search_seq = 0
        self._import_cancel: threading.Event | None = None
        self._exporting = False
        self._syncing = False

    @classmethod
    def for_directory(cls, directory: Directory, *, tasks: TaskSet,
                      pbx: Callable[[], TekilSession | None] | None = None,
                      parent: QObject | None = None) -> ContactsBridge:
        """A bridge over a fresh core service for *directory* (tests, tools)."""
        return cls(ContactsService(directory, pbx=pbx), tasks=tasks, parent=parent)

    # ------------------------------------------------------------------ state

    def session(self) -> TekilSession | None:
        return self.core.session()

    @property
    def pbx_available(self) -> bool:
        return self.core.pbx_available

    def pbx_unavailable_reason(self) -> str:
        return self.tr(
            "Only Tekil Santral accounts have a PBX phonebook; KobiPBX (Bulut Santral) has no "
            "phonebook API. For Tekil, enter the panel e-mail and password in Settings.")

    @property
    def importing(self) -> bool:
        return self._import_cancel is not None

    @property
    def exporting(self) -> bool:
        return self._exporting

    @property
    def syncing(self) -> bool:
        return self._syncing

    def _progress_relay(self, signal: Signal) -> object:
        loop = asyncio.get_running_loop()

        def progress(done: int, total: int) -> None:  # worker thread
            loop.call_soon_threadsafe(signal.emit, done, total)  # type: ignore[attr-defined]

        return progress

    # ------------------------------------------------------------------ search

    def search(self, text: str) -> None:
        """Search (empty text: the first contacts by name); answers with ``searchFinished``."""
        self._search_seq += 1
        self._tasks.spawn(self._search(self._search_seq, text), name="contacts-search")

    async def _search(self, seq: int, text: str) -> None:
        try:
            found, total = await self.core.search(text)
        except DirectoryError as exc:
            log.warning("contact search failed: %s", exc)
            if seq == self._search_seq:
                self.errorOccurred.emit(self.tr("Searching the contacts failed: {error}")
                                        .format(error=str(exc)))
            return
        if seq != self._search_seq:
            log.debug("dropping the result of an older search")
            return
        self.searchFinished.emit(text, found)
        self.countChanged.emit(total)

    # ------------------------------------------------------------------ edit

    def save(self, contact_id: int | None, draft: ContactDraft) -> None:
        """Add (``contact_id`` None) or update a contact; answers with ``contactSaved``."""
        self._tasks.spawn(self._save(contact_id, draft), name="contacts-save")

    def apply_edit(self, edit: ContactEdit) -> None:
        """Store what the edit dialog produced (and add it to the PBX if asked)."""
        self.save(edit.contact_id, edit.draft)
        if edit.add_to_pbx:
            self.add_to_pbx(edit.draft, edit.pbx_group)

    async def _save(self, contact_id: int | None, draft: ContactDraft) -> None:
        try:
            contact = await self.core.save(contact_id, draft)
        except ContactNotFound:
            self.errorOccurred.emit(self.tr(
                "The contact was deleted in the meantime; add it again if you need it."))
            return
        except DirectoryError as exc:
            log.warning("saving a contact failed: %s", exc)
            self.errorOccurred.emit(self.tr("The contact could not be saved: {error}")
                                    .format(error=str(exc)))
            return
        self.contactSaved.emit(contact)
        self.changed.emit()

    def delete(self, contact_id: int) -> None:
        self._tasks.spawn(self._delete(contact_id), name="contacts-delete")

    async def _delete(self, contact_id: int) -> None:
        try:
            await self.core.delete(contact_id)
        except DirectoryError as exc:
            log.warning("deleting a contact failed: %s", exc)
            self.errorOccurred.emit(self.tr("The contact could not be deleted: {error}")
                                    .format(error=str(exc)))
            return
        self.contactDeleted.emit(contact_id)
        self.changed.emit()

    # ------------------------------------------------------------------ import / export

    def import_file(self, path: str | Path) -> None:
        """Import a CSV or vCard file; answers with ``importProgress``/``importFinished``/
        ``importFailed``.
        """
        if self.importing:
            self.importFailed.emit(self.tr("An import is already running."))
            return
        cancel = threading.Event()
        self._import_cancel = cancel
        self.busyChanged.emit()
        self._tasks.spawn(self._import(Path(path), cancel), name="contacts-import")

    def cancel_import(self) -> None:
        """Stop the running import; nothing it did is kept."""
        if self._import_cancel is not None:
            self._import_cancel.set()

    async def _import(self, path: Path, cancel: threading.Event) -> None:
        try:
            report = await self.core.import_file(
                path, progress=self._progress_relay(self.importProgress),  # type: ignore[arg-type]
                cancel=cancel)
        except (ContactImportError, DirectoryError) as exc:
            log.warning("import of %s failed: %s", path.name, exc)
            self.importFailed.emit(self.tr("{file} could not be imported: {error}").format(
                file=path.name, error=str(exc)))
            return
        finally:
            self._import_cancel = None
            self.busyChanged.emit()
        self.importFinished.emit(report)
        if not report.cancelled:
            self.changed.emit()

    def export_file(self, path: str | Path, fmt: ExportFormat | None = None) -> None:
        """Write every contact to *path* (CSV or vCard); answers with ``exportFinished``/
        ``exportFailed``."""
        if self._exporting:
            return
        self._exporting = True
        self.busyChanged.emit()
        self._tasks.spawn(self._export(Path(path), fmt), name="contacts-export")

    async def _export(self, path: Path, fmt: ExportFormat | None) -> None:
        try:
            report = await self.core.export_file(path, fmt)
        except (ContactExportError, DirectoryError) as exc:
            log.warning("export to %s failed: %s", path.name, exc)
            self.exportFailed.emit(self.tr("{file} could not be written: {error}").format(
                file=path.name, error=str(exc)))
            return
        finally:
            self._exporting = False
            self.busyChanged.emit()
        self.exportFinished.emit(report)

    # ------------------------------------------------------------------ PBX phonebook

    def sync_pbx(self) -> None:
        """Replace the PBX contacts with the Tekil phonebook; see ``sync*`` signals."""
        if not self.pbx_available:
            self.syncFailed.emit(self.pbx_unavailable_reason())
            return
        if self._syncing:
            return
        self._syncing = True
        self.busyChanged.emit()
        self._tasks.spawn(self._sync(), name="contacts-sync")

    async def _sync(self) -> None:
        try:
            report = await self.core.sync_pbx(
                progress=self._progress_relay(self.syncProgress))  # type: ignore[arg-type]
        except PhonebookUnavailable:
            message = self.pbx_unavailable_reason()
        except PhonebookFormatError as exc:
            message = self.tr("The PBX sent a phonebook we cannot read: {error}").format(
                error=str(exc))
        except PbxError as exc:
            message = self.pbx_error_text(exc, effectful=False)
        except DirectoryError as exc:
            log.warning("applying the PBX phonebook failed: %s", exc)
            message = self.tr("The PBX phonebook could not be saved: {error}").format(
                error=str(exc))
        else:
            self._sync_ended()
            self.syncFinished.emit(report)
            self.changed.emit()
            return
        finally:
            if self._syncing:
                self._sync_ended()
        self.syncFailed.emit(message)

    def _sync_ended(self) -> None:
        self._syncing = False
        self.busyChanged.emit()

    def load_pbx_groups(self) -> None:
        """Fetch the PBX phonebook groups; answers with ``pbxGroupsLoaded``."""
        if not self.pbx_available:
            self.pbxGroupsLoaded.emit([])
            return
        self._tasks.spawn(self._load_groups(), name="contacts-pbx-groups")

    async def _load_groups(self) -> None:
        try:
            groups = await self.core.pbx_groups()
        except (PbxError, PhonebookUnavailable) as exc:
            log.warning("PBX phonebook groups: %s", exc)
            self.pbxGroupsLoaded.emit([])
            return
        self.pbxGroupsLoaded.emit(groups)

    def add_to_pbx(self, draft: ContactDraft, group: str | None = None) -> None:
        """``createContact`` in *group* (None: the first group); see ``pbx*`` signals."""
        if not self.pbx_available:
            self.pbxAddFailed.emit(self.pbx_unavailable_reason())
            return
        if not draft.numbers:
            self.pbxAddFailed.emit(self.tr("The PBX phonebook needs a phone number."))
            return
        self._tasks.spawn(self._add_to_pbx(draft, group), name="contacts-pbx-add")

    async def _add_to_pbx(self, draft: ContactDraft, group: str | None) -> None:
        try:
            await self.core.add_to_pbx(draft, group)
        except PhonebookUnavailable:
            self.pbxAddFailed.emit(self.pbx_unavailable_reason())
            return
        except PbxAddRefused as exc:
            if exc.no_group:
                text = self.tr("The PBX phonebook has no group yet: create one in the Kobikom "
                               "panel (Rehber) first.")
            elif exc.no_number:
                text = self.tr("The PBX phonebook needs a phone number.")
            else:
                text = self.tr("The PBX did not add the contact: {reason}").format(
                    reason=exc.reason or self.tr("no reason given"))
            self.pbxAddFailed.emit(text)
            return
        except PbxError as exc:
            self.pbxAddFailed.emit(self.pbx_error_text(exc, effectful=True))
            return
        self.pbxContactAdded.emit(draft)

    def pbx_error_text(self, exc: PbxError, *, effectful: bool) -> str:
        """*exc* in plain words for the agent (the technical detail in parentheses)."""
        detail = exc.message
        if isinstance(exc, AuthError):
            return self.tr("The Kobikom panel refused the login: check the e-mail and password "
                           "in Settings. ({detail})").format(detail=detail)
        if exc.may_have_reached_server and effectful:  # a lost answer, a 5xx, garbage
            return self.tr("No clear answer from the Kobikom panel: the contact may or may not "
                           "have been added. Check the panel before trying again. ({detail})"
                           ).format(detail=detail)
        if isinstance(exc, NetworkError):
            return self.tr("The Kobikom panel cannot be reached: check the internet "
                           "connection. ({detail})").format(detail=detail)
        if isinstance(exc, ServerError):
            return self.tr("The Kobikom panel had a problem. ({detail})").format(detail=detail)
        if isinstance(exc, RequestError):
            return self.tr("The Kobikom panel refused the request. ({detail})").format(
                detail=detail)
        return detail

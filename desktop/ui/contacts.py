"""Contacts: the agent's directory window, the edit dialog, and the service behind them.

:class:`ContactsService` is the bridge between the widgets and the
synchronous :class:`~desktop.core.directory.Directory` (SQLite), the file
importer and the Tekil panel's phonebook.  Every piece of work runs in a
worker thread (``asyncio.to_thread``) or as an HTTP request on the asyncio
loop, started through the app's :class:`~desktop.core.tasks.TaskSet`, and
reports back with Qt signals; widgets only call its methods and connect to
its signals.

:class:`ContactsWindow` is a normal top-level window: search as you type
(debounced, Turkish-aware through :meth:`Directory.search`), a table on a
:class:`ContactTableModel`, add/edit/delete, import of CSV/vCard files with
progress, cancel and a summary of the rows that were skipped, and sync with
the Tekil PBX phonebook.

:class:`ContactEditDialog` edits one contact (also used, prefilled with the
caller's number, by the popup's "Add to contacts").  It emits a
:class:`ContactEdit`; :meth:`ContactsService.apply_edit` stores it.

Untrusted text (names, companies, notes, file names, server messages) is
only ever shown as plain text: models return plain strings (views never
interpret markup in ``DisplayRole``), tooltips go through
:func:`~desktop.ui.popup.rich_tooltip_for_plain`, labels are
``Qt.PlainText``.

PBX phonebook (Tekil Santral only; KobiPBX has no phonebook API):

* sync: ``GET /contacts/export/{token}`` with the panel JWT in the path
  (digest §5.3: "your own token"), parsed by
  :func:`~desktop.core.phonebook_sync.parse_pbx_phonebook` and applied with
  :func:`~desktop.core.phonebook_sync.apply_phonebook` (local and imported
  contacts are never touched);
* add: ``POST /createContact`` (digest §5.2), one number per contact (the
  API takes one ``telefon``), ``tur`` from the number's label (2 = İş when
  in doubt), ``grup`` the chosen group or the first of ``getGroupList``.
  An effectful request: never retried, except the session's own re-login
  after a 401 (nothing happened on the server then).
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core import text as _text
from desktop.core.contact_import import ContactImportError, ImportReport, import_contacts
from desktop.core.directory import (
    LABELS,
    MAX_NUMBERS_PER_CONTACT,
    Contact,
    ContactDraft,
    ContactNotFound,
    ContactNumber,
    Directory,
)
from desktop.core.numbers import NumberKind, parse_number
from desktop.core.phonebook_sync import PhonebookFormatError, apply_phonebook, parse_pbx_phonebook
from desktop.core.storage import StorageError
from desktop.core.tasks import TaskSet
from desktop.pbx.errors import (
    AuthError,
    NetworkError,
    PbxError,
    RequestError,
    ServerError,
)
from desktop.pbx.rest import TekilSession
from desktop.ui.icons import app_icon
from desktop.ui.labels import plain_label
from desktop.ui.notice import NoticeBox, NoticeKind
from desktop.ui.popup import rich_tooltip_for_plain, window_title_text

log = logging.getLogger("kobikom.ui.contacts")

#: Delay between the last key typed in the search box and the search.
SEARCH_DEBOUNCE_MS: Final = 120
#: Most results of one search.
SEARCH_LIMIT: Final = 200
#: Contacts listed while the search box is empty (type to find the others).
BROWSE_LIMIT: Final = 500
#: Problem rows of an import visible without scrolling.
PROBLEM_ROWS_SHOWN: Final = 6
#: createContact ``tur`` (digest §5.2): 1 Ev (home), 2 İş (work), 3 Diğer (other).
PBX_TYPE_HOME: Final = "1"
PBX_TYPE_WORK: Final = "2"
PBX_TYPE_OTHER: Final = "3"

#: Inline error text (the popup's "missed" red).
COLOR_ERROR: Final = "#d93025"

_DB_ERRORS: Final = (sqlite3.Error, StorageError, OSError)


# ====================================================================== values


@dataclass(frozen=True, slots=True)
class ContactEdit:
    """What :class:`ContactEditDialog` produces: a draft and where it goes."""

    #: The contact to update, or None for a new one.
    contact_id: int | None
    draft: ContactDraft
    #: Also add it to the Tekil PBX phonebook (``createContact``).
    add_to_pbx: bool = False
    #: The phonebook group id (``getGroupList`` ``id``); None = the first group.
    pbx_group: str | None = None


def split_name(name: str) -> tuple[str, str]:
    """``"Ayşe Nur Demir"`` -> ``("Ayşe Nur", "Demir")`` (createContact ``ad``/``soyad``)."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return " ".join(words[:-1]), words[-1]


def pbx_phone(number: ContactNumber) -> str:
    """The number as the docs' example spells it: ``908508881444`` (E.164 without "+")."""
    parsed = number.parsed()
    if parsed.e164 is not None:
        return parsed.e164.lstrip("+")
    return parsed.key


def pbx_contact_fields(draft: ContactDraft, group: str) -> dict[str, str]:
    """The form fields of ``POST /createContact`` for *draft* (digest §5.2).

    The API takes one number: the first one.  A contact with only a company
    gets the company as ``ad`` too, so that IP phones show something.
    Raises ValueError when the draft has no number.
    """
    if not draft.numbers:
        raise ValueError("a PBX phonebook entry needs a phone number")
    first = draft.numbers[0]
    ad, soyad = split_name(_text.clean(draft.name))
    if not ad:
        ad = _text.clean(draft.company)
    kind = {"home": PBX_TYPE_HOME, "other": PBX_TYPE_OTHER}.get(first.label, PBX_TYPE_WORK)
    return {
        "firma": _text.clean(draft.company, _text.MAX_COMPANY),
        "ad": ad,
        "soyad": soyad,
        "telefon": pbx_phone(first),
        "eposta": _text.clean(draft.email, _text.MAX_EMAIL),
        "diger": _text.clean(draft.notes, _text.MAX_NOTES, multiline=True),
        "tur": kind,
        "grup": group,
    }


def _create_contact_verdict(body: Any) -> tuple[bool, str]:
    """``(ok, server message)`` of a createContact answer.

    Documented success: ``{"status": true, "message": {"command": "createContact",
    "isSuccess": true, "message": "Contact is created"}}``.
    """
    if not isinstance(body, Mapping):
        return False, ""
    message = body.get("message")
    text = ""
    success: Any = None
    if isinstance(message, Mapping):
        text = str(message.get("message") or "")
        success = message.get("isSuccess")
    elif message is not None:
        text = str(message)
    status = body.get("status")
    ok = status in (True, 1, "1", "true", "success") and success is not False
    return ok, _text.clean(text, 200)


def _search_contacts(directory: Directory, query: str) -> tuple[list[Contact], int]:
    """Runs in a worker thread: the matches (or the first contacts) and the total count."""
    if query.strip():
        found = directory.search(query, limit=SEARCH_LIMIT)
    else:
        found = list(itertools.islice(directory.iter_all(batch=BROWSE_LIMIT), BROWSE_LIMIT))
        found.sort(key=lambda c: (_text.search_fold(c.display_name), c.id))
    return found, directory.count()


# ====================================================================== service


class ContactsService(QObject):
    """Directory, file import and PBX phonebook work off the GUI thread.

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
        syncProgress(int done, int total): PBX phonebook rows applied.
        syncFinished(ImportReport): the PBX phonebook was applied.
        syncFailed(str message): fetching or applying it failed.
        pbxContactAdded(ContactDraft): ``createContact`` succeeded.
        pbxAddFailed(str message): ``createContact`` failed (plain words).
        pbxGroupsLoaded(list): ``[(id, name), ...]`` of the PBX phonebook
            groups (empty when they cannot be loaded).
        errorOccurred(str message): saving, deleting or searching failed.
        changed(): anything in the directory changed (popups refresh).
        busyChanged(): an import or sync started or ended.
    """

    searchFinished = Signal(str, list)
    countChanged = Signal(int)
    contactSaved = Signal(object)
    contactDeleted = Signal(int)
    importProgress = Signal(int, int)
    importFinished = Signal(object)
    importFailed = Signal(str)
    syncProgress = Signal(int, int)
    syncFinished = Signal(object)
    syncFailed = Signal(str)
    pbxContactAdded = Signal(object)
    pbxAddFailed = Signal(str)
    pbxGroupsLoaded = Signal(list)
    errorOccurred = Signal(str)
    changed = Signal()
    busyChanged = Signal()

    def __init__(
        self,
        directory: Directory,
        *,
        tasks: TaskSet,
        pbx: Callable[[], TekilSession | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._directory = directory
        self._tasks = tasks
        self._pbx = pbx
        self._search_seq = 0
        self._import_cancel: threading.Event | None = None
        self._syncing = False

    # ------------------------------------------------------------------ state

    def session(self) -> TekilSession | None:
        """The Tekil panel session, or None (KobiPBX, or not set up)."""
        session = self._pbx() if self._pbx is not None else None
        return session if isinstance(session, TekilSession) else None

    @property
    def pbx_available(self) -> bool:
        return self.session() is not None

    def pbx_unavailable_reason(self) -> str:
        return self.tr(
            "Only Tekil Santral accounts have a PBX phonebook; KobiPBX (Bulut Santral) has no "
            "phonebook API. For Tekil, enter the panel e-mail and password in Settings.")

    @property
    def importing(self) -> bool:
        return self._import_cancel is not None

    @property
    def syncing(self) -> bool:
        return self._syncing

    # ------------------------------------------------------------------ search

    def search(self, text: str) -> None:
        """Search (empty text: the first contacts by name); answers with ``searchFinished``."""
        self._search_seq += 1
        self._tasks.spawn(self._search(self._search_seq, text), name="contacts-search")

    async def _search(self, seq: int, text: str) -> None:
        try:
            found, total = await asyncio.to_thread(_search_contacts, self._directory, text)
        except _DB_ERRORS as exc:
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
        """Store what :class:`ContactEditDialog` produced (and add it to the PBX if asked)."""
        self.save(edit.contact_id, edit.draft)
        if edit.add_to_pbx:
            self.add_to_pbx(edit.draft, edit.pbx_group)

    async def _save(self, contact_id: int | None, draft: ContactDraft) -> None:
        directory = self._directory
        try:
            if contact_id is None:
                contact = await asyncio.to_thread(directory.add, draft)
            else:
                contact = await asyncio.to_thread(directory.update, contact_id, draft)
        except ContactNotFound:
            self.errorOccurred.emit(self.tr(
                "The contact was deleted in the meantime; add it again if you need it."))
            return
        except _DB_ERRORS as exc:
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
            await asyncio.to_thread(self._directory.delete, contact_id)
        except _DB_ERRORS as exc:
            log.warning("deleting a contact failed: %s", exc)
            self.errorOccurred.emit(self.tr("The contact could not be deleted: {error}")
                                    .format(error=str(exc)))
            return
        self.contactDeleted.emit(contact_id)
        self.changed.emit()

    # ------------------------------------------------------------------ import

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
        loop = asyncio.get_running_loop()

        def progress(done: int, total: int) -> None:  # worker thread
            loop.call_soon_threadsafe(self.importProgress.emit, done, total)

        try:
            report = await asyncio.to_thread(
                import_contacts, self._directory, path, progress=progress, cancel=cancel)
        except ContactImportError as exc:
            self._import_ended()
            self.importFailed.emit(self.tr("{file} could not be imported: {error}").format(
                file=path.name, error=str(exc)))
            return
        except _DB_ERRORS as exc:
            log.warning("import of %s failed: %s", path.name, exc)
            self._import_ended()
            self.importFailed.emit(self.tr("{file} could not be imported: {error}").format(
                file=path.name, error=str(exc)))
            return
        except BaseException:
            self._import_ended()
            raise
        self._import_ended()
        self.importFinished.emit(report)
        if not report.cancelled:
            self.changed.emit()

    def _import_ended(self) -> None:
        self._import_cancel = None
        self.busyChanged.emit()

    # ------------------------------------------------------------------ PBX phonebook

    def sync_pbx(self) -> None:
        """Replace the PBX contacts with the Tekil phonebook; see ``sync*`` signals."""
        session = self.session()
        if session is None:
            self.syncFailed.emit(self.pbx_unavailable_reason())
            return
        if self._syncing:
            return
        self._syncing = True
        self.busyChanged.emit()
        self._tasks.spawn(self._sync(session), name="contacts-sync")

    async def _sync(self, session: TekilSession) -> None:
        loop = asyncio.get_running_loop()

        def progress(done: int, total: int) -> None:  # worker thread
            loop.call_soon_threadsafe(self.syncProgress.emit, done, total)

        try:
            body, content_type = await self._fetch_phonebook(session)
            drafts = await asyncio.to_thread(parse_pbx_phonebook, body, content_type)
            report = await asyncio.to_thread(
                apply_phonebook, self._directory, drafts, progress=progress)
        except PhonebookFormatError as exc:
            self._sync_ended()
            self.syncFailed.emit(self.tr("The PBX sent a phonebook we cannot read: {error}")
                                 .format(error=str(exc)))
            return
        except PbxError as exc:
            self._sync_ended()
            self.syncFailed.emit(self.pbx_error_text(exc, effectful=False))
            return
        except _DB_ERRORS as exc:
            log.warning("applying the PBX phonebook failed: %s", exc)
            self._sync_ended()
            self.syncFailed.emit(self.tr("The PBX phonebook could not be saved: {error}")
                                 .format(error=str(exc)))
            return
        except BaseException:
            self._sync_ended()
            raise
        self._sync_ended()
        self.syncFinished.emit(report)
        self.changed.emit()

    def _sync_ended(self) -> None:
        self._syncing = False
        self.busyChanged.emit()

    @staticmethod
    async def _fetch_phonebook(session: TekilSession) -> tuple[bytes, str | None]:
        """``GET /contacts/export/{token}``.

        The token is in the path, so the session's own "log in again and
        resend" after a 401 would resend the stale path: a 401 is handled
        here instead, with one fresh token.  A bad password fails in
        ``token()`` and is not retried.
        """
        for attempt in (1, 2):
            token = await session.token()
            try:
                response = await session.request(
                    "GET", f"/contacts/export/{quote(token, safe='')}", idempotent=False)
            except AuthError:
                if attempt == 2:
                    raise
                log.info("phonebook export: token rejected; logging in again")
                continue
            return response.content, response.headers.get("content-type")
        raise AssertionError("unreachable")

    def load_pbx_groups(self) -> None:
        """Fetch the PBX phonebook groups; answers with ``pbxGroupsLoaded``."""
        session = self.session()
        if session is None:
            self.pbxGroupsLoaded.emit([])
            return
        self._tasks.spawn(self._load_groups(session), name="contacts-pbx-groups")

    async def _load_groups(self, session: TekilSession) -> None:
        try:
            groups = await session.get_group_list()
        except PbxError as exc:
            log.warning("PBX phonebook groups: %s", exc)
            self.pbxGroupsLoaded.emit([])
            return
        self.pbxGroupsLoaded.emit([
            (str(g.get("id", "")), _text.clean(g.get("isim") or g.get("id"), 100))
            for g in groups if g.get("id") not in (None, "")])

    def add_to_pbx(self, draft: ContactDraft, group: str | None = None) -> None:
        """``createContact`` in *group* (None: the first group); see ``pbx*`` signals."""
        session = self.session()
        if session is None:
            self.pbxAddFailed.emit(self.pbx_unavailable_reason())
            return
        if not draft.numbers:
            self.pbxAddFailed.emit(self.tr("The PBX phonebook needs a phone number."))
            return
        self._tasks.spawn(self._add_to_pbx(session, draft, group), name="contacts-pbx-add")

    async def _add_to_pbx(self, session: TekilSession, draft: ContactDraft,
                          group: str | None) -> None:
        try:
            if not group:
                groups = await session.get_group_list()
                ids = [str(g.get("id")) for g in groups if g.get("id") not in (None, "")]
                if not ids:
                    self.pbxAddFailed.emit(self.tr(
                        "The PBX phonebook has no group yet: create one in the Kobikom panel "
                        "(Rehber) first."))
                    return
                group = ids[0]
            fields = pbx_contact_fields(draft, group)
            body = await session.request_json(
                "POST", "/createContact", idempotent=False, allow_401_resend=True,
                files={key: (None, value) for key, value in fields.items()})
        except PbxError as exc:
            self.pbxAddFailed.emit(self.pbx_error_text(exc, effectful=True))
            return
        ok, message = _create_contact_verdict(body)
        if not ok:
            self.pbxAddFailed.emit(self.tr("The PBX did not add the contact: {reason}").format(
                reason=message or self.tr("no reason given")))
            return
        log.info("contact added to the PBX phonebook (group %s)", group)
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


# ====================================================================== model


class ContactTableModel(QAbstractTableModel):
    """Contacts as rows: name, company, first number, source (all plain strings)."""

    NAME, COMPANY, NUMBER, SOURCE = range(4)
    #: ``data(index, ContactIdRole)``: the contact's id.
    ContactIdRole: Final = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._contacts: list[Contact] = []
        self._numbers: dict[int, str] = {}

    def set_contacts(self, contacts: Sequence[Contact]) -> None:
        self.beginResetModel()
        self._contacts = list(contacts)
        self._numbers = {}
        self.endResetModel()

    def contacts(self) -> list[Contact]:
        return list(self._contacts)

    def contact(self, row: int) -> Contact | None:
        return self._contacts[row] if 0 <= row < len(self._contacts) else None

    def row_of(self, contact_id: int) -> int:
        for row, contact in enumerate(self._contacts):
            if contact.id == contact_id:
                return row
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._contacts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Name"), self.tr("Company"), self.tr("Number"),
                self.tr("Source"))[section] if 0 <= section < 4 else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        contact = self.contact(index.row()) if index.isValid() else None
        if contact is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return contact.name or contact.company or ""
            if column == self.COMPANY:
                return contact.company if contact.name else ""
            if column == self.NUMBER:
                return self._first_number(contact)
            if column == self.SOURCE:
                return self.source_text(contact.source)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == self.NUMBER and len(contact.numbers) > 1:
                return rich_tooltip_for_plain("\n".join(
                    f"{n.parsed().display()} ({self.label_text(n.label)})"
                    for n in contact.numbers))
            if column == self.SOURCE and ":" in contact.source:
                return rich_tooltip_for_plain(contact.source.split(":", 1)[1])
        elif role == self.ContactIdRole:
            return contact.id
        return None

    def _first_number(self, contact: Contact) -> str:
        cached = self._numbers.get(contact.id)
        if cached is not None:
            return cached
        if not contact.numbers:
            text = ""
        else:
            text = contact.numbers[0].parsed().display()
            if len(contact.numbers) > 1:
                text += f"  (+{len(contact.numbers) - 1})"
        self._numbers[contact.id] = text
        return text

    def source_text(self, source: str) -> str:
        """``"csv:rehber.csv"`` -> ``"rehber.csv (CSV)"``, ``"pbx"`` -> "PBX phonebook"."""
        if source == "local":
            return self.tr("Added here")
        if source == "pbx":
            return self.tr("PBX phonebook")
        kind, _, name = source.partition(":")
        if kind == "csv" and name:
            return self.tr("{file} (CSV)").format(file=name)
        if kind == "vcard" and name:
            return self.tr("{file} (vCard)").format(file=name)
        return source

    def label_text(self, label: str) -> str:
        return _label_names().get(label, label)


def _label_names() -> dict[str, str]:
    """The directory's number labels (:data:`LABELS`, in order) as the agent reads them."""
    names = {"mobile": QCoreApplication.translate("NumberLabel", "Mobile"),
             "work": QCoreApplication.translate("NumberLabel", "Work"),
             "home": QCoreApplication.translate("NumberLabel", "Home"),
             "other": QCoreApplication.translate("NumberLabel", "Other")}
    return {label: names.get(label, label) for label in LABELS}


# ====================================================================== edit dialog


class _NumberRow(QWidget):
    """One number of the edit dialog: label, number, its normalized form, remove."""

    def __init__(self, number: ContactNumber | None, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.label_combo = QComboBox(self)
        for label, text in _label_names().items():
            self.label_combo.addItem(text, label)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("0532 123 45 67"))
        self.hint = QLabel(self)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setMinimumWidth(150)
        palette = self.hint.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.PlaceholderText))
        self.hint.setPalette(palette)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("×")
        self.remove_button.setToolTip(self.tr("Remove this number"))
        self.remove_button.setAutoRaise(True)
        layout.addWidget(self.label_combo)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.remove_button)
        self._label_chosen = number is not None
        if number is not None:
            self.edit.setText(number.raw)
            self.label_combo.setCurrentIndex(max(0, self.label_combo.findData(number.label)))
        else:
            self.label_combo.setCurrentIndex(self.label_combo.findData("mobile"))
        self.label_combo.activated.connect(self._label_activated)
        self.edit.textChanged.connect(self._update_hint)
        self._update_hint()

    def _label_activated(self) -> None:
        self._label_chosen = True

    def raw(self) -> str:
        return self.edit.text().strip()

    def valid(self) -> bool:
        raw = self.raw()
        return not raw or parse_number(raw).kind in (NumberKind.EXTERNAL, NumberKind.INTERNAL)

    def number(self) -> ContactNumber | None:
        raw = self.raw()
        if not raw:
            return None
        return ContactNumber.of(raw, str(self.label_combo.currentData()))

    def _update_hint(self) -> None:
        raw = self.raw()
        error = False
        if not raw:
            text = ""
        else:
            parsed = parse_number(raw)
            if parsed.kind is NumberKind.EXTERNAL:
                text = parsed.display()
                if not self._label_chosen:
                    label = "mobile" if parsed.number_type == "MOBILE" else "work"
                    self.label_combo.setCurrentIndex(self.label_combo.findData(label))
            elif parsed.kind is NumberKind.INTERNAL:
                text = self.tr("extension {number}").format(number=parsed.display())
            else:
                text = self.tr("not a phone number")
                error = True
        self.hint.setStyleSheet(f"color: {COLOR_ERROR};" if error else "")
        self.hint.setProperty("error", error)
        self.hint.setText(text)


class ContactEditDialog(QDialog):
    """Edit one contact: name, company, numbers with labels, e-mail, notes.

    Signals:
        contactAccepted(ContactEdit): the agent pressed Save and the input is
            valid; store it with :meth:`ContactsService.apply_edit`.
    """

    contactAccepted = Signal(object)

    def __init__(
        self,
        contact: Contact | ContactDraft | None = None,
        *,
        pbx_available: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._contact_id = contact.id if isinstance(contact, Contact) else None
        self._base = contact.draft() if isinstance(contact, Contact) else \
            (contact or ContactDraft())
        self._pbx_available = pbx_available
        self.number_rows: list[_NumberRow] = []
        self.setWindowIcon(app_icon())
        if self._contact_id is None:
            self.setWindowTitle(self.tr("New contact"))
        else:
            self.setWindowTitle(self.tr("Edit contact – {name}").format(
                name=window_title_text(self._base.name or self._base.company)))
        self._build()
        self._fill(self._base)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        contact: Contact | ContactDraft | None = None,
        *,
        pbx_available: bool = False,
    ) -> ContactEditDialog:
        """Show the dialog without blocking; the result comes as ``contactAccepted``."""
        dialog = cls(contact, pbx_available=pbx_available, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    @property
    def contact_id(self) -> int | None:
        return self._contact_id

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        self.source_label = QLabel(self)
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)
        self.source_label.setWordWrap(True)
        self.source_label.setVisible(False)
        outer.addWidget(self.source_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(8)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("First and last name"))
        form.addRow(self.tr("Name:"), self.name_edit)
        self.company_edit = QLineEdit(self)
        form.addRow(self.tr("Company:"), self.company_edit)

        numbers_box = QWidget(self)
        self.numbers_layout = QVBoxLayout(numbers_box)
        self.numbers_layout.setContentsMargins(0, 0, 0, 0)
        self.numbers_layout.setSpacing(4)
        self.add_number_button = QPushButton(self.tr("Add number"), numbers_box)
        self.add_number_button.setAutoDefault(False)
        self.add_number_button.clicked.connect(lambda: self.add_number_row(None, focus=True))
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_number_button)
        add_row.addStretch(1)
        self.numbers_layout.addLayout(add_row)
        self.numbers_message = self._message_label(numbers_box)
        self.numbers_layout.addWidget(self.numbers_message)
        form.addRow(self.tr("Numbers:"), numbers_box)

        self.email_edit = QLineEdit(self)
        self.email_edit.setPlaceholderText(self.tr("name@company.com.tr"))
        email_box = QWidget(self)
        email_column = QVBoxLayout(email_box)
        email_column.setContentsMargins(0, 0, 0, 0)
        email_column.setSpacing(2)
        email_column.addWidget(self.email_edit)
        self.email_message = self._message_label(email_box)
        email_column.addWidget(self.email_message)
        form.addRow(self.tr("E-mail:"), email_box)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form.addRow(self.tr("Notes:"), self.notes_edit)
        outer.addLayout(form)

        pbx_row = QHBoxLayout()
        self.pbx_check = QCheckBox(self.tr("Also add to the PBX phonebook"), self)
        self.pbx_check.setToolTip(self.tr(
            "Adds the name and the first number to the Tekil Santral phonebook, so desk "
            "phones show the name too."))
        self.pbx_group_combo = QComboBox(self)
        self.pbx_group_combo.addItem(self.tr("First group"), None)
        self.pbx_group_combo.setEnabled(False)
        self.pbx_check.toggled.connect(self.pbx_group_combo.setEnabled)
        pbx_row.addWidget(self.pbx_check)
        pbx_row.addWidget(self.pbx_group_combo)
        pbx_row.addStretch(1)
        self.pbx_check.setVisible(self._pbx_available)
        self.pbx_group_combo.setVisible(self._pbx_available)
        outer.addLayout(pbx_row)

        self.message = self._message_label(self)
        outer.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._save_clicked)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.setMinimumWidth(560)

    @staticmethod
    def _message_label(parent: QWidget) -> QLabel:
        label = plain_label(parent, wrap=True, hidden=True)
        label.setStyleSheet(f"color: {COLOR_ERROR};")
        return label

    def _fill(self, draft: ContactDraft) -> None:
        self.name_edit.setText(draft.name)
        self.company_edit.setText(draft.company)
        self.email_edit.setText(draft.email)
        self.notes_edit.setPlainText(draft.notes)
        for number in draft.numbers:
            self.add_number_row(number)
        if not draft.numbers:
            self.add_number_row(None)
        source = draft.source
        if self._contact_id is not None and source == "pbx":
            self.source_label.setText(self.tr(
                "From the PBX phonebook: the next sync with the PBX replaces changes made "
                "here."))
            self.source_label.setVisible(True)
        elif self._contact_id is not None and ":" in source:
            self.source_label.setText(self.tr(
                "Imported from {file}: importing that file again replaces changes made "
                "here.").format(file=source.split(":", 1)[1]))
            self.source_label.setVisible(True)
        (self.number_rows[0].edit if draft.numbers and not draft.name
         else self.name_edit).setFocus()

    def add_number_row(self, number: ContactNumber | None, *, focus: bool = False) -> _NumberRow:
        row = _NumberRow(number, self)
        row.remove_button.clicked.connect(lambda: self._remove_row(row))
        row.edit.textChanged.connect(self._clear_numbers_message)
        self.numbers_layout.insertWidget(len(self.number_rows), row)
        self.number_rows.append(row)
        self._update_number_buttons()
        if focus:
            row.edit.setFocus()
        return row

    def _remove_row(self, row: _NumberRow) -> None:
        if row in self.number_rows:
            self.number_rows.remove(row)
            self.numbers_layout.removeWidget(row)
            row.deleteLater()
        if not self.number_rows:
            self.add_number_row(None)
        self._update_number_buttons()

    def _update_number_buttons(self) -> None:
        self.add_number_button.setEnabled(len(self.number_rows) < MAX_NUMBERS_PER_CONTACT)

    def _clear_numbers_message(self) -> None:
        self.numbers_message.setVisible(False)

    def set_pbx_groups(self, groups: Sequence[tuple[str, str]]) -> None:
        """Offer the PBX phonebook groups (``[(id, name)]``); the first is the default."""
        current = self.pbx_group_combo.currentData()
        self.pbx_group_combo.clear()
        for group_id, name in groups:
            self.pbx_group_combo.addItem(name, group_id)
        if not groups:
            self.pbx_group_combo.addItem(self.tr("First group"), None)
        index = self.pbx_group_combo.findData(current)
        self.pbx_group_combo.setCurrentIndex(max(0, index))

    def draft(self) -> ContactDraft:
        """The contact as entered (source and PBX id of an edited contact are kept)."""
        numbers = tuple(n for n in (row.number() for row in self.number_rows) if n is not None)
        return dataclasses.replace(
            self._base,
            name=self.name_edit.text().strip(),
            company=self.company_edit.text().strip(),
            numbers=numbers,
            email=self.email_edit.text().strip(),
            notes=self.notes_edit.toPlainText().strip(),
        )

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def validate(self) -> bool:
        """Show what is wrong inline; True when the contact can be saved."""
        ok = True
        bad = [row for row in self.number_rows if not row.valid()]
        draft = self.draft()
        if bad:
            self._show(self.numbers_message, self.tr(
                "Correct or remove the numbers marked “not a phone number”."))
            bad[0].edit.setFocus()
            ok = False
        elif self.pbx_check.isChecked() and self._pbx_available and not draft.numbers:
            self._show(self.numbers_message, self.tr("The PBX phonebook needs a phone number."))
            ok = False
        else:
            self._show(self.numbers_message, "")
        email = draft.email
        if email and ("@" not in email or " " in email):
            self._show(self.email_message, self.tr("This does not look like an e-mail address."))
            ok = False
        else:
            self._show(self.email_message, "")
        if not (draft.name or draft.company or draft.numbers):
            self._show(self.message, self.tr("Enter at least a name or a number."))
            ok = False
        else:
            self._show(self.message, "")
        return ok

    def _save_clicked(self) -> None:
        if not self.validate():
            return
        group = self.pbx_group_combo.currentData()
        edit = ContactEdit(
            contact_id=self._contact_id,
            draft=self.draft(),
            add_to_pbx=self._pbx_available and self.pbx_check.isChecked(),
            pbx_group=str(group) if group else None,
        )
        self.contactAccepted.emit(edit)
        self.accept()


# ====================================================================== window


class ContactsWindow(QWidget):
    """The contacts window: search, list, add/edit/delete, import, PBX sync.

    Everything goes through the :class:`ContactsService` passed in, except
    calls, which click-to-call places:

    Signals:
        callRequested(str): "Call" on the selected contact (its first number, as
            stored); the button shows only after :meth:`enable_calls`.
        smsRequested(str, str): "SMS" on the selected contact (first number, name);
            the button shows only after :meth:`enable_sms`.
    """

    callRequested = Signal(str)
    smsRequested = Signal(str, str)

    def __init__(self, service: ContactsService, *, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.edit_dialog: ContactEditDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self._pbx_groups: list[tuple[str, str]] = []
        self._operation: str | None = None  # "import" / "sync" while running
        self._selected_id: int | None = None
        #: A saved edit also goes to the PBX: its outcome must not be hidden by "Saved".
        self._pbx_pending = False
        self._pbx_outcome_shown = False
        self.setWindowTitle(self.tr("Contacts – Kobikom Desktop"))
        self.setWindowIcon(app_icon())
        self.setObjectName("contactsWindow")

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.refresh)

        self._build()
        self._connect()
        self.resize(860, 560)
        self.refresh()
        self._update_actions()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search by name, company or number"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        top.addWidget(self.search_edit, 1)
        self.call_button = self._button(self.tr("Call"), self._call_selected)
        self.call_button.setVisible(False)  # only when click-to-call is there (enable_calls)
        top.addWidget(self.call_button)
        self.sms_button = self._button(self.tr("SMS"), self._sms_selected)
        self.sms_button.setVisible(False)  # only when SMS is there (enable_sms)
        top.addWidget(self.sms_button)
        self.add_button = self._button(self.tr("Add…"), self._add)
        self.edit_button = self._button(self.tr("Edit…"), self._edit_selected)
        self.delete_button = self._button(self.tr("Delete"), self._delete_selected)
        self.import_button = self._button(self.tr("Import…"), self._choose_import_file)
        self.sync_button = self._button(self.tr("Sync with PBX"), self._sync)
        for button in (self.add_button, self.edit_button, self.delete_button):
            top.addWidget(button)
        top.addSpacing(10)
        top.addWidget(self.import_button)
        top.addWidget(self.sync_button)
        outer.addLayout(top)

        self.model = ContactTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(ContactTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ContactTableModel.COMPANY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ContactTableModel.NUMBER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ContactTableModel.SOURCE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ContactTableModel.NUMBER, 170)
        header.resizeSection(ContactTableModel.SOURCE, 160)
        self.table.doubleClicked.connect(self._edit_index)
        self.table.activated.connect(self._edit_index)

        self.empty_label = QLabel(self)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        palette = self.empty_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.PlaceholderText))
        self.empty_label.setPalette(palette)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)
        outer.addWidget(self.list_stack, 1)

        # Progress of an import or sync.
        self.progress_row = QWidget(self)
        progress_layout = QHBoxLayout(self.progress_row)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel(self.progress_row)
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar(self.progress_row)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self.progress_row)
        self.cancel_button.clicked.connect(self.service.cancel_import)
        progress_layout.addWidget(self.progress_label)
        progress_layout.addWidget(self.progress_bar, 1)
        progress_layout.addWidget(self.cancel_button)
        self.progress_row.setVisible(False)
        outer.addWidget(self.progress_row)

        # Outcome of the last operation, with the skipped rows of an import.
        self.result_box = NoticeBox(self, closable=True)
        self.problems_button = QToolButton(self.result_box)
        self.problems_button.setCheckable(True)
        self.problems_button.setAutoRaise(True)
        self.problems_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.problems_button.setArrowType(Qt.ArrowType.RightArrow)
        self.problems_button.toggled.connect(self._toggle_problems)
        self.problems_list = QListWidget(self.result_box)
        self.problems_list.setVisible(False)
        self.problems_list.setUniformItemSizes(True)
        self.result_box.extra.addWidget(self.problems_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.result_box.extra.addWidget(self.problems_list)
        outer.addWidget(self.result_box)

        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        palette = self.count_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.PlaceholderText))
        self.count_label.setPalette(palette)
        outer.addWidget(self.count_label)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self).activated.connect(
            self._focus_search)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self).activated.connect(self._add)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._delete_selected)

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _connect(self) -> None:
        s = self.service
        self.search_edit.textChanged.connect(self._search_text_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        s.searchFinished.connect(self._search_finished)
        s.countChanged.connect(self._count_changed)
        s.contactSaved.connect(self._contact_saved)
        s.contactDeleted.connect(self._contact_deleted)
        s.changed.connect(self.refresh)
        s.importProgress.connect(self._progress)
        s.syncProgress.connect(self._progress)
        s.importFinished.connect(self._import_finished)
        s.importFailed.connect(self._operation_failed)
        s.syncFinished.connect(self._sync_finished)
        s.syncFailed.connect(self._operation_failed)
        s.pbxContactAdded.connect(self._pbx_added)
        s.pbxAddFailed.connect(self._pbx_add_failed)
        s.pbxGroupsLoaded.connect(self._groups_loaded)
        s.errorOccurred.connect(self._error)
        s.busyChanged.connect(self._update_actions)
        self.result_box.dismissed.connect(self._result_dismissed)

    # ------------------------------------------------------------------ search

    def _search_text_changed(self) -> None:
        self._search_timer.start()

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def refresh(self) -> None:
        """Search again with the current text (after a change, or the debounce)."""
        self._search_timer.stop()
        self.service.search(self.search_edit.text())

    def _search_finished(self, query: str, contacts: list[Contact]) -> None:
        if query != self.search_edit.text():
            return  # typed on since: the debounced search for the new text is coming
        keep = self._selected_id
        self.model.set_contacts(contacts)
        if query.strip():
            self.empty_label.setText(self.tr("No contact matches “{query}”.").format(
                query=query.strip()))
        else:
            self.empty_label.setText(self.tr(
                "No contacts yet.\nAdd one, import a CSV or vCard file, or sync with the PBX "
                "phonebook."))
        self.list_stack.setCurrentWidget(self.table if contacts else self.empty_label)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and query.strip() and contacts:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._update_actions()

    def _count_changed(self, total: int) -> None:
        shown = self.model.rowCount()
        if self.search_edit.text().strip():
            text = self.tr("1 match") if shown == 1 else \
                self.tr("{count} matches").format(count=shown)
        elif shown < total:
            text = self.tr("The first {shown} of {total} contacts: type to find the others."
                           ).format(shown=shown, total=total)
        else:
            text = self.tr("1 contact") if total == 1 else \
                self.tr("{count} contacts").format(count=total)
        self.count_label.setText(text)

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        if watched is self.search_edit and isinstance(event, QKeyEvent) \
                and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.table.setFocus()
                if not self.table.selectionModel().hasSelection():
                    self.table.selectRow(0)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._edit_selected()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ selection

    def selected_contact(self) -> Contact | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.contact(rows[0].row()) if rows else None

    def select_contact(self, contact_id: int) -> bool:
        row = self.model.row_of(contact_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _selection_changed(self) -> None:
        contact = self.selected_contact()
        self._selected_id = contact.id if contact is not None else None
        self._update_actions()

    def _update_actions(self) -> None:
        selected = self.selected_contact()
        has = selected is not None
        self.call_button.setEnabled(selected is not None and bool(selected.numbers))
        self.sms_button.setEnabled(selected is not None and bool(selected.numbers))
        busy = self.service.importing or self.service.syncing
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.import_button.setEnabled(not busy)
        pbx = self.service.pbx_available
        self.sync_button.setEnabled(pbx and not busy)
        self.sync_button.setToolTip(
            self.tr("Replace the PBX contacts here with the Tekil Santral phonebook.") if pbx
            else self.service.pbx_unavailable_reason())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_actions()

    def enable_calls(self, enabled: bool = True) -> None:
        """Offer "Call" (click-to-call is wired up; no dead button otherwise)."""
        self.call_button.setVisible(enabled)

    def _call_selected(self) -> None:
        contact = self.selected_contact()
        if contact is not None and contact.numbers:
            self.callRequested.emit(contact.numbers[0].raw)

    def enable_sms(self, enabled: bool = True) -> None:
        """Offer "SMS" (the SMS feature is wired up; no dead button otherwise)."""
        self.sms_button.setVisible(enabled)

    def _sms_selected(self) -> None:
        contact = self.selected_contact()
        if contact is not None and contact.numbers:
            self.smsRequested.emit(contact.numbers[0].raw, contact.display_name)

    # ------------------------------------------------------------------ editing

    def _open_editor(self, contact: Contact | ContactDraft | None) -> ContactEditDialog:
        if self.edit_dialog is not None and self.edit_dialog.isVisible():
            self.edit_dialog.raise_()
            self.edit_dialog.activateWindow()
            return self.edit_dialog
        pbx = self.service.pbx_available
        dialog = ContactEditDialog.ask(self, contact, pbx_available=pbx)
        dialog.contactAccepted.connect(self._apply_edit)
        dialog.finished.connect(lambda _result, d=dialog: self._editor_closed(d))
        self.edit_dialog = dialog
        if pbx:
            if self._pbx_groups:
                dialog.set_pbx_groups(self._pbx_groups)
            self.service.load_pbx_groups()
        return dialog

    def _apply_edit(self, edit: ContactEdit) -> None:
        self._pbx_pending = edit.add_to_pbx
        self._pbx_outcome_shown = False
        self.service.apply_edit(edit)

    def _editor_closed(self, dialog: ContactEditDialog) -> None:
        if self.edit_dialog is dialog:
            self.edit_dialog = None

    def _groups_loaded(self, groups: list[tuple[str, str]]) -> None:
        if groups:
            self._pbx_groups = list(groups)
        if self.edit_dialog is not None and groups:
            self.edit_dialog.set_pbx_groups(groups)

    def _add(self) -> None:
        self._open_editor(None)

    def add_number(self, raw: str) -> ContactEditDialog:
        """Open a new contact prefilled with *raw* (the popup's "Add to contacts")."""
        return self._open_editor(ContactDraft(numbers=(ContactNumber.of(raw),)))

    def _edit_index(self, index: QModelIndex) -> None:
        contact = self.model.contact(index.row())
        if contact is not None:
            self._open_editor(contact)

    def _edit_selected(self) -> None:
        contact = self.selected_contact()
        if contact is not None:
            self._open_editor(contact)

    def _delete_selected(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete contact"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.tr("Delete “{name}”?").format(name=contact.display_name))
        box.setInformativeText(self.tr("This cannot be undone."))
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        contact_id = contact.id

        def answered() -> None:
            if box.clickedButton() is delete:
                self.service.delete(contact_id)
            self.confirm_box = None

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def _contact_saved(self, contact: Contact) -> None:
        self._selected_id = contact.id
        if self._pbx_outcome_shown:
            return  # the PBX's answer came first and says more
        text = self.tr("Saved “{name}”.").format(name=contact.display_name)
        if self._pbx_pending:
            text += " " + self.tr("Adding it to the PBX phonebook…")
        self._show_result(NoticeKind.SUCCESS, text)

    def _contact_deleted(self, _contact_id: int) -> None:
        self._selected_id = None
        self._show_result(NoticeKind.INFO, self.tr("The contact was deleted."))

    # ------------------------------------------------------------------ import

    def _choose_import_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Import contacts"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([
            self.tr("Contact files (*.csv *.vcf *.vcard)"),
            self.tr("CSV files (*.csv)"),
            self.tr("vCard files (*.vcf *.vcard)"),
            self.tr("All files (*)"),
        ])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.fileSelected.connect(self.start_import)
        dialog.finished.connect(lambda _result: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def start_import(self, path: str) -> None:
        if not path or self.service.importing:
            return
        self._begin(self.tr("Importing {file}…").format(file=Path(path).name), "import")
        self.service.import_file(path)

    def _begin(self, text: str, operation: str) -> None:
        self._operation = operation
        self.result_box.setVisible(False)
        self.progress_label.setText(text)
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setVisible(operation == "import")
        self.cancel_button.setEnabled(True)
        self.progress_row.setVisible(True)
        self._update_actions()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def _end(self) -> None:
        self._operation = None
        self.progress_row.setVisible(False)
        self._update_actions()

    def _import_finished(self, report: ImportReport) -> None:
        self._end()
        file = report.source.split(":", 1)[1] if ":" in report.source else report.source
        if report.cancelled:
            self._show_result(NoticeKind.INFO, self.tr("Import cancelled"), self.tr(
                "Nothing from {file} was saved.").format(file=file))
            return
        kind = NoticeKind.WARNING if report.skipped else NoticeKind.SUCCESS
        self._show_result(
            kind, self.tr("Imported {file}").format(file=file),
            self.tr("Added {added}, updated {updated}, unchanged {unchanged}, skipped {skipped}."
                    ).format(added=report.added, updated=report.updated,
                             unchanged=report.unchanged, skipped=report.skipped),
            problems=[self._problem_text(e.line, e.reason, e.skipped) for e in report.errors])

    def _problem_text(self, line: int, reason: str, skipped: bool) -> str:
        if skipped:
            return self.tr("Line {line}: {reason}").format(line=line, reason=reason)
        return self.tr("Line {line}: {reason} (the rest of the row was imported)").format(
            line=line, reason=reason)

    def _operation_failed(self, message: str) -> None:
        operation = self._operation
        self._end()
        title = self.tr("Sync with the PBX failed") if operation == "sync" else \
            self.tr("Import failed")
        self._show_result(NoticeKind.ERROR, title, message)

    # ------------------------------------------------------------------ PBX

    def _sync(self) -> None:
        if not self.service.pbx_available or self.service.syncing:
            return
        self._begin(self.tr("Fetching the PBX phonebook…"), "sync")
        self.service.sync_pbx()

    def _sync_finished(self, report: ImportReport) -> None:
        self._end()
        self._show_result(
            NoticeKind.SUCCESS, self.tr("Synced with the PBX phonebook"),
            self.tr("Added {added}, updated {updated}, unchanged {unchanged}, removed {removed}."
                    ).format(added=report.added, updated=report.updated,
                             unchanged=report.unchanged, removed=report.removed))

    def _pbx_added(self, draft: ContactDraft) -> None:
        self._pbx_outcome_shown, self._pbx_pending = True, False
        self._show_result(NoticeKind.SUCCESS, self.tr("Added to the PBX phonebook"),
                          self.tr("“{name}” is saved here and in the PBX phonebook.").format(
                              name=draft.name or draft.company))

    def _pbx_add_failed(self, message: str) -> None:
        self._pbx_outcome_shown, self._pbx_pending = True, False
        self._show_result(NoticeKind.ERROR, self.tr("Not added to the PBX phonebook"), message)

    def _error(self, message: str) -> None:
        self._show_result(NoticeKind.ERROR, self.tr("Something went wrong"), message)

    # ------------------------------------------------------------------ result box

    def _show_result(self, kind: NoticeKind, title: str, text: str = "", *,
                     problems: Sequence[str] = ()) -> None:
        self.result_box.show_message(kind, title, text)
        self.problems_list.clear()
        self.problems_list.addItems(list(problems))
        self.problems_button.setVisible(bool(problems))
        self.problems_button.setChecked(False)
        self._toggle_problems(False)
        rows = min(len(problems), PROBLEM_ROWS_SHOWN)
        if rows:
            frame = 2 * self.problems_list.frameWidth()
            self.problems_list.setFixedHeight(
                rows * self.problems_list.sizeHintForRow(0) + frame + 2)

    def _toggle_problems(self, shown: bool) -> None:
        self.problems_list.setVisible(shown)
        self.problems_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        count = self.problems_list.count()
        if shown:
            text = self.tr("Hide the row with a problem") if count == 1 else \
                self.tr("Hide the {count} rows with problems").format(count=count)
        else:
            text = self.tr("Show the row with a problem") if count == 1 else \
                self.tr("Show the {count} rows with problems").format(count=count)
        self.problems_button.setText(text)

    def _result_dismissed(self) -> None:
        self.problems_list.clear()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.edit_dialog is not None:
            self.edit_dialog.close()
        super().closeEvent(event)


__all__ = [
    "BROWSE_LIMIT",
    "SEARCH_DEBOUNCE_MS",
    "ContactEdit",
    "ContactEditDialog",
    "ContactTableModel",
    "ContactsService",
    "ContactsWindow",
    "pbx_contact_fields",
    "split_name",
]

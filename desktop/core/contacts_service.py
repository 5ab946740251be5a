"""The contacts feature without a GUI: directory, file import and export, PBX phonebook.

:class:`ContactsService` does the work behind the contacts window (and
anything else that wants it) as coroutines: the SQLite work runs in worker
threads (``asyncio.to_thread``) and the Tekil panel calls on the event loop,
so nothing blocks the caller's loop.  It knows nothing of Qt: the window
talks to it through :class:`desktop.ui.contacts_bridge.ContactsBridge`, a
thin QObject that turns results and exceptions into signals and words.

Errors are exceptions: :class:`ContactNotFound`, :class:`DirectoryError`
(SQLite or the disk failed), :class:`~desktop.core.contact_import.ContactImportError`,
:class:`~desktop.core.contact_export.ContactExportError`,
:class:`PhonebookUnavailable`, :class:`PbxAddRefused`,
:class:`~desktop.core.phonebook_sync.PhonebookFormatError` and the pbx
layer's :class:`~desktop.pbx.errors.PbxError` family.

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
import itertools
import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from desktop.core import text as _text
from desktop.core.contact_export import ExportFormat, ExportReport, export_contacts
from desktop.core.contact_import import ImportReport, import_contacts
from desktop.core.contact_model import Contact, ContactDraft, ContactNotFound, ContactNumber
from desktop.core.directory import Directory
from desktop.core.phonebook_sync import apply_phonebook, parse_pbx_phonebook
from desktop.core.storage import StorageError
from desktop.pbx.errors import AuthError
from desktop.pbx.rest import TekilSession

log = logging.getLogger("kobikom.core.contacts")

#: Most results of one search.
SEARCH_LIMIT: Final = 200
#: Contacts listed while the search box is empty (type to find the others).
BROWSE_LIMIT: Final = 500
#: createContact ``tur`` (digest §5.2): 1 Ev (home), 2 İş (work), 3 Diğer (other).
PBX_TYPE_HOME: Final = "1"
PBX_TYPE_WORK: Final = "2"
PBX_TYPE_OTHER: Final = "3"

#: What "the directory failed" looks like from SQLite and the disk.
DB_ERRORS: Final = (sqlite3.Error, StorageError, OSError)

ProgressCallback = Callable[[int, int], None]


class DirectoryError(Exception):
    """Reading or writing the directory failed (SQLite, the disk); the message says how."""


class PhonebookUnavailable(Exception):
    """The account has no PBX phonebook (KobiPBX, or Tekil without the panel login)."""


class PbxAddRefused(Exception):
    """The PBX answered ``createContact`` but did not add the contact.

    ``reason`` is the server's message ("" when it gave none); ``no_group``
    says the phonebook has no group to add to.
    """

    def __init__(self, reason: str = "", *, no_group: bool = False, no_number: bool = False):
        super().__init__(reason or ("no group" if no_group else "refused"))
        self.reason = reason
        self.no_group = no_group
        self.no_number = no_number


@dataclass(frozen=True, slots=True)
class ContactEdit:
    """What the edit dialog produces: a draft and where it goes."""

    #: The contact to update, or None for a new one.
    contact_id: int | None
    draft: ContactDraft
    #: Also add it to the Tekil PBX phonebook (``createContact``).
    add_to_pbx: bool = False
    #: The phonebook group id (``getGroupList`` ``id``); None = the first group.
    pbx_group: str | None = None


# ------------------------------------------------------------------ PBX fields
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

    The API takes one number: the first one (its main number; the API has
    no field for an extension).  A contact with only a company gets the
    company as ``ad`` too, so that IP phones show something.  Raises
    ValueError when the draft has no number.
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


def create_contact_verdict(body: Any) -> tuple[bool, str]:
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


def search_contacts(directory: Directory, query: str) -> tuple[list[Contact], int]:
    """The matches (or the first contacts by name) and the total count (blocking)."""
    if query.strip():
        found = directory.search(query, limit=SEARCH_LIMIT)
    else:
        found = list(itertools.islice(directory.iter_all(batch=BROWSE_LIMIT), BROWSE_LIMIT))
        found.sort(key=lambda c: (_text.search_fold(c.display_name), c.id))
    return found, directory.count()


# ------------------------------------------------------------------ the service
class ContactsService:
    """The directory, file import/export and the PBX phonebook, as coroutines."""

    def __init__(
        self,
        directory: Directory,
        *,
        pbx: Callable[[], TekilSession | None] | None = None,
    ) -> None:
        self.directory = directory
        self._pbx = pbx

    def session(self) -> TekilSession | None:
        """The Tekil panel session, or None (KobiPBX, or not set up)."""
        session = self._pbx() if self._pbx is not None else None
        return session if isinstance(session, TekilSession) else None

    @property
    def pbx_available(self) -> bool:
        return self.session() is not None

    async def _db(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await asyncio.to_thread(func, *args, **kwargs)
        except DB_ERRORS as exc:
            raise DirectoryError(str(exc)) from exc

    # ------------------------------------------------------------ directory
    async def search(self, text: str) -> tuple[list[Contact], int]:
        """Contacts for *text* (empty: the first by name) and the total count."""
        result: tuple[list[Contact], int] = await self._db(search_contacts, self.directory,
                                                          text)
        return result

    async def save(self, contact_id: int | None, draft: ContactDraft) -> Contact:
        """Add (``contact_id`` None) or update a contact; :class:`ContactNotFound` when it
        was deleted in the meantime."""
        if contact_id is None:
            contact: Contact = await self._db(self.directory.add, draft)
        else:
            contact = await self._db(self.directory.update, contact_id, draft)
        return contact

    async def delete(self, contact_id: int) -> bool:
        deleted: bool = await self._db(self.directory.delete, contact_id)
        return deleted

    # ------------------------------------------------------------ files
    async def import_file(self, path: str | Path, *, progress: ProgressCallback | None = None,
                          cancel: threading.Event | None = None) -> ImportReport:
        """Import a CSV or vCard file (see :func:`import_contacts`).

        *progress* is called from the worker thread.
        """
        report: ImportReport = await self._db(import_contacts, self.directory, Path(path),
                                              progress=progress, cancel=cancel)
        return report

    async def export_file(self, path: str | Path,
                          fmt: ExportFormat | None = None) -> ExportReport:
        """Write every contact to *path* as CSV or vCard (see :func:`export_contacts`)."""
        report: ExportReport = await self._db(export_contacts, self.directory, Path(path), fmt)
        return report

    # ------------------------------------------------------------ PBX phonebook
    def _session_or_raise(self) -> TekilSession:
        session = self.session()
        if session is None:
            raise PhonebookUnavailable("no PBX phonebook for this account")
        return session

    async def sync_pbx(self, *, progress: ProgressCallback | None = None) -> ImportReport:
        """Replace the PBX contacts with the Tekil phonebook."""
        session = self._session_or_raise()
        body, content_type = await self._fetch_phonebook(session)
        drafts = await asyncio.to_thread(parse_pbx_phonebook, body, content_type)
        report: ImportReport = await self._db(apply_phonebook, self.directory, drafts,
                                              progress=progress)
        return report

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

    async def pbx_groups(self) -> list[tuple[str, str]]:
        """``[(id, name), ...]`` of the PBX phonebook groups (PbxError when it fails)."""
        session = self._session_or_raise()
        groups = await session.get_group_list()
        return [(str(g.get("id", "")), _text.clean(g.get("isim") or g.get("id"), 100))
                for g in groups if g.get("id") not in (None, "")]

    async def add_to_pbx(self, draft: ContactDraft, group: str | None = None) -> None:
        """``createContact`` in *group* (None: the first group).

        Raises :class:`PbxAddRefused` when the PBX answered no (or there is
        no group), PbxError when the request failed; sent once, never retried.
        """
        session = self._session_or_raise()
        if not draft.numbers:
            raise PbxAddRefused(no_number=True)
        if not group:
            groups = await session.get_group_list()
            ids = [str(g.get("id")) for g in groups if g.get("id") not in (None, "")]
            if not ids:
                raise PbxAddRefused(no_group=True)
            group = ids[0]
        fields = pbx_contact_fields(draft, group)
        body = await session.request_json(
            "POST", "/createContact", idempotent=False, allow_401_resend=True,
            files={key: (None, value) for key, value in fields.items()})
        ok, message = create_contact_verdict(body)
        if not ok:
            raise PbxAddRefused(message)
        log.info("contact added to the PBX phonebook (group %s)", group)


__all__ = [
    "BROWSE_LIMIT",
    "SEARCH_LIMIT",
    "ContactEdit",
    "ContactNotFound",
    "ContactsService",
    "DirectoryError",
    "PbxAddRefused",
    "PhonebookUnavailable",
    "create_contact_verdict",
    "pbx_contact_fields",
    "pbx_phone",
    "search_contacts",
    "split_name",
]

"""LDAP / Active Directory lookup of a caller (the ``ldap3`` library).

Settings (``[ldap]``)::

    url = "ldap://dc1.example.com.tr:389"      # or ldaps://...:636
    base_dn = "ou=people,dc=example,dc=com,dc=tr"
    bind_dn = "cn=reader,dc=example,dc=com,dc=tr"   # empty: anonymous
    filter = "(|(telephoneNumber={e164})(mobile={e164}))"
    name_attribute = "displayName,cn"          # first one with a value wins
    company_attribute = "company,o"
    timeout_ms = 800

The bind password is a secret: it lives in the system keyring (the Settings
dialog stores it) or in ``KOBIKOM_LDAP_PASSWORD`` for scripting, never in a
settings file and never in a log.

The filter is a template with the number forms of
:mod:`desktop.core.templates` (``{number}``, ``{e164}``, ``{national}``,
``{international}``), each value escaped per RFC 4515 so a number can never
change the filter.  OpenLDAP compares ``telephoneNumber`` and ``mobile``
with ``telephoneNumberMatch``, which ignores spaces and hyphens: ``{e164}``
finds ``+90 532 123 45 67``.  Active Directory compares them as plain text:
use the form your directory stores (often ``{international}``) or several
forms in an ``(|...)``.

ldap3's synchronous client blocks, so every bind and search runs in this
source's own worker thread (one: an LDAP connection is not shared between
threads), with the connection and receive timeouts set to the budget; the
asynchronous :meth:`LdapSource.lookup` awaits it and
:class:`~desktop.core.remote_directory.RemoteDirectory` enforces the budget
on top.  One connection is kept and reused; it is dropped after any error
and opened again by the next lookup.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from desktop.core.numbers import PhoneNumber
from desktop.core.remote_directory import (
    DEFAULT_BUDGET_S,
    RemoteContact,
    SourceError,
    clean_text,
)
from desktop.core.templates import (
    NUMBER_VARIABLES,
    TemplateError,
    check_ldap_filter_shape,
    check_ldap_url,
    fill,
    number_values,
)

log = logging.getLogger("kobikom.core.ldap")

#: Entries read per search: the first is used, a second only tells us the number is shared.
SIZE_LIMIT: Final = 2
DEFAULT_FILTER: Final = "(|(telephoneNumber={e164})(mobile={e164}))"
DEFAULT_NAME_ATTRIBUTES: Final = "displayName,cn"
DEFAULT_COMPANY_ATTRIBUTES: Final = "company,o"
#: Attributes read for the e-mail address.
EMAIL_ATTRIBUTES: Final = ("mail",)


def check_filter(template: str) -> str:
    """The filter template stripped, or TemplateError (full syntax checked by ldap3)."""
    template = check_ldap_filter_shape(template)
    if not template:
        return ""
    sample = fill(template, dict.fromkeys(NUMBER_VARIABLES, "0"), _escape)
    from ldap3.core.exceptions import LDAPException
    from ldap3.operation.search import parse_filter

    try:
        parse_filter(sample, None, True, True, None, False)
    except LDAPException as exc:
        raise TemplateError(f"the LDAP filter is not valid: {exc}", "ldap-syntax",
                            detail=str(exc)) from None
    return template


def attribute_names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _escape(value: str) -> str:
    from ldap3.utils.conv import escape_filter_chars

    return str(escape_filter_chars(value))


@dataclass(frozen=True, slots=True)
class LdapConfig:
    url: str
    base_dn: str
    bind_dn: str = ""
    filter: str = DEFAULT_FILTER
    name_attributes: tuple[str, ...] = attribute_names(DEFAULT_NAME_ATTRIBUTES)
    company_attributes: tuple[str, ...] = attribute_names(DEFAULT_COMPANY_ATTRIBUTES)
    budget: float = DEFAULT_BUDGET_S

    def __post_init__(self) -> None:
        if not check_ldap_url(self.url):
            raise TemplateError("no LDAP server address", "ldap-host")
        check_filter(self.filter or DEFAULT_FILTER)


class LdapSource:
    """An LDAP server as a remote directory source (``"source": "ldap"``).

    ``password()`` gives the bind password (keyring or environment); it is
    called in the worker thread, since the keyring may block on D-Bus.
    """

    name = "ldap"

    def __init__(self, config: LdapConfig, *,
                 password: Callable[[], str | None] = lambda: None) -> None:
        self.config = config
        self.budget = config.budget
        self._password = password
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="ldap")
        self._conn: Any = None  # ldap3.Connection, used only in the worker thread
        #: Binds made (tests: the connection is reused).
        self.binds = 0

    def __repr__(self) -> str:
        return f"<LdapSource {self.config.url} base={self.config.base_dn!r}>"

    async def lookup(self, number: PhoneNumber) -> RemoteContact | None:
        filter_ = fill(self.config.filter, number_values(number), _escape)
        deadline = time.monotonic() + self.budget
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._search, filter_, deadline)

    async def prepare(self) -> None:
        """Connect and bind now (the password read in the worker thread), not on a call."""
        from desktop.core.remote_directory import PREPARE_TIMEOUT_S

        deadline = time.monotonic() + PREPARE_TIMEOUT_S
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._warm, deadline)

    # -- in the worker thread -------------------------------------------------

    def _warm(self, deadline: float) -> None:
        try:
            self._connection(deadline)
        except Exception as exc:  # the first lookup tries again and reports it
            self._drop()
            log.debug("LDAP warm-up failed: %s", type(exc).__name__)

    def _search(self, filter_: str, deadline: float) -> RemoteContact | None:
        if time.monotonic() >= deadline:
            # Queued behind a slow lookup: its caller has given up already.
            raise SourceError("the LDAP server was still busy with an earlier lookup")
        from ldap3.core.exceptions import LDAPException

        for attempt in (1, 2):
            fresh = self._conn is None
            try:
                conn = self._connection(deadline)
                return self._query(conn, filter_, deadline)
            except SourceError:
                self._drop()
                raise
            except LDAPException as exc:
                self._drop()
                # A kept connection the server closed while idle: one new connection
                # (a search is a read; asking again is harmless), if time is left.
                if attempt == 1 and not fresh and time.monotonic() < deadline:
                    log.debug("LDAP connection lost (%s); reconnecting", type(exc).__name__)
                    continue
                raise SourceError(_describe(exc, self.config.url)) from None
            except OSError as exc:
                self._drop()
                raise SourceError(f"{self.config.url}: {exc.strerror or exc}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _connection(self, deadline: float) -> Any:
        if self._conn is not None:
            return self._conn
        import ldap3

        timeout = max(0.05, deadline - time.monotonic())
        server = ldap3.Server(self.config.url, connect_timeout=timeout, get_info=ldap3.NONE)
        bind_dn = self.config.bind_dn or None
        password = self._password() if bind_dn else None
        if bind_dn and not password:
            raise SourceError("no LDAP bind password is stored (keyring or "
                              "KOBIKOM_LDAP_PASSWORD)")
        conn = ldap3.Connection(
            server, user=bind_dn, password=password, read_only=True, raise_exceptions=True,
            receive_timeout=math.ceil(timeout), auto_bind=ldap3.AUTO_BIND_NONE,
            check_names=False)
        try:
            conn.open()
            if bind_dn:
                conn.bind()
        except Exception:
            _close(conn)
            raise
        self.binds += 1
        self._conn = conn
        return conn

    def _query(self, conn: Any, filter_: str, deadline: float) -> RemoteContact | None:
        import ldap3
        from ldap3.core.exceptions import LDAPSizeLimitExceededResult

        config = self.config
        attributes = [*config.name_attributes, *config.company_attributes, *EMAIL_ATTRIBUTES]
        time_limit = max(1, math.ceil(deadline - time.monotonic()))
        # More entries than asked for: the first ones are in conn.response all the same.
        with contextlib.suppress(LDAPSizeLimitExceededResult):
            conn.search(config.base_dn, filter_, search_scope=ldap3.SUBTREE,
                        attributes=attributes, size_limit=SIZE_LIMIT, time_limit=time_limit)
        entries = [item for item in conn.response or () if item.get("type") == "searchResEntry"]
        if not entries:
            return None
        if len(entries) > 1:
            log.debug("LDAP: %d entries share the number; the first is used", len(entries))
        attrs = entries[0].get("attributes") or {}
        name = _first(attrs, config.name_attributes)
        company = _first(attrs, config.company_attributes)
        if not (name or company):
            return None
        return RemoteContact(name=name, company=company, email=_first(attrs, EMAIL_ATTRIBUTES),
                             source=self.name)

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            _close(conn)

    async def aclose(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._drop)
        self._executor.shutdown(wait=False, cancel_futures=True)


def _first(attrs: dict[str, Any], names: Sequence[str]) -> str:
    lowered = {key.lower(): value for key, value in attrs.items()}
    for name in names:
        text = clean_text(lowered.get(name.lower()))
        if text:
            return text
    return ""


def _close(conn: Any) -> None:
    """Unbind politely; whatever happens, the socket is closed."""
    try:
        conn.unbind()
    except Exception as exc:  # a broken or hung connection: close the socket below
        log.debug("LDAP unbind failed: %s", type(exc).__name__)
    sock = getattr(conn, "socket", None)
    if sock is not None:
        try:
            sock.close()
        except OSError as exc:
            log.debug("closing the LDAP socket failed: %s", exc)


def _describe(exc: Exception, url: str) -> str:
    """An LDAP error in words, with the server but never the password."""
    from ldap3.core import exceptions as e

    if isinstance(exc, e.LDAPInvalidCredentialsResult):
        return f"{url}: the server refused the bind user or password (invalidCredentials)"
    if isinstance(exc, e.LDAPSocketOpenError):
        return f"{url}: cannot connect ({_short(exc)})"
    if isinstance(exc, e.LDAPSocketReceiveError | e.LDAPResponseTimeoutError):
        return f"{url}: no answer in time"
    if isinstance(exc, e.LDAPInsufficientAccessRightsResult):
        return f"{url}: the bind user may not read the base DN (insufficientAccessRights)"
    if isinstance(exc, e.LDAPNoSuchObjectResult):
        return f"{url}: the base DN does not exist (noSuchObject)"
    if isinstance(exc, e.LDAPOperationResult):
        return f"{url}: {exc.description} ({exc.result})"
    return f"{url}: {type(exc).__name__}: {_short(exc)}"


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__

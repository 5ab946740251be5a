"""The remote directory sources the settings ask for, and a lookup in every source.

:func:`remote_directory` builds the :class:`~desktop.core.remote_directory.RemoteDirectory`
of the ``[ldap]`` and ``[http_lookup]`` settings, in that order (LDAP
first, then HTTP), with their secrets read lazily off the event loop (the
LDAP bind password in the LDAP worker thread, the HTTP token in a thread
on first use).  A source whose settings cannot work (an LDAP filter that
ldap3 refuses) is left out and reported through ``on_problem``.

:func:`lookup_everywhere` is ``kobikom-desktop lookup NUMBER``: the local
directory first, then every remote source in order, asking even a source
that is resting after a failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from desktop.core.numbers import PhoneNumber
from desktop.core.remote_directory import RemoteDirectory, RemoteSource, SourceOutcome
from desktop.core.secrets import SecretName
from desktop.core.settings import Settings
from desktop.core.templates import TemplateError

log = logging.getLogger("kobikom.core.remote_directory")


class SecretReader(Protocol):
    def get(self, name: SecretName, account: str = "") -> str | None: ...


def remote_directory(settings: Settings, secrets: SecretReader | None, *,
                     on_problem: Callable[[str, str | None], None] | None = None,
                     ) -> RemoteDirectory:
    """The configured remote sources (LDAP, then HTTP); empty when none is configured."""
    sources: list[RemoteSource] = []
    problems: list[tuple[str, str]] = []
    if settings.ldap.url:
        try:
            sources.append(_ldap_source(settings, secrets))
        except (TemplateError, ValueError) as exc:
            problems.append(("ldap", f"the LDAP settings cannot work: {exc}"))
    if settings.http_lookup.url:
        try:
            sources.append(_http_source(settings, secrets))
        except (TemplateError, ValueError) as exc:
            problems.append(("http", f"the HTTP lookup settings cannot work: {exc}"))
    directory = RemoteDirectory(sources, on_problem=on_problem)
    for name, text in problems:
        log.warning("%s", text)
        directory.problems[name] = text
        if on_problem is not None:
            on_problem(name, text)
    return directory


def _ldap_source(settings: Settings, secrets: SecretReader | None) -> RemoteSource:
    from desktop.core.remote_ldap import (
        DEFAULT_FILTER,
        LdapConfig,
        LdapSource,
        attribute_names,
    )

    ldap = settings.ldap
    config = LdapConfig(
        url=ldap.url, base_dn=ldap.base_dn, bind_dn=ldap.bind_dn,
        filter=ldap.filter or DEFAULT_FILTER,
        name_attributes=attribute_names(ldap.name_attribute) or ("cn",),
        company_attributes=attribute_names(ldap.company_attribute),
        budget=ldap.timeout_ms / 1000)
    bind_dn = ldap.bind_dn

    def password() -> str | None:  # runs in the LDAP worker thread (the keyring may block)
        return secrets.get(SecretName.LDAP_PASSWORD, bind_dn) if secrets is not None else None

    return LdapSource(config, password=password)


def _http_source(settings: Settings, secrets: SecretReader | None) -> RemoteSource:
    from desktop.core.remote_http import HttpLookupSource

    def token() -> str | None:  # read in a thread on first use
        return secrets.get(SecretName.HTTP_LOOKUP_TOKEN) if secrets is not None else None

    return HttpLookupSource(settings.http_lookup.url,
                            budget=settings.http_lookup.timeout_ms / 1000, token=token)


class LocalDirectory(Protocol):
    def lookup(self, number: str | PhoneNumber) -> Any: ...


@dataclass(frozen=True, slots=True)
class LookupAnswer:
    """What :func:`lookup_everywhere` found: the contact as JSON with its source."""

    #: The contact (``"source"``: ``"local"``, ``"ldap"`` or ``"http"``), None if none.
    contact: dict[str, Any] | None
    outcomes: list[SourceOutcome] = field(default_factory=list)

    @property
    def failures(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.result == "failed"]


async def lookup_everywhere(number: PhoneNumber, local: LocalDirectory | None,
                            remote: RemoteDirectory,
                            local_json: Callable[[Any], dict[str, Any]]) -> LookupAnswer:
    """The local directory, then every remote source in order; the first that knows wins."""
    outcomes: list[SourceOutcome] = []
    if local is not None:
        contact = local.lookup(number)
        outcomes.append(SourceOutcome("local", "found" if contact else "not_found"))
        if contact is not None:
            return LookupAnswer({**local_json(contact), "source": "local"}, outcomes)
    found, remote_outcomes = await remote.lookup_verbose(number, ignore_rest=True)
    outcomes += remote_outcomes
    return LookupAnswer(found.to_json() if found is not None else None, outcomes)

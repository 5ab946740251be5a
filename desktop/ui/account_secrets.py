"""The account's secrets as the Settings dialog and the setup wizard handle them.

Both read what the keyring holds when they open and store what changed when
they save, in a worker thread each time (``asyncio.to_thread``: the keyring
may talk D-Bus or wait for an unlock prompt).  A secret that comes from an
environment variable (scripting) is shown as such and never copied to the
keyring.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Final

from desktop.core.secrets import SecretName, SecretStore, SecretStoreError

#: The secrets the two windows edit; the password is tied to the login e-mail, the
#: LDAP bind password (Settings only) to the bind DN.
EDITED: Final = (SecretName.PASSWORD, SecretName.API_KEY, SecretName.SMS_TOKEN,
                 SecretName.SMS_API_KEY, SecretName.LDAP_PASSWORD,
                 SecretName.HTTP_LOOKUP_TOKEN)

#: (secret, keyring account, new value); an empty value deletes the secret.
SecretChange = tuple[SecretName, str, str]


@dataclass(slots=True)
class StoredSecrets:
    """What the keyring holds for the account (read off the GUI thread)."""

    available: bool = True
    problem: str | None = None
    user: str = ""
    password: str = ""
    api_key: str = ""
    sms_token: str = ""
    sms_api_key: str = ""
    #: The company directory's secrets (Settings › Directory) and the bind DN read for.
    ldap_password: str = ""
    ldap_account: str = ""
    http_lookup_token: str = ""
    #: Secrets that come from an environment variable (they take precedence).
    from_env: set[SecretName] = field(default_factory=set)

    def value(self, name: SecretName) -> str:
        return {SecretName.PASSWORD: self.password, SecretName.API_KEY: self.api_key,
                SecretName.SMS_TOKEN: self.sms_token,
                SecretName.SMS_API_KEY: self.sms_api_key,
                SecretName.LDAP_PASSWORD: self.ldap_password,
                SecretName.HTTP_LOOKUP_TOKEN: self.http_lookup_token}.get(name, "")

    def remember(self, name: SecretName, value: str) -> None:
        if name is SecretName.PASSWORD:
            self.password = value
        elif name is SecretName.API_KEY:
            self.api_key = value
        elif name is SecretName.SMS_TOKEN:
            self.sms_token = value
        elif name is SecretName.SMS_API_KEY:
            self.sms_api_key = value
        elif name is SecretName.LDAP_PASSWORD:
            self.ldap_password = value
        elif name is SecretName.HTTP_LOOKUP_TOKEN:
            self.http_lookup_token = value


def read_secrets(store: SecretStore, user: str, *, ldap_account: str | None = None
                 ) -> StoredSecrets:
    """Runs in a worker thread: the keyring may block (D-Bus, unlock prompt).

    *ldap_account* (the LDAP bind DN) also reads the directory's secrets.
    """
    state = StoredSecrets(available=store.available, problem=store.problem, user=user)
    if ldap_account is not None:
        state.ldap_account = ldap_account
        state.ldap_password = store.get(SecretName.LDAP_PASSWORD, ldap_account) or ""
        state.http_lookup_token = store.get(SecretName.HTTP_LOOKUP_TOKEN, "") or ""
    state.password = (store.get(SecretName.PASSWORD, user) or "") if user else ""
    state.api_key = store.get(SecretName.API_KEY, "") or ""
    state.sms_token = store.get(SecretName.SMS_TOKEN, "") or ""
    state.sms_api_key = store.get(SecretName.SMS_API_KEY, "") or ""
    state.from_env = {name for name in EDITED if os.environ.get(name.env_var)}
    return state


def write_secrets(store: SecretStore, changes: list[SecretChange]) -> tuple[bool, list[str]]:
    """Runs in a worker thread; (all went to the keyring, the keyring's complaints)."""
    permanent = True
    problems: list[str] = []
    for name, account, value in changes:
        try:
            if value:
                permanent = store.set(name, value, account) and permanent
            else:
                store.delete(name, account)
        except SecretStoreError as exc:
            permanent = False
            problems.append(str(exc))
    return permanent, problems

"""Secrets (API key, panel password, tokens) live in the OS keyring only.

The settings file never holds them (``settings.py`` refuses secret-looking
keys).  For scripting, environment variables take precedence:

=====================  ==============================================
``KOBIKOM_API_KEY``     Tekil panel API key (TCP/WS login)
``KOBIKOM_TOKEN``       Tekil panel JWT (WS login with ``token``)
``KOBIKOM_USER``        panel / KobiPBX login e-mail
``KOBIKOM_PASSWORD``    panel / KobiPBX password
``KOBIKOM_SMS_TOKEN``   new SMS API ``api_token``
``KOBIKOM_SMS_API_KEY`` old SMS API ``api_key``
=====================  ==============================================

When no keyring backend works (a Linux session without a Secret Service,
a locked-down container), :class:`SecretStore` says so plainly
(``available`` is False and ``problem`` explains why) and keeps secrets in
memory for this session only; the UI shows that message.

Keyring calls may block (D-Bus, an unlock prompt): callers on the GUI
thread must run them with ``asyncio.to_thread``.
"""

from __future__ import annotations

import enum
import importlib
import logging
import os
import threading
from collections.abc import Mapping
from typing import Any, Final

log = logging.getLogger("kobikom.core.secrets")

SERVICE = "kobikom-desktop"


class SecretName(enum.Enum):
    """The secrets we know, with their environment-variable override."""

    API_KEY = "api-key"
    PANEL_TOKEN = "panel-token"
    PASSWORD = "password"
    SMS_TOKEN = "sms-token"
    SMS_API_KEY = "sms-api-key"
    #: The LDAP bind user's password (keyring account: the bind DN).
    LDAP_PASSWORD = "ldap-password"
    #: The HTTP lookup's bearer token (keyring account: the lookup URL's host).
    HTTP_LOOKUP_TOKEN = "http-lookup-token"

    @property
    def env_var(self) -> str:
        return _ENV[self]


_ENV: Mapping[SecretName, str] = {
    SecretName.API_KEY: "KOBIKOM_API_KEY",
    SecretName.PANEL_TOKEN: "KOBIKOM_TOKEN",
    SecretName.PASSWORD: "KOBIKOM_PASSWORD",
    SecretName.SMS_TOKEN: "KOBIKOM_SMS_TOKEN",
    SecretName.SMS_API_KEY: "KOBIKOM_SMS_API_KEY",
    SecretName.LDAP_PASSWORD: "KOBIKOM_LDAP_PASSWORD",
    SecretName.HTTP_LOOKUP_TOKEN: "KOBIKOM_HTTP_LOOKUP_TOKEN",
}
USER_ENV = "KOBIKOM_USER"


#: The keyring backends we know, best first (``module``, ``class``).  keyring finds
#: its backends through package entry points, which a frozen app does not carry;
#: PyInstaller bundles these modules (``packaging/kobikom-desktop.spec``) and
#: :func:`_explicit_backend` picks the first that works on this system.
KNOWN_BACKENDS: Final = (
    ("keyring.backends.SecretService", "Keyring"),
    ("keyring.backends.kwallet", "DBusKeyring"),
    ("keyring.backends.Windows", "WinVaultKeyring"),
    ("keyring.backends.macOS", "Keyring"),
)


def _explicit_backend(keyring: Any) -> Any:
    """Choose a backend ourselves when keyring's entry-point discovery found none."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None  # an explicit choice by the user wins, even a failing one
    for module_name, class_name in KNOWN_BACKENDS:
        try:
            kind = getattr(importlib.import_module(module_name), class_name)
            if getattr(kind, "priority", 0) <= 0:  # priority raises or is 0 when not viable
                continue
            backend = kind()
        except Exception as exc:  # ImportError, RuntimeError("not viable"), D-Bus errors
            log.debug("keyring backend %s.%s unusable: %s", module_name, class_name,
                      type(exc).__name__)
            continue
        keyring.set_keyring(backend)
        log.info("keyring backend chosen explicitly: %s", type(backend).__name__)
        return backend
    return None


class SecretStoreError(Exception):
    """Saving a secret failed (the message says why, never the secret)."""


class SecretStore:
    """Keyring-backed secrets, keyed by name and account (the login e-mail)."""

    def __init__(self, *, service: str = SERVICE, use_env: bool = True,
                 session_only: bool = False) -> None:
        """``session_only``: never touch the keyring (demo mode, throw-away accounts)."""
        self._service = service
        self._use_env = use_env
        self._session: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()
        self._problem: str | None = "kept for this session only" if session_only else None
        self._backend_checked = session_only

    def __repr__(self) -> str:
        return f"<SecretStore service={self._service!r} available={self.available}>"

    # -- backend ------------------------------------------------------------

    def _check_backend(self) -> None:
        if self._backend_checked:
            return
        self._backend_checked = True
        try:
            import keyring
            from keyring.backends import fail

            backend = keyring.get_keyring()
            if isinstance(backend, fail.Keyring):
                backend = _explicit_backend(keyring) or backend
        except Exception as exc:
            self._problem = f"the system keyring could not be loaded ({type(exc).__name__})"
            return
        priority = getattr(backend, "priority", 0)
        if isinstance(backend, fail.Keyring) or priority < 1:
            self._problem = (
                "no working system keyring was found (on Linux: a Secret Service such as "
                "GNOME Keyring or KWallet); secrets are kept for this session only")
        log.debug("keyring backend: %s", type(backend).__name__)

    @property
    def available(self) -> bool:
        self._check_backend()
        return self._problem is None

    @property
    def problem(self) -> str | None:
        """Why secrets cannot be stored permanently, or None."""
        self._check_backend()
        return self._problem

    # -- access -------------------------------------------------------------

    def get(self, name: SecretName, account: str = "") -> str | None:
        if self._use_env:
            value = os.environ.get(name.env_var)
            if value:
                return value
        with self._lock:
            if (name.value, account) in self._session:
                return self._session[(name.value, account)]
        if not self.available:
            return None
        import keyring

        try:
            return keyring.get_password(self._service, _username(name, account))
        except Exception as exc:
            log.warning("reading %s from the keyring failed: %s", name.value, type(exc).__name__)
            return None

    def set(self, name: SecretName, value: str, account: str = "") -> bool:
        """Store *value*.  Returns True if it went to the keyring, False if session-only."""
        if not self.available:
            with self._lock:
                self._session[(name.value, account)] = value
            return False
        import keyring

        try:
            keyring.set_password(self._service, _username(name, account), value)
        except Exception as exc:
            with self._lock:
                self._session[(name.value, account)] = value
            raise SecretStoreError(
                f"the keyring refused to store the {name.value} ({type(exc).__name__}); "
                "it is kept for this session only") from None
        with self._lock:
            self._session.pop((name.value, account), None)
        return True

    def delete(self, name: SecretName, account: str = "") -> None:
        with self._lock:
            self._session.pop((name.value, account), None)
        if not self.available:
            return
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(self._service, _username(name, account))
        except PasswordDeleteError:
            pass
        except Exception as exc:
            log.warning("deleting %s from the keyring failed: %s", name.value, type(exc).__name__)


def _username(name: SecretName, account: str) -> str:
    return f"{name.value}:{account}" if account else name.value


def env_user() -> str | None:
    return os.environ.get(USER_ENV) or None

"""An in-memory keyring backend for widget tests (keyring's own test hook).

Installed with ``keyring.set_keyring(MemoryKeyring())`` by the fixtures below.
It must never win keyring's *auto-detection*, which enumerates every backend
class loaded in the process: a test of the real Secret Service that runs later
in the same session would otherwise be handed this fake.  ``viable = False``
keeps it out of detection; explicit ``set_keyring`` still works.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail


class MemoryKeyring(KeyringBackend):
    """A keyring backend in a dict (optionally refusing to store)."""

    priority = 10  # type: ignore[assignment]
    viable = False  # never chosen by auto-detection (see the module docstring)

    def __init__(self, *, refuse: bool = False) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.refuse = refuse

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refuse:
            raise keyring.errors.PasswordSetError("locked")
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)

"""SecretStore against a real Secret Service (gnome-keyring on a private D-Bus).

The fixture starts its own ``dbus-daemon`` and an unlocked
``gnome-keyring-daemon`` (see :mod:`tests.helpers.secret_service`) and
points this process at them, so the round trip goes through D-Bus and the
daemon exactly as on an agent's Linux desktop.  A last test runs a child
process whose session bus does not exist: the store must say so plainly and
keep secrets for the session.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.account import Account
from desktop.core.logs import setup_logging
from desktop.core.secrets import SecretName, SecretStore
from desktop.core.settings import Settings, save_settings
from tests.helpers.secret_service import SecretService
from tests.helpers.xserver import require_programs

pytestmark = pytest.mark.keyring

ACCOUNT = "agent@example.com"
REPO = Path(__file__).resolve().parents[2]


def _detect_keyring_again() -> None:
    """keyring decides once per process which backends are viable; decide again."""
    import keyring.backend
    import keyring.core

    with contextlib.suppress(KeyError):  # nothing cached yet
        keyring.backend.get_all_keyring.reset()
    keyring.core.init_backend()


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    """This process (and its children) use a private, unlocked gnome-keyring."""
    require_programs("dbus-daemon", "gnome-keyring-daemon")
    service = SecretService(tmp_path_factory.mktemp("secret-service")).start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DBUS_SESSION_BUS_ADDRESS", service.address)
            mp.delenv("PYTHON_KEYRING_BACKEND", raising=False)
            _detect_keyring_again()
            try:
                yield service
            finally:
                mp.undo()
                _detect_keyring_again()
    finally:
        service.stop()


@pytest.fixture
def kobikom_logging() -> Iterator[None]:
    """Give the ``kobikom`` logger tree back as it was (setup_logging replaces it)."""
    root = logging.getLogger("kobikom")
    saved = (list(root.handlers), root.level, root.propagate)
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    handlers, level, propagate = saved
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    root.propagate = propagate


def test_secret_service_round_trip(secret_service: SecretService) -> None:
    import keyring

    backend = keyring.get_keyring()
    assert f"{type(backend).__module__}.{type(backend).__name__}" == \
        "keyring.backends.SecretService.Keyring"
    store = SecretStore(use_env=False)
    assert store.available, store.problem
    assert store.problem is None

    value = secrets.token_urlsafe(24)
    assert store.set(SecretName.PASSWORD, value, account=ACCOUNT) is True
    assert SecretStore(use_env=False).get(SecretName.PASSWORD, ACCOUNT) == value
    # A fresh process sees it too: it is in the daemon, not in our memory.
    child = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(f"""
            from desktop.core.secrets import SecretName, SecretStore
            print(SecretStore(use_env=False).get(SecretName.PASSWORD, {ACCOUNT!r}))
        """)], env=secret_service.env | {"PYTHONPATH": str(REPO)}, cwd=REPO,
        capture_output=True, text=True, timeout=60, check=False)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == value

    SecretStore(use_env=False).delete(SecretName.PASSWORD, ACCOUNT)
    assert SecretStore(use_env=False).get(SecretName.PASSWORD, ACCOUNT) is None
    assert keyring.get_password("kobikom-desktop", f"password:{ACCOUNT}") is None


def test_secret_never_reaches_settings_or_log(secret_service: SecretService, tmp_path: Path,
                                              kobikom_logging: None) -> None:
    value = "Pw-" + secrets.token_hex(12)
    store = SecretStore(use_env=False)
    assert store.set(SecretName.PASSWORD, value, account=ACCOUNT)
    try:
        settings = Settings()
        settings.account.user = ACCOUNT
        settings.account.extensions = ["1001"]
        settings.account.domain_uuid = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
        settings_file = tmp_path / "settings.toml"
        save_settings(settings, settings_file)

        log_file = tmp_path / "kobikom-desktop.log"
        setup_logging(log_file=log_file, debug=True, stderr=False)
        # What the app does when it reads a secret: Account.secret() registers it.
        assert Account(settings, store).secret(SecretName.PASSWORD) == value
        log = logging.getLogger("kobikom.test.keyring")
        log.debug("login with %s", value)
        log.info("password=%s&user=%s", value, ACCOUNT)
        log.warning("server said: wrong password %r", value)
        try:
            raise RuntimeError(f"login failed for {value}")
        except RuntimeError:
            log.exception("login failed")
        for handler in logging.getLogger("kobikom").handlers:
            handler.flush()

        logged = log_file.read_text("utf-8")
        assert value not in logged
        assert logged.count("<secret>") >= 4, logged
        assert value not in settings_file.read_text("utf-8")
        assert ACCOUNT in settings_file.read_text("utf-8")
    finally:
        store.delete(SecretName.PASSWORD, ACCOUNT)
    assert SecretStore(use_env=False).get(SecretName.PASSWORD, ACCOUNT) is None


def test_without_a_secret_service_secrets_stay_for_the_session(tmp_path: Path) -> None:
    """No session bus: ``available`` is False, ``problem`` is a sentence, set() still works."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env.update(DBUS_SESSION_BUS_ADDRESS=f"unix:path={tmp_path / 'no-such-bus'}",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / ".config"),
               XDG_DATA_HOME=str(tmp_path / ".local" / "share"), PYTHONPATH=str(REPO))
    script = textwrap.dedent("""
        import json
        from desktop.core.secrets import SecretName, SecretStore
        store = SecretStore(use_env=False)
        kept = store.set(SecretName.PASSWORD, "session-only-pw", account="agent@example.com")
        print(json.dumps({
            "available": store.available, "problem": store.problem, "kept_in_keyring": kept,
            "same_store": store.get(SecretName.PASSWORD, "agent@example.com"),
            "new_store": SecretStore(use_env=False).get(SecretName.PASSWORD,
                                                        "agent@example.com"),
        }))
    """)
    child = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO,
                           capture_output=True, text=True, timeout=60, check=False)
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["available"] is False
    problem = result["problem"]
    assert isinstance(problem, str), problem
    assert 20 < len(problem) < 300, problem
    assert problem[0].isalpha(), problem
    assert "keyring" in problem, problem
    for technical in ("\n", "Traceback", "Error", "Exception", "dbus", "DBUS_"):
        assert technical not in problem, problem
    assert result["kept_in_keyring"] is False
    assert result["same_store"] == "session-only-pw"
    assert result["new_store"] is None  # session only: nothing was written anywhere
    assert "Traceback" not in child.stderr, child.stderr

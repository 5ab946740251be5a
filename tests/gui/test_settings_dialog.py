"""The Settings dialog: fields, defaults, validation, and saving without blocking.

Async: the dialog reads and writes the keyring and the settings file with
``asyncio.to_thread`` on the app's qasync loop.  These tests install the
same kind of loop, marked "already running" (:mod:`tests.helpers.qt_asyncio`),
so ``qtbot.waitSignal``/``waitUntil`` drive asyncio too.

Secrets go to a real :class:`SecretStore` over an in-memory keyring
backend installed with ``keyring.set_keyring`` (the keyring library's own
test hook), or over keyring's ``fail`` backend for "no keyring".
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.secrets import SERVICE, SecretName, SecretStore
from desktop.core.settings import PopupCorner, Settings, load_settings
from desktop.pbx.connection import Flavor, Transport
from desktop.ui.settings_dialog import Level, SettingsDialog
from tests.helpers.qt_asyncio import qt_asyncio_loop

UUID = "97df2222-c948-492c-8a1b-0123456789ab"


@pytest.fixture(autouse=True)
def _no_env_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SecretName:
        monkeypatch.delenv(name.env_var, raising=False)
    monkeypatch.delenv("KOBIKOM_USER", raising=False)


@pytest.fixture
def qloop(qapp):
    with qt_asyncio_loop(qapp) as loop:
        yield loop








@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


def open_dialog(qtbot, settings: Settings, store: SecretStore, config_path: Path
                ) -> SettingsDialog:
    dialog = SettingsDialog(settings, store, config_path=config_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.secrets_loaded)
    return dialog


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_round_trip_saves_settings_and_secrets_apart(qtbot, qloop, memory_keyring,
                                                     config_path: Path) -> None:
    store = SecretStore(use_env=False)
    original = Settings()
    original.dial.outside_line_prefix = "9"  # not shown in the dialog: must survive
    dialog = open_dialog(qtbot, original, store, config_path)

    choose(dialog.flavor_combo, Flavor.TEKIL)
    choose(dialog.transport_combo, Transport.WS)
    dialog.extensions_edit.setText("1001, 1002")
    dialog.user_edit.setText("ayse@yildiz.com.tr")
    dialog.password_edit.setText("panel-şifre-1")
    dialog.api_key_edit.setText("api-key-123")
    dialog.ws_token_check.setChecked(True)
    dialog.host_edit.setText("ws.example.test")
    dialog.port_edit.setText("8443")
    dialog.tls_check.setChecked(False)
    dialog.api_base_edit.setText("https://panel.example.test")
    choose(dialog.corner_combo, PopupCorner.TOP_LEFT)
    dialog.auto_close_spin.setValue(30)
    dialog.popup_enabled_check.setChecked(False)
    choose(dialog.language_combo, "tr")

    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    emitted = saved.args[0]
    assert isinstance(emitted, Settings)
    loaded = load_settings(config_path)
    assert loaded == emitted
    assert loaded.account.flavor is Flavor.TEKIL
    assert loaded.account.transport is Transport.WS
    assert loaded.account.extensions == ["1001", "1002"]
    assert loaded.account.user == "ayse@yildiz.com.tr"
    assert loaded.account.ws_login_with_token is True
    assert (loaded.server.host, loaded.server.port, loaded.server.tls) == (
        "ws.example.test", 8443, "false")
    assert loaded.server.api_base == "https://panel.example.test"
    assert loaded.popup.corner is PopupCorner.TOP_LEFT
    assert loaded.popup.auto_close_seconds == 30
    assert loaded.popup.enabled is False
    assert loaded.ui.language == "tr"
    assert loaded.dial.outside_line_prefix == "9"

    raw = config_path.read_text(encoding="utf-8")
    assert "panel-şifre-1" not in raw
    assert "api-key-123" not in raw
    assert "password" not in tomllib.loads(raw)["account"]
    assert memory_keyring.store == {
        (SERVICE, "password:ayse@yildiz.com.tr"): "panel-şifre-1",
        (SERVICE, "api-key"): "api-key-123",
    }


def test_saved_secrets_are_shown_and_unchanged_ones_not_rewritten(
        qtbot, qloop, memory_keyring, config_path: Path) -> None:
    store = SecretStore(use_env=False)
    store.set(SecretName.PASSWORD, "old-password", "agent@x.com.tr")
    store.set(SecretName.API_KEY, "old-key")
    settings = Settings()
    settings.account.flavor = Flavor.TEKIL
    settings.account.user = "agent@x.com.tr"
    settings.account.extensions = ["1001"]
    dialog = open_dialog(qtbot, settings, store, config_path)
    assert dialog.password_edit.text() == "old-password"
    assert dialog.password_edit.echoMode() is dialog.password_edit.EchoMode.Password
    assert dialog.api_key_edit.text() == "old-key"

    memory_keyring.refuse = True  # a write now would fail: nothing must be written
    dialog.api_key_edit.setText("")  # cleared: deleted from the keyring
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert memory_keyring.store == {(SERVICE, "password:agent@x.com.tr"): "old-password"}


def test_unavailable_keyring_is_said_plainly(qtbot, qloop, no_keyring,
                                            config_path: Path) -> None:
    store = SecretStore(use_env=False)
    dialog = open_dialog(qtbot, Settings(), store, config_path)
    assert dialog.keyring_box.isVisible()
    assert "kept for this session only" in dialog.keyring_box.text()
    assert "no working system keyring" in dialog.keyring_box.text()

    dialog.user_edit.setText("agent@x.com.tr")
    dialog.password_edit.setText("s3cret")
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        dialog.save_button.click()
    assert store.get(SecretName.PASSWORD, "agent@x.com.tr") == "s3cret"  # session only
    assert "s3cret" not in config_path.read_text(encoding="utf-8")


def test_keyring_with_a_backend_shows_no_warning(qtbot, qloop, memory_keyring,
                                                 config_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)
    assert not dialog.keyring_box.isVisible()


def test_defaults_are_placeholders_for_type_and_transport(qtbot, qloop, memory_keyring,
                                                          config_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)

    def shown() -> tuple[str, str, str]:
        return (dialog.host_edit.placeholderText(), dialog.port_edit.placeholderText(),
                dialog.api_base_edit.placeholderText())

    choose(dialog.flavor_combo, Flavor.TEKIL)
    choose(dialog.transport_combo, Transport.TCP)
    host, port, api = shown()
    assert "93.186.116.95" in host
    assert "57000" in port
    assert "https://panelapi.kobikom.com.tr" in api
    assert not dialog.tls_check.isEnabled()

    choose(dialog.transport_combo, Transport.WS)
    host, port, _ = shown()
    assert "api.kobikom.com.tr" in host
    assert "8098" in port
    assert dialog.tls_check.isEnabled()
    assert dialog.tls_check.isChecked()
    dialog.tls_check.setChecked(False)
    assert "8088" in dialog.port_edit.placeholderText()

    choose(dialog.flavor_combo, Flavor.BULUT)
    choose(dialog.transport_combo, Transport.TCP)
    host, port, api = shown()
    assert "185.86.152.197" in host
    assert "8990" in port
    assert "https://api.kobipbx.com" in api
    choose(dialog.transport_combo, Transport.WS)
    host, port, _ = shown()
    assert "wss.kobipbx.com" in host
    assert "443" in port
    # The fields themselves stay empty: empty means "the documented default".
    assert dialog.host_edit.text() == dialog.port_edit.text() == ""


def test_tekil_hides_the_domain_and_bulut_hides_the_api_key(qtbot, qloop, memory_keyring,
                                                           config_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)
    choose(dialog.flavor_combo, Flavor.TEKIL)
    assert not dialog.row_visible("domain")
    assert not dialog.domain_edit.isEnabled()
    assert dialog.row_visible("api_key")
    assert dialog.row_visible("ws_token")
    assert "API ANAHTARI" in dialog.findChild(type(dialog.status_label), "api_keyHelp").text()

    choose(dialog.flavor_combo, Flavor.BULUT)
    assert dialog.row_visible("domain")
    assert dialog.domain_edit.isEnabled()
    assert not dialog.row_visible("api_key")
    assert not dialog.row_visible("ws_token")
    help_text = dialog.findChild(type(dialog.status_label), "domainHelp").text()
    assert "Kobikom's technical team" in help_text


def test_validation_messages_block_or_warn(qtbot, qloop, memory_keyring,
                                          config_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)
    choose(dialog.flavor_combo, Flavor.BULUT)
    saved: list[object] = []
    dialog.settingsSaved.connect(saved.append)

    dialog.port_edit.setText("70000")
    level, text = dialog.message("port")
    assert level is Level.ERROR
    assert "1 to 65535" in text
    dialog.extensions_edit.setText("1001, 10a1")
    level, text = dialog.message("extensions")
    assert level is Level.ERROR
    assert "10a1" in text
    dialog.domain_edit.setText("97df2222-c948-492c-xxxx-xxxxx")  # masked as in the docs
    level, text = dialog.message("domain")
    assert level is Level.WARNING
    assert "UUID" in text
    dialog.api_base_edit.setText("panelapi.kobikom.com.tr")
    assert dialog.message("api_base")[0] is Level.ERROR
    dialog.host_edit.setText("wss://x.example")
    assert dialog.message("host")[0] is Level.ERROR

    dialog.tabs.setCurrentIndex(2)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert not config_path.exists()
    assert saved == []
    assert dialog.tabs.currentIndex() == 0  # the first error's tab is shown
    assert dialog.message("port")[1] in dialog.findChild(
        type(dialog.status_label), "portMessage").text()

    dialog.port_edit.setText("")
    dialog.extensions_edit.setText("1001")
    dialog.api_base_edit.setText("")
    dialog.host_edit.setText("")
    assert dialog.message("port") == (None, "")
    dialog.domain_edit.setText(UUID)
    assert dialog.message("domain") == (None, "")
    dialog.domain_edit.setText("not-a-uuid")  # a warning does not block saving
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        dialog.save_button.click()
    assert load_settings(config_path).account.domain_uuid == "not-a-uuid"


def test_a_disk_error_is_shown_and_the_dialog_stays_open(qtbot, qloop, memory_keyring,
                                                        tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False),
                         blocker / "settings.toml")
    saved: list[object] = []
    dialog.settingsSaved.connect(saved.append)
    dialog.extensions_edit.setText("1001")
    dialog.password_edit.setText("typed")
    dialog.save_button.click()
    qtbot.waitUntil(dialog.error_box.isVisible)
    assert "could not be saved" in dialog.error_box.text()
    assert str(blocker) in dialog.error_box.text()
    assert dialog.isVisible()
    assert saved == []
    assert dialog.extensions_edit.text() == "1001"
    assert dialog.password_edit.text() == "typed"
    assert dialog.save_button.isEnabled()  # the agent can try again


def test_a_refusing_keyring_is_shown_and_the_dialog_stays_open(qtbot, qloop, memory_keyring,
                                                              config_path: Path) -> None:
    store = SecretStore(use_env=False)
    dialog = open_dialog(qtbot, Settings(), store, config_path)
    memory_keyring.refuse = True
    dialog.user_edit.setText("agent@x.com.tr")
    dialog.password_edit.setText("s3cret")
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(dialog.error_box.isVisible)
    assert "keyring refused" in dialog.error_box.text()
    assert dialog.isVisible()
    assert config_path.exists()  # the settings themselves were saved
    assert store.get(SecretName.PASSWORD, "agent@x.com.tr") == "s3cret"  # kept for the session


def test_ask_shows_without_blocking(qtbot, qloop, memory_keyring, config_path: Path) -> None:
    dialog = SettingsDialog.ask(None, Settings(), SecretStore(use_env=False),
                                config_path=config_path)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    qtbot.waitUntil(dialog.secrets_loaded)

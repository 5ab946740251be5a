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

pytestmark = pytest.mark.usefixtures("no_env_secrets")

UUID = "97df2222-c948-492c-8a1b-0123456789ab"


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


# ---------------------------------------------------------------- calls, SMS, history


def test_calls_sms_and_history_round_trip(qtbot, qloop, memory_keyring,
                                          config_path: Path) -> None:
    store = SecretStore(use_env=False)
    dialog = open_dialog(qtbot, Settings(), store, config_path)
    choose(dialog.flavor_combo, Flavor.TEKIL)
    choose(dialog.transport_combo, Transport.WS)
    dialog.extensions_edit.setText("1001")
    dialog.prefix_edit.setText(" 9 ")
    dialog.confirm_international_check.setChecked(False)
    dialog.tel_links_check.setChecked(True)
    dialog.originate_check.setChecked(True)
    dialog.ring_timeout_spin.setValue(45000)
    dialog.wait_response_spin.setValue(20000)
    dialog.trunk_edit.setText("hat2")
    choose(dialog.sms_api_combo, "old")
    dialog.sms_base_edit.setText("https://sms.example.test")
    dialog.sms_sender_edit.setText("YILDIZLOJ")
    dialog.agent_name_edit.setText("Ayşe Yıldız")
    dialog.sms_api_key_edit.setText("old-sms-key-1")
    dialog.recordings_cache_spin.setValue(2000)

    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000) as saved:
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    loaded = load_settings(config_path)
    assert loaded == saved.args[0]
    assert (loaded.dial.outside_line_prefix, loaded.dial.confirm_international,
            loaded.dial.use_ws_originate) == ("9", False, True)
    assert (loaded.dial.ring_timeout_ms, loaded.dial.wait_response_ms,
            loaded.dial.trunk) == (45000, 20000, "hat2")
    assert loaded.ui.register_tel_links is True
    assert (loaded.sms.api, loaded.sms.base, loaded.sms.sender, loaded.sms.agent_name) == (
        "old", "https://sms.example.test", "YILDIZLOJ", "Ayşe Yıldız")
    assert loaded.history.recordings_cache_mb == 2000
    assert loaded.sms_base() == "https://sms.example.test"
    assert memory_keyring.store == {(SERVICE, "sms-api-key"): "old-sms-key-1"}
    assert "old-sms-key-1" not in config_path.read_text(encoding="utf-8")


def test_sms_token_goes_to_the_keyring_only(qtbot, qloop, memory_keyring,
                                            config_path: Path) -> None:
    store = SecretStore(use_env=False)
    store.set(SecretName.SMS_API_KEY, "kept-old-key")
    dialog = open_dialog(qtbot, Settings(), store, config_path)
    assert dialog.row_visible("sms_token")
    assert not dialog.row_visible("sms_api_key")
    assert "sms.kobikom.com.tr" in dialog.sms_base_edit.placeholderText()
    choose(dialog.sms_api_combo, "old")
    assert dialog.row_visible("sms_api_key")
    assert not dialog.row_visible("sms_token")
    assert "smspaneli.kobikom.com.tr" in dialog.sms_base_edit.placeholderText()
    assert dialog.sms_api_key_edit.text() == "kept-old-key"
    choose(dialog.sms_api_combo, "new")

    dialog.sms_token_edit.setText("  sms-token-ABC  ")
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert memory_keyring.store == {(SERVICE, "sms-token"): "sms-token-ABC",
                                    (SERVICE, "sms-api-key"): "kept-old-key"}
    raw = config_path.read_text(encoding="utf-8")
    assert "sms-token-ABC" not in raw
    assert set(tomllib.loads(raw)["sms"]) == {"api", "base", "sender", "agent_name"}
    assert load_settings(config_path).sms.api == "new"


def test_sms_secrets_from_the_environment_are_shown_disabled(
        qtbot, qloop, memory_keyring, config_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOBIKOM_SMS_TOKEN", "env-sms-token")
    dialog = open_dialog(qtbot, Settings(), SecretStore(), config_path)
    assert dialog.sms_token_edit.text() == "env-sms-token"
    assert not dialog.sms_token_edit.isEnabled()
    assert "KOBIKOM_SMS_TOKEN" in dialog.sms_token_edit.toolTip()
    assert dialog.sms_api_key_edit.isEnabled()
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        dialog.save_button.click()
    assert memory_keyring.store == {}  # the environment's value is not copied


def test_outside_line_prefix_is_validated(qtbot, qloop, memory_keyring,
                                          config_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)
    saved: list[object] = []
    dialog.settingsSaved.connect(saved.append)
    dialog.extensions_edit.setText("1001")
    for bad in ("9a", "0 9", "+9", "9-"):
        dialog.prefix_edit.setText(bad)
        level, text = dialog.message("prefix")
        assert level is Level.ERROR, bad
        assert "digits" in text
    dialog.tabs.setCurrentIndex(0)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert saved == []
    assert not config_path.exists()
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Calls"
    assert dialog.prefix_edit.hasFocus() or not dialog.isActiveWindow()

    for good in ("", "0", "9", "*55#"):
        dialog.prefix_edit.setText(good)
        assert dialog.message("prefix") == (None, ""), good
    dialog.prefix_edit.setText("0")
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        dialog.save_button.click()
    assert load_settings(config_path).dial.outside_line_prefix == "0"


def test_sms_address_is_validated(qtbot, qloop, memory_keyring, config_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)
    dialog.sms_base_edit.setText("sms.kobikom.com.tr")
    assert dialog.message("sms_base")[0] is Level.ERROR
    dialog.sms_base_edit.setText("https://sms.kobikom.com.tr")
    assert dialog.message("sms_base") == (None, "")


def test_originate_only_for_tekil_websocket(qtbot, qloop, memory_keyring,
                                            config_path: Path) -> None:
    settings = Settings()
    settings.dial.use_ws_originate = True  # kept even while it cannot be used
    dialog = open_dialog(qtbot, settings, SecretStore(use_env=False), config_path)
    help_label = dialog.findChild(type(dialog.status_label), "originateHelp")
    for flavor, transport in ((Flavor.BULUT, Transport.TCP), (Flavor.BULUT, Transport.WS),
                              (Flavor.TEKIL, Transport.TCP)):
        choose(dialog.flavor_combo, flavor)
        choose(dialog.transport_combo, transport)
        assert not dialog.originate_check.isEnabled(), (flavor, transport)
        assert not dialog.ring_timeout_spin.isEnabled()
        assert not dialog.trunk_edit.isEnabled()
        assert "Tekil Santral accounts connected over WebSocket" in help_label.text()
    choose(dialog.flavor_combo, Flavor.TEKIL)
    choose(dialog.transport_combo, Transport.WS)
    assert dialog.originate_check.isEnabled()
    assert dialog.ring_timeout_spin.isEnabled()
    assert dialog.trunk_edit.isEnabled()
    assert "Tekil Santral accounts" not in help_label.text()
    dialog.originate_check.setChecked(False)
    assert not dialog.ring_timeout_spin.isEnabled()
    assert not dialog.wait_response_spin.isEnabled()
    assert dialog.settings().dial.use_ws_originate is False

    choose(dialog.flavor_combo, Flavor.BULUT)
    dialog.originate_check.setChecked(True)  # not clickable, but the value is kept as is
    assert dialog.settings().dial.use_ws_originate is True


def test_tel_link_choice_reaches_the_desktop_through_the_settings_file(
        qtbot, qloop, memory_keyring, config_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's TelLinkSettings follows the file the dialog writes (no restart)."""
    from desktop.core import tel_links
    from desktop.core.settings import save_settings
    from desktop.core.tasks import TaskSet
    from desktop.ui.click_to_call import TelLinkSettings

    if not tel_links.supported():
        pytest.skip("the installer registers the links on this system")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    entry = tmp_path / "share" / "applications" / tel_links.DESKTOP_ID
    save_settings(Settings(), config_path)
    tasks = TaskSet("test")
    links = TelLinkSettings(config_path, tasks=tasks)
    with qtbot.waitSignal(links.applied, timeout=5000):
        links.start(False)

    dialog = open_dialog(qtbot, load_settings(config_path), SecretStore(use_env=False),
                         config_path)
    assert dialog.tel_links_check.isEnabled()
    dialog.tel_links_check.setChecked(True)
    with qtbot.waitSignal(links.applied, timeout=5000) as applied:
        dialog.save_button.click()
    assert applied.args[0].enabled
    assert entry.is_file()
    assert "x-scheme-handler/tel;" in entry.read_text(encoding="utf-8")

    dialog = open_dialog(qtbot, load_settings(config_path), SecretStore(use_env=False),
                         config_path)
    assert dialog.tel_links_check.isChecked()
    dialog.tel_links_check.setChecked(False)
    with qtbot.waitSignal(links.applied, timeout=5000) as applied:
        dialog.save_button.click()
    assert not applied.args[0].enabled
    assert not entry.exists()


def test_saved_sms_token_is_used_for_the_next_send(qapp, qtbot, qloop, memory_keyring,
                                                  config_path: Path, tmp_path: Path) -> None:
    """A token saved in the dialog reaches the SMS sender (a real simulator, a real keyring
    store) without a restart: the sender reads the keyring for every round, and the app's
    ``_settings_saved`` wakes it (here: the same two steps)."""
    import httpx

    from desktop.core.account import Account
    from desktop.core.sms_sender import ProblemKind, SenderTiming, SmsSender, sms_api_config
    from desktop.core.tasks import TaskSet
    from desktop.simulator import Simulator, SimulatorConfig
    from desktop.ui.sms import SmsService
    from tests.helpers.qt_asyncio import run_coroutine

    sim = Simulator(SimulatorConfig(seed_history=0))
    run_coroutine(qapp, sim.start())
    store = SecretStore(use_env=False)
    current = {"settings": Settings()}
    current["settings"].sms.base = sim.http_base
    outbox = tmp_path / "outbox.sqlite3"
    # Without a wake-up the sender would look at the keyring again only in 10 minutes.
    timing = SenderTiming(recheck_credentials=600.0, idle=600.0)

    def channel():
        return outbox, lambda: sms_api_config(Account(current["settings"], store))

    def make_sender(box, config, on_change, on_problem) -> SmsSender:
        return SmsSender(box, config, on_change=on_change, on_problem=on_problem,
                         timing=timing, api_builder=lambda c: c.build(
                             timeout=httpx.Timeout(2.0)))

    tasks = TaskSet("test")
    service = SmsService(channel, tasks=tasks, sender_factory=make_sender)
    try:
        service.start()
        service.submit("r1", ["0532 411 80 27"], "Kargonuz yolda.", sim.cfg.sms_senders[0])
        qtbot.waitUntil(lambda: service.problem is not None
                        and service.problem.kind is ProblemKind.NOT_CONFIGURED, timeout=5000)
        assert sim.sms == []

        dialog = open_dialog(qtbot, current["settings"], store, config_path)

        def saved(settings: Settings) -> None:  # Application._settings_saved, SMS part
            current["settings"] = settings
            service.wake()

        dialog.settingsSaved.connect(saved)
        dialog.sms_token_edit.setText(sim.cfg.sms_token)
        dialog.save_button.click()
        qtbot.waitUntil(lambda: len(sim.sms) == 1, timeout=8000)
        assert sim.sms[0]["to"] == "+905324118027"
        assert memory_keyring.store == {(SERVICE, "sms-token"): sim.cfg.sms_token}
        qtbot.waitUntil(lambda: service.problem is None, timeout=5000)
    finally:
        run_coroutine(qapp, service.close())
        run_coroutine(qapp, tasks.cancel_all())
        run_coroutine(qapp, sim.stop())


# ---------------------------------------------------------------- looks

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def test_every_tab_fits_and_is_captured(qapp, qtbot, qloop, memory_keyring,
                                        config_path: Path) -> None:
    """Screenshots of every tab (artifacts/settings-*.png); no tab squashes its rows."""
    store = SecretStore(use_env=False)
    store.set(SecretName.API_KEY, "api-key-123")
    store.set(SecretName.SMS_TOKEN, "sms-token-123")
    for flavor in (Flavor.TEKIL, Flavor.BULUT):
        settings = Settings()
        settings.account.flavor = flavor
        settings.account.transport = Transport.WS if flavor is Flavor.TEKIL else Transport.TCP
        settings.account.extensions = ["1001"]
        settings.account.user = "ayse@yildizlojistik.com.tr"
        settings.account.domain_uuid = UUID if flavor is Flavor.BULUT else ""
        settings.dial.use_ws_originate = flavor is Flavor.TEKIL
        settings.sms.agent_name = "Ayşe Yıldız"
        dialog = open_dialog(qtbot, settings, store, config_path)
        qapp.processEvents()
        ARTIFACTS.mkdir(exist_ok=True)
        for index in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(index)
            qapp.processEvents()
            page = dialog.tabs.widget(index)
            layout = page.layout()
            assert layout.totalHeightForWidth(page.width()) <= page.height(), \
                dialog.tabs.tabText(index)
            name = dialog.tabs.tabText(index).split()[0].lower()
            dialog.grab().save(str(ARTIFACTS / f"settings-{flavor.value}-{name}.png"))
        assert dialog.tabs.tabBar().sizeHint().width() <= dialog.tabs.width()
        dialog.close()

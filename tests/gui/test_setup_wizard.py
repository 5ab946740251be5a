"""The first-run wizard against the simulator: pages, real checks, saving, import.

The wizard runs its checks, keyring and file work as asyncio tasks on the
app's qasync loop; these tests install the same kind of loop (marked
already running, :mod:`tests.helpers.qt_asyncio`) and run the simulator on
it, so ``qtbot.waitSignal``/``waitUntil`` drive the widgets, the checks and
the simulated servers together over real loopback sockets.
"""

from __future__ import annotations

import socket
import ssl
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from desktop.core.account_check import CheckId, CheckStatus, CheckTimeouts
from desktop.core.secrets import SERVICE, SecretName, SecretStore
from desktop.core.settings import Settings, load_settings
from desktop.pbx.connection import Flavor, Transport
from desktop.simulator import Simulator, SimulatorConfig
from desktop.ui.notice import NoticeKind
from desktop.ui.setup_wizard import AccountChoice, SetupWizard
from tests.helpers.qt_asyncio import run_coroutine

pytestmark = pytest.mark.usefixtures("no_env_secrets")

FAST = CheckTimeouts(rest_connect=3.0, rest_read=3.0, login=5.0, extension=5.0,
                     events_connect=3.0, events_settle=0.4, events_total=6.0, sms=5.0)
USER = "demo@kobikom.example"
WRONG_DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-00000000dead"
CHECK_WAIT_MS = 15000


@pytest.fixture
def make_sim(qapp, qloop) -> Iterator[Callable[..., Simulator]]:
    started: list[Simulator] = []

    def factory(**kwargs: Any) -> Simulator:
        kwargs.setdefault("seed_history", 0)
        sim = Simulator(SimulatorConfig(**kwargs))
        run_coroutine(qapp, sim.start())
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        run_coroutine(qapp, sim.stop())


@pytest.fixture(scope="module")
def server_cert() -> trustme.LeafCert:
    return trustme.CA().issue_cert("127.0.0.1", "localhost")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sim_settings(sim: Simulator, transport: Transport = Transport.WS, *,
                 tls: bool = False) -> Settings:
    """Settings pointing at the simulator (what an admin's roll-out file would set)."""
    s = Settings()
    s.account.transport = transport
    s.server.host = "127.0.0.1"
    s.server.port = sim.ports[transport.value]
    s.server.tls = "true" if tls else "false"
    s.server.api_base = sim.http_base
    s.sms.base = sim.http_base
    s.popup.auto_close_seconds = 21  # not shown by the wizard: must survive
    return s


def open_wizard(qtbot, settings: Settings, config_path: Path, *,
                store: SecretStore | None = None, **kwargs: Any) -> SetupWizard:
    wizard = SetupWizard(settings, store or SecretStore(use_env=False),
                         config_path=config_path, check_timeouts=FAST, **kwargs)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.stored is not None)
    return wizard


def choose(qtbot, wizard: SetupWizard, choice: AccountChoice) -> None:
    """Click the radio button's indicator (a click far right of its label would miss)."""
    button = wizard.type_page.buttons[choice]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def click(qtbot, wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isVisible()
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def enter_account(qtbot, wizard: SetupWizard, flavor: Flavor, *, password: str = "demo-password",
                  api_key: str = "demo-api-key", domain: str = "", sms: str = "") -> None:
    """Page 1 -> 2: choose the type and type the details, as an agent would."""
    assert wizard.currentId() == SetupWizard.PAGE_TYPE
    choose(qtbot, wizard, AccountChoice.TEKIL if flavor is Flavor.TEKIL else AccountChoice.BULUT)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == SetupWizard.PAGE_ACCOUNT
    page = wizard.account_page
    assert page.api_key_block.isVisible() is (flavor is Flavor.TEKIL)
    assert page.domain_block.isVisible() is (flavor is Flavor.BULUT)
    page.user_edit.clear()
    qtbot.keyClicks(page.user_edit, USER)
    page.password_edit.setText(password)
    if flavor is Flavor.TEKIL:
        page.api_key_edit.setText(api_key)
    else:
        page.domain_edit.setText(domain)
    page.sms_edit.setText(sms)


def test_the_account_page_asks_for_what_is_missing(qtbot, make_sim, config_path) -> None:
    sim = make_sim(flavor="bulut")
    wizard = open_wizard(qtbot, sim_settings(sim), config_path)
    enter_account(qtbot, wizard, Flavor.BULUT, password="")
    page = wizard.account_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert next_button.text() == "Test connection"
    assert not next_button.isEnabled()
    assert page.missing_label.text() == "Still needed: password, domain UUID."
    page.password_edit.setText("demo-password")
    page.domain_edit.setText(sim.cfg.domain_uuid)
    assert next_button.isEnabled()
    assert not page.missing_label.isVisible()
    assert sim.received == []  # nothing was sent before "Test connection"


def run_check(qtbot, wizard: SetupWizard) -> None:
    with qtbot.waitSignal(wizard.checkFinished, timeout=CHECK_WAIT_MS):
        click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentId() == SetupWizard.PAGE_CHECK


def statuses(wizard: SetupWizard) -> dict[CheckId, CheckStatus | None]:
    return {check: row.status for check, row in wizard.check_page.rows.items()}


def test_tekil_from_nothing_to_a_saved_verified_account(qtbot, make_sim, memory_keyring,
                                                         config_path) -> None:
    sim = make_sim(flavor="tekil")
    wizard = open_wizard(qtbot, sim_settings(sim), config_path)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled() is False  # no choice yet
    enter_account(qtbot, wizard, Flavor.TEKIL, sms="demo-sms-token")
    run_check(qtbot, wizard)

    assert statuses(wizard) == {CheckId.LOGIN: CheckStatus.OK, CheckId.EVENTS: CheckStatus.OK,
                                CheckId.EXTENSION: CheckStatus.WARNING,
                                CheckId.SMS: CheckStatus.OK}
    rows = wizard.check_page.rows
    assert f"as {USER}" in rows[CheckId.LOGIN].text()
    assert "accepted the login" in rows[CheckId.EVENTS].text()
    assert "The PBX has 3 extensions." in rows[CheckId.EXTENSION].text()
    assert "Pick yours from the list below." in rows[CheckId.EXTENSION].text()
    assert "balance: 1000" in rows[CheckId.SMS].text()
    combo = wizard.check_page.extension_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "1001 – Ayşe Demir", "1002 – Mehmet Kaya", "1003 – Zeynep Çelik"]
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "Save and connect"
    assert not finish.isEnabled()  # no extension chosen yet

    combo.setCurrentIndex(1)  # the agent picks their extension from the list
    assert rows[CheckId.EXTENSION].status is CheckStatus.OK
    assert "Extension 1002 – Mehmet Kaya found on the PBX." in rows[CheckId.EXTENSION].text()
    assert wizard.check_page.summary.kind is NoticeKind.SUCCESS
    with qtbot.waitSignal(wizard.settingsSaved, timeout=5000) as saved:
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())

    settings = saved.args[0]
    assert settings == load_settings(config_path)
    assert settings.configured
    assert settings.account.flavor is Flavor.TEKIL
    assert settings.account.transport is Transport.WS
    assert settings.account.extensions == ["1002"]
    assert settings.account.user == USER
    assert settings.popup.auto_close_seconds == 21
    raw = config_path.read_text()
    for secret in ("demo-password", "demo-api-key", "demo-sms-token"):
        assert secret not in raw
    assert "password" not in tomllib.loads(raw)["account"]
    assert memory_keyring.store == {
        (SERVICE, f"password:{USER}"): "demo-password",
        (SERVICE, "api-key"): "demo-api-key",
        (SERVICE, "sms-token"): "demo-sms-token",
    }
    assert wizard.keyring_problem is None


FAILURES = {
    # name: (flavor, transport, wizard input, failing check, words in the row)
    "wrong password": (Flavor.TEKIL, Transport.WS, {"password": "yanlis"}, CheckId.LOGIN,
                       ["rejected the e-mail or password",
                        "Use the e-mail and password you log in to the Kobikom panel with."]),
    "wrong API key": (Flavor.TEKIL, Transport.WS, {"api_key": "wrong-key"}, CheckId.EVENTS,
                      ["rejected the API key", "Geçersiz API anahtarı",
                       "Copy the API key (\"API ANAHTARI\") from your Kobikom panel again."]),
    "wrong domain UUID": (Flavor.BULUT, Transport.TCP, {"domain": WRONG_DOMAIN},
                          CheckId.EVENTS, ["rejected the domain UUID",
                                           "Kobikom's technical team provides it"]),
    "unreachable server": (Flavor.BULUT, Transport.TCP, {"event_port": "closed"},
                           CheckId.EVENTS, ["Cannot reach the live event server",
                                            "connection refused", "Firewalls often block"]),
    "TLS problem": (Flavor.BULUT, Transport.WS, {"tls": True}, CheckId.EVENTS,
                    ["The server's certificate is not trusted:",
                     "choose its CA certificate under Advanced"]),
    "extension not found": (Flavor.TEKIL, Transport.WS, {"extension": "1009"},
                            CheckId.EXTENSION, ["Extension 1009 is not on your PBX.",
                                                "the PBX has: 1001, 1002, 1003"]),
    "SMS token rejected": (Flavor.BULUT, Transport.TCP, {"sms": "stale-token"}, CheckId.SMS,
                           ["The SMS service rejected the token",
                            "Ayarlar (Settings) → SMS API"]),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_each_check_fails_for_its_reason_in_plain_words(
        qtbot, make_sim, memory_keyring, config_path, name: str,
        server_cert: trustme.LeafCert) -> None:
    flavor, transport, inputs, failing, words = FAILURES[name]
    sim_kwargs: dict[str, Any] = {"flavor": flavor.value}
    if inputs.get("tls"):
        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_cert.configure_cert(server_ctx)
        sim_kwargs["ws_ssl"] = server_ctx
    sim = make_sim(**sim_kwargs)
    settings = sim_settings(sim, transport, tls=bool(inputs.get("tls")))
    if inputs.get("event_port") == "closed":
        settings.server.port = closed_port()
    if "extension" in inputs:
        settings.account.extensions = [inputs["extension"]]
    wizard = open_wizard(qtbot, settings, config_path)
    enter_account(qtbot, wizard, flavor, password=inputs.get("password", "demo-password"),
                  api_key=inputs.get("api_key", "demo-api-key"),
                  domain=inputs.get("domain", sim.cfg.domain_uuid), sms=inputs.get("sms", ""))
    run_check(qtbot, wizard)

    row = wizard.check_page.rows[failing]
    assert row.status is CheckStatus.FAILED, row.text()
    assert row.fix.isVisibleTo(row)
    text = row.text()
    for word in words:
        assert word in text, text
    for check, status in statuses(wizard).items():
        if check is not failing and not (name == "wrong domain UUID"
                                         and check is CheckId.EXTENSION):
            assert status is not CheckStatus.FAILED, wizard.check_page.rows[check].text()
    assert wizard.check_page.summary.kind is NoticeKind.WARNING
    assert "Some checks failed" in wizard.check_page.summary.text()
    for secret in ("yanlis", "wrong-key", "stale-token", WRONG_DOMAIN):
        assert secret not in text


def test_back_fix_and_test_again(qtbot, make_sim, memory_keyring, config_path) -> None:
    sim = make_sim(flavor="tekil")
    wizard = open_wizard(qtbot, sim_settings(sim), config_path)
    enter_account(qtbot, wizard, Flavor.TEKIL, api_key="typo")
    run_check(qtbot, wizard)
    assert wizard.check_page.rows[CheckId.EVENTS].status is CheckStatus.FAILED
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    wizard.account_page.api_key_edit.setText("demo-api-key")
    run_check(qtbot, wizard)
    assert wizard.check_page.rows[CheckId.EVENTS].status is CheckStatus.OK
    with qtbot.waitSignal(wizard.checkFinished, timeout=CHECK_WAIT_MS):
        qtbot.mouseClick(wizard.check_page.test_button, Qt.MouseButton.LeftButton)
    assert wizard.check_page.rows[CheckId.LOGIN].status is CheckStatus.OK
    logins = [r for r in sim.received if r["path"] == "/login"]
    assert len(logins) == 3  # one per test run, never retried in a loop


def test_a_typed_extension_is_checked_against_the_list(qtbot, make_sim, config_path) -> None:
    sim = make_sim(flavor="bulut")
    wizard = open_wizard(qtbot, sim_settings(sim, Transport.TCP), config_path)
    enter_account(qtbot, wizard, Flavor.BULUT, domain=sim.cfg.domain_uuid)
    run_check(qtbot, wizard)
    combo = wizard.check_page.extension_combo
    row = wizard.check_page.rows[CheckId.EXTENSION]
    combo.setEditText("1009")
    assert row.status is CheckStatus.FAILED
    assert "Extension 1009 is not on your PBX." in row.text()
    combo.setEditText("1003")
    assert row.status is CheckStatus.OK
    assert wizard.chosen_extensions() == ["1003"]
    # Typing with the combo box's inline completion ("1002" -> "1002 – Mehmet Kaya").
    line_edit = combo.lineEdit()
    line_edit.clear()
    qtbot.keyClicks(line_edit, "1002")
    assert wizard.chosen_extensions() == ["1002"]
    assert row.status is CheckStatus.OK, row.text()
    combo.setEditText("1001 – Ayşe Demir, 1003")
    assert wizard.chosen_extensions() == ["1001", "1003"]
    assert row.status is CheckStatus.OK


def test_without_a_keyring_it_says_so_and_keeps_secrets_for_this_session(
        qtbot, make_sim, no_keyring, config_path) -> None:
    sim = make_sim(flavor="bulut")
    store = SecretStore(use_env=False)
    wizard = open_wizard(qtbot, sim_settings(sim, Transport.TCP), config_path, store=store)
    enter_account(qtbot, wizard, Flavor.BULUT, domain=sim.cfg.domain_uuid)
    notice = wizard.account_page.keyring_notice
    assert notice.isVisible()
    assert notice.kind is NoticeKind.WARNING
    assert "No system keyring" in notice.text()
    assert "only until you quit" in notice.text()
    run_check(qtbot, wizard)
    wizard.check_page.extension_combo.setCurrentIndex(0)
    with qtbot.waitSignal(wizard.settingsSaved, timeout=5000):
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.keyring_problem
    assert load_settings(config_path).account.extensions == ["1001"]
    # The app's store keeps the password for this session, so it can connect now.
    assert store.get(SecretName.PASSWORD, USER) == "demo-password"
    assert "demo-password" not in config_path.read_text()


def test_just_show_me_asks_for_demo_mode_and_saves_nothing(qtbot, qloop, config_path) -> None:
    wizard = SetupWizard(Settings(), SecretStore(use_env=False, session_only=True),
                         config_path=config_path)
    qtbot.addWidget(wizard)
    wizard.show()
    choose(qtbot, wizard, AccountChoice.DEMO)
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible()
    assert finish.text() == "Start the demo"
    assert not wizard.button(QWizard.WizardButton.NextButton).isVisible()
    choose(qtbot, wizard, AccountChoice.TEKIL)  # changed their mind: Next again
    assert wizard.button(QWizard.WizardButton.NextButton).isVisible()
    assert not finish.isVisible()
    choose(qtbot, wizard, AccountChoice.DEMO)
    assert finish.isVisible()
    with qtbot.waitSignal(wizard.demoRequested, timeout=2000):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert not config_path.exists()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_import_fills_in_and_greys_out_the_administrators_values(
        qtbot, make_sim, memory_keyring, config_path, tmp_path) -> None:
    sim = make_sim(flavor="bulut")
    admin = write(tmp_path / "kobikom-office.toml", f"""\
[account]
flavor = "bulut"
transport = "tcp"
domain_uuid = "{sim.cfg.domain_uuid}"
[server]
host = "127.0.0.1"
port = {sim.ports['tcp']}
api_base = "{sim.http_base}"
[sms]
base = "{sim.http_base}"
""")
    wizard = open_wizard(qtbot, Settings(), config_path)
    task = wizard.import_file(admin)
    qtbot.waitUntil(task.done)
    assert wizard.type_page.notice.kind is NoticeKind.SUCCESS
    assert "kobikom-office.toml" in wizard.type_page.notice.text()
    # The type comes from the file; the other type is greyed out.
    assert wizard.type_page.choice() is AccountChoice.BULUT
    assert not wizard.type_page.buttons[AccountChoice.TEKIL].isEnabled()
    assert wizard.type_page.buttons[AccountChoice.DEMO].isEnabled()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.account_page
    assert page.admin_notice.isVisible()
    assert "kobikom-office.toml" in page.admin_notice.text()
    assert page.domain_edit.text() == sim.cfg.domain_uuid
    for locked in (page.domain_edit, page.host_edit, page.port_edit, page.api_base_edit,
                   page.transport_combo):
        assert not locked.isEnabled()
    for own in (page.user_edit, page.password_edit, page.sms_edit):
        assert own.isEnabled()
    # The agent enters only their own sign-in; the check and the save use the file's values.
    qtbot.keyClicks(page.user_edit, USER)
    page.password_edit.setText("demo-password")
    run_check(qtbot, wizard)
    assert all(s in (CheckStatus.OK, CheckStatus.WARNING, CheckStatus.SKIPPED)
               for s in statuses(wizard).values()), statuses(wizard)
    wizard.check_page.extension_combo.setCurrentIndex(2)
    with qtbot.waitSignal(wizard.settingsSaved, timeout=5000):
        click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    saved = load_settings(config_path)
    assert saved.account.domain_uuid == sim.cfg.domain_uuid
    assert saved.server.port == sim.ports["tcp"]
    assert saved.account.extensions == ["1003"]


def test_the_administrators_values_can_be_unlocked(qtbot, qloop, config_path, tmp_path) -> None:
    admin = write(tmp_path / "office.toml", '[account]\nflavor = "tekil"\n'
                                            '[server]\nhost = "10.0.0.5"\n')
    wizard = open_wizard(qtbot, Settings(), config_path,
                         store=SecretStore(use_env=False, session_only=True))
    task = wizard.import_file(admin)
    qtbot.waitUntil(task.done)
    assert wizard.locked() == {"account.flavor", "server.host"}
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    page = wizard.account_page
    page.show_advanced()
    assert page.host_edit.text() == "10.0.0.5"
    assert not page.host_edit.isEnabled()
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert page.host_edit.isEnabled()
    assert wizard.locked() == frozenset()
    assert not page.admin_notice.isVisible()


@pytest.mark.parametrize(("text", "words"), [
    ('[account]\nflavor = "tekil"\npassword = "hunter2"\n',
     ["[account] password", "must not be in a settings file"]),
    ('[server]\nport = 99999\n', ["[server] port", "is not a port number"]),
    ('[account]\nflavor = "cloud"\n', ["[account] flavor", "'cloud'"]),
], ids=["secret", "port", "flavor"])
def test_import_refuses_a_bad_file_naming_the_key(qtbot, qloop, config_path, tmp_path, text,
                                                  words) -> None:
    wizard = open_wizard(qtbot, Settings(), config_path,
                         store=SecretStore(use_env=False, session_only=True))
    task = wizard.import_file(write(tmp_path / "bad.toml", text))
    qtbot.waitUntil(task.done)
    notice = wizard.type_page.notice
    assert notice.isVisible()
    assert notice.kind is NoticeKind.ERROR
    assert "This file cannot be imported" in notice.text()
    for word in words:
        assert word in notice.text()
    assert "hunter2" not in notice.text()
    assert wizard.locked() == frozenset()
    assert wizard.type_page.choice() is None


def test_a_failed_save_keeps_the_wizard_open_with_the_reason(qtbot, make_sim, memory_keyring,
                                                             tmp_path) -> None:
    sim = make_sim(flavor="tekil")
    blocker = write(tmp_path / "not-a-folder", "")
    wizard = open_wizard(qtbot, sim_settings(sim), blocker / "settings.toml")
    enter_account(qtbot, wizard, Flavor.TEKIL)
    run_check(qtbot, wizard)
    wizard.check_page.extension_combo.setCurrentIndex(0)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    summary = wizard.check_page.summary
    qtbot.waitUntil(lambda: summary.kind is NoticeKind.ERROR)
    assert "The settings could not be saved" in summary.text()
    assert str(blocker) in summary.text()
    assert wizard.isVisible()
    assert not wizard.saved
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert memory_keyring.store == {}  # nothing half-saved

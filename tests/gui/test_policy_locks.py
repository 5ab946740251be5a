"""The administrator's policy in both windows, and "Start at login".

A locked policy value wins over the agent's own file and shows greyed out
with "Set by your administrator" in the Settings dialog *and* the setup
wizard; saving never writes it to the agent's file.  Turning "Start at
login" off removes the autostart entry (XDG, in the test's own folders).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.autostart import DESKTOP_FILE, XdgAutostart
from desktop.core.policy import load_effective_settings, load_policy
from desktop.core.secrets import SecretStore
from desktop.core.settings import PopupCorner, load_settings
from desktop.pbx.connection import Flavor
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.setup_wizard import AccountChoice, SetupWizard
from tests.helpers.qt_asyncio import run_coroutine

pytestmark = pytest.mark.usefixtures("no_env_secrets")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
POLICY = """\
locked = ["account.flavor", "server.host", "popup.corner"]

[account]
flavor = "tekil"

[server]
host = "pbx.firma.com.tr"
port = 57000

[popup]
corner = "top-left"
"""
AGENT = """\
[account]
flavor = "bulut"
extensions = ["1001"]
user = "ayse@firma.com.tr"

[server]
host = "kendi-sunucum.example"

[popup]
corner = "bottom-left"
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    agent = tmp_path / "config" / "settings.toml"
    agent.parent.mkdir()
    agent.write_text(AGENT, encoding="utf-8")
    return policy, agent


def autostart() -> XdgAutostart:
    return XdgAutostart.from_environment(["/usr/bin/kobikom-desktop"])


def test_settings_dialog_shows_locked_policy_values_and_never_saves_them(
        qtbot, qloop, memory_keyring, files) -> None:
    policy_file, agent = files
    policy = load_policy(policy_file)
    effective = load_effective_settings(agent, policy)
    dialog = SettingsDialog(effective.settings, SecretStore(use_env=False), config_path=agent,
                            policy=policy, autostart=autostart())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.secrets_loaded)

    # The policy's values, not the agent's, greyed out with the note.
    assert dialog.flavor_combo.currentData() is Flavor.TEKIL
    assert dialog.host_edit.text() == "pbx.firma.com.tr"
    assert dialog.corner_combo.currentData() is PopupCorner.TOP_LEFT
    for widget in (dialog.flavor_combo, dialog.host_edit, dialog.corner_combo):
        assert not widget.isEnabled()
        assert widget.toolTip() == "Set by your administrator"
    assert {"flavor", "host", "corner"} <= set(dialog.locked_fields())
    note = dialog.findChild(type(dialog.status_label), "hostLocked")
    assert note is not None
    assert note.text() == "Set by your administrator"
    assert not note.isHidden()
    assert dialog.policy_box.isVisibleTo(dialog)
    # What is not locked stays the agent's to change.
    assert dialog.port_edit.isEnabled()
    assert dialog.user_edit.isEnabled()
    assert dialog.user_edit.text() == "ayse@firma.com.tr"

    ARTIFACTS.mkdir(exist_ok=True)
    dialog.tabs.setCurrentIndex(1)
    dialog.grab().save(str(ARTIFACTS / "settings-policy-locked.png"))

    dialog.host_edit.setText("sneaky.example")  # even if the widget were changed somehow
    dialog.port_edit.setText("57001")
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].server.host == "pbx.firma.com.tr"
    text = agent.read_text(encoding="utf-8")
    assert "pbx.firma.com.tr" not in text
    assert "sneaky" not in text
    assert "57001" in text
    assert load_settings(agent).server.port == 57001
    again = load_effective_settings(agent, load_policy(policy_file)).settings
    assert (again.server.host, again.account.flavor, again.popup.corner) == (
        "pbx.firma.com.tr", Flavor.TEKIL, PopupCorner.TOP_LEFT)


def test_setup_wizard_shows_locked_policy_values_that_cannot_be_unlocked(
        qtbot, qloop, memory_keyring, files) -> None:
    policy_file, agent = files
    policy = load_policy(policy_file)
    settings = load_effective_settings(agent, policy).settings
    wizard = SetupWizard(settings, SecretStore(use_env=False), config_path=agent, policy=policy,
                         autostart=autostart())
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.stored is not None)

    assert wizard.type_page.choice() is AccountChoice.TEKIL
    assert not wizard.type_page.buttons[AccountChoice.BULUT].isEnabled()
    assert wizard.type_page.buttons[AccountChoice.TEKIL].toolTip() == \
        "Set by your administrator"
    wizard.next()
    page = wizard.account_page
    page.show_advanced()
    assert page.host_edit.text() == "pbx.firma.com.tr"
    assert not page.host_edit.isEnabled()
    assert page.host_edit.toolTip() == "Set by your administrator"
    assert page.port_edit.isEnabled()
    assert page.admin_notice.isVisibleTo(page)
    assert "administrator" in page.admin_notice.text()
    assert page.unlock_button.isHidden()  # a policy lock is not the agent's to lift
    wizard.unlock()
    assert not page.host_edit.isEnabled()
    assert wizard.locked() >= {"account.flavor", "server.host", "popup.corner"}
    ARTIFACTS.mkdir(exist_ok=True)
    wizard.grab().save(str(ARTIFACTS / "wizard-policy-locked.png"))
    page.host_edit.setText("sneaky.example")
    assert wizard.settings().server.host == "pbx.firma.com.tr"
    assert wizard.settings().popup.corner is PopupCorner.TOP_LEFT


def test_turning_start_at_login_off_removes_the_autostart_entry(
        qtbot, qloop, memory_keyring, tmp_path: Path) -> None:
    entry = Path(os.environ["XDG_CONFIG_HOME"]) / "autostart" / DESKTOP_FILE
    auto = autostart()
    auto.enable()
    assert entry.is_file()
    dialog = SettingsDialog(load_settings(tmp_path / "none.toml"), SecretStore(use_env=False),
                            config_path=tmp_path / "settings.toml", autostart=auto)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.secrets_loaded)
    qtbot.waitUntil(dialog.start_at_login.isEnabled)
    assert dialog.start_at_login.isChecked()
    dialog.tabs.setCurrentIndex(2)
    dialog.start_at_login.setChecked(False)
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not entry.exists()
    assert not auto.enabled()


def test_the_agent_switches_off_the_installers_autostart_in_settings(
        qtbot, qloop, memory_keyring, tmp_path: Path) -> None:
    system = Path(os.environ["XDG_CONFIG_DIRS"]) / "autostart"
    system.mkdir(parents=True)
    (system / DESKTOP_FILE).write_text("[Desktop Entry]\nType=Application\nName=Kobikom\n"
                                       "Exec=kobikom-desktop --autostart\n")
    auto = autostart()
    dialog = SettingsDialog(load_settings(tmp_path / "none.toml"), SecretStore(use_env=False),
                            config_path=tmp_path / "settings.toml", autostart=auto)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.start_at_login.isEnabled)
    assert dialog.start_at_login.isChecked()  # on after install
    dialog.start_at_login.setChecked(False)
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not auto.enabled()
    assert "Hidden=true" in auto.user_file.read_text()


def test_the_wizard_turns_start_at_login_on_by_default(qtbot, qapp, qloop, memory_keyring,
                                                       tmp_path: Path) -> None:
    auto = autostart()
    assert not auto.enabled()
    settings = load_settings(tmp_path / "none.toml")
    settings.account.extensions = ["1001"]
    wizard = SetupWizard(settings, SecretStore(use_env=False),
                         config_path=tmp_path / "settings.toml", autostart=auto)
    qtbot.addWidget(wizard)
    wizard.show()
    box = wizard.check_page.start_at_login
    qtbot.waitUntil(box.isEnabled)
    assert box.isChecked()
    run_coroutine(qapp, wizard._save(wizard.settings(), []))
    assert auto.enabled()
    assert auto.user_file.is_file()

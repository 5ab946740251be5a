"""The Settings dialog's "Import settings…": an administrator's file, the shared validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.secrets import SecretStore
from desktop.core.settings import Settings, load_settings
from desktop.pbx.connection import Flavor, Transport
from desktop.ui.notice import NoticeKind
from desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.usefixtures("no_env_secrets")

UUID = "97df2222-c948-492c-8a1b-0123456789ab"


def open_dialog(qtbot, settings: Settings, config_path: Path) -> SettingsDialog:
    dialog = SettingsDialog(settings, SecretStore(use_env=False, session_only=True),
                            config_path=config_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.secrets_loaded)
    return dialog


def test_import_fills_the_dialog_and_save_keeps_it(qtbot, qloop, tmp_path: Path) -> None:
    admin = tmp_path / "office.toml"
    admin.write_text(f'[account]\nflavor = "bulut"\ntransport = "ws"\ndomain_uuid = "{UUID}"\n'
                     '[server]\nhost = "ws.example.test"\n'
                     '[sms]\nbase = "https://sms.example.test"\n', encoding="utf-8")
    mine = Settings()
    mine.account.flavor = Flavor.TEKIL
    mine.account.user = "ayse@firma.com.tr"
    mine.account.extensions = ["1001"]
    config = tmp_path / "settings.toml"
    dialog = open_dialog(qtbot, mine, config)
    assert dialog.import_button.isVisible()
    task = dialog.import_settings(admin)
    qtbot.waitUntil(task.done)
    assert dialog.error_box.kind is NoticeKind.SUCCESS
    assert "office.toml" in dialog.error_box.text()
    assert dialog.flavor is Flavor.BULUT
    assert dialog.transport is Transport.WS
    assert dialog.domain_edit.text() == UUID
    assert dialog.host_edit.text() == "ws.example.test"
    assert dialog.user_edit.text() == "ayse@firma.com.tr"  # the agent's own values stay
    assert dialog.extensions_edit.text() == "1001"
    assert not config.exists()  # nothing saved before Save
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = load_settings(config)
    assert saved.account.domain_uuid == UUID
    assert saved.sms.base == "https://sms.example.test"  # not shown in the dialog, kept
    assert saved.account.user == "ayse@firma.com.tr"


@pytest.mark.parametrize(("text", "key"), [
    ('[account]\npassword = "hunter2"\n', "[account] password"),
    ('[server]\nport = 123456\n', "[server] port"),
])
def test_import_refuses_a_bad_file_naming_the_key(qtbot, qloop, tmp_path: Path, text: str,
                                                  key: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    dialog = open_dialog(qtbot, Settings(), tmp_path / "settings.toml")
    before = dialog.settings()
    task = dialog.import_settings(bad)
    qtbot.waitUntil(task.done)
    assert dialog.error_box.kind is NoticeKind.ERROR
    assert key in dialog.error_box.text()
    assert "hunter2" not in dialog.error_box.text()
    assert dialog.settings() == before

"""Settings › CRM and Settings › Directory: fields, checks as typed, keyring, policy locks."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.policy import load_effective_settings, load_policy
from desktop.core.secrets import SERVICE, SecretName, SecretStore
from desktop.core.settings import CrmOpenOn, Settings, load_settings
from desktop.ui.form_rows import COLOR_WARNING
from desktop.ui.settings_dialog import Level, SettingsDialog

pytestmark = pytest.mark.usefixtures("no_env_secrets")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
BIND_DN = "cn=okuyucu,dc=örnek,dc=com,dc=tr"


def open_dialog(qtbot, settings: Settings, store: SecretStore, config_path: Path,
                **kwargs) -> SettingsDialog:
    dialog = SettingsDialog(settings, store, config_path=config_path, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.secrets_loaded)
    return dialog


def save(qtbot, dialog: SettingsDialog) -> Settings:
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return saved.args[0]


def test_round_trip_with_the_secrets_in_the_keyring(qtbot, qloop, memory_keyring,
                                                    config_path: Path) -> None:
    store = SecretStore(use_env=False)
    dialog = open_dialog(qtbot, Settings(), store, config_path)
    pages = dialog.integration_pages
    assert dialog.tabs.tabText(dialog.tabs.indexOf(pages.crm_page)) == "CRM"
    assert dialog.tabs.tabText(dialog.tabs.indexOf(pages.directory_page)) == "Directory"
    # The dial hotkey is with the other ways to call, on the Calls tab.
    calls = dialog.tabs.indexOf(pages.hotkey_rows.page)
    assert dialog.tabs.tabText(calls) == "Calls"
    assert pages.hotkey_rows.page.isAncestorOf(pages.hotkey_edit)
    assert not pages.base_dn_edit.isEnabled()  # no LDAP server: its details are greyed
    assert not pages.ldap_password_edit.isEnabled()
    pages.crm_url_edit.setText("https://crm.örnek.com.tr/ara?tel={e164}&ad={name}")
    pages.open_on_combo.setCurrentIndex(pages.open_on_combo.findData(CrmOpenOn.ANSWER))
    pages.hotkey_edit.setText("alt + ctrl + k")
    pages.ldap_url_edit.setText("ldaps://dc1.örnek.com.tr")
    assert pages.base_dn_edit.isEnabled()
    pages.base_dn_edit.setText("ou=kişiler,dc=örnek,dc=com,dc=tr")
    pages.bind_dn_edit.setText(BIND_DN)
    pages.ldap_password_edit.setText("bağlama-şifresi")
    pages.filter_edit.setText("(|(telephoneNumber={international})(mobile={e164}))")
    pages.name_attr_edit.setText("displayName")
    pages.ldap_timeout_spin.setValue(1200)
    pages.http_url_edit.setText("https://crm.örnek.com.tr/api/arayan?tel={national}")
    pages.http_token_edit.setText("token-123")
    saved = save(qtbot, dialog)
    loaded = load_settings(config_path)
    assert loaded == saved
    assert loaded.crm.url == "https://crm.örnek.com.tr/ara?tel={e164}&ad={name}"
    assert loaded.crm.open_on is CrmOpenOn.ANSWER
    assert loaded.hotkey.dial == "Ctrl+Alt+K"
    assert (loaded.ldap.url, loaded.ldap.bind_dn, loaded.ldap.timeout_ms) == (
        "ldaps://dc1.örnek.com.tr", BIND_DN, 1200)
    assert loaded.http_lookup.url.endswith("tel={national}")
    raw = config_path.read_text(encoding="utf-8")
    assert "bağlama-şifresi" not in raw
    assert "token-123" not in raw
    assert "password" not in tomllib.loads(raw)["ldap"]
    assert memory_keyring.store == {
        (SERVICE, f"ldap-password:{BIND_DN}"): "bağlama-şifresi",
        (SERVICE, "http-lookup-token"): "token-123",
    }


def test_stored_secrets_are_shown_and_follow_a_new_bind_user(qtbot, qloop, memory_keyring,
                                                             config_path: Path) -> None:
    store = SecretStore(use_env=False)
    store.set(SecretName.LDAP_PASSWORD, "eski", BIND_DN)
    settings = Settings()
    settings.ldap.url = "ldap://127.0.0.1:3890"
    settings.ldap.base_dn = "dc=örnek"
    settings.ldap.bind_dn = BIND_DN
    dialog = open_dialog(qtbot, settings, store, config_path)
    pages = dialog.integration_pages
    assert pages.ldap_password_edit.text() == "eski"
    pages.bind_dn_edit.setText("cn=yeni,dc=örnek")
    save(qtbot, dialog)
    assert memory_keyring.store == {(SERVICE, "ldap-password:cn=yeni,dc=örnek"): "eski"}


@pytest.mark.parametrize(("field", "text", "words"), [
    ("crm_url", "ftp://crm.example.com/{e164}", "must start with http:// or https://"),
    ("crm_url", "https://{name}.example.com/", "server's name before any variable"),
    ("crm_url", "https://crm.example.com/?q={telefon}", "{telefon} is not a variable here"),
    ("hotkey", "D", "Use Ctrl, Alt or Meta"),
    ("hotkey", "Ctrl+Alt+Ş", "Ş cannot be a hotkey"),
    ("ldap_url", "http://dc1.example.com", "ldap:// or ldaps://"),
    ("ldap_filter", "(&)(x={e164})", "not a valid LDAP filter"),
    ("ldap_filter", "telephoneNumber={e164}", "balanced parentheses"),
    ("http_url", "https://crm.example.com/?q={name}", "{name} is not a variable here"),
])
def test_refused_values_are_said_as_typed_and_block_saving(
        qtbot, qloop, memory_keyring, config_path: Path, field: str, text: str,
        words: str) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)
    pages = dialog.integration_pages
    if field.startswith("ldap_") and field != "ldap_url":
        pages.ldap_url_edit.setText("ldap://dc1.example.com")
        pages.base_dn_edit.setText("dc=example")
    edit = {"crm_url": pages.crm_url_edit, "hotkey": pages.hotkey_edit,
            "ldap_url": pages.ldap_url_edit, "ldap_filter": pages.filter_edit,
            "http_url": pages.http_url_edit}[field]
    edit.setText(text)
    level, message = dialog.message(field)
    assert level is Level.ERROR
    assert words in message
    dialog.tabs.setCurrentIndex(0)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert not config_path.exists()
    assert dialog.tabs.currentWidget() is pages.rows_of(field).page  # the agent is taken there
    edit.setText("")
    assert dialog.message(field) == (None, "")


def test_an_ldap_server_needs_a_base_dn(qtbot, qloop, memory_keyring, config_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)
    dialog.integration_pages.ldap_url_edit.setText("ldap://dc1.example.com")
    assert dialog.message("ldap_base_dn")[0] is Level.ERROR


def test_the_policy_locks_the_crm_and_directory_keys(qtbot, qloop, memory_keyring,
                                                     tmp_path: Path) -> None:
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(
        'locked = ["crm.url", "crm.open_on", "ldap.url", "ldap.base_dn", "hotkey.dial"]\n'
        '[crm]\nurl = "https://crm.firma.com.tr/?tel={e164}"\nopen_on = "answer"\n'
        '[ldap]\nurl = "ldap://dc.firma.com.tr"\nbase_dn = "dc=firma"\n'
        '[hotkey]\ndial = "Ctrl+Alt+F9"\n', encoding="utf-8")
    agent = tmp_path / "config" / "settings.toml"
    agent.parent.mkdir()
    agent.write_text('[crm]\nurl = "https://kendi.example/?{e164}"\n', encoding="utf-8")
    policy = load_policy(policy_file)
    effective = load_effective_settings(agent, policy).settings
    dialog = open_dialog(qtbot, effective, SecretStore(use_env=False), agent, policy=policy)
    pages = dialog.integration_pages
    assert pages.crm_url_edit.text() == "https://crm.firma.com.tr/?tel={e164}"
    assert pages.hotkey_edit.text() == "Ctrl+Alt+F9"
    for widget in (pages.crm_url_edit, pages.open_on_combo, pages.ldap_url_edit,
                   pages.base_dn_edit, pages.hotkey_edit):
        assert not widget.isEnabled()
        assert widget.toolTip() == "Set by your administrator"
    assert pages.bind_dn_edit.isEnabled()  # not locked: the agent's (LDAP is configured)
    assert {"crm_url", "crm_open_on", "ldap_url", "ldap_base_dn", "hotkey"} <= set(
        dialog.locked_fields())
    dialog.tabs.setCurrentWidget(pages.directory_page)
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "settings-directory-locked.png"))
    pages.bind_dn_edit.setText("cn=ajan")
    saved = save(qtbot, dialog)
    assert saved.crm.url == "https://crm.firma.com.tr/?tel={e164}"
    text = agent.read_text(encoding="utf-8")
    assert "crm.firma.com.tr" not in text  # the policy's, never written to the agent's file
    assert "cn=ajan" in text


def test_a_hotkey_problem_is_shown_under_the_field(qtbot, qloop, memory_keyring,
                                                   config_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(), SecretStore(use_env=False), config_path)
    pages = dialog.integration_pages
    assert pages.hotkey_status.isHidden()
    pages.set_hotkey_problem("Another program already uses this key combination.")
    assert not pages.hotkey_status.isHidden()
    assert pages.hotkey_status.textFormat() is Qt.TextFormat.PlainText
    assert COLOR_WARNING in pages.hotkey_status.styleSheet()  # a problem, not a hint
    dialog.tabs.setCurrentWidget(pages.hotkey_rows.page)
    qtbot.waitUntil(pages.hotkey_status.isVisible)
    help_label = pages.hotkey_help
    # Laid out below the field, not over it (the row grew for the extra line).
    edit, status = pages.hotkey_edit, pages.hotkey_status
    qtbot.waitUntil(lambda: edit.height() >= edit.sizeHint().height()
                    and help_label.geometry().top() >= edit.geometry().bottom()
                    and help_label.height() >= help_label.heightForWidth(help_label.width())
                    and status.geometry().top() >= help_label.geometry().bottom())
    ARTIFACTS.mkdir(exist_ok=True)
    dialog.grab().save(str(ARTIFACTS / "settings-hotkey-taken.png"))

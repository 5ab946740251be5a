"""Render the app's windows in Turkish (the real .qm files) offscreen into PNGs.

    .venv/bin/python tools/screenshot_turkish.py            # everything
    .venv/bin/python tools/screenshot_turkish.py tray about # some parts

Writes ``artifacts/tr-<part>-*.png`` (``artifacts/`` is git-ignored) for a
look at wording that is cut off or overflows.  Translations are installed as
the app does (:func:`desktop.ui.i18n.install_translators`: ours and Qt's
``qtbase_tr``).  The popups, the Dialer and the call history have their own
tools (``screenshot_popups.py``, ``screenshot_dialer.py --language tr``,
``screenshot_history.py --language tr``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
sys.path.insert(0, str(ROOT))
_screens = Path(tempfile.mkdtemp(prefix="kobikom-tr-shots-")) / "screens.json"
_screens.write_text(json.dumps({"windowFrameMargins": False, "screens": [
    {"name": "main", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
     "logicalBaseDpi": 96, "dpr": 1}]}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screens}"

from PySide6.QtCore import QCoreApplication, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget  # noqa: E402

from tests.helpers.qt_asyncio import qt_asyncio_loop, run_coroutine, run_until  # noqa: E402

UUID = "97df2222-c948-492c-8a1b-0123456789ab"
USER = "ayse@yildizlojistik.com.tr"


def shoot(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    path = ARTIFACTS / f"tr-{name}.png"
    widget.grab().save(str(path))
    print(path)


def wait(app: QApplication, condition: Callable[[], Any], timeout_ms: int = 10000) -> None:
    if not run_until(app, condition, timeout_ms):
        raise TimeoutError("condition not met in time")


def _app_action(text: str, parent: QWidget | Any) -> QAction:
    """A menu entry the app adds, in the app's context (see ``desktop/app/``)."""
    return QAction(QCoreApplication.translate("Application", text), parent)


# ---------------------------------------------------------------- parts


def part_tray(app: QApplication) -> None:
    from desktop.pbx.connection import ConnectionState, Phase
    from desktop.ui import hotkey_backend
    from desktop.ui.integration_texts import directory_problem_text, hotkey_problem_text
    from desktop.ui.no_tray import StatusWindow
    from desktop.ui.tray import MenuSection, TrayController

    for cls, name in ((TrayController, "tray-menu"), (StatusWindow, "status-window")):
        tray = cls()
        tray.set_extension("1001")
        tray.add_action(QAction(QCoreApplication.translate("ClickToCallBridge", "Dial…"), tray))
        tray.add_action(QAction(QCoreApplication.translate(
            "ClickToCallBridge", "Dial number from clipboard"), tray))
        for text in ("Recent calls…", "Missed calls…", "Send SMS…", "SMS history…"):
            tray.add_action(_app_action(text, tray))
        for text in ("Set up account…", "Softphone QR code…"):
            tray.add_action(_app_action(text, tray), MenuSection.WINDOWS)
        tray.add_action(QAction(QCoreApplication.translate(
            "SupportBundle", "Save support bundle…"), tray), MenuSection.APP)
        states = {
            "connected": ConnectionState(Phase.CONNECTED, endpoint="santral.example:7777"),
            "reconnecting": ConnectionState(Phase.RECONNECTING, reason="connection refused",
                                            retry_in=95, attempt=3),
            "auth-failed": ConnectionState(Phase.AUTH_FAILED, reason="Geçersiz API anahtarı",
                                           retry_in=12),
            "not-set-up": ConnectionState(Phase.DISCONNECTED, reason=QCoreApplication.translate(
                "Application", "not set up yet: open Settings… or try Demo mode")),
        }
        for state_name, state in states.items():
            tray.set_connection(state)
            tray.set_missed(3 if state_name == "connected" else 0)
            tray.set_demo(state_name == "not-set-up")
            if cls is TrayController:
                menu = tray.menu()
                menu.popup(QPoint(200, 200))
                shoot(menu, f"{name}-{state_name}")
                print("   tooltip:", tray.tool_tip().replace("\n", " | "))
                menu.hide()
            else:
                tray.show()
                shoot(tray, f"{name}-{state_name}")
                tray.hide()
        # What does not work besides the line: a failing LDAP server, a taken hotkey.
        tray.set_connection(states["connected"])
        tray.set_demo(False)
        tray.set_problems("\n".join([
            directory_problem_text({"ldap": "ldap://dc1.ornek.com.tr: 800 ms içinde yanıt yok"}),
            hotkey_problem_text(hotkey_backend.TAKEN)]))
        if cls is TrayController:
            menu = tray.menu()
            menu.popup(QPoint(200, 200))
            shoot(menu, f"{name}-problems")
            print("   tooltip:", tray.tool_tip().replace("\n", " | "))
            menu.hide()
        else:
            tray.show()
            shoot(tray, f"{name}-problems")
            tray.hide()
        if cls is StatusWindow:
            tray._quitting = True  # let it close for real
            tray.close()


def part_about(app: QApplication) -> None:
    from desktop.ui.about import AboutDialog

    dialog = AboutDialog(data_dir="/home/ayse/.local/share/kobikom-desktop",
                         log_dir="/home/ayse/.local/state/kobikom-desktop/log",
                         config_file="/home/ayse/.config/kobikom-desktop/settings.toml",
                         save_support_bundle=lambda _parent: None)
    dialog.show()
    shoot(dialog, "about")
    dialog.close()


def part_messagebox(app: QApplication) -> None:
    """Qt's own buttons (qtbase_tr.qm) next to ours, as the contacts window asks."""
    box = QMessageBox(QMessageBox.Icon.Question,
                      QCoreApplication.translate("ContactsWindow", "Delete contact"),
                      QCoreApplication.translate("ContactsWindow", "Delete “{name}”?")
                      .format(name="Ayşe Yılmaz"),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    box.setInformativeText(QCoreApplication.translate("ContactsWindow",
                                                      "This cannot be undone."))
    box.show()
    shoot(box, "messagebox-standard-buttons")
    print("   buttons:", [b.text() for b in box.buttons()])
    box.close()


def _memory_secrets() -> Any:
    import keyring

    from desktop.core.secrets import SecretName, SecretStore
    from tests.helpers.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    for name in SecretName:
        os.environ.pop(name.env_var, None)
    store = SecretStore(use_env=False)
    store.set(SecretName.API_KEY, "api-key-123")
    store.set(SecretName.SMS_TOKEN, "sms-token-123")
    return store


def part_settings(app: QApplication) -> None:
    from desktop.core.settings import Settings
    from desktop.pbx.connection import Flavor, Transport
    from desktop.ui.settings_dialog import SettingsDialog

    store = _memory_secrets()
    config = Path(tempfile.mkdtemp(prefix="kobikom-tr-settings-")) / "settings.toml"
    with qt_asyncio_loop(app):
        for flavor in (Flavor.TEKIL, Flavor.BULUT):
            settings = Settings()
            settings.account.flavor = flavor
            settings.account.transport = Transport.WS if flavor is Flavor.TEKIL \
                else Transport.TCP
            settings.account.extensions = ["1001"]
            settings.account.user = USER
            settings.account.domain_uuid = UUID if flavor is Flavor.BULUT else ""
            settings.dial.use_ws_originate = flavor is Flavor.TEKIL
            settings.sms.agent_name = "Ayşe Yıldız"
            dialog = SettingsDialog(settings, store, config_path=config)
            dialog.show()
            wait(app, dialog.secrets_loaded)
            for index in range(dialog.tabs.count()):
                dialog.tabs.setCurrentIndex(index)
                app.processEvents()
                page = dialog.tabs.widget(index)
                layout = page.layout()
                if layout.totalHeightForWidth(page.width()) > page.height():
                    print("   SQUASHED tab:", dialog.tabs.tabText(index))
                shoot(dialog, f"settings-{flavor.value}-{index + 1}")
            bar = dialog.tabs.tabBar()
            if bar.sizeHint().width() > dialog.tabs.width():
                print("   TAB BAR too wide:", bar.sizeHint().width(), ">", dialog.tabs.width())
            dialog.close()


def part_contacts(app: QApplication) -> None:
    from desktop.core.contact_import import import_contacts
    from desktop.core.directory import Directory
    from desktop.core.tasks import TaskSet
    from desktop.ui.contacts import ContactEditDialog, ContactsBridge, ContactsWindow

    work = Path(tempfile.mkdtemp(prefix="kobikom-tr-contacts-"))
    directory = Directory(work / "contacts.sqlite3")
    import_contacts(directory, ROOT / "resources" / "sample-data" / "contacts-demo.csv")
    tasks = TaskSet("tr-shots")
    with qt_asyncio_loop(app):
        service = ContactsBridge.for_directory(directory, tasks=tasks)
        window = ContactsWindow(service)
        window.resize(900, 520)
        window.show()
        wait(app, lambda: window.count_label.text() != "")
        shoot(window, "contacts-window")
        window.search_edit.setText("yıl")
        wait(app, lambda: "sonuç" in window.count_label.text())
        shoot(window, "contacts-search")
        window.search_edit.setText("zzzz")
        wait(app, lambda: "zzzz" in window.empty_label.text())
        shoot(window, "contacts-no-match")
        contact = next(iter(directory.iter_all()))
        dialog = ContactEditDialog(contact, pbx_available=True)
        dialog.show()
        shoot(dialog, "contact-edit")
        dialog.close()
        # A Turkish Excel file with an extension column and a number Excel mangled.
        window.search_edit.setText("")
        window.start_import(str(ROOT / "tests" / "fixtures" / "contacts" / "excel-tr.csv"))
        wait(app, lambda: window.problems_button.isVisible())
        window.problems_button.click()
        window.search_edit.setText("çakır")
        wait(app, lambda: "Hüseyin Çakır" in [window.model.data(window.model.index(r, 0))
                                              for r in range(window.model.rowCount())])
        shoot(window, "contacts-import-problems")
        switchboard = directory.lookup("0224 443 22 11")
        assert switchboard is not None
        extension = ContactEditDialog(switchboard, pbx_available=False)
        extension.show()
        extension.number_rows[0].edit.setText("0212 555 12 34 / Dahili: 106")
        app.processEvents()
        shoot(extension, "contact-edit-extension")
        extension.close()
        window.start_export(str(work / "kisiler.csv"))
        wait(app, lambda: "dışa aktarıldı" in window.result_box.text())
        shoot(window, "contacts-exported")
        new = ContactEditDialog(None, pbx_available=True)
        new.show()
        new.number_rows[0].edit.setText("12")
        app.processEvents()
        shoot(new, "contact-new-invalid")
        new.close()
        window.close()
        wait(app, lambda: len(tasks) == 0)
    directory.close()


def part_sms(app: QApplication) -> None:
    import httpx

    from desktop.core.sms_sender import SenderTiming, SmsApiConfig, SmsSender
    from desktop.core.tasks import TaskSet
    from desktop.simulator import Simulator, SimulatorConfig
    from desktop.ui.sms import SmsService, TemplatesDialog

    fast = httpx.Timeout(connect=2.0, read=0.5, write=2.0, pool=2.0)
    timing = SenderTiming(first_retry=0.2, max_retry=0.5, recheck_credentials=0.2,
                          check_delays=(0.05, 0.1, 0.1), poll_delays=(0.2, 0.3),
                          poll_window=30.0, idle=1.0)
    work = Path(tempfile.mkdtemp(prefix="kobikom-tr-sms-"))
    with qt_asyncio_loop(app):
        sim = Simulator(SimulatorConfig(seed_history=0, sms_delivery_delay=0.3))
        run_coroutine(app, sim.start())
        tasks = TaskSet("tr-sms")
        token = {"value": sim.cfg.sms_token}

        def config() -> SmsApiConfig:
            return SmsApiConfig("new", sim.http_base, token["value"])

        service = SmsService(
            lambda: (work / "outbox.sqlite3", config), tasks=tasks,
            store_token=lambda t: token.update(value=t),
            agent_name=lambda: "Mehmet", default_sender=lambda: "DEMOFIRMA",
            notify=lambda t, m: print("   notify:", t, "|", m),
            sender_factory=lambda outbox, cfg, on_change, on_problem: SmsSender(
                outbox, cfg, on_change=on_change, on_problem=on_problem, timing=timing,
                api_builder=lambda c: c.build(timeout=fast)))
        windows: list[QWidget] = []

        def compose(numbers: list[str]) -> Any:
            composer = service.compose(numbers, context={"name": "Ayşe Hanım"})
            composer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            windows.append(composer)
            wait(app, lambda: composer.sender_combo.count() > 0
                 and composer.template_combo.count() > 1)
            return composer

        composer = compose(["0532 411 80 27", "0542 773 05 16"])
        composer.text_edit.setPlainText(
            "Merhaba Ayşe Hanım, sizi aradık ama ulaşamadık. Siparişinizle ilgili kısa bir "
            "bilgi vermek istiyoruz: kargonuz bugün yola çıktı ve yarın öğlene kadar teslim "
            "edilecek. İyi günler dileriz.")
        wait(app, lambda: "SMS" in composer.counter_label.text())
        shoot(composer, "sms-composer-turkish-2-parts")
        composer.text_edit.setPlainText("Teşekkürler 😊 " * 5)
        app.processEvents()
        shoot(composer, "sms-composer-emoji")
        composer.close()

        history = service.show_history()
        windows.append(history)
        sent = compose(["0532 411 80 27"])
        sent.text_edit.setPlainText("Toplantı yarın 10:00")
        sent.send_button.click()
        wait(app, lambda: bool(sent.messages()) and sent.messages()[0].state.value
             in ("sent", "delivered"))
        shoot(sent, "sms-composer-sent")
        sim.fault("/api/message/send", "timeout")
        unsure = compose(["0542 773 05 16"])
        unsure.text_edit.setPlainText("Adres bilgimiz: Atatürk Cd. No: 12, Nilüfer/Bursa")
        unsure.send_button.click()
        wait(app, lambda: unsure.again_button.isVisibleTo(unsure))
        shoot(unsure, "sms-composer-not-confirmed")
        model = history.model
        row = next(i for i, m in enumerate(model.messages()) if m.state.value == "needs_agent")
        history.table.selectRow(row)
        wait(app, lambda: history.again_button.isVisibleTo(history))
        history.resize(820, 460)
        shoot(history, "sms-history")

        token["value"] = "not-the-token"
        rejected = compose(["0532 411 80 27"])
        rejected.text_edit.setPlainText("Merhaba")
        rejected.send_button.click()
        wait(app, lambda: rejected.token_row.isVisibleTo(rejected)
             and "saklanıyor" in rejected.notice.text())
        shoot(rejected, "sms-composer-token-rejected")

        templates = TemplatesDialog(composer._templates)
        templates.show()
        shoot(templates, "sms-templates")
        templates.close()
        for window in windows:
            window.close()
        run_coroutine(app, service.close())
        run_coroutine(app, tasks.cancel_all())
        run_coroutine(app, sim.stop())


def part_wizard(app: QApplication) -> None:
    from PySide6.QtWidgets import QWizard

    from desktop.core.account_check import CheckTimeouts
    from desktop.core.settings import Settings
    from desktop.core.tasks import TaskSet
    from desktop.pbx.connection import Transport
    from desktop.simulator import Simulator, SimulatorConfig
    from desktop.ui.setup_wizard import AccountChoice, SetupWizard

    store = _memory_secrets()
    config = Path(tempfile.mkdtemp(prefix="kobikom-tr-wizard-")) / "settings.toml"
    with qt_asyncio_loop(app):
        sim = Simulator(SimulatorConfig(flavor="tekil", seed_history=0))
        run_coroutine(app, sim.start())
        settings = Settings()
        settings.account.transport = Transport.WS
        settings.server.host = "127.0.0.1"
        settings.server.port = sim.ports["ws"]
        settings.server.tls = "false"
        settings.server.api_base = sim.http_base
        settings.sms.base = sim.http_base
        tasks = TaskSet("tr-wizard")
        wizard = SetupWizard(settings, store, config_path=config, tasks=tasks,
                             check_timeouts=CheckTimeouts(
                                 rest_connect=3.0, rest_read=3.0, login=5.0, extension=5.0,
                                 events_connect=3.0, events_settle=0.4, events_total=6.0,
                                 sms=5.0))
        wizard.show()
        wait(app, lambda: wizard.stored is not None)
        shoot(wizard, "wizard-1-type")
        wizard.type_page.buttons[AccountChoice.TEKIL].setChecked(True)
        wizard.next()
        page = wizard.account_page
        page.user_edit.setText("demo@kobikom.example")
        page.password_edit.setText("demo-password")
        page.api_key_edit.setText("demo-api-key")
        shoot(wizard, "wizard-2-account-tekil")
        page.advanced_button.setChecked(True)
        shoot(wizard, "wizard-2-account-advanced")
        page.advanced_button.setChecked(False)
        wizard.next()
        wait(app, lambda: wizard.report is not None, 20000)
        app.processEvents()
        shoot(wizard, "wizard-3-check")
        wizard.check_page.extension_combo.setCurrentIndex(1)
        shoot(wizard, "wizard-3-check-extension")
        print("   buttons:", [wizard.button(b).text() for b in (
            QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton)])
        wizard.back()
        wizard.back()
        wizard.type_page.buttons[AccountChoice.BULUT].setChecked(True)
        wizard.next()
        shoot(wizard, "wizard-2-account-bulut")
        wizard.close()
        run_coroutine(app, tasks.cancel_all())
        run_coroutine(app, sim.stop())


def part_qr(app: QApplication) -> None:
    from desktop.core.account_check import tekil_extension_list
    from desktop.core.tasks import TaskSet
    from desktop.pbx.connection import Flavor
    from desktop.pbx.rest import TekilSession
    from desktop.simulator import Simulator, SimulatorConfig
    from desktop.ui.qr_dialog import QrDialog

    with qt_asyncio_loop(app):
        sim = Simulator(SimulatorConfig(flavor="tekil", seed_history=0))
        run_coroutine(app, sim.start())
        session = TekilSession(sim.cfg.panel_user, sim.cfg.panel_password,
                               base_url=sim.http_base)
        tasks = TaskSet("tr-qr")

        async def fetch_extensions() -> list[Any]:
            return tekil_extension_list(await session.get_extensions())

        for flavor, name in ((Flavor.TEKIL, "qr-dialog-tekil"), (Flavor.BULUT, "qr-dialog-bulut")):
            kwargs: dict[str, Any] = {"flavor": flavor, "extensions": ["1001", "1002"],
                                      "tasks": tasks, "fetch_qr": session.get_qr_code,
                                      "fetch_extensions": fetch_extensions}
            dialog = QrDialog(**kwargs)
            dialog.show()
            if flavor is Flavor.TEKIL:
                wait(app, lambda d=dialog: d.shown_for is not None)
            app.processEvents()
            shoot(dialog, name)
            dialog.close()
        run_coroutine(app, tasks.cancel_all())
        run_coroutine(app, session.aclose())
        run_coroutine(app, sim.stop())


PARTS: dict[str, Callable[[QApplication], None]] = {
    "tray": part_tray, "about": part_about, "messagebox": part_messagebox,
    "settings": part_settings, "contacts": part_contacts, "sms": part_sms,
    "wizard": part_wizard, "qr": part_qr,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", choices=[[], *PARTS], help="default: all")
    args = parser.parse_args()
    from desktop.ui.i18n import install_translators

    app = QApplication(sys.argv[:1])
    app.setApplicationName("kobikom-desktop")
    translators = install_translators(app, "tr")
    # As in the app: the popups' rules live in the application style sheet, so
    # every window is drawn through Qt's style-sheet style; show them so.
    from desktop.ui.popup_style import install_popup_style

    install_popup_style(app)
    assert len(translators) == 2, "our .qm and Qt's qtbase_tr.qm must both load"
    ARTIFACTS.mkdir(exist_ok=True)
    failed = []
    for name in args.parts or PARTS:
        started = time.monotonic()
        try:
            PARTS[name](app)
        except Exception as exc:  # a broken part must not hide the others' pictures
            import traceback

            traceback.print_exc()
            failed.append(f"{name}: {exc!r}")
        print(f"-- {name}: {time.monotonic() - started:.1f} s")
    for line in failed:
        print("FAILED", line)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

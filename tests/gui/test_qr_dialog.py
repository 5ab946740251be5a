"""The softphone QR dialog against the simulator, and ``app.setup`` (AccountSetup).

The saved PNG is decoded with a real QR decoder (zxing-cpp) and must carry
the simulator's provisioning payload for that app and extension.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import zxingcpp
from PySide6.QtGui import QGuiApplication, QImage

from desktop.core.account_check import PbxExtension, tekil_extension_list
from desktop.core.secrets import SecretStore
from desktop.core.settings import Settings, save_settings
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import Flavor
from desktop.pbx.rest import TekilSession
from desktop.simulator import Simulator, SimulatorConfig, assets
from desktop.ui.account_setup import AccountSetup
from desktop.ui.notice import NoticeKind
from desktop.ui.qr_dialog import QR_DISPLAY_SIZE, QrDialog, decode_qr_image, integer_scale
from tests.helpers.qt_asyncio import run_coroutine

WAIT_MS = 8000


def _returning(value):
    """An async provider like ``Application.rest_session``."""
    async def provide():
        return value
    return provide


@pytest.fixture
def tekil(qapp, qloop) -> Iterator[tuple[Simulator, TekilSession]]:
    sim = Simulator(SimulatorConfig(flavor="tekil", seed_history=0))
    run_coroutine(qapp, sim.start())
    session = TekilSession(sim.cfg.panel_user, sim.cfg.panel_password, base_url=sim.http_base)
    yield sim, session
    run_coroutine(qapp, session.aclose())
    run_coroutine(qapp, sim.stop())


def grey(image: QImage) -> np.ndarray:
    """A QImage as a (height, width) uint8 array for zxing-cpp."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    return data.reshape(height, stride)[:, :width].copy()


def decode(image: QImage) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(grey(image))]


def open_dialog(qtbot, session: TekilSession, *, extensions: list[str] | None = None,
                flavor: Flavor = Flavor.TEKIL, **kwargs: Any) -> QrDialog:
    async def fetch_extensions() -> list[PbxExtension]:
        return tekil_extension_list(await session.get_extensions())

    dialog = QrDialog(flavor=flavor, extensions=extensions if extensions is not None
                      else ["1002"], fetch_qr=session.get_qr_code,
                      fetch_extensions=fetch_extensions, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_integer_scale() -> None:
    assert integer_scale(200, 400) == 2
    assert integer_scale(200, 599) == 2
    assert integer_scale(200, 800) == 4
    assert integer_scale(500, 400) == 1
    assert integer_scale(0, 400) == 1


def test_the_simulators_code_is_shown_crisp_saved_and_decodes_to_its_payload(
        qtbot, tekil, tmp_path: Path) -> None:
    sim, session = tekil
    dialog = open_dialog(qtbot, session)
    qtbot.waitUntil(lambda: dialog.shown_for == ("zoiper", "1002"), timeout=WAIT_MS)
    assert dialog.save_button.isEnabled()
    assert dialog.copy_button.isEnabled()
    assert "Zoiper" in dialog.instructions.text()
    assert "password" in dialog.warning.text()
    # Large and crisp: a whole-number enlargement of the 200 px code, nearest-neighbour.
    pixmap = dialog.image_label.pixmap()
    assert dialog.image is not None
    factor = integer_scale(200, round(QR_DISPLAY_SIZE * dialog.devicePixelRatioF()))
    assert pixmap.width() == 200 * factor >= QR_DISPLAY_SIZE
    shown = pixmap.toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    values = {shown.pixelColor(x, y).value() for x in range(0, shown.width(), 7)
              for y in range(0, shown.height(), 7)}
    assert values <= {0, 255}  # no blurred grey edges
    source = dialog.image.convertToFormat(QImage.Format.Format_Grayscale8)
    for x, y in ((10, 10), (57, 91), (120, 33), (199, 199)):
        assert shown.pixelColor(x * factor, y * factor) == source.pixelColor(x, y)

    # The extension list arrives from the PBX, with names.
    combo = dialog.extension_combo
    qtbot.waitUntil(lambda: combo.count() == 3, timeout=WAIT_MS)
    assert combo.itemText(0) == "1002 – Mehmet Kaya"

    out = tmp_path / "qr" / dialog.default_file_name()
    assert out.name == "kobikom-zoiper-1002.png"
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_to(out)
    saved = QImage(str(out))
    assert decode(saved) == [assets.qr_payload(sim.cfg, "zoiper", "1002")]
    assert out.read_bytes() == dialog.png  # exactly what the PBX sent
    assert dialog.status_label.text() == "Saved as kobikom-zoiper-1002.png"

    dialog.copy()
    copied = QGuiApplication.clipboard().image()
    assert copied.width() >= QR_DISPLAY_SIZE
    assert decode(copied) == [assets.qr_payload(sim.cfg, "zoiper", "1002")]


def test_grandstream_and_another_extension(qtbot, tekil, tmp_path: Path) -> None:
    sim, session = tekil
    dialog = open_dialog(qtbot, session, extensions=["1001", "1003"])
    qtbot.waitUntil(lambda: dialog.shown_for == ("zoiper", "1001"), timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.qrShown, timeout=WAIT_MS) as shown:
        dialog.select(app="grandstream", extension="1003")
    assert shown.args == ["grandstream", "1003"]
    assert "Grandstream Wave" in dialog.instructions.text()
    assert dialog.image is not None
    assert decode(dialog.image) == [assets.qr_payload(sim.cfg, "grandstream", "1003")]
    paths = [r["path"] for r in sim.received]
    assert "/central/getQRCodeZoiper/1001" in paths
    assert "/central/getQRCode/1003" in paths


def test_an_answer_that_is_not_a_png_is_a_clear_error(qtbot, tekil) -> None:
    sim, session = tekil
    sim.fault("/central/getQRCodeZoiper/1002", "garbage")
    dialog = open_dialog(qtbot, session)
    with qtbot.waitSignal(dialog.qrFailed, timeout=WAIT_MS) as failed:
        pass
    message = failed.args[0]
    assert message.startswith("The panel did not send a QR code\n")
    assert "not a PNG image" in message
    assert dialog.notice.kind is NoticeKind.ERROR
    assert dialog.notice.isVisible()
    assert dialog.image_label.pixmap().isNull()
    assert not dialog.save_button.isEnabled()
    assert not dialog.copy_button.isEnabled()
    # The next try (the fault is used up) works.
    with qtbot.waitSignal(dialog.qrShown, timeout=WAIT_MS):
        dialog.reload()
    assert not dialog.notice.isVisible()


def test_unknown_extension_and_rejected_password(qtbot, qapp, tekil) -> None:
    sim, session = tekil
    dialog = open_dialog(qtbot, session, extensions=["9999"])
    with qtbot.waitSignal(dialog.qrFailed, timeout=WAIT_MS) as failed:
        pass
    assert failed.args[0] == "Extension not found\nThe PBX has no extension 9999."

    wrong = TekilSession(sim.cfg.panel_user, "wrong", base_url=sim.http_base)
    try:
        dialog = open_dialog(qtbot, wrong)
        with qtbot.waitSignal(dialog.qrFailed, timeout=WAIT_MS) as failed:
            pass
        assert failed.args[0].startswith("Sign-in failed\n")
    finally:
        run_coroutine(qapp, wrong.aclose())


def test_kobipbx_accounts_are_told_there_is_no_qr_service(qtbot, qloop) -> None:
    calls: list[Any] = []

    async def fetch(extension: str, app: str) -> bytes:
        calls.append((extension, app))
        return b""

    dialog = QrDialog(flavor=Flavor.BULUT, extensions=["1001"], fetch_qr=fetch)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.notice.isVisible()
    assert dialog.notice.kind is NoticeKind.INFO
    assert "No QR code for KobiPBX accounts" in dialog.notice.text()
    assert "technical team" in dialog.notice.text()
    assert not dialog.image_label.isVisible()
    assert not dialog.save_button.isEnabled()
    assert not dialog.app_combo.isEnabled()
    assert calls == []


def test_app_setup_service_opens_the_wizard_locked_by_the_admin_file_and_the_qr(
        qtbot, tekil, tmp_path: Path) -> None:
    sim, session = tekil
    config = tmp_path / "kobikom.toml"
    config.write_text('[account]\nflavor = "tekil"\ntransport = "ws"\n'
                      f'[server]\napi_base = "{sim.http_base}"\n')
    settings = Settings()
    settings.account.flavor = Flavor.TEKIL
    tasks = TaskSet("test")
    setup = AccountSetup(settings=lambda: settings, current_settings=lambda: settings,
                         secrets=SecretStore(use_env=False, session_only=True),
                         config_path=config, tasks=tasks, rest_session=_returning(session))
    with qtbot.waitSignal(setup.wizardShown, timeout=WAIT_MS) as shown:
        setup.run_wizard()
    wizard = shown.args[0]
    qtbot.addWidget(wizard)
    assert wizard.locked() == {"account.flavor", "account.transport", "server.api_base"}
    assert wizard.isVisible()
    setup.run_wizard()  # a second request raises the same window
    assert setup.wizard is wizard

    settings.account.extensions = ["1001"]
    with qtbot.waitSignal(setup.qrShown, timeout=WAIT_MS) as shown:
        setup.show_qr()
    dialog = shown.args[0]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.shown_for == ("zoiper", "1001"), timeout=WAIT_MS)
    assert dialog.image is not None
    assert decode(dialog.image) == [assets.qr_payload(sim.cfg, "zoiper", "1001")]


def test_app_setup_explains_an_unusable_settings_file(qtbot, qloop, tmp_path: Path) -> None:
    config = tmp_path / "kobikom.toml"
    config.write_text('[account]\nflavor = "tekil"\napi_key = "leaked"\n')
    setup = AccountSetup(settings=Settings, current_settings=Settings,
                         secrets=SecretStore(use_env=False, session_only=True),
                         config_path=config, tasks=TaskSet("test"), rest_session=_returning(None))
    with qtbot.waitSignal(setup.wizardShown, timeout=WAIT_MS) as shown:
        setup.run_wizard()
    wizard = shown.args[0]
    qtbot.addWidget(wizard)
    notice = wizard.type_page.notice
    assert notice.kind is NoticeKind.ERROR
    assert "[account] api_key" in notice.text()
    assert "leaked" not in notice.text()
    assert wizard.locked() == frozenset()


def test_a_configured_account_is_not_locked(qtbot, qloop, tmp_path: Path) -> None:
    config = tmp_path / "kobikom.toml"
    settings = Settings()
    settings.account.flavor = Flavor.TEKIL
    settings.account.extensions = ["1001"]
    save_settings(settings, config)
    setup = AccountSetup(settings=lambda: settings, current_settings=lambda: settings,
                         secrets=SecretStore(use_env=False, session_only=True),
                         config_path=config, tasks=TaskSet("test"), rest_session=_returning(None))
    with qtbot.waitSignal(setup.wizardShown, timeout=WAIT_MS) as shown:
        setup.run_wizard()
    wizard = shown.args[0]
    qtbot.addWidget(wizard)
    assert wizard.locked() == frozenset()
    assert wizard.type_page.choice() is not None
    assert wizard.check_page.extension_combo.currentText() == "1001"


def test_a_png_qt_cannot_decode_is_an_error(qtbot) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    broken = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 200, 200, 8, 2, 0,
                                                                0, 0))
              + chunk(b"IDAT", b"not zlib at all") + chunk(b"IEND", b""))
    with pytest.raises(ValueError, match="could not be decoded"):
        decode_qr_image(broken, 400)
    # A huge image is refused from its header, before anything is decoded (the
    # decoding runs on the GUI thread).
    huge = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 40_000, 40_000, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
    with pytest.raises(ValueError, match="too large"):
        decode_qr_image(huge, 400)
    image, scaled = decode_qr_image(assets.qr_png("x"), 400)
    assert (image.width(), scaled.width()) == (200, 400)

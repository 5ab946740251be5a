"""``kobikom-desktop self-test``: does this installation have everything it needs?

The checks a frozen build gets wrong when a file is left out, run inside the
installed app itself (the smoke test of ``tests/run-frozen`` and an IT
administrator checking a machine both use it):

* ``qt``: a QApplication starts on this platform;
* ``svg``: the SVG image and icon-engine plugins render the app icon;
* ``translations``: the Turkish translation loads, ours and Qt's own
  (``qtbase_tr.qm``: the standard "Cancel" button reads "İptal");
* ``icu``: ICU's Turkish data is there (Turkish collation puts "ı" before "i";
  the root collation puts it after);
* ``recording``: QtMultimedia's FFmpeg backend decodes the sample recording
  (GSM 6.10 in WAV, the PBX's "WAV49") to audio frames;
* ``keyring``: a keyring backend works (with ``--keyring-roundtrip``, a
  throw-away secret is stored, read back and deleted);
* ``tls``: with ``--tls-url``, an HTTPS request verified against the system's
  trust store (plus ``--ca-file``) succeeds.

Prints one JSON object; the exit status is 0 when every check passed.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from collections.abc import Callable
from typing import Any, Final

#: Longest wait for the sample recording to decode.
DECODE_TIMEOUT_S: Final = 20.0
#: Longest wait for the TLS request.
TLS_TIMEOUT_S: Final = 15.0
#: The keyring service of the round-trip check (never the app's own).
SELFTEST_SERVICE: Final = "kobikom-desktop-self-test"


def run_self_test(*, tls_url: str | None = None, ca_file: str | None = None,
                  keyring_roundtrip: bool = False) -> dict[str, Any]:
    """Run every check; returns ``{"ok": bool, "checks": {name: {"ok": ..., ...}}}``."""
    from desktop.ui.display import display_problem

    if display_problem() is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    checks: dict[str, dict[str, Any]] = {}

    def check(name: str, func: Callable[[], dict[str, Any]]) -> None:
        try:
            result = func()
        except Exception as exc:  # a check that crashes has failed, with the reason
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        checks[name] = result

    check("qt", lambda: {"ok": True, "platform": QGuiApplication.platformName()})
    check("svg", _check_svg)
    check("translations", lambda: _check_translations(app))
    check("icu", _check_icu)
    check("recording", _check_recording)
    check("keyring", lambda: _check_keyring(keyring_roundtrip))
    if tls_url:
        check("tls", lambda: _check_tls(tls_url, ca_file))
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks,
            "frozen": bool(getattr(sys, "frozen", False))}


def _check_svg() -> dict[str, Any]:
    from PySide6.QtGui import QIcon, QImageReader

    from desktop.resources import resource

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    icon = QIcon(str(resource("icons", "kobikom-desktop.svg")))
    pixmap = icon.pixmap(64, 64)
    return {"ok": "svg" in formats and not pixmap.isNull() and pixmap.width() == 64,
            "svg_format": "svg" in formats, "icon_size": pixmap.width()}


def _check_translations(app: Any) -> dict[str, Any]:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.i18n import install_translators

    translators = install_translators(app, "tr")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    button = box.button(QDialogButtonBox.StandardButton.Cancel)
    qt_text = button.text().replace("&", "") if button is not None else ""
    ours = QCoreApplication.translate("StatusActions", "Quit")
    loaded = [t.filePath().rsplit("/", 1)[-1] for t in translators]
    return {"ok": qt_text == "İptal" and ours == "Çıkış", "qt_cancel": qt_text,
            "ours_quit": ours, "loaded": loaded}


def _check_icu() -> dict[str, Any]:
    from PySide6.QtCore import QCollator, QLocale

    turkish = QCollator(QLocale(QLocale.Language.Turkish, QLocale.Country.Turkey))
    root = QCollator(QLocale.c())
    tr_order = turkish.compare("ılık", "iç")
    upper = QLocale(QLocale.Language.Turkish).toUpper("istanbul")
    return {"ok": tr_order < 0 and upper == "İSTANBUL", "tr_compare": tr_order,
            "c_compare": root.compare("ılık", "iç"), "tr_upper": upper}


def _check_recording() -> dict[str, Any]:
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtMultimedia import QAudioDecoder

    from desktop.resources import resource

    path = resource("sample-data", "sample-recording.WAV")
    decoder = QAudioDecoder()
    frames = [0]
    errors: list[str] = []
    loop = QEventLoop()

    def ready() -> None:
        buffer = decoder.read()
        frames[0] += buffer.frameCount()

    decoder.bufferReady.connect(ready)
    decoder.finished.connect(loop.quit)

    def failed(*_args: object) -> None:
        errors.append(decoder.errorString())
        loop.quit()

    decoder.error.connect(failed)
    if not decoder.isSupported():
        return {"ok": False, "frames": 0, "file": path.name,
                "errors": ["QAudioDecoder is not available: no QtMultimedia backend loaded "
                           "(QT_DEBUG_PLUGINS=1 shows why)"]}
    decoder.setSource(QUrl.fromLocalFile(str(path)))
    QTimer.singleShot(int(DECODE_TIMEOUT_S * 1000), loop.quit)
    started = time.monotonic()
    decoder.start()
    loop.exec()
    decoder.stop()
    return {"ok": frames[0] > 0 and not errors, "frames": frames[0], "errors": errors,
            "file": path.name, "seconds": round(time.monotonic() - started, 2)}


def _check_keyring(roundtrip: bool) -> dict[str, Any]:
    from desktop.core.secrets import SecretStore

    store = SecretStore(use_env=False)
    import keyring

    backend = type(keyring.get_keyring()).__module__ + "." + type(keyring.get_keyring()).__name__
    result: dict[str, Any] = {"ok": store.available, "backend": backend,
                              "problem": store.problem}
    if roundtrip and store.available:
        value = secrets.token_hex(8)
        keyring.set_password(SELFTEST_SERVICE, "check", value)
        try:
            result["roundtrip"] = keyring.get_password(SELFTEST_SERVICE, "check") == value
        finally:
            keyring.delete_password(SELFTEST_SERVICE, "check")
        result["ok"] = result["ok"] and result["roundtrip"]
    return result


def _check_tls(url: str, ca_file: str | None) -> dict[str, Any]:
    import httpx

    from desktop.pbx.tls import tls_context, trust_store_name

    with httpx.Client(verify=tls_context(ca_file), timeout=TLS_TIMEOUT_S) as client:
        try:
            response = client.get(url)
        except httpx.HTTPError as exc:
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                    "trust": trust_store_name()}
    return {"ok": response.status_code == 200, "status": response.status_code,
            "trust": trust_store_name()}


def main(*, tls_url: str | None, ca_file: str | None, keyring_roundtrip: bool) -> int:
    report = run_self_test(tls_url=tls_url, ca_file=ca_file, keyring_roundtrip=keyring_roundtrip)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["ok"] else 1

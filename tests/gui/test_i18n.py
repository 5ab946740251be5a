"""The UI language: Turkish on Turkish systems, and both translators load."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QDialogButtonBox

from desktop.ui.i18n import choose_language, install_translators


@pytest.mark.parametrize(("setting", "system", "expected"), [
    ("", "tr_TR", "tr"),
    ("", "en_US", "en"),
    ("", "de_DE", "en"),
    ("", "ku_TR", "tr"),  # another language, but the region is Turkey
    ("en", "tr_TR", "en"),  # the setting wins
    ("tr", "en_US", "tr"),
    ("fr", "en_US", "en"),  # not a language we have
])
def test_choose_language(setting: str, system: str, expected: str) -> None:
    assert choose_language(setting, QLocale(system)) == expected


@pytest.fixture
def turkish(qapp) -> Iterator[list]:
    default = QLocale()
    translators = install_translators(qapp, "tr")
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(default)


def test_turkish_loads_ours_and_qts_translations(qtbot, turkish: list) -> None:
    assert len(turkish) == 2, "kobikom_tr.qm and Qt's qtbase_tr.qm"
    assert QCoreApplication.translate("StatusActions", "Quit") == "Çıkış"
    assert QCoreApplication.translate("StatusText", "%n missed calls", None, 3) == \
        "3 cevapsız arama"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert sorted(b.text() for b in buttons.buttons()) == ["Tamam", "İptal"]
    assert QLocale().language() == QLocale.Language.Turkish


def test_english_installs_nothing(qapp) -> None:
    default = QLocale()
    try:
        assert install_translators(qapp, "en") == []
        assert QCoreApplication.translate("StatusActions", "Quit") == "Quit"
    finally:
        QLocale.setDefault(default)


def test_connection_reasons_reach_the_agent_in_turkish(turkish: list) -> None:
    from desktop.pbx.connection import ConnectionState, Phase
    from desktop.ui.status_text import reason_line, translate_reason

    assert translate_reason("connection refused") == "bağlantı reddedildi"
    # What the server said stays verbatim inside the translated frame.
    assert translate_reason("login rejected: Invalid domainUuid") == \
        "giriş reddedildi: Invalid domainUuid"
    assert translate_reason("no data for 90 s (half-open connection?)") == \
        "90 sn boyunca veri gelmedi (bağlantı kopmuş olabilir)"
    # The watchdog's own words (desktop/pbx/watchdog.py), as the tray shows them.
    from desktop.pbx.watchdog import Watchdog
    from tests.unit.pbx.test_watchdog import FakeClocks

    clocks = FakeClocks()
    watchdog = Watchdog(clocks, tick=10.0, clock_jump=15.0, idle_timeout=None)
    clocks.suspend(3600.0)
    verdict = watchdog.check()
    assert verdict is not None
    assert translate_reason(verdict[1]) == "bilgisayar 3600 sn uykudaydı; yeniden bağlanılıyor"
    assert translate_reason("something new from the PBX layer") == \
        "something new from the PBX layer"
    state = ConnectionState(Phase.RECONNECTING, reason="connection refused")
    assert reason_line(state, state.since).startswith("bağlantı reddedildi")

"""Render the Dialer, the call confirmation and the live-call popup offscreen into PNGs.

    .venv/bin/python tools/screenshot_dialer.py                # English
    .venv/bin/python tools/screenshot_dialer.py --language tr  # tr-*.png

Writes ``artifacts/dialer-*.png``, ``artifacts/dial-confirm-*.png``,
``artifacts/transfer-dialog.png`` and ``artifacts/popup-live-call-control.png``
(``artifacts/`` is git-ignored), using the demo contacts and a few recent calls
in a temporary folder, on Qt's offscreen platform (no display needed).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARTIFACTS = ROOT / "artifacts"
#: "tr-" when rendering in Turkish (``--language tr``).
PREFIX = ""


async def shoot() -> None:
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from desktop.core.caller_card import CallerCard, CardState
    from desktop.core.contact_import import import_contacts
    from desktop.core.dial_search import DialerSearch
    from desktop.core.dialing import DialTarget, dial_target
    from desktop.core.directory import Directory
    from desktop.core.journal import Journal, JournalCall
    from desktop.core.numbers import parse_number
    from desktop.core.tasks import TaskSet
    from desktop.ui.click_to_call import DialConfirmDialog, TransferDialog
    from desktop.ui.dialer import DialerWindow
    from desktop.ui.popup import CallerPopup, PopupActions

    work = Path(tempfile.mkdtemp(prefix="dialer-shots-"))
    directory = Directory(work / "contacts.sqlite3")
    import_contacts(directory, ROOT / "resources" / "sample-data" / "contacts-demo.csv")
    journal = Journal(work / "journal.sqlite3")
    now = time.time()
    for i, (number, direction, outcome, ago) in enumerate([
            ("05329871234", "inbound", "missed", 240), ("0555 781 40 26", "outbound",
                                                          "answered", 3000),
            ("02164145237", "inbound", "answered", 7200), ("+44 20 7946 0958", "outbound",
                                                           "answered", 90000)]):
        journal.record(JournalCall(call_id=f"s{i}", direction=direction, number_raw=number,
                                   ringing_at=now - ago, outcome=outcome))
    tasks = TaskSet("shots")
    window = DialerWindow(DialerSearch(directory, journal), tasks=tasks,
                          locale=QLocale(QLocale.Language.Turkish, QLocale.Country.Turkey))
    loop = asyncio.get_running_loop()

    async def settle(query: str) -> None:
        done = loop.create_future()

        def shown(q: str, _n: int) -> None:
            if q == query and not done.done():
                done.set_result(None)

        window.resultsShown.connect(shown)
        window.search_box.setText(query)
        if window.results() is None or window.results().query != query:  # type: ignore[union-attr]
            await asyncio.wait_for(done, 10)
        window.resultsShown.disconnect(shown)
        await asyncio.sleep(0.05)
        QApplication.processEvents()

    loaded = loop.create_future()
    window.recentLoaded.connect(lambda _n: loaded.done() or loaded.set_result(None))
    window.open_with()
    await asyncio.wait_for(loaded, 10)
    await settle("")
    window.grab().save(str(ARTIFACTS / f"{PREFIX}dialer-empty.png"))
    await settle("0532")
    window.grab().save(str(ARTIFACTS / f"{PREFIX}dialer-number.png"))
    await settle("yıl")
    window.grab().save(str(ARTIFACTS / f"{PREFIX}dialer-results.png"))
    await settle("İSMAİL ÇEL")
    window.grab().save(str(ARTIFACTS / f"{PREFIX}dialer-turkish.png"))
    await settle("ışık")
    window.grab().save(str(ARTIFACTS / f"{PREFIX}dialer-turkish-isik.png"))
    await settle("Kaya Mimarlık Ankara")
    window.grab().save(str(ARTIFACTS / f"{PREFIX}dialer-no-match.png"))
    await settle("0532 999 88 7")
    window.activate_current()
    QApplication.processEvents()
    window.grab().save(str(ARTIFACTS / f"{PREFIX}dialer-invalid.png"))
    window.close()

    for name, text in (("international", "+44 20 7946 0958"), ("premium", "0900 123 45 67")):
        target = dial_target(text)
        assert isinstance(target, DialTarget)
        dialog = DialConfirmDialog(target)
        dialog.show()
        QApplication.processEvents()
        dialog.grab().save(str(ARTIFACTS / f"{PREFIX}dial-confirm-{name}.png"))
        dialog.close()

    card = CallerCard(call_id="1520317155.59", state=CardState.ANSWERED,
                      number=parse_number("05324121875"), extension="1001", contact_id=1,
                      name="Ayşe Yılmaz", company="Yıldız Lojistik A.Ş.",
                      ringing_at=now - 80, answered_at=now - 65)
    transfer = TransferDialog(card)
    transfer.extension_edit.setText("1002")
    transfer.show()
    QApplication.processEvents()
    transfer.grab().save(str(ARTIFACTS / f"{PREFIX}transfer-dialog.png"))
    transfer.close()

    popup = CallerPopup(card, actions=PopupActions(call_back=True, transfer=True, hangup=True),
                        translucent=False)
    popup.show()
    QApplication.processEvents()
    popup.grab().save(str(ARTIFACTS / f"{PREFIX}popup-live-call-control.png"))
    popup.close()
    await tasks.cancel_all()
    directory.close()
    journal.close()


def _set_prefix(prefix: str) -> None:
    global PREFIX
    PREFIX = prefix


def main() -> int:
    from qt_shots import run_shots

    return run_shots(__doc__.splitlines()[0], ARTIFACTS, shoot, _set_prefix)

if __name__ == "__main__":
    raise SystemExit(main())

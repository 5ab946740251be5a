"""Render the call history window and the recording player offscreen into PNGs.

    .venv/bin/python tools/screenshot_history.py                # English
    .venv/bin/python tools/screenshot_history.py --language tr  # tr-*.png

Writes ``artifacts/history-*.png`` and ``artifacts/player-*.png`` (Turkish
sample data, filters applied) for a visual check; ``artifacts/`` is
git-ignored.  Runs on Qt's offscreen platform (no display needed).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
#: "tr-" when rendering in Turkish (``--language tr``).
PREFIX = ""
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CALLS = [
    # (minutes ago, direction, number, name, outcome, talk seconds, recording)
    (4, "inbound", "05321234567", "Ayşe Yılmaz", "missed", 0, False),
    (18, "outbound", "02163334455", "Işık Lojistik A.Ş.", "answered", 312, True),
    (47, "inbound", "05424118027", None, "missed", 0, False),
    (95, "inbound", "05551112233", "Mehmet Öztürk", "answered", 187, True),
    (130, "inbound", "02242219854", "Çağrı Şahin", "answered_elsewhere", 0, False),
    (260, "outbound", "05059998877", "Şule Doğan", "not_answered", 0, False),
    (1500, "inbound", "05321234567", "Ayşe Yılmaz", "answered", 421, True),
    (1610, "outbound", "03124445566", "Güneş Enerji Ltd. Şti.", "answered", 95, True),
    (1700, "inbound", "03124445566", "Güneş Enerji Ltd. Şti.", "missed", 0, False),
    (2900, "local", "1002", None, "answered", 44, False),
    (3100, "inbound", "05337778899", "İsmail Çelik", "answered", 604, True),
    (4400, "inbound", "Anonymous", None, "missed", 0, False),
    (5800, "outbound", "05441234500", "Özge Kılıç", "answered", 1290, True),
    (7300, "inbound", "02125550011", "Yıldız Mimarlık", "answered", 233, False),
]


def main() -> int:
    import argparse

    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from desktop.core.journal import Journal, JournalCall
    from desktop.core.recordings import inspect_audio
    from desktop.core.tasks import TaskSet
    from desktop.ui.history import HistoryActions, HistoryModel, HistoryWindow
    from desktop.ui.player import RecordingPlayer
    from tests.helpers.audio import gsm_wav
    from tests.helpers.qt_asyncio import qt_asyncio_loop, run_until

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=("en", "tr"), default="en")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    ARTIFACTS.mkdir(exist_ok=True)
    translators = []
    if args.language == "tr":
        from desktop.ui.i18n import install_translators

        global PREFIX
        PREFIX = "tr-"
        translators = install_translators(app, "tr")  # noqa: F841 (kept alive)
    workdir = Path(tempfile.mkdtemp(prefix="kobikom-shots-"))
    journal = Journal(workdir / "journal.sqlite3")
    now = time.time()
    journal.record_many(
        JournalCall(f"c{i}", extension="1001", direction=direction, number_raw=number,
                    contact_name_at_time=name, ringing_at=now - minutes * 60,
                    answered_at=now - minutes * 60 + 6 if outcome == "answered" else None,
                    ended_at=now - minutes * 60 + 6 + talk, outcome=outcome,
                    talk_seconds=talk, recording=f"2026/11/{i}.WAV" if rec else None,
                    queue="60000" if outcome == "answered_elsewhere" else None)
        for i, (minutes, direction, number, name, outcome, talk, rec) in enumerate(CALLS))
    journal.mark_missed_seen(["c7"])
    journal.set_note("+903124445566", "Teklif bekliyor; Cuma günü tekrar aranacak.")
    tasks = TaskSet("screenshots")
    with qt_asyncio_loop(app):
        model = HistoryModel(journal, spawn=tasks.spawn,
                             locale=QLocale(QLocale.Language.Turkish, QLocale.Country.Turkey))
        model.highlight = frozenset({"c0", "c2"})
        actions = HistoryActions(call_back=print, send_sms=lambda *a: None,
                                 play_recording=print, add_contact=print,
                                 set_note=lambda *a: None, open_in_crm=print)
        window = HistoryWindow(model, actions)
        window.show()
        run_until(app, lambda: model.rowCount() == len(CALLS) and not model.loading)
        window.select_row(1)
        app.processEvents()
        window.grab().save(str(ARTIFACTS / f"{PREFIX}history-all.png"))
        from desktop.core.journal import HistoryKind

        window.set_kind(HistoryKind.MISSED)
        run_until(app, lambda: not model.loading and model.rowCount() == 4)
        window.select_row(1)
        app.processEvents()
        window.grab().save(str(ARTIFACTS / f"{PREFIX}history-missed.png"))
        window.set_kind(HistoryKind.ALL)
        window.search_edit.setText("güneş")
        window.apply_filter()
        run_until(app, lambda: not model.loading and model.rowCount() == 2)
        window.select_row(1)
        app.processEvents()
        window.grab().save(str(ARTIFACTS / f"{PREFIX}history-search.png"))
        window.search_edit.setText("")
        from desktop.ui.notice import NoticeKind

        window.show_notice(NoticeKind.WARNING,
                           window.tr("Calls from while the app was offline could not be "
                                     "fetched"),
                           "panelapi.kobikom.com.tr GET /v1/getcdr: cannot connect "
                           "(timed out)", retry=True)
        window.apply_filter()
        run_until(app, lambda: not model.loading and model.rowCount() == len(CALLS))
        app.processEvents()
        window.grab().save(str(ARTIFACTS / f"{PREFIX}history-sync-failed.png"))

        wav = workdir / "kayit.wav"
        data = gsm_wav(83.0)
        wav.write_bytes(data)
        downloading = RecordingPlayer(title="Mehmet Öztürk",
                                      subtitle="0555 111 22 33 · 28.11.2026 09:14")
        downloading.show()
        downloading.show_progress(len(data) * 42 // 100, len(data))
        app.processEvents()
        downloading.grab().save(str(ARTIFACTS / f"{PREFIX}player-downloading.png"))
        player = RecordingPlayer(title="Mehmet Öztürk",
                                 subtitle="0555 111 22 33 · 28.11.2026 09:14")
        player.show()
        player.load(wav, inspect_audio(data))
        run_until(app, lambda: player.state == "ready", timeout_ms=8000)
        player.set_position(31_000)
        player.set_speed(1.5)
        app.processEvents()
        player.grab().save(str(ARTIFACTS / f"{PREFIX}player-ready.png"))
        broken = RecordingPlayer(title="Ayşe Yılmaz",
                                 subtitle="0532 123 45 67 · 27.11.2026 16:40")
        broken.show()
        from PySide6.QtCore import QCoreApplication

        broken.show_error(
            QCoreApplication.translate("CallHistory", "The recording is incomplete"),
            QCoreApplication.translate("CallHistory", "Only {0} of {1} arrived. Try again later.")
            .format("0:27", "1:23"))
        app.processEvents()
        broken.grab().save(str(ARTIFACTS / f"{PREFIX}player-truncated.png"))
        for widget in (window, downloading, player, broken):
            widget.close()
        run_until(app, lambda: len(tasks) == 0)
    journal.close()
    print("\n".join(str(p) for p in sorted(ARTIFACTS.glob(f"{PREFIX}history-*.png"))))
    print("\n".join(str(p) for p in sorted(ARTIFACTS.glob(f"{PREFIX}player-*.png"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

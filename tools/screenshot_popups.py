"""Render caller popups (and the tray icons) offscreen into PNGs for a visual check.

    .venv/bin/python tools/screenshot_popups.py            # scale 1 and 2
    .venv/bin/python tools/screenshot_popups.py --scale 2  # one scale

Writes ``artifacts/popup-<name>@<scale>x.png``, the same in Turkish (the real
``kobikom_tr.qm``) as ``artifacts/tr-popup-<name>@<scale>x.png``, and
``artifacts/tray-icons@<scale>x.png`` under the repository; ``artifacts/`` is
git-ignored.  Runs on Qt's offscreen platform, so no display is needed; each
scale runs in its own process because ``QT_SCALE_FACTOR`` is read when the QApplication starts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
HOSTILE = "<b>x</b><img src=x>"


def _cards(now: float) -> dict[str, object]:
    from desktop.core.caller_card import CallerCard, CardOutcome, CardState, NumberSource
    from desktop.core.numbers import parse_number

    known = CallerCard(
        call_id="c1", state=CardState.RINGING, number=parse_number("05321234567"),
        extension="1001", called=parse_number("02125550000"), queue="Satış",
        contact_id=7, name="Ayşe Yılmaz", company="Yılmaz Tekstil San. ve Tic. A.Ş.",
        notes="Fatura adresi değişti; yeni adres e-postada.\nÖdemeler her ayın 5'inde.",
        previous_calls=3, last_call_at=now - 3 * 86400, ringing_at=now,
    )
    unknown = CallerCard(
        call_id="c2", state=CardState.RINGING, number=parse_number("+902163334455"),
        extension="1001", pbx_name="ISTANBUL", previous_calls=1,
        last_call_at=now - 3600, ringing_at=now,
    )
    answered = CallerCard(
        call_id="c3", state=CardState.ANSWERED, number=parse_number("05551112233"),
        extension="1001", contact_id=9, name="Mehmet Öztürk", company="Öztürk Lojistik",
        number_notes="Geri aranacak: sipariş 4411", ringing_at=now - 200,
        answered_at=now - 187,
    )
    missed = CallerCard(
        call_id="c4", state=CardState.ENDED, outcome=CardOutcome.MISSED,
        number=parse_number("05059998877"), extension="1001", queue="Destek",
        previous_calls=12, last_call_at=now - 86400, ringing_at=now - 30, ended_at=now - 5,
    )
    hostile = CallerCard(
        call_id="c5", state=CardState.RINGING, number=parse_number("05321234567"),
        contact_id=1, name=HOSTILE, company=HOSTILE, notes=HOSTILE, pbx_name=HOSTILE,
        queue=HOSTILE, number_notes=HOSTILE, ringing_at=now,
    )
    ended = CallerCard(
        call_id="c6", state=CardState.ENDED, outcome=CardOutcome.ANSWERED,
        number=parse_number("05321234567"), contact_id=7, name="Ayşe Yılmaz",
        company="Yılmaz Tekstil", ringing_at=now - 400, answered_at=now - 392,
        ended_at=now - 120, recording="rec.wav",
    )
    # Tekil as documented (ExtensionStatus only): the PBX did not send the number.
    not_sent = CallerCard(
        call_id="c7", state=CardState.RINGING, number=parse_number(""), extension="1001",
        number_source=NumberSource.NOT_SENT, ringing_at=now,
    )
    # A queue call a colleague took: not missed.
    elsewhere = CallerCard(
        call_id="c8", state=CardState.ENDED, outcome=CardOutcome.ANSWERED_ELSEWHERE,
        number=parse_number("02163347190"), extension="1001", queue="Satış",
        ringing_at=now - 20, ended_at=now - 2,
    )
    return {"known-ringing": known, "unknown": unknown, "answered": answered,
            "missed": missed, "hostile": hostile, "ended": ended, "not-sent": not_sent,
            "answered-elsewhere": elsewhere}


def render(scale: str) -> list[Path]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QT_SCALE_FACTOR"] = scale
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from desktop.core.popup_queue import MissedSummary
    from desktop.ui import icons
    from desktop.ui.popup import CallerPopup, MissedCallsCard, PopupActions

    app = QApplication([])
    app.setApplicationName("kobikom-desktop")
    now = time.time()
    ARTIFACTS.mkdir(exist_ok=True)
    written = []
    actions = PopupActions(call_back=True, sms=True, recording=True)
    for translucent in (True, False):
        for name, card in _cards(now).items():
            popup = CallerPopup(card, actions=actions, translucent=translucent,
                                clock=lambda: now, locale=QLocale(QLocale.Language.Turkish))
            popup.show()
            app.processEvents()
            suffix = "" if translucent else "-opaque"
            path = ARTIFACTS / f"popup-{name}{suffix}@{scale}x.png"
            popup.grab().save(str(path))
            written.append(path)
            popup.dismiss(by_user=False)
            app.processEvents()
    cards = _cards(now)
    summary = MissedSummary(27, (cards["missed"], cards["known-ringing"], cards["unknown"]))

    def missed_card(prefix: str) -> None:
        card = MissedCallsCard(actions=PopupActions(call_back=True, missed_list=True),
                               translucent=True, clock=lambda: now,
                               locale=QLocale(QLocale.Language.Turkish))
        card.set_summary(summary)
        card.show()
        app.processEvents()
        path = ARTIFACTS / f"{prefix}missed-card@{scale}x.png"
        card.grab().save(str(path))
        written.append(path)
        card.dismiss(by_user=False)
        app.processEvents()

    missed_card("")
    # Turkish as the app shows it: the real translations (ours and Qt's).
    from desktop.ui.i18n import install_translators

    translators = install_translators(app, "tr")
    for name, card in _cards(now).items():
        if name in ("hostile",):
            continue
        popup = CallerPopup(card, actions=actions, translucent=True, clock=lambda: now,
                            locale=QLocale(QLocale.Language.Turkish))
        popup.show()
        app.processEvents()
        path = ARTIFACTS / f"tr-popup-{name}@{scale}x.png"
        popup.grab().save(str(path))
        written.append(path)
        popup.dismiss(by_user=False)
        app.processEvents()
    missed_card("tr-")
    for translator in translators:
        app.removeTranslator(translator)
    path = ARTIFACTS / f"tray-icons@{scale}x.png"
    icons.icon_sheet().save(str(path))
    written.append(path)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", help="one QT_SCALE_FACTOR (default: 1 and 2)")
    args = parser.parse_args()
    if args.scale:
        for path in render(args.scale):
            print(path)
        return 0
    for scale in ("1", "2"):
        subprocess.run([sys.executable, __file__, "--scale", scale], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

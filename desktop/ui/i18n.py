"""User-interface language: Turkish by default on Turkish systems, else English.

Source strings are English; ``resources/translations/kobikom_tr.qm`` holds
the Turkish translation (edit ``kobikom_tr.ts`` with Qt Linguist, then run
``tools/update_translations.py``).  The setting ``ui.language`` ("", "tr",
"en") overrides the system locale.  Qt's own strings (standard buttons,
context menus) come from Qt's bundled ``qtbase_tr.qm``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.resources import resource

log = logging.getLogger("kobikom.ui.i18n")

TRANSLATIONS_DIR = resource("translations")
SUPPORTED = ("tr", "en")


def choose_language(setting: str, system: QLocale | None = None) -> str:
    """``"tr"`` or ``"en"``: the setting if valid, else Turkish on Turkish systems."""
    if setting in SUPPORTED:
        return setting
    locale = system or QLocale.system()
    if locale.language() == QLocale.Language.Turkish:
        return "tr"
    # A Turkish business' PCs sometimes run an English Windows with a Turkish
    # region: honour the region too.
    if locale.territory() == QLocale.Country.Turkey:
        return "tr"
    return "en"


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Install our and Qt's translators for *language*; returns them (keep them alive)."""
    QLocale.setDefault(QLocale(QLocale.Language.Turkish, QLocale.Country.Turkey)
                       if language == "tr" else QLocale(QLocale.Language.English,
                                                        QLocale.Country.UnitedKingdom))
    translators: list[QTranslator] = []
    if language == "en":
        return translators
    ours = QTranslator(app)
    if ours.load(f"kobikom_{language}", str(TRANSLATIONS_DIR)):
        app.installTranslator(ours)
        translators.append(ours)
    else:
        log.warning("no %s translation found in %s", language, TRANSLATIONS_DIR)
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt)
        translators.append(qt)
    else:
        log.warning("Qt's own %s translation (qtbase_%s.qm) not found in %s: standard "
                    "buttons stay in English", language, language, qt_dir)
    log.info("ui language %s: %s", language,
             ", ".join(t.filePath().rsplit("/", 1)[-1] for t in translators) or "none")
    return translators

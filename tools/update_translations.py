#!/usr/bin/env python3
"""Refresh the Turkish translation: extract strings, then compile the .qm.

    python tools/update_translations.py          # lupdate + lrelease
    python tools/update_translations.py --check  # fail if a string is untranslated

``resources/translations/kobikom_tr.ts`` is the source (edit it with Qt
Linguist, ``pyside6-linguist``, or any XML editor); ``kobikom_tr.qm`` is the
compiled file the app loads (committed, so installs need no Qt tools).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "kobikom_tr.ts"
QM = TS.with_suffix(".qm")
SOURCES = sorted([*(ROOT / "desktop" / "ui").rglob("*.py"),
                  *(ROOT / "desktop" / "app").glob("*.py"),
                  # The account check's texts are marked QT_TRANSLATE_NOOP("AccountCheck", ...).
                  *(ROOT / "desktop" / "core").glob("account_check*.py")])


def tool(name: str) -> str:
    local = Path(sys.executable).with_name(name)
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (it comes with PySide6-Essentials)")
    return found


def untranslated(ts: Path) -> list[str]:
    """Source strings whose translation is missing or marked unfinished."""
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") == "unfinished":
            missing.append(message.findtext("source") or "")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail on untranslated strings")
    args = parser.parse_args()
    TS.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool("pyside6-lupdate"), *map(str, SOURCES), "-ts", str(TS),
                    "-no-obsolete", "-locations", "none", "-source-language", "en",
                    "-target-language", "tr_TR"], check=True)
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True)
    missing = untranslated(TS)
    print(f"{TS.name}: {len(missing)} untranslated string(s)")
    if args.check and missing:
        for text in missing[:50]:
            print(f"  untranslated: {text!r}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

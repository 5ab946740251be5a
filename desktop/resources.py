"""Finding the files under ``resources/`` (icons, translations, sample data).

They sit at the top of the source tree (``resources/``).  An installed wheel
carries them as data files under ``<prefix>/share/kobikom-desktop/resources``
(see ``[tool.setuptools.data-files]`` in ``pyproject.toml``); a PyInstaller
bundle under ``<bundle>/resources``.  :func:`resource` returns the first that
exists.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

_HERE = Path(__file__).resolve()


def resource_roots() -> list[Path]:
    roots = [_HERE.parents[1] / "resources"]  # source checkout / editable install
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.insert(0, Path(bundle) / "resources")
    for scheme_path in {sys.prefix, sysconfig.get_path("data")}:
        roots.append(Path(scheme_path) / "share" / "kobikom-desktop" / "resources")
    return roots


def resource(*parts: str) -> Path:
    """``resource("icons", "kobikom-desktop.svg")``: the path (which may not exist)."""
    for root in resource_roots():
        path = root.joinpath(*parts)
        if path.exists():
            return path
    return resource_roots()[0].joinpath(*parts)

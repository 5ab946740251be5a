"""The installer sources, checked as far as Linux allows.

* The Windows MSI source compiles with ``wixl`` (``build.py check-msi``), and
  its tables hold what the roll-out promises: per machine, start at login for
  every user (its own feature, so IT can leave it out), the tel:/callto:/sip:
  handlers, major upgrades.  Running the MSI needs Windows: the CI workflow
  ``.github/workflows/installers.yml`` does that on a Windows runner.
* The macOS bundle's Info.plist (in the PyInstaller spec): menu-bar only
  (``LSUIElement``), the URL types.
* The Linux desktop entries: the handlers and the autostart entry.
* ``pyproject.toml``'s license in the SPDX form with ``license-files``.
"""

from __future__ import annotations

import ast
import configparser
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def msi_table(msi: Path, table: str) -> list[list[str]]:
    out = subprocess.run(["msiinfo", "export", str(msi), table], capture_output=True,
                         text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()[3:]]


@pytest.fixture(scope="module")
def msi() -> Path:
    for tool in ("wixl", "wixl-heat", "msiinfo"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: apt-get install wixl msitools (tests/run does)")
    subprocess.run([sys.executable, str(PACKAGING / "build.py"), "check-msi"], check=True,
                   capture_output=True, timeout=300)
    path = ROOT / "build" / "wixl" / "kobikom-desktop-check.msi"
    assert path.is_file()
    return path


def test_the_msi_installs_per_machine_with_autostart_and_link_handlers(msi: Path) -> None:
    properties = dict(row[:2] for row in msi_table(msi, "Property"))
    assert properties["ALLUSERS"] == "1"
    assert properties["AUTOSTART"] == "1"
    assert properties["ProductName"] == "Kobikom Desktop"
    registry = {(row[1], row[2], row[3]): (row[4], row[5]) for row in msi_table(msi, "Registry")}
    run = registry[("2", r"Software\Microsoft\Windows\CurrentVersion\Run", "Kobikom Desktop")]
    assert run[0] == '"[INSTALLFOLDER]kobikom-desktop.exe" --autostart'  # HKLM (root 2)
    for scheme in ("tel", "callto", "sip"):
        command = registry[("2", rf"Software\Classes\{scheme}\shell\open\command", "")]
        assert command[0] == '"[INSTALLFOLDER]kobikom-desktop.exe" "%1"'
        assert ("2", rf"Software\Classes\{scheme}", "URL Protocol") in registry
        assert registry[("2", r"Software\Kobikom\Kobikom Desktop\Capabilities\URLAssociations",
                         scheme)][0] == "KobikomDesktop.Url"
    features = {row[0]: row for row in msi_table(msi, "FeatureComponents")}
    assert features["Autostart"][1] == run[1]  # start at login is a feature of its own
    upgrades = msi_table(msi, "Upgrade")
    assert {row[-1] for row in upgrades} == {"WIX_UPGRADE_DETECTED", "WIX_DOWNGRADE_DETECTED"}
    files = {row[2] for row in msi_table(msi, "File")}
    assert {"kobikom-desktop.exe", "kobikom-desktop-cli.exe"} <= files


def _info_plist() -> dict[str, object]:
    tree = ast.parse((PACKAGING / "kobikom-desktop.spec").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "BUNDLE":
            for keyword in node.keywords:
                if keyword.arg == "info_plist":
                    return {ast.literal_eval(k): v for k, v in
                            zip(keyword.value.keys, keyword.value.values, strict=True)}
    raise AssertionError("no BUNDLE(info_plist=...) in the spec")


def test_the_mac_app_lives_in_the_menu_bar_and_handles_call_links() -> None:
    plist = _info_plist()
    assert ast.literal_eval(plist["LSUIElement"]) is True
    url_types = ast.literal_eval(plist["CFBundleURLTypes"])
    assert sorted(url_types[0]["CFBundleURLSchemes"]) == ["callto", "sip", "tel"]


def _entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_linux_entries_register_links_and_start_at_login() -> None:
    app = _entry(PACKAGING / "linux" / "kobikom-desktop.desktop")
    assert set(app["MimeType"].strip(";").split(";")) == {
        "x-scheme-handler/tel", "x-scheme-handler/callto", "x-scheme-handler/sip"}
    assert app["Exec"] == "kobikom-desktop %u"
    autostart = _entry(PACKAGING / "linux" / "kobikom-desktop-autostart.desktop")
    assert autostart["Exec"] == "kobikom-desktop --autostart"
    assert "Hidden" not in autostart


def test_the_license_uses_the_spdx_form() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert isinstance(project["license"], str)
    assert project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").is_file()

"""Smoke test of the frozen app: the bundle, or the .deb installed in a clean Debian root.

What a frozen build typically loses (a Qt plugin, a translation, the keyring
backends, the CA store) only shows when the built program runs, so each
check runs the frozen ``kobikom-desktop`` itself, with no virtual
environment and no Python on the path: its ``--version``, its installation
self-test (audio decoding, Turkish incl. Qt's own dialogs, ICU, SVG, keyring
round trip, verified TLS), the tray app in demo mode under Xvfb with a tray
host (tray icon, a demo popup, Turkish UI), and the command line
(``lookup``, ``listen``) against the frozen simulator.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from desktop import __version__
from tests.frozen.conftest import (
    EXPECTED_KEYRING,
    EXPECTED_PLATFORM,
    NATIVE_DESKTOP,
    FrozenApp,
    TlsServers,
    compiled_locale,
)
from tests.helpers.appprocess import AppProcess, SimulatorProcess
from tests.helpers.ldap_server import PEOPLE_DN, READER_DN, READER_PASSWORD, SlapdServer
from tests.helpers.lookup_server import LookupServer
from tests.helpers.xserver import XDisplay

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
#: Longest wait for the demo mode's first popup (the demo rings after 3 s).
DEMO_POPUP_TIMEOUT_S = 45.0


def test_version(frozen: FrozenApp) -> None:
    done = frozen.run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kobikom-desktop {__version__}"


def test_self_test_finds_everything_the_bundle_needs(
        frozen: FrozenApp, x_display: XDisplay, keyring_env: dict[str, str],
        tls_servers: TlsServers) -> None:
    env = frozen.env | x_display.env | keyring_env | tls_servers.env
    done = frozen.run("self-test", "--keyring-roundtrip", "--tls-url",
                      tls_servers.trusted_url, env=env)
    assert done.stdout, done.stderr
    report = json.loads(done.stdout)
    checks = report["checks"]
    assert report["frozen"] is True
    assert checks["qt"]["platform"] == EXPECTED_PLATFORM
    assert checks["svg"]["ok"], checks["svg"]
    # Turkish: ours, and Qt's own standard buttons (qtbase_tr.qm).
    assert checks["translations"]["qt_cancel"] == "İptal", checks["translations"]
    assert checks["translations"]["ours_quit"] == "Çıkış", checks["translations"]
    assert checks["icu"]["ok"], checks["icu"]
    # The sample recording (GSM 6.10 "WAV49", 6 s at 8 kHz) decodes through FFmpeg.
    assert checks["recording"]["frames"] >= 6 * 8000 * 0.9, checks["recording"]
    assert EXPECTED_KEYRING in checks["keyring"]["backend"], checks["keyring"]
    assert checks["keyring"]["roundtrip"] is True, checks["keyring"]
    assert checks["tls"]["ok"], checks["tls"]
    assert "system trust store" in checks["tls"]["trust"]
    assert report["ok"] is True, json.dumps(report, indent=2)
    assert done.returncode == 0


def test_tls_is_verified_and_ca_file_still_works(frozen: FrozenApp, x_display: XDisplay,
                                                 tls_servers: TlsServers) -> None:
    env = frozen.env | x_display.env | tls_servers.env
    refused = json.loads(frozen.run("self-test", "--tls-url", tls_servers.untrusted_url,
                                    env=env).stdout)["checks"]["tls"]
    assert refused["ok"] is False
    assert "CERTIFICATE_VERIFY_FAILED" in refused["error"] or "certificate verify failed" \
        in refused["error"].lower(), refused
    accepted = json.loads(frozen.run("self-test", "--tls-url", tls_servers.untrusted_url,
                                     "--ca-file", str(tls_servers.untrusted_ca),
                                     env=env).stdout)["checks"]["tls"]
    assert accepted["ok"] is True, accepted


def test_demo_mode_shows_the_tray_and_a_popup_in_turkish(
        frozen: FrozenApp, x_display: XDisplay, keyring_env: dict[str, str],
        tmp_path: Path) -> None:
    lang = "tr_TR.UTF-8"
    env = frozen.env | x_display.env | keyring_env | compiled_locale(lang, tmp_path / "loc")
    if NATIVE_DESKTOP:  # the runner's system language is English: choose Turkish
        config = tmp_path / "home" / "config"
        config.mkdir(parents=True)
        (config / "settings.toml").write_text('[ui]\nlanguage = "tr"\n', encoding="utf-8")
    app = AppProcess(tmp_path / "home", env, args=["--demo"], lang=lang, name="frozen-demo",
                     command=frozen.command()).start()
    try:
        app.wait_for_log(r"ui language tr: kobikom_tr\.qm, qtbase_tr\.qm", timeout=60)
        app.wait_for_log(r"tray shown \(TrayController\)", timeout=60)
        geometry = app.wait_for_log(r"tray icon geometry: (\d+),(\d+) (\d+)x(\d+)", timeout=30)
        assert int(geometry.match.group(3)) > 0
        app.wait_for_log(r"popup shown for call", timeout=DEMO_POPUP_TIMEOUT_S)
        if not NATIVE_DESKTOP:  # X11: python-xlib (keysym tables loaded by name) is bundled
            app.wait_for_log(r"dial hotkey Ctrl\+Alt\+D registered", timeout=30)
            assert x_display.wait_for_windows(".", timeout=10)
            suffix = "installed" if frozen.chrooted else "bundle"
            x_display.screenshot(ARTIFACTS / f"frozen-demo-popup-{suffix}.png")
    finally:
        code = app.stop()
    assert code == 0, app.tail()
    assert any("kobikom.app: stopped" in line for line in app.lines()), app.tail()
    assert app.problems() == [], app.tail()


def test_command_line_lookup_and_listen_against_the_frozen_simulator(
        frozen: FrozenApp, tmp_path: Path) -> None:
    env = frozen.env | {"KOBIKOM_DESKTOP_HOME": str(tmp_path / "cli-home")}
    contacts = tmp_path / "contacts.csv"
    contacts.write_bytes((REPO / "resources" / "sample-data" / "contacts-demo.csv").read_bytes())
    imported = frozen.run("contacts", "import", str(contacts), env=env)
    assert imported.returncode == 0, imported.stderr
    found = frozen.run("lookup", "+90 532 412 18 75", env=env)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["name"] == "Ayşe Yılmaz"
    assert frozen.run("lookup", "0850 000 00 00", env=env).returncode == 1

    sim = SimulatorProcess(tmp_path / "sim", env)
    # The demo's default profile, named: FreeSWITCH legs and no login reply.
    sim.argv = frozen.popen_argv("simulator", "--flavor", "bulut", "--profile", "freeswitch",
                                 "--tcp-port", "0", "--ws-port", "0", "--http-port", "0")
    sim.start()
    listen: subprocess.Popen[str] | None = None
    try:
        # Two events: the trunk leg and the leg ringing the agent (no login reply first).
        listen = subprocess.Popen(
            frozen.popen_argv("listen", "--flavor", "bulut", "--transport", "tcp", "--host",
                              "127.0.0.1", "--port", str(sim.tcp_port), "--extension", "1001",
                              "--domain", sim.domain_uuid, "--count", "2", "--timeout", "60"),
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not sim.clients() and time.monotonic() < deadline and listen.poll() is None:
            time.sleep(0.2)
        assert sim.clients(), "the frozen listen never connected"
        sim.ring(extension="1001", caller="05324121875")
        out, err = listen.communicate(timeout=60)
    finally:
        if listen is not None and listen.poll() is None:
            listen.kill()
            listen.communicate()
        sim.stop()
    assert listen.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert [e["event"] for e in events] == ["ringing", "ringing"], events
    assert len({e["call_id"] for e in events}) == 2, "one id per FreeSWITCH leg"
    for leg in events:
        assert "5324121875" in re.sub(r"\D", "", json.dumps(leg)), leg


@pytest.mark.skipif(NATIVE_DESKTOP, reason="slapd (the test LDAP server) is Debian's")
def test_lookup_asks_ldap_and_the_crm_from_the_frozen_app(
        frozen: FrozenApp, tmp_path: Path, slapd: SlapdServer,
        lookup_server: LookupServer) -> None:
    """ldap3 and the HTTP lookup work in the bundle (ldap3 is imported where it is used)."""
    home = tmp_path / "lookup-home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.toml").write_text(
        f'[ldap]\nurl = "{slapd.url}"\nbase_dn = "{PEOPLE_DN}"\nbind_dn = "{READER_DN}"\n'
        f'timeout_ms = 3000\n[http_lookup]\nurl = "{lookup_server.url()}"\n'
        'timeout_ms = 3000\n', encoding="utf-8")
    env = frozen.env | {"KOBIKOM_DESKTOP_HOME": str(home),
                        "KOBIKOM_LDAP_PASSWORD": READER_PASSWORD}
    ldap = frozen.run("lookup", "0532 123 45 67", env=env)
    assert ldap.returncode == 0, ldap.stderr
    assert json.loads(ldap.stdout)["source"] == "ldap"
    assert json.loads(ldap.stdout)["name"] == "Şükrü Çağlayan (Satış)"
    crm = frozen.run("lookup", "0555 111 22 33", env=env)
    assert crm.returncode == 0, crm.stderr
    assert json.loads(crm.stdout)["source"] == "http"


@pytest.mark.skipif(not Path("/usr/bin/dpkg-query").exists(), reason="not a Debian system")
def test_the_package_is_installed_with_its_desktop_files(frozen: FrozenApp) -> None:
    if not frozen.chrooted:
        pytest.skip("only for the installed package (--frozen-root)")
    root = frozen.root
    status = subprocess.run(
        ["chroot", str(root), "dpkg-query", "-W", "-f=${Status} ${Version}", "kobikom-desktop"],
        capture_output=True, text=True, check=False).stdout
    assert status.startswith("install ok installed"), status
    desktop = (root / "usr/share/applications/kobikom-desktop.desktop").read_text()
    assert "x-scheme-handler/tel;x-scheme-handler/callto;x-scheme-handler/sip;" in desktop
    autostart = (root / "etc/xdg/autostart/kobikom-desktop.desktop").read_text()
    assert "Exec=kobikom-desktop --autostart" in autostart
    # Python is not in the clean root: the app stands on its own.
    assert not (root / "usr/bin/python3").exists()

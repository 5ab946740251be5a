"""CRM screen-pop and the company directory in the real app under Xvfb.

The app runs against a standalone simulator, a real OpenLDAP server (slapd)
and a real HTTP lookup server; ``BROWSER`` names a script that records the
URLs it is given (on Linux Qt hands URLs to ``xdg-open``, or to ``$BROWSER``
when there is none; xdg-open itself ends at ``$BROWSER`` on a desktop
without a registered browser).  A call from a number only the CRM knows
pops up at once and gets its name a moment later; the CRM page opens once,
with the name, URL-encoded.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.appprocess import AppProcess, SimulatorProcess, logged_id, write_app_settings
from tests.helpers.ldap_server import PEOPLE_DN, READER_DN, READER_PASSWORD, SlapdServer
from tests.helpers.lookup_server import LookupServer
from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

CRM_TEMPLATE = ("http://crm.example.invalid/ara?tel={e164}&ad={name}&firma={company}"
                "&cagri={call_id}&dahili={extension}")
WAIT_S = 20.0


def browser_script(folder: Path) -> tuple[Path, Path]:
    """A ``BROWSER`` that appends each URL it gets to a file, one per line."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / "opened.txt"
    script = folder / "browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{record}"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, record


def opened(record: Path) -> list[str]:
    return record.read_text(encoding="utf-8").splitlines() if record.exists() else []


def wait_opened(record: Path, count: int) -> list[str]:
    deadline = time.monotonic() + WAIT_S
    while len(opened(record)) < count:
        assert time.monotonic() < deadline, f"the browser got {opened(record)}"
        time.sleep(0.05)
    return opened(record)


def start(launch_app: Callable[..., AppProcess], simulator: SimulatorProcess, tmp_path: Path,
          slapd_server: SlapdServer, lookup: LookupServer, *, open_on: str = "ring",
          http_timeout_ms: int = 800) -> tuple[AppProcess, Path]:
    home = tmp_path / "home"
    settings = write_app_settings(home, simulator, auto_close_seconds=30)
    with settings.open("a", encoding="utf-8") as fh:
        fh.write(f'\n[crm]\nurl = "{CRM_TEMPLATE}"\nopen_on = "{open_on}"\n'
                 f'\n[ldap]\nurl = "{slapd_server.url}"\nbase_dn = "{PEOPLE_DN}"\n'
                 f'bind_dn = "{READER_DN}"\n'
                 f'\n[http_lookup]\nurl = "{lookup.url()}"\ntimeout_ms = {http_timeout_ms}\n')
    script, record = browser_script(tmp_path / "browser")
    app = launch_app(home=home, env={"BROWSER": str(script),
                                     "KOBIKOM_LDAP_PASSWORD": READER_PASSWORD})
    app.wait_for_log(r"tray shown")
    app.wait_for_log(r"bulut-tcp .*: connected, login sent")
    simulator.wait_logged_in()  # no login reply under the default (FreeSWITCH) profile
    return app, record


def query(url: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query, keep_blank_values=True)


def test_a_crm_caller_pops_up_at_once_gets_the_name_and_the_crm_page_opens_once(
        launch_app: Callable[..., AppProcess], simulator: SimulatorProcess,
        x_display: XDisplay, slapd: SlapdServer, lookup_server: LookupServer,
        screenshot: Callable[[XDisplay, str], Path], tmp_path: Path) -> None:
    lookup_server.behaviour = "slow"
    lookup_server.delay = 0.4  # the CRM takes its time (within its budget, even under load)
    app, record = start(launch_app, simulator, tmp_path, slapd, lookup_server,
                        http_timeout_ms=2000)
    call = simulator.ring("1001", "05551112233")
    shown = app.wait_for_log(rf"popup shown for call {logged_id(call)}")
    late = app.wait_for_log(rf"call {logged_id(call)} named by the http directory")
    assert late.index > shown.index  # the popup did not wait for the network
    (window,) = x_display.wait_for_windows(r"Kobikom – \+905551112233", timeout=10)
    urls = wait_opened(record, 1)
    screenshot(x_display, "late-name")
    assert query(urls[0]) == {"tel": ["+905551112233"], "ad": ["Çiğdem Ünlü"],
                              "firma": ["Güneş Enerji A.Ş."], "cagri": [call],
                              "dahili": ["1001"]}
    assert urls[0].startswith("http://crm.example.invalid/ara?tel=%2B905551112233&ad=%C3%87")
    assert simulator.answer(call)
    app.wait_for_log(rf"call {logged_id(call)} answered")
    assert simulator.hangup(call)
    app.wait_for_log(rf"call {logged_id(call)} ended")
    time.sleep(0.5)
    assert len(opened(record)) == 1  # once per call, not per change
    # The LDAP directory comes before the CRM lookup.
    second = simulator.ring("1001", "0532 123 45 67")
    app.wait_for_log(rf"call {logged_id(second)} named by the ldap directory")
    urls = wait_opened(record, 2)
    assert query(urls[1])["ad"] == ["Şükrü Çağlayan (Satış)"]
    assert x_display.wait_for_windows(r"Kobikom – \+905321234567", timeout=10)
    screenshot(x_display, "ldap-name")
    assert window


def test_a_failing_directory_is_shown_and_the_popup_still_comes(
        launch_app: Callable[..., AppProcess], simulator: SimulatorProcess,
        x_display: XDisplay, slapd: SlapdServer, lookup_server: LookupServer,
        tmp_path: Path) -> None:
    lookup_server.behaviour = "500"
    slapd.pause()  # a hung LDAP server: no answer at all
    try:
        app, record = start(launch_app, simulator, tmp_path, slapd, lookup_server,
                            open_on="answer")
        call = simulator.ring("1001", "05551112233")
        app.wait_for_log(rf"popup shown for call {logged_id(call)}")
        app.wait_for_log(r"ldap directory lookup of \+90\*+33 failed: no answer within 800 ms")
        app.wait_for_log(r"http directory lookup of \+90\*+33 failed: 127\.0\.0\.1: HTTP 500")
        app.wait_for_log(r"not working: LDAP directory not reachable")
        assert opened(record) == []  # open_on = "answer"
        assert simulator.answer(call)
        urls = wait_opened(record, 1)
        assert query(urls[0])["ad"] == [""]  # no name known: the page opens anyway
        assert app.running
    finally:
        slapd.resume()
    for line in app.lines():
        assert READER_PASSWORD not in line

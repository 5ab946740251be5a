"""First start without an account: the real app opens the setup wizard by itself.

With ``--config FILE`` an administrator's roll-out file (no secrets) is
used, and the wizard greys out the values the file decides.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.appprocess import SimulatorProcess, logged_id
from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

WIZARD_TITLE = r"^Set up Kobikom Desktop$"


def test_the_wizard_opens_when_no_account_is_configured(launch_app, x_display: XDisplay,
                                                        screenshot) -> None:
    app = launch_app()
    app.wait_for_log(r"no account configured: opening the setup wizard")
    app.wait_for_log(r"setup wizard shown \(configured=False, locked=0\)")
    (window,) = x_display.wait_for_windows(WIZARD_TITLE, timeout=10)
    geometry = x_display.window_geometry(window)
    assert geometry.width >= 600, geometry
    assert geometry.height >= 500, geometry
    screenshot(x_display, "first-run-wizard")


def test_an_admin_roll_out_file_locks_its_values(launch_app, x_display: XDisplay,
                                                 tmp_path: Path) -> None:
    roll_out = tmp_path / "kobikom-office.toml"
    roll_out.write_text('[account]\nflavor = "bulut"\ntransport = "ws"\n'
                        'domain_uuid = "97df2222-c948-492c-8a1b-0123456789ab"\n'
                        '[popup]\ncorner = "top-left"\n')
    app = launch_app("--config", str(roll_out))
    app.wait_for_log(r"setup wizard shown \(configured=False, locked=3\)")
    x_display.wait_for_windows(WIZARD_TITLE, timeout=10)


def test_demo_mode_does_not_open_the_wizard(launch_app) -> None:
    app = launch_app("--demo")
    app.wait_for_log(r"demo simulator on ")
    app.wait_for_log(r"tray shown")
    assert not any("opening the setup wizard" in line for line in app.lines())


def test_an_agent_sets_up_a_kobipbx_account_with_the_keyboard_and_the_app_connects(
        launch_app, simulator: SimulatorProcess, x_display: XDisplay, tmp_path: Path,
        screenshot) -> None:
    """The whole first run, typed like an agent would, against the simulator.

    The roll-out file sets the account type and the servers; the agent types
    the KobiPBX e-mail, password and domain UUID, lets the checks run, types
    the extension and presses Enter.  With no Secret Service on this display
    the password is kept for the session, and the app connects at once.
    """
    home = tmp_path / "home"
    roll_out = tmp_path / "office.toml"
    roll_out.write_text(
        '[account]\nflavor = "bulut"\ntransport = "tcp"\n'
        f'[server]\nhost = "127.0.0.1"\nport = {simulator.tcp_port}\n'
        f'api_base = "{simulator.info["http_base"]}"\n', encoding="utf-8")
    app = launch_app("--config", str(roll_out), home=home)
    app.wait_for_log(r"setup wizard shown \(configured=False, locked=5\)")
    (window,) = x_display.wait_for_windows(WIZARD_TITLE, timeout=10)
    x_display.run_tool("xdotool", "windowactivate", "--sync", str(window))

    def keys(*names: str) -> None:
        x_display.run_tool("xdotool", "key", "--delay", "40", *names)

    def type_text(text: str) -> None:
        x_display.run_tool("xdotool", "type", "--delay", "15", text)

    mark = app.mark()
    keys("Return")  # the file chose Bulut Santral: Next
    app.wait_for_log(r"setup wizard page ready: account", since=mark)
    type_text("demo@kobikom.example")
    keys("Tab")
    type_text("demo-password")
    keys("Tab")
    type_text(simulator.domain_uuid)
    mark = app.mark()
    keys("Return")  # "Test connection"
    app.wait_for_log(r"setup wizard page ready: check", since=mark)
    app.wait_for_log(r"account check login: ok")
    app.wait_for_log(r"account check events: ok")
    app.wait_for_log(r"account check extension: warning: The PBX has 3 extensions")
    type_text("1002")
    screenshot(x_display, "wizard-checked")
    keys("Return")  # "Save and connect"
    app.wait_for_log(r"setup wizard: settings saved to .*office\.toml \(bulut\); secrets "
                     r"kept for this session only")
    saved_at = app.wait_for_log(r"kobikom.core.supervisor: line: settings saved")
    # The line's own login (the wizard's account check logged one before); no login
    # reply under the default (FreeSWITCH) profile: the simulator says when it is in.
    app.wait_for_log(r"bulut-tcp .*: connected, login sent", since=saved_at.index)
    simulator.wait_logged_in()
    saved = roll_out.read_text(encoding="utf-8")
    assert 'extensions = [\n    "1002",\n]' in saved or 'extensions = ["1002"]' in saved
    assert "demo-password" not in saved
    call = simulator.ring("1002", "05321234567")
    app.wait_for_log(rf"popup shown for call {logged_id(call)}")

"""A private, unlocked Secret Service (gnome-keyring) on a private D-Bus session bus.

:class:`SecretService` starts:

* ``dbus-daemon`` with a minimal session configuration of its own (no
  service activation, so nothing on the machine is started behind our back;
  ``--print-address``/``--print-pid`` tell us where it listens and whom to
  stop);
* ``gnome-keyring-daemon --foreground --unlock --components=secrets`` with
  the keyring password on stdin, and ``HOME``/``XDG_DATA_HOME``/
  ``XDG_RUNTIME_DIR`` in a temporary folder, so the developer's own keyrings
  are never touched.

Ready means the daemon owns ``org.freedesktop.secrets`` on the bus: we ask
the bus for ``NameOwnerChanged`` signals first, then whether the name has an
owner, and otherwise wait for the signal (jeepney, already a dependency of
``keyring``).  :meth:`SecretService.stop` terminates both daemons.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Final

from tests.helpers.xserver import STARTUP_TIMEOUT_S, child_environment, stop_process

SECRETS_NAME: Final = "org.freedesktop.secrets"
#: Password of the test's login keyring (it only ever exists in a temp folder).
KEYRING_PASSWORD: Final = "kobikom-test-keyring"

_BUS_CONFIG: Final = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SecretServiceError(RuntimeError):
    """The bus or the keyring daemon did not come up (the message says why)."""


def _wait_for_name(address: str, name: str, timeout: float) -> None:
    from jeepney import DBusAddress, MatchRule, new_method_call
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus=address) as conn:
        rule = MatchRule(type="signal", sender="org.freedesktop.DBus",
                         interface="org.freedesktop.DBus", member="NameOwnerChanged",
                         path="/org/freedesktop/DBus")
        rule.add_arg_condition(0, name)
        with conn.filter(rule) as changes:
            conn.send_and_get_reply(message_bus.AddMatch(rule))
            bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                              interface="org.freedesktop.DBus")
            reply = conn.send_and_get_reply(new_method_call(bus, "NameHasOwner", "s", (name,)))
            if reply.body[0]:
                return
            deadline = time.monotonic() + timeout
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SecretServiceError(f"nobody took {name} on the bus in {timeout:.0f} s")
                signal = conn.recv_until_filtered(changes, timeout=left)
                if signal.body[2]:  # the new owner
                    return


class SecretService:
    """``dbus-daemon`` + unlocked ``gnome-keyring-daemon``; see the module docstring."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.address = ""
        self.env: dict[str, str] = {}
        self._bus_pid: int | None = None
        self._keyring: subprocess.Popen[bytes] | None = None

    def start(self) -> SecretService:
        home = self.workdir / "home"
        runtime = self.workdir / "runtime"
        for path in (home, runtime, self.workdir / "bus"):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        config = self.workdir / "session.conf"
        config.write_text(_BUS_CONFIG.format(dir=self.workdir / "bus"), encoding="utf-8")
        try:
            done = subprocess.run(
                ["dbus-daemon", f"--config-file={config}", "--fork", "--nopidfile",
                 "--print-address=1", "--print-pid=1"],
                capture_output=True, text=True, timeout=STARTUP_TIMEOUT_S, check=False)
            lines = done.stdout.split()
            if done.returncode != 0 or len(lines) < 2:
                raise SecretServiceError(f"dbus-daemon failed ({done.returncode}): "
                                         f"{done.stderr.strip()}")
            self.address, self._bus_pid = lines[0], int(lines[1])
            self.env = child_environment()
            self.env.update(DBUS_SESSION_BUS_ADDRESS=self.address, HOME=str(home),
                            XDG_DATA_HOME=str(home / ".local" / "share"),
                            XDG_CONFIG_HOME=str(home / ".config"),
                            XDG_RUNTIME_DIR=str(runtime))
            with open(self.workdir / "gnome-keyring.log", "wb") as log:
                self._keyring = subprocess.Popen(
                    ["gnome-keyring-daemon", "--foreground", "--unlock",
                     "--components=secrets"],
                    env=self.env, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
            assert self._keyring.stdin is not None
            self._keyring.stdin.write(KEYRING_PASSWORD.encode())
            self._keyring.stdin.close()
            _wait_for_name(self.address, SECRETS_NAME, STARTUP_TIMEOUT_S)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_process(self._keyring)
        self._keyring = None
        if self._bus_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._bus_pid, signal.SIGTERM)
            self._bus_pid = None

"""``kobikom-desktop autostart on|off|status``: start at login, for this user.

The same switch as "Start at login" in Settings and the setup wizard
(:mod:`desktop.core.autostart`: XDG autostart, the Windows ``Run`` key, a
macOS launch agent).  ``status`` prints ``on`` or ``off`` and where the
entry lives.  Exit codes: 0 done, 4 the entry could not be changed (the
message says which file or key and why).
"""

from __future__ import annotations

import argparse

from desktop.cli.common import EXIT_OK, EXIT_SERVER, fail

COMMANDS = ("autostart",)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("autostart", help="start Kobikom Desktop at login: on, off or status",
                       description="Switch starting at login on or off for this user, or "
                                   "show whether it is on.")
    p.add_argument("action", choices=["on", "off", "status"])
    p.add_argument("--debug", action="store_true", help="verbose logging to stderr")


def run(args: argparse.Namespace) -> int:
    from desktop.core.autostart import AutostartError, for_this_system

    autostart = for_this_system()
    if args.action != "status":
        try:
            autostart.set(args.action == "on")
        except AutostartError as exc:
            return fail(EXIT_SERVER, str(exc))
    state = "on" if autostart.enabled() else "off"
    scope = " (installed for every user)" if autostart.machine_wide else ""
    print(f"{state}\t{autostart.where()}{scope}")
    return EXIT_OK

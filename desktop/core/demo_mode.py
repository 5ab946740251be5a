"""Demo mode: the simulator in-process, its account, and calls that ring by themselves.

In demo mode (``--demo`` or the tray's "Demo mode") the app talks to the
project's own simulator of Kobikom's services on free loopback ports, with
sample contacts, and the demo extension rings every so often.  The agent's
real keyring entries are never touched: the simulator's password and SMS
token live in a session-only :class:`~desktop.core.secrets.SecretStore`.

:class:`DemoMode` owns that simulator; the
:class:`~desktop.core.line_supervisor.LineSupervisor` runs the line against it
like against any server (the app calls :meth:`DemoMode.start` and
:meth:`DemoMode.stop` from the supervisor's serialised mode switch).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from desktop.core.directory import Directory
from desktop.core.secrets import SecretName, SecretStore
from desktop.core.settings import Settings
from desktop.core.tasks import cancel_and_wait
from desktop.pbx.connection import Flavor, Transport

log = logging.getLogger("kobikom.core.demo")

#: The demo extension and how soon the first demo call rings.
DEMO_EXTENSION: Final = "1001"
DEMO_FIRST_CALL_AFTER: Final = 3.0
#: Contacts of the demo directory the simulator's callers are drawn from.
KNOWN_CALLERS: Final = 40


class DemoMode:
    """The demo simulator and its account (see the module docstring)."""

    def __init__(self, contacts_csv: Path | None = None) -> None:
        self.contacts_csv = contacts_csv
        self.simulator: Any = None
        self.secrets = SecretStore(use_env=False, session_only=True)
        self._account = Settings().account
        self._server = Settings().server
        self._calls: asyncio.Task[None] | None = None
        self._team: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.simulator is not None

    async def start(self, directory: Directory) -> None:
        """Start the simulator (importing the sample contacts into an empty *directory*)."""
        from desktop.simulator import Simulator, SimulatorConfig

        if self.running:
            return
        if self.contacts_csv is not None and self.contacts_csv.exists() \
                and await asyncio.to_thread(directory.count) == 0:
            from desktop.core.contact_import import import_contacts

            report = await asyncio.to_thread(import_contacts, directory, self.contacts_csv)
            log.info("demo contacts imported: %d", report.added)
        known = await asyncio.to_thread(_directory_numbers, directory, KNOWN_CALLERS)
        from desktop.simulator.team import demo_config, run_team_demo

        # A team of twelve with three queues, whose day the team board shows.
        sim = Simulator(SimulatorConfig(flavor="bulut", known_callers=tuple(known),
                                        **demo_config()))
        await sim.start()
        self.simulator = sim
        self.secrets = SecretStore(use_env=False, session_only=True)
        self.secrets.set(SecretName.PASSWORD, sim.cfg.kobipbx_password, sim.cfg.kobipbx_user)
        self.secrets.set(SecretName.SMS_TOKEN, sim.cfg.sms_token)
        log.info("demo simulator on %s (tcp %d)", sim.http_base, sim.ports["tcp"])
        self._account = replace(Settings().account, flavor=Flavor.BULUT,
                                transport=Transport.TCP, extensions=[DEMO_EXTENSION],
                                domain_uuid=sim.cfg.domain_uuid, user=sim.cfg.kobipbx_user)
        self._server = replace(Settings().server, host="127.0.0.1", port=sim.ports["tcp"],
                               api_base=sim.http_base)
        self._calls = asyncio.get_running_loop().create_task(
            sim.run_demo(extension=DEMO_EXTENSION, first_after=DEMO_FIRST_CALL_AFTER),
            name="demo-calls")
        self._team = asyncio.get_running_loop().create_task(
            run_team_demo(sim, agent=DEMO_EXTENSION), name="demo-team")

    def overlay(self, settings: Settings) -> Settings:
        """The agent's settings with the simulator's account, servers and SMS service:
        the agent's popup, call, history and language choices apply in demo mode too,
        including ones saved while it runs."""
        sim = self.simulator
        assert sim is not None, "demo mode is not running"
        return replace(settings, account=self._account, server=self._server,
                       sms=replace(settings.sms, api="new", base=sim.http_base,
                                   sender=sim.cfg.sms_senders[0]))

    async def stop(self) -> None:
        for task in (self._calls, self._team):
            if task is not None and not task.done():
                await cancel_and_wait(task)
        self._calls = self._team = None
        sim, self.simulator = self.simulator, None
        if sim is not None:
            await sim.stop()


def _directory_numbers(directory: Directory, limit: int) -> list[str]:
    numbers: list[str] = []
    for contact in directory.iter_all():
        # The main number as a phone would send it: an extension is in no caller ID.
        numbers.extend(n.key if n.extension else n.raw for n in contact.numbers
                       if n.key.startswith("+90"))
        if len(numbers) >= limit:
            break
    return numbers[:limit]

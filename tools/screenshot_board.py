"""Render the team and queue board, live against the simulator, into PNGs.

    .venv/bin/python tools/screenshot_board.py                # English
    .venv/bin/python tools/screenshot_board.py --language tr  # tr-*.png

Starts the simulator in-process with the demo's team (twelve colleagues,
three queues; FreeSWITCH profile), runs the app's line supervisor against
it over loopback TCP with the board listening to its events, reads the
team over REST, drives states through the simulator (registrations, calls,
hold, agents on break, callers waiting, one giving up) and saves
``artifacts/board-colleagues.png``, ``artifacts/board-queues.png``,
``artifacts/board-search.png`` and ``artifacts/board-strip.png`` (``artifacts/``
is git-ignored), on Qt's offscreen platform unless ``DISPLAY`` is set.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARTIFACTS = ROOT / "artifacts"
PREFIX = ""


async def until(check: Any, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise TimeoutError("the board did not get there")
        await asyncio.sleep(0.05)


async def shoot() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.core.line_supervisor import LineSpec, LineSupervisor
    from desktop.core.settings import Settings
    from desktop.core.tasks import TaskSet
    from desktop.core.team_model import Presence
    from desktop.pbx.channels import Credentials
    from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
    from desktop.pbx.rest import KobiPbxSession
    from desktop.simulator import Simulator, SimulatorConfig
    from desktop.simulator.team import demo_config
    from desktop.ui.board_service import BoardService

    sim = Simulator(SimulatorConfig(seed_history=0, random_seed=5, **demo_config()))
    await sim.start()
    settings = Settings()
    settings.account.flavor = Flavor.BULUT
    settings.account.extensions = ["1001"]
    settings.account.domain_uuid = sim.cfg.domain_uuid
    session = KobiPbxSession(sim.cfg.kobipbx_user, sim.cfg.kobipbx_password,
                             base_url=sim.http_base)
    spec = LineSpec(mode="demo", flavor=Flavor.BULUT, transport=Transport.TCP,
                    endpoint=Endpoint("127.0.0.1", sim.ports["tcp"]),
                    credentials=Credentials(domain_uuid=sim.cfg.domain_uuid),
                    extensions=("1001",), domain=sim.cfg.domain_uuid)
    tasks = TaskSet("shots")
    dialled: list[str] = []

    async def resolve() -> Any:
        return spec

    async def rest() -> Any:
        return session

    contacts = {"05324121875": "Ayşe Yılmaz", "02163347190": "Yıldız Lojistik A.Ş."}
    board = BoardService(settings=lambda: settings, session=rest,
                         identity=lambda: ("demo",), line=lambda: supervisor.line,
                         tasks=tasks, dial=dialled.append, name_for=contacts.get)
    supervisor = LineSupervisor(resolve=resolve, stores=lambda: (None, None),
                                on_card=lambda card: None, on_state=board.line_state)
    supervisor.add_event_listener(board.feed)
    await supervisor.reconfigure("start")
    line = supervisor.line
    assert line is not None
    await until(lambda: line.state.phase is Phase.CONNECTED and
                any(c["authenticated"] for c in sim.connected_clients()))
    await until(lambda: board.board.directory.source == "kobipbx")

    switch, team = sim.switch, sim.switch.team
    for ext in sim.cfg.extensions:
        switch.register(ext, ext not in ("1009", "1011"))
    switch.set_agent_status("1004", "On Break", sim.cfg.queues[0])
    switch.set_agent_status("1007", "Logged Out", sim.cfg.queues[1])
    for ext, queue in (("1002", 0), ("1003", 0), ("1005", 1), ("1006", 1), ("1008", 2)):
        switch.set_agent_status(ext, "Available", sim.cfg.queues[queue])
    for ext, state in (("1002", "In a queue call"), ("1003", "In a queue call"),
                       ("1004", "Idle"), ("1005", "Receiving"), ("1008", "Waiting")):
        team.set_agent_state(ext, state)
    await sim.ring(extension="1002", caller="05324121875", answer_after=0.2)
    await sim.ring(extension="1003", caller="02163347190", answer_after=0.2,
                   hold_for=(0.3, 600))
    await sim.ring(extension="1005", caller="05427730516")
    await sim.ring(extension="1006", called="05551234567", direction="outbound",
                   answer_after=0.2)
    await sim.ring(extension="1008", caller="1010", called="1008", answer_after=0.2)
    team.wait("60000", "05321112233")
    team.wait("60000", "05337654321")
    team.wait("60001", "02124445566")
    gone = team.wait("60002", "05449998877")
    await asyncio.sleep(1.0)
    team.leave(gone.member)
    board.show()
    window = board.window
    view = board.board
    await until(lambda: view.colleague("1003") is not None and
                view.colleague("1003").presence is Presence.ON_HOLD and  # type: ignore[union-attr]
                len(view.waiting) == 3 and len(view.abandoned) == 1)
    await asyncio.sleep(2.2)  # durations tick
    board.flush()
    QApplication.processEvents()
    window.grab().save(str(ARTIFACTS / f"{PREFIX}board-colleagues.png"))
    window.search.setText("yıl" if PREFIX else "zey")
    QApplication.processEvents()
    window.grab().save(str(ARTIFACTS / f"{PREFIX}board-search.png"))
    window.search.clear()
    window.tabs.setCurrentIndex(1)
    window.queue_view.selectRow(0)
    QApplication.processEvents()
    window.grab().save(str(ARTIFACTS / f"{PREFIX}board-queues.png"))
    window.toggle_strip()
    await asyncio.sleep(0.3)
    QApplication.processEvents()
    window.strip.grab().save(str(ARTIFACTS / f"{PREFIX}board-strip.png"))
    window.toggle_strip()
    window.hide()
    await supervisor.close()
    await tasks.cancel_all()
    await session.aclose()
    await sim.stop()


def _set_prefix(prefix: str) -> None:
    global PREFIX
    PREFIX = prefix


def main() -> int:
    from qt_shots import run_shots

    return run_shots(__doc__.splitlines()[0], ARTIFACTS, shoot, _set_prefix)

if __name__ == "__main__":
    raise SystemExit(main())

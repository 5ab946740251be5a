"""Wiring of the team and queue board, its strip and the waiting-callers badge (issue 15 §1).

Part of the composition root (:mod:`desktop.app.application`).  One
connection: the board hears the line's events through the supervisor's
event listeners, so it never opens a second channel to the PBX.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.ui.tray import MenuSection, MessageKind

if TYPE_CHECKING:
    from desktop.app.application import Application
    from desktop.ui.board_service import BoardService


class BoardWiring:
    """The glue between the board and the rest of the app."""

    def __init__(self, app: Application) -> None:
        self.app = app

    def wire(self) -> BoardService:
        from desktop.ui.board_service import BoardService

        app = self.app
        c2c = app.click_to_call
        board = BoardService(
            settings=app.current_settings, session=app.rest_session,
            identity=lambda: (*app._session_identity(),
                              app.current_settings().account.domain_uuid),
            line=lambda: app.line, tasks=app.tasks,
            dial=(lambda number: c2c.dial(number, source="board")) if c2c else None,
            transfer=c2c.service.transfer if c2c else None,
            notify=lambda title, text: app._dial_notify(title, text, MessageKind.WARNING),
            name_for=app.contact_name, parent=app)
        # One connection: the board hears the line's events through the supervisor.
        app.supervisor.add_event_listener(board.feed)
        app.bridge.stateChanged.connect(board.line_state)
        app.bridge.cardChanged.connect(board.on_card)
        board.waitingChanged.connect(app.tray.set_waiting)  # the tray or its stand-in
        app.tray.add_action(board.board_action, MenuSection.WINDOWS)
        app.tray.add_action(board.strip_action, MenuSection.WINDOWS)
        return board

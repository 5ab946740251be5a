"""Wiring of the support bundle and the connection capture (issue 10 §3).

Part of the composition root (:mod:`desktop.app.application`): "Save support
bundle…" in the tray menu and the About box, and the line supervisor's hook
that records a new channel when the agent turned capture on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from desktop.core.settings import Settings
from desktop.ui.tray import MenuSection, MessageKind

if TYPE_CHECKING:
    from desktop.app.application import Application
    from desktop.core.line_supervisor import LineSpec
    from desktop.core.support_bundle import BundleSources
    from desktop.ui.support import SupportBundle

log = logging.getLogger("kobikom.app")


class SupportWiring:
    """The glue between the support bundle, the capture and the rest of the app."""

    def __init__(self, app: Application) -> None:
        self.app = app

    def wire(self) -> SupportBundle:
        from desktop.ui.support import SupportBundle

        app = self.app
        support = SupportBundle(
            self.sources, tasks=app.tasks, parent=app,
            notify=lambda title, text, ok: app.tray.show_message(
                title, text, MessageKind.INFO if ok else MessageKind.WARNING))
        app.tray.add_action(support.action, MenuSection.APP)
        return support

    def sources(self) -> BundleSources:
        """What goes into the bundle, as it is now."""
        from desktop.core.capture import app_capture_path
        from desktop.core.support_bundle import BundleSources
        from desktop.ui.support import qt_versions

        app = self.app
        line = app.line
        status: dict[str, Any] = {"demo": app.demo, "capture": app.settings.capture}
        if line is not None:
            status.update(connection=line.state.describe(), tracker=line.tracker.stats)
        return BundleSources(
            log_dir=app.paths.log_dir, config_file=app.config_path,
            capture_file=app_capture_path(app.paths),
            domain_uuid=app.current_settings().account.domain_uuid or None,
            versions=qt_versions(), status=status)

    def channel_taps(self, spec: LineSpec, on_state: Any) -> tuple[Any, dict[str, Any]]:
        """The supervisor's hook for a new channel: record it if the agent turned that on."""
        capture = self.start_capture(self.app.current_settings(), spec.credentials)
        if capture is None:
            return on_state, {}
        return capture.tap_state(on_state), {"on_frame": capture.frame}

    def start_capture(self, settings: Settings, credentials: Any) -> Any:
        """A recording of the channel about to open, if the agent turned it on."""
        if not settings.capture.enabled:
            return None
        from desktop.core.capture import app_capture_path, start_capture

        try:
            return start_capture(app_capture_path(self.app.paths), settings, credentials,
                                 keep_numbers=settings.capture.keep_numbers,
                                 total_mb=settings.capture.max_mb)
        except OSError as exc:
            log.warning("cannot record the PBX connection: %s", exc)
            return None

"""CRM screen-pop in the app: caller cards in, the CRM's page in the default browser out.

:class:`CrmBridge` holds a :class:`desktop.core.crm.ScreenPop` for the
current settings and opens its URLs with ``QDesktopServices.openUrl``: on
Linux that is ``xdg-open`` (or ``$BROWSER`` when there is no ``xdg-open``),
so the desktop's default browser, or whatever ``BROWSER`` names, gets the
page.  The popup's and the history's "Open in CRM" buttons call
:meth:`CrmBridge.open_card` / :meth:`CrmBridge.open_fields`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from desktop.core.caller_card import CallerCard
from desktop.core.crm import CrmFields, ScreenPop
from desktop.core.settings import CrmSettings
from desktop.core.templates import TemplateError

log = logging.getLogger("kobikom.ui.crm")


def open_in_browser(url: str) -> bool:
    """Hand *url* to the desktop's URL opener (False if it refused)."""
    ok = QDesktopServices.openUrl(QUrl(url, QUrl.ParsingMode.StrictMode))
    if not ok:
        log.warning("the desktop could not open the CRM page (no browser found?)")
    return bool(ok)


class CrmBridge(QObject):
    """The CRM page of calls, per the ``[crm]`` settings.

    Signals:
        enabledChanged(bool): a template is set (the "Open in CRM" buttons show).
        opened(str): a page was handed to the browser (the URL; tests).
    """

    enabledChanged = Signal(bool)
    opened = Signal(str)

    def __init__(self, settings: CrmSettings, *,
                 opener: Callable[[str], bool] = open_in_browser,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._opener = opener
        self._pop = self._make(settings)

    def _make(self, settings: CrmSettings) -> ScreenPop:
        try:
            return ScreenPop(settings.url, settings.open_on, self._open)
        except TemplateError as exc:  # the settings check should have caught it
            log.warning("CRM address not usable: %s", exc)
            return ScreenPop("", settings.open_on, self._open)

    @property
    def enabled(self) -> bool:
        return self._pop.enabled

    def apply(self, settings: CrmSettings) -> None:
        """New settings (the Settings dialog was saved)."""
        was = self.enabled
        self._pop = self._make(settings)
        if self.enabled != was:
            self.enabledChanged.emit(self.enabled)

    def on_card(self, card: CallerCard) -> None:
        """Every caller card (opens on ring or answer, once per call, as set)."""
        self._pop.on_card(card)

    def open_card(self, card: CallerCard) -> bool:
        """The popup's "Open in CRM" button."""
        return self._pop.open(CrmFields.from_card(card))

    def open_fields(self, fields: CrmFields) -> bool:
        """The history's "Open in CRM" button."""
        return self._pop.open(fields)

    def _open(self, url: str) -> None:
        self.opened.emit(url)
        self._opener(url)

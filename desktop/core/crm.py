"""CRM screen-pop: the CRM's page for the caller, from a URL template.

An administrator (or the agent) sets a template per account, e.g.::

    [crm]
    url = "https://crm.example.com/search?phone={e164}&name={name}&call={call_id}"
    open_on = "ring"        # "ring", "answer" or "click"

Variables (:data:`VARIABLES`) are replaced by the call's values, each
URL-encoded as a whole (``/``, ``&``, ``#``, spaces and Turkish letters
included), so a caller's name can never change the URL's structure:

=============  ==================================================================
``{number}``   the number as the PBX sent it (``05321234567``, ``1001``)
``{e164}``     international form (``+905321234567``); extensions as they are
``{national}`` Turkish national form with the trunk 0 (``05321234567``);
               foreign numbers in E.164, extensions as they are
``{international}`` ``+90 532 123 45 67``
``{name}``     the contact's name (local directory, LDAP or HTTP lookup), else
               the name the PBX sent, else empty
``{company}``  the contact's company, else empty
``{call_id}``  the PBX's call id
``{extension}`` the agent's extension the call is on
``{queue}``    the call-center queue, else empty
``{direction}`` ``inbound``, ``outbound``, ``local`` or ``unknown``
=============  ==================================================================

Only ``http`` and ``https`` templates are accepted, and the scheme and the
host must be written out (no variable before the path): the CRM's address is
fixed by whoever wrote the template, never by a caller.  Checked when the
settings are read and in the Settings dialog (:func:`check_template`).

:class:`ScreenPop` decides when a page opens: once per call (however many
legs and updates the call has), for incoming calls from a public number, on
ringing or on answer; with ``click`` only from the popup's and the
history's "Open in CRM" buttons.  When the template uses ``{name}`` or
``{company}`` and a remote directory lookup is still running for the call,
the page waits for its answer (the lookups have a strict time budget).
Opening the URL is the caller's business (the UI hands it to
``QDesktopServices``, i.e. ``xdg-open`` and ``$BROWSER`` on Linux).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from desktop.core.caller_card import CallerCard, CardState
from desktop.core.numbers import NumberKind, PhoneNumber
from desktop.core.settings import CrmOpenOn
from desktop.core.templates import (
    CRM_VARIABLES,
    TemplateError,
    check_url_template,
    fill_url,
    number_values,
    template_variables,
    url_host,
)

if TYPE_CHECKING:
    from desktop.core.journal import HistoryRow

log = logging.getLogger("kobikom.core.crm")

#: The template variables, in the order the documentation lists them.
VARIABLES: Final = CRM_VARIABLES
#: Calls remembered as "page already opened" (one per call; oldest forgotten first).
OPENED_MEMORY: Final = 500
#: Variables whose values may come late (from a remote directory lookup).
LATE_VARIABLES: Final = frozenset({"name", "company"})

__all__ = ["VARIABLES", "CrmFields", "CrmOpenOn", "ScreenPop", "TemplateError", "build_url",
           "check_template"]


@dataclass(frozen=True, slots=True)
class CrmFields:
    """The values a template can use, for one call."""

    number: str = ""
    e164: str = ""
    national: str = ""
    international: str = ""
    name: str = ""
    company: str = ""
    call_id: str = ""
    extension: str = ""
    queue: str = ""
    direction: str = ""

    @classmethod
    def for_number(cls, number: PhoneNumber | str, **values: str) -> CrmFields:
        """Fields of *number* (its forms) plus the other *values* given."""
        return cls(**number_values(number), **values)

    @classmethod
    def from_card(cls, card: CallerCard) -> CrmFields:
        return cls.for_number(
            card.number,
            name=card.name or card.pbx_name or "",
            company=card.company or "",
            call_id=card.call_id,
            extension=card.extension or "",
            queue=card.queue or "",
            direction=card.direction,
        )

    @classmethod
    def from_history(cls, row: HistoryRow, company: str = "") -> CrmFields:
        """A call of the history (its name as it was then)."""
        return cls.for_number(
            row.number_raw or row.number_key or "",
            name=row.contact_name or "",
            company=company,
            call_id=row.call_id,
            extension=row.extension or "",
            queue=row.queue or "",
            direction=row.direction,
        )

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in VARIABLES}


def check_template(template: str) -> str:
    """The CRM URL template stripped, or TemplateError (empty = no CRM)."""
    return check_url_template(template, VARIABLES, what="CRM address")


def build_url(template: str, fields: CrmFields | Mapping[str, str]) -> str:
    """*template* with every variable replaced by its URL-encoded value."""
    template = check_template(template)
    if not template:
        raise TemplateError("no CRM address is set")
    return fill_url(template, fields.as_dict() if isinstance(fields, CrmFields) else fields)


class ScreenPop:
    """Opens the CRM page of each call once, when the setting says.

    ``open_url`` receives the finished URL (the UI's opener).  Feed every
    caller card to :meth:`on_card`; :meth:`url_for` builds the URL for the
    buttons (which always open, whatever ``open_on`` says).
    """

    def __init__(self, template: str, open_on: CrmOpenOn,
                 open_url: Callable[[str], object]) -> None:
        self._template = check_template(template)
        self._variables = (template_variables(self._template, VARIABLES) if self._template
                           else frozenset())
        self.open_on = open_on
        self._open_url = open_url
        self._opened: OrderedDict[str, None] = OrderedDict()
        #: Pages opened by :meth:`on_card` (diagnostics and tests).
        self.opened = 0

    @property
    def enabled(self) -> bool:
        return bool(self._template)

    def url_for(self, fields: CrmFields) -> str | None:
        """The page for *fields*, or None when no template is set."""
        if not self._template:
            return None
        return build_url(self._template, fields)

    def open(self, fields: CrmFields) -> bool:
        """Open the page now (a button); False when no template is set."""
        url = self.url_for(fields)
        if url is None:
            return False
        if fields.call_id:
            self._remember(fields.call_id)
        log.info("CRM page opened on request (%s)", url_host(url))
        self._open_url(url)
        return True

    def on_card(self, card: CallerCard) -> bool:
        """Open the page if this card is the moment for it; True if it opened."""
        if card.replaces is not None and card.replaces in self._opened:
            self._remember(card.call_id)  # the synthetic call's page is this call's page
        if not self._due(card):
            return False
        self._remember(card.call_id)
        url = build_url(self._template, CrmFields.from_card(card))
        self.opened += 1
        log.info("CRM page opened for call %s on %s (%s)", card.call_id, card.state.value,
                 url_host(url))
        try:
            self._open_url(url)
        except Exception:
            log.exception("opening the CRM page failed")
        return True

    def _due(self, card: CallerCard) -> bool:
        if not self._template or self.open_on is CrmOpenOn.CLICK:
            return False
        if card.call_id in self._opened:
            return False
        if card.direction != "inbound" or card.number.kind is not NumberKind.EXTERNAL:
            return False  # own calls, colleagues and withheld numbers have no CRM page
        if card.lookup_pending and self._variables & LATE_VARIABLES:
            return False  # the name is on its way (a lookup within its time budget)
        if self.open_on is CrmOpenOn.RING:
            return card.state in (CardState.RINGING, CardState.ANSWERED, CardState.ON_HOLD)
        return card.state in (CardState.ANSWERED, CardState.ON_HOLD)

    def _remember(self, call_id: str) -> None:
        self._opened[call_id] = None
        self._opened.move_to_end(call_id)
        while len(self._opened) > OPENED_MEMORY:
            self._opened.popitem(last=False)

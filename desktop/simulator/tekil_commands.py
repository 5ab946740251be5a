"""Tekil Santral's WebSocket call commands, as the simulated switch answers them.

``originate`` rings ``internal_num`` as an outbound call to ``customer_num``
(the agent's phone first, as click to call does); ``redirect`` moves a live
or ringing call to ``exten``; ``hangup`` ends it.  The reply shape follows
the collection (``status``/``message``, the ``unique_id`` of the call, the
client's ``crm_id`` echoed); an unknown extension also gets its
``ExtensionStatus`` ``-1``.  Split from ``pbx.py``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from . import events as ev

if TYPE_CHECKING:
    from .pbx import Switch


async def tekil_command(switch: Switch, msg: dict[str, Any]) -> dict[str, Any]:
    """Carry out one command on *switch*; returns the reply to send."""
    name = str(msg.get("command") or msg.get("cmd") or "").lower()
    reply: dict[str, Any] = {"type": "response", "command": name}

    def result(ok: bool, message: str, unique_id: str | None = None) -> dict[str, Any]:
        reply.update(status="success" if ok else "error", message=message)
        if unique_id is not None:
            reply["unique_id"] = unique_id
        if "crm_id" in msg:
            reply["crm_id"] = msg["crm_id"]
        return reply

    if name == "originate":
        ext = str(msg.get("internal_num") or "")
        number = str(msg.get("customer_num") or "")
        if ext not in switch.registered:
            switch.emit(switch.events.extension_status(ext, ev.EXT_NOT_FOUND))
            return result(False, "Dahili bulunamadı")
        if not number:
            return result(False, "customer_num zorunludur")
        placed = switch.ring(extension=ext, called=number, direction="outbound",
                             answer_after=switch.cfg.dial_answer_after,
                             hangup_after=switch.cfg.dial_hangup_after,
                             deferred=True, origin="c2c")
        return result(True, "Arama başlatıldı", placed.call_id)
    call = switch.calls.get(str(msg.get("unique_id") or ""))
    if call is None:
        return result(False, "Çağrı bulunamadı", str(msg.get("unique_id") or ""))
    if name == "redirect":
        ext = str(msg.get("exten") or "")
        if ext not in switch.registered:
            switch.emit(switch.events.extension_status(ext, ev.EXT_NOT_FOUND))
            return result(False, "Dahili bulunamadı", call.call_id)
        asyncio.get_running_loop().call_soon(switch.redirect, call, ext)
        return result(True, "Çağrı yönlendirildi", call.call_id)
    asyncio.get_running_loop().call_soon(switch.end, call, "NORMAL_CLEARING")
    return result(True, "Çağrı sonlandırıldı", call.call_id)

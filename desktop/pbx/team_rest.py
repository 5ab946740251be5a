"""REST reads for the team and queue board: the domain's extensions and queues.

Kept out of :mod:`desktop.pbx.rest` (already large) as plain functions over
its sessions:

* KobiPBX: ``GET /api/v1/list-user-callcenters/{domain_uuid}`` (digest §5.5):
  a bare array of ``{call_center_queue_uuid, queue_name, queue_extension}``.
  The extensions (with names and call-center agents) come from
  :meth:`~desktop.pbx.rest.KobiPbxSession.list_user_extensions` (§5.4).
  Tolerated, since the documented shapes already disagree elsewhere: the
  array wrapped as ``{"success": true, "data": [...]}`` or ``{"data": [...]}``.
* Tekil: ``GET /getCentralData/extension;queue`` (§8.2): several modules in
  one request, ``;``-separated, answered as an object keyed by module.  PHP
  encodes an empty module as ``[]`` instead of ``{}``; both are accepted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from desktop.pbx.errors import ServerError
from desktop.pbx.rest import KobiPbxSession, TekilSession


def _shape_error(service: str, what: str, body: Any, expected: str) -> ServerError:
    return ServerError(f"{service} {what}: unexpected answer (expected {expected}, got "
                       f"{type(body).__name__})", may_have_reached_server=True)


async def list_user_callcenters(session: KobiPbxSession,
                                domain_uuid: str) -> list[dict[str, Any]]:
    """The domain's call-center queues (each a dict as sent)."""
    what = "GET /api/v1/list-user-callcenters/<domain>"
    body = await session.request_json(
        "GET", f"/api/v1/list-user-callcenters/{quote(domain_uuid, safe='')}",
        idempotent=True)
    if isinstance(body, Mapping) and isinstance(body.get("data"), list):
        if body.get("success") is False:
            raise ServerError(f"{session.service} {what}: failed", may_have_reached_server=True)
        body = body["data"]
    if not isinstance(body, list):
        raise _shape_error(session.service, what, body, "a list of queues")
    return [dict(item) for item in body if isinstance(item, Mapping)]


def _module(body: Mapping[str, Any], name: str, what: str,
            service: str) -> dict[str, dict[str, Any]]:
    value = body.get(name)
    if value is None or (isinstance(value, list) and not value):
        return {}
    if isinstance(value, list):
        value = {str(i): item for i, item in enumerate(value)}
    if not isinstance(value, Mapping):
        raise _shape_error(service, what, value, f"an object of {name} entries")
    return {str(key): dict(item) for key, item in value.items() if isinstance(item, Mapping)}


async def central_data(session: TekilSession,
                       modules: Sequence[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """``getCentralData`` for *modules*: module -> its entries keyed as sent."""
    path = "/getCentralData/" + ";".join(modules)
    what = f"GET {path}"
    body = await session.request_json("GET", path, idempotent=True)
    if not isinstance(body, Mapping) or not any(m in body for m in modules):
        raise _shape_error(session.service, what, body,
                           "an object with " + " or ".join(repr(m) for m in modules))
    return {module: _module(body, module, what, session.service) for module in modules}

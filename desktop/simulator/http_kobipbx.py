"""KobiPBX (Bulut Santral) REST API (``https://api.kobipbx.com/api/v1/…``).

=============================================  =========================================
``POST /api/v1/login`` (JSON email, password)  ``{"message":"User logged in
                                               successfully","token":{"token":"<n>|<48>",
                                               "user":{name,email,created_at,updated_at}}}``
``POST /api/v1/clicktocall``                   rings ``extensionNumber`` (outbound)
``GET /api/v1/vcdrs/{domain}``                 paginated CDRs (``page``, ``perPage``=15)
``GET /api/v1/list-user-extension/{domain}``   extensions, voicemail, agents, queues
``GET /api/v1/list-user-callcenters/{domain}``  the domain's queues (bare array)
=============================================  =========================================

All but ``login`` need ``Authorization: Bearer <token>``; otherwise 401
``{"status":"error","message":"Token geçersiz veya eksik","errorCode":401}``
(the body documented for mask-call, which says it applies to a missing or
expired token).

Undocumented, and what we chose (errors use the documented mask-call error
shape ``{"status":"error","message":…,"errorCode":N}``):

* Failed login: 401 ``"E-posta veya şifre hatalı"``.
* ``clicktocall`` response: the shape of the documented sibling
  ``click-to-call-between-numbers``: ``{"result":true,"message":
  "Click-to-call oturumu başarıyla başlatıldı","data":{"call_uuid":…}}``;
  in the simulator ``call_uuid`` equals the ``callUUID`` of the events.
  Missing field: 400 ``"<field> alanı zorunludur"``; unknown extension or
  another domain: 404 ``"Dahili bulunamadı"`` / ``"Domain bulunamadı"``.
* ``vcdrs`` with no matching record: 404 ``"Kayıt bulunamadı"`` (404 is
  documented, the body is not); unknown domain: 404 ``"Domain bulunamadı"``.
  Pagination links point at the simulator's own base URL.
* ``list-user-extension``: the documented wrapped shape
  ``{"success":true,"data":{"extensions","call_center_queue","ivr_menus"}}``
  by default; ``list_extension_shape="unwrapped"`` serves the saved
  example's shape (no wrapper, no ``ivr_menus``).  ``call_center_agent_uuid``
  is the id the agent events carry in ``agent`` (``agent_id_style="uuid"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .auth import bearer_from
from .events import iso_micro, stable_uuid
from .http_common import family_unauthorized, laravel_json, request_json
from .records import vcdrs_filter, vcdrs_page

if TYPE_CHECKING:
    from .simulator import Simulator


def _error(status: int, message: str) -> web.Response:
    return laravel_json({"status": "error", "message": message, "errorCode": status},
                        status=status)


class KobiPbxApi:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.cfg = sim.cfg
        self.created = sim.started_at - 86400 * 40

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/api/v1/login", self.login),
            web.post("/api/v1/clicktocall", self.clicktocall),
            web.get("/api/v1/vcdrs/{domain}", self.vcdrs),
            web.get("/api/v1/list-user-extension/{domain}", self.list_extensions),
            web.get("/api/v1/list-user-callcenters/{domain}", self.list_callcenters),
        ]

    def _ok(self, request: web.Request) -> bool:
        return self.sim.authority.check_bearer(bearer_from(request.headers.get("Authorization")))

    async def login(self, request: web.Request) -> web.Response:
        body = await request_json(request)
        body = body if isinstance(body, dict) else {}
        if body.get("email") != self.cfg.kobipbx_user or \
                body.get("password") != self.cfg.kobipbx_password:
            return _error(401, "E-posta veya şifre hatalı")
        stamp = iso_micro(self.created)
        return laravel_json({
            "message": "User logged in successfully",
            "token": {
                "token": self.sim.authority.issue_bearer(),
                "user": {"name": "DEMO SANTRAL", "email": self.cfg.kobipbx_user,
                         "created_at": stamp, "updated_at": stamp},
            },
        })

    async def clicktocall(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        body = await request_json(request)
        body = body if isinstance(body, dict) else {}
        for key in ("extensionNumber", "destinationNumber", "domainUuid"):
            if not str(body.get(key) or "").strip():
                return _error(400, f"{key} alanı zorunludur")
        if body["domainUuid"] != self.cfg.domain_uuid:
            return _error(404, "Domain bulunamadı")
        extension = str(body["extensionNumber"])
        if extension not in self.cfg.extensions:
            return _error(404, "Dahili bulunamadı")
        call = self.sim.dial(extension, str(body["destinationNumber"]), kind="outbound")
        return laravel_json({"result": True,
                             "message": "Click-to-call oturumu başarıyla başlatıldı",
                             "data": {"call_uuid": call.uuid}})

    async def vcdrs(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        domain = request.match_info["domain"]
        if domain != self.cfg.domain_uuid:
            return _error(404, "Domain bulunamadı")
        records = vcdrs_filter(self.sim.cdr, request.query)
        if not records:
            return _error(404, "Kayıt bulunamadı")
        try:
            page = int(request.query.get("page", "1"))
            per_page = int(request.query.get("perPage", "15"))
        except ValueError:
            return _error(400, "page ve perPage sayı olmalıdır")
        per_page = max(1, min(per_page, 500))
        base = f"{self.sim.http_base}/api/v1/vcdrs/{domain}"
        return laravel_json(vcdrs_page(records, page=page, per_page=per_page, base_url=base))

    def _queues(self) -> list[dict[str, Any]]:
        return [{"call_center_queue_uuid": stable_uuid(self.cfg.domain_uuid, "queue", q.extension),
                 "queue_name": q.name, "queue_extension": q.extension} for q in self.cfg.queues]

    async def list_extensions(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        if request.match_info["domain"] != self.cfg.domain_uuid:
            return _error(404, "Domain bulunamadı")
        extensions = []
        for index, ext in enumerate(self.cfg.extensions):
            name = self.cfg.extension_names.get(ext)
            first, _, last = (name or "").partition(" ")
            extensions.append({
                "extension": {
                    "extension_uuid": stable_uuid(self.cfg.domain_uuid, "extension", ext),
                    "extension": ext,
                    "effective_caller_id_name": name,
                    "effective_caller_id_number": None,
                    "outbound_caller_id_name": name,
                    "outbound_caller_id_number": None,
                    "directory_first_name": first or None,
                    "directory_last_name": last or None,
                    "forward_all_destination": None,
                    "forward_all_enabled": "false",
                    "forward_busy_destination": None,
                },
                "voicemail": {
                    "voicemail_uuid": stable_uuid(self.cfg.domain_uuid, "voicemail", ext),
                    "voicemail_id": ext,
                    "voicemail_password": f"{index + 1:02d}{int(ext) % 10000:04d}91"
                    if ext.isdigit() else "1234",
                    "voicemail_mail_to": None,
                },
                "call_center_agent": {
                    "call_center_agent_uuid": stable_uuid(self.cfg.domain_uuid, "agent", ext),
                    "agent_name": ext,
                    "agent_email": f"user/{ext}@{self.cfg.sip_domain}",
                    "agent_status": self.sim.switch.agent_status.get(ext, "Available"),
                },
            })
        if self.cfg.list_extension_shape == "unwrapped":
            return laravel_json({"extensions": extensions, "call_center_queue": self._queues()})
        ivr = [{"ivr_menu_uuid": stable_uuid(self.cfg.domain_uuid, "ivr", "50000"),
                "ivr_menu_name": "GIRIS-IVR", "ivr_menu_extension": "50000"}]
        return laravel_json({"success": True, "data": {
            "extensions": extensions, "call_center_queue": self._queues(), "ivr_menus": ivr}})

    async def list_callcenters(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        if request.match_info["domain"] != self.cfg.domain_uuid:
            return _error(404, "Domain bulunamadı")
        return laravel_json(self._queues())

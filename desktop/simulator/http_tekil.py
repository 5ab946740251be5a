"""Tekil Santral panel REST API (``panelapi.kobikom.com.tr``).

Endpoints, paths and field names as in the collection (digest §2.1, §3.1,
§4.1-4.7, §5.1-5.3, §6, §8.2):

=================================================  ==================================
``POST /login`` (form ``usermail``, ``userpass``)  ``{"status":1,"message":"giris
                                                   basarili","token":<JWT>}``
``POST /central/dial`` (form ``extension``,        ``{"result":true,"message":"Arama
``number``)                                        Başladı"}`` and the extension rings
``GET /getcdr`` / ``GET /v1/getcdr``               CDR rows (``uniqueid`` / ``uniqueId``)
``GET /getCDRFromUniqueID/{id}``                   the call's rows, no id field
``GET /v1/getCDRFromUniqueID/{id}`` (+ ``/test/``)  all legs, with ``uniqueId``
``GET /missedcalls``                               calldate, src, queue, duration
``GET /downloadRecording?name=&i=&a=<JWT>``        the WAV49 sample
``GET /central/getQRCode/{ext}``, ``…Zoiper/…``    base64 PNG text
``GET /getGroupList``, ``POST /createContact``     phonebook groups / add a contact
``GET /contacts/export/{token}``                   Yealink XML phonebook
``GET /getCentralData/{m1;m2;…}``                  PBX settings by module
=================================================  ==================================

Every endpoint except ``/login`` needs ``Authorization: Bearer <JWT>`` (a
JWT from ``/login`` that has not expired and was not revoked by
``expire_tokens()``); ``downloadRecording`` accepts it in ``a`` instead, and
``contacts/export`` takes it as the path segment.

Undocumented, and what we chose:

* Failed login: HTTP 200 ``{"status":0,"message":"giris basarisiz"}``
  (PHP-panel style: the verdict is in ``status``, like the success's
  ``status: 1``).
* Missing/expired/invalid JWT: HTTP 401 ``{"status":0,"message":"Yetkisiz
  erişim: token geçersiz veya süresi dolmuş"}`` (text/html like the rest).
* ``/central/dial`` failures: HTTP 200 ``{"result":false,"message":
  "Dahili bulunamadı"}`` (unknown extension) / ``"Numara boş olamaz"``.
  The dialled call is an outbound call whose CDR recording uses the
  ``force-<number>-<extension>-…`` prefix seen in the collection.
* ``/test/{id}`` (the collection's request path for the V2 view) is served
  as an alias of ``/v1/getCDRFromUniqueID/{id}`` (its saved example's path).
* Unknown call id: ``[]``.  Unknown recording path: 404 ``Dosya bulunamadı``.
  QR for an unknown extension: 404 ``Dahili bulunamadı``.
* ``createContact`` with an unknown group: ``{"status":false,"message":
  {"command":"createContact","isSuccess":false,"message":"Group not found"}}``.
* ``getCentralData``: the ``extension`` module is keyed by an internal id
  that is *not* the extension number (the collection's quirk: key ``"110"``
  for extension ``"101000"``); ``central`` is always added; ``queue``,
  ``ivr`` and ``timeinfo`` are simulated with the collection's field set;
  other documented modules (``inbound``, ``sound``, ``ringgroups``,
  ``miscdestination``) answer ``[]``; unknown module names are ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import assets
from .auth import bearer_from
from .http_common import (
    APPLICATION_JSON,
    TEXT_HTML,
    family_unauthorized,
    php_json,
    request_fields,
)
from .records import tekil_cdr, tekil_missed, tekil_rows
from .tekil_settings import central_data

if TYPE_CHECKING:
    from .simulator import Simulator


class TekilPanel:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.cfg = sim.cfg

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/login", self.login),
            web.post("/central/dial", self.dial),
            web.get("/getcdr", self.getcdr),
            web.get("/v1/getcdr", self.getcdr_v1),
            web.get("/getCDRFromUniqueID/{id}", self.cdr_by_id),
            web.get("/v1/getCDRFromUniqueID/{id}", self.cdr_by_id_v1),
            web.get("/test/{id}", self.cdr_by_id_v1),
            web.get("/missedcalls", self.missed),
            web.get("/downloadRecording", self.download),
            web.get("/central/getQRCode/{extension}", self.qr_grandstream),
            web.get("/central/getQRCodeZoiper/{extension}", self.qr_zoiper),
            web.get("/getGroupList", self.groups),
            web.post("/createContact", self.create_contact),
            web.get("/contacts/export/{token}", self.export_contacts),
            web.get("/getCentralData/{modules}", self.central_data),
        ]

    def _ok(self, request: web.Request) -> bool:
        return self.sim.authority.check_jwt(bearer_from(request.headers.get("Authorization")))

    # ------------------------------------------------------------ auth

    async def login(self, request: web.Request) -> web.Response:
        fields = await request_fields(request)
        if (fields.get("usermail") == self.cfg.panel_user
                and fields.get("userpass") == self.cfg.panel_password):
            token = self.sim.authority.issue_jwt(self.cfg.panel_user)
            return php_json({"status": 1, "message": "giris basarili", "token": token})
        return php_json({"status": 0, "message": "giris basarisiz"})

    # ------------------------------------------------------------ calls

    async def dial(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        fields = await request_fields(request)
        extension = fields.get("extension", "").strip()
        number = fields.get("number", "").strip()
        if extension not in self.cfg.extensions:
            return php_json({"result": False, "message": "Dahili bulunamadı"})
        if not number:
            return php_json({"result": False, "message": "Numara boş olamaz"})
        self.sim.dial(extension, number, kind="dial")
        return php_json({"result": True, "message": "Arama Başladı"})

    async def getcdr(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        rows = tekil_cdr(self.sim.cdr, request.query, self.cfg.tenant_code)
        for row in rows:
            row["uniqueid"] = row.pop("uniqueId")
        return php_json(rows)

    async def getcdr_v1(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        return php_json(tekil_cdr(self.sim.cdr, request.query, self.cfg.tenant_code))

    def _rows_of(self, call_id: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for record in self.sim.cdr:
            if call_id in (record["unique_id"], record["call_id"]):
                rows += tekil_rows(record, self.cfg.tenant_code)
        rows.sort(key=lambda row: row["calldate"], reverse=True)
        return rows

    async def cdr_by_id(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        rows = self._rows_of(request.match_info["id"])
        for row in rows:
            del row["uniqueId"]
        return php_json(rows)

    async def cdr_by_id_v1(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        return php_json(self._rows_of(request.match_info["id"]), content_type=APPLICATION_JSON)

    async def missed(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        return php_json(tekil_missed(self.sim.cdr, request.query))

    async def download(self, request: web.Request) -> web.Response:
        token = request.query.get("a") or bearer_from(request.headers.get("Authorization"))
        if not self.sim.authority.check_jwt(token):
            return family_unauthorized(request.path)
        path = request.query.get("i", "")
        known = {record.get("recording") for record in self.sim.cdr}
        if not path or path not in known:
            return web.Response(status=404, text="Dosya bulunamadı", content_type="text/html",
                                charset="utf-8")
        return web.Response(body=assets.recording_bytes(), headers={
            "Content-Type": "application/octet-stream",
            # The quirk, as observed: an unquoted *path* as the filename.
            "Content-Disposition": f"attachment; filename={path}",
        })

    # ------------------------------------------------------------ QR

    async def _qr(self, request: web.Request, app: str) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        extension = request.match_info["extension"]
        if extension not in self.cfg.extensions:
            return web.Response(status=404, text="Dahili bulunamadı", content_type="text/html",
                                charset="utf-8")
        body = assets.qr_base64(assets.qr_payload(self.cfg, app, extension))
        response = web.Response(body=body.encode("ascii"), headers={"Content-Type": TEXT_HTML})
        response.enable_compression()
        return response

    async def qr_grandstream(self, request: web.Request) -> web.Response:
        return await self._qr(request, "grandstream")

    async def qr_zoiper(self, request: web.Request) -> web.Response:
        return await self._qr(request, "zoiper")

    # ------------------------------------------------------------ phonebook

    async def groups(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        out = []
        for group in self.sim.groups:
            count = sum(1 for c in self.sim.contacts if c.get("grup") == group["id"])
            out.append({**group, "totalContact": str(count)})
        return php_json(out)

    async def create_contact(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        fields = await request_fields(request)
        headers = {"Cache-Control": "no-transform,public,max-age=300,s-maxage=900",
                   "Status": "OK"}
        group_ids = {g["id"] for g in self.sim.groups}
        ok = fields.get("grup") in group_ids and bool(fields.get("telefon"))
        if ok:
            contact = {key: fields.get(key, "") for key in
                       ("firma", "ad", "soyad", "telefon", "eposta", "diger", "tur", "grup")}
            self.sim.contacts.append(contact)
        message = {"command": "createContact", "isSuccess": ok,
                   "message": "Contact is created" if ok else (
                       "Group not found" if fields.get("grup") not in group_ids
                       else "Phone is required")}
        return php_json({"status": ok, "message": message}, content_type=APPLICATION_JSON,
                        headers=headers, gzip=False)

    async def export_contacts(self, request: web.Request) -> web.Response:
        if not self.sim.authority.check_jwt(request.match_info["token"]):
            return family_unauthorized(request.path)
        return web.Response(text=assets.phonebook_xml(self.sim.contacts),
                            content_type="text/xml", charset="utf-8")

    # ------------------------------------------------------------ settings

    async def central_data(self, request: web.Request) -> web.Response:
        if not self._ok(request):
            return family_unauthorized(request.path)
        modules = [m.strip() for m in request.match_info["modules"].split(";") if m.strip()]
        return php_json(central_data(self.cfg, modules))

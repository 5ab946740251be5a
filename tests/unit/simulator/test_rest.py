"""The REST services behave like the collection, agree with the event channels, and fail on cue."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
import struct
import time

import aiohttp
import pytest
import soundfile
import zxingcpp

from desktop.simulator import assets

from . import png
from .clients import tcp_login


async def _tekil_token(http, sim) -> str:
    async with http.post(f"{sim.http_base}/login", data={
            "usermail": sim.cfg.panel_user, "userpass": sim.cfg.panel_password}) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "text/html; charset=UTF-8"
        body = json.loads(await resp.text())
    assert body["status"] == 1
    assert body["message"] == "giris basarili"
    return body["token"]


async def _bearer(http, sim) -> str:
    async with http.post(f"{sim.http_base}/api/v1/login", json={
            "email": sim.cfg.kobipbx_user, "password": sim.cfg.kobipbx_password}) as resp:
        assert resp.status == 200
        return (await resp.json())["token"]["token"]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _get_json(http, url, **kwargs):
    async with http.get(url, **kwargs) as resp:
        return resp.status, json.loads(await resp.text()), resp.headers


# ---------------------------------------------------------------- Tekil panel


async def test_tekil_login_issues_a_jwt_with_an_expiry(make_sim, http):
    sim = await make_sim(flavor="tekil", token_ttl=120)
    token = await _tekil_token(http, sim)
    header, payload, _signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert json.loads(base64.urlsafe_b64decode(header + "==="))["alg"] == "HS256"
    assert abs(claims["exp"] - (time.time() + 120)) < 5
    assert sim.cfg.panel_password not in token
    async with http.post(f"{sim.http_base}/login",
                         data={"usermail": sim.cfg.panel_user, "userpass": "wrong"}) as resp:
        assert resp.status == 200
        assert json.loads(await resp.text()) == {"status": 0, "message": "giris basarisiz"}


async def test_tekil_endpoints_need_a_valid_jwt(make_sim, http):
    sim = await make_sim(flavor="tekil", token_ttl=1)
    status, body, _ = await _get_json(http, f"{sim.http_base}/getGroupList")
    assert status == 401
    assert body["status"] == 0
    token = await _tekil_token(http, sim)
    status, _, _ = await _get_json(http, f"{sim.http_base}/getGroupList", headers=_auth(token))
    assert status == 200
    await asyncio.sleep(1.2)
    status, _, _ = await _get_json(http, f"{sim.http_base}/getGroupList", headers=_auth(token))
    assert status == 401


async def test_expire_tokens_revokes_every_token(make_sim, http):
    sim = await make_sim(flavor="bulut")
    jwt, bearer = await _tekil_token(http, sim), await _bearer(http, sim)
    sim.expire_tokens()
    status, _, _ = await _get_json(http, f"{sim.http_base}/getGroupList", headers=_auth(jwt))
    assert status == 401
    status, body, _ = await _get_json(
        http, f"{sim.http_base}/api/v1/list-user-callcenters/{sim.cfg.domain_uuid}",
        headers=_auth(bearer))
    assert status == 401
    assert body == {"status": "error", "message": "Token geçersiz veya eksik", "errorCode": 401}


async def test_central_dial_rings_the_extension_as_an_outbound_call(make_sim, http):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    token = await _tekil_token(http, sim)
    async with http.post(f"{sim.http_base}/central/dial", headers=_auth(token),
                         data={"extension": "1002", "number": "02163347190"}) as resp:
        assert resp.headers["Content-Type"] == "text/html; charset=UTF-8"
        assert json.loads(await resp.text()) == {"result": True, "message": "Arama Başladı"}
    ringing = await client.expect(lambda m: m.get("event") == "ringing")
    assert (ringing["extension"], ringing["callerNumber"], ringing["calledNumber"]) == (
        "1002", "1002", "02163347190")
    answered = await client.expect(lambda m: m.get("event") == "answered", 5)
    assert answered["direction"] == "outbound"
    async with http.post(f"{sim.http_base}/central/dial", headers=_auth(token),
                         data={"extension": "1999", "number": "02163347190"}) as resp:
        assert json.loads(await resp.text())["result"] is False
    await client.close()


async def test_cdr_endpoints_agree_with_the_event_channels(make_sim, http):
    sim = await make_sim(flavor="tekil")
    token = await _tekil_token(http, sim)
    answered = await sim.ring(extension="1001", caller="05324118027", queue="60000",
                              other_extensions=("1002",), answer_after=0.05, hangup_after=0.05)
    missed = await sim.ring(extension="1003", caller="02242219854", hangup_after=0.05)
    await sim.wait_call_end(answered)
    await sim.wait_call_end(missed)
    status, rows, headers = await _get_json(
        http, f"{sim.http_base}/getcdr", headers=_auth(token),
        params={"dateStart": "2020-1-1", "dateEnd": "2099-12-31", "timeStart": "00:00:00",
                "timeEnd": "23:59:00", "type": "0", "exclude": "true"})
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=UTF-8"
    assert {r["uniqueid"] for r in rows} == {answered, missed}
    queue_rows = [r for r in rows if r["uniqueid"] == answered]
    assert [r["queue"] for r in queue_rows].count("ext-queues") == 1
    assert {r["dst"] for r in queue_rows} == {"60000", "1001", "1002"}
    assert {(r["dst"], r["dispositionn"], r["disposition"]) for r in queue_rows
            if r["queue"] == "from-internal"} == {("1001", "ANSWERED", "CEVAPLANDI"),
                                                  ("1002", "NO ANSWER", "CEVAPSIZ")}
    assert all(re.match(r"^\d\d:\d\d:\d\d$", r["duration"]) for r in rows)
    assert [r["calldate"] for r in rows] == sorted((r["calldate"] for r in rows), reverse=True)
    assert queue_rows[0]["recording"].endswith(f"-{answered}.WAV")
    assert queue_rows[0]["recording"].split("/")[3].startswith("q-60000-05324118027-")
    _, v1, _ = await _get_json(http, f"{sim.http_base}/v1/getcdr", headers=_auth(token))
    assert {r["uniqueId"] for r in v1} == {answered, missed}
    assert "uniqueid" not in v1[0]
    _, incoming, _ = await _get_json(http, f"{sim.http_base}/getcdr", headers=_auth(token),
                                     params={"type": "1"})
    assert incoming == []
    _, one, _ = await _get_json(http, f"{sim.http_base}/getCDRFromUniqueID/{answered}",
                                headers=_auth(token))
    assert len(one) == 3
    assert all("uniqueid" not in r and "uniqueId" not in r for r in one)
    _, legs, headers = await _get_json(
        http, f"{sim.http_base}/v1/getCDRFromUniqueID/{answered}", headers=_auth(token))
    assert headers["Content-Type"] == "application/json"
    assert len(legs) == 3
    assert {r["uniqueId"] for r in legs} == {answered}
    _, missed_rows, _ = await _get_json(http, f"{sim.http_base}/missedcalls",
                                        headers=_auth(token))
    assert [set(r) for r in missed_rows] == [{"calldate", "src", "queue", "duration"}]
    assert missed_rows[0]["src"] == "02242219854"


async def test_download_recording_is_a_real_gsm610_wav(make_sim, http):
    sim = await make_sim(flavor="tekil")
    token = await _tekil_token(http, sim)
    call_id = await sim.ring(extension="1001", caller="05058862241", answer_after=0.05,
                             hangup_after=0.05)
    await sim.wait_call_end(call_id)
    path = sim.cdr[-1]["recording"]
    async with http.get(f"{sim.http_base}/downloadRecording",
                        params={"name": "recording.WAV", "i": path, "a": token}) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/octet-stream"
        assert resp.headers["Content-Disposition"] == f"attachment; filename={path}"
        data = await resp.read()
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WAVE"
    fmt = data.index(b"fmt ")
    tag, channels, rate, byte_rate, align = struct.unpack("<HHIIH", data[fmt + 8:fmt + 22])
    assert (tag, channels, rate, byte_rate, align) == (0x31, 1, 8000, 1625, 65)
    assert b"fact" in data[:80]
    info = soundfile.info(io.BytesIO(data))
    assert info.subtype == "GSM610"
    assert info.samplerate == 8000
    samples, _ = soundfile.read(io.BytesIO(data))
    assert len(samples) / 8000 == pytest.approx(6.0, abs=0.05)
    assert abs(samples).max() > 0.1  # not silence
    async with http.get(f"{sim.http_base}/downloadRecording",
                        params={"i": path, "a": "not-a-token"}) as resp:
        assert resp.status == 401
    async with http.get(f"{sim.http_base}/downloadRecording",
                        params={"i": "2020/01/01/nope.WAV", "a": token}) as resp:
        assert resp.status == 404


@pytest.mark.parametrize(("route", "app"), [("getQRCode", "grandstream"),
                                            ("getQRCodeZoiper", "zoiper")])
async def test_qr_codes_are_base64_pngs_that_decode_to_the_payload(make_sim, http, route, app):
    sim = await make_sim(flavor="tekil")
    token = await _tekil_token(http, sim)
    async with http.get(f"{sim.http_base}/central/{route}/1002", headers=_auth(token)) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "text/html; charset=UTF-8"
        text = await resp.text()
    assert text.startswith("iVBORw0KGgo")
    assert not text.startswith("data:")
    image = png.decode(base64.b64decode(text, validate=True))
    assert image.shape == (200, 200)
    barcodes = zxingcpp.read_barcodes(image)
    assert len(barcodes) == 1
    payload = barcodes[0].text
    assert payload == assets.qr_payload(sim.cfg, app, "1002")
    assert "1002" in payload
    assert sim.cfg.sip_domain in payload
    async with http.get(f"{sim.http_base}/central/{route}/9999", headers=_auth(token)) as resp:
        assert resp.status == 404


async def test_phonebook_groups_contacts_and_export(make_sim, http):
    sim = await make_sim(flavor="tekil")
    token = await _tekil_token(http, sim)
    _, groups, _ = await _get_json(http, f"{sim.http_base}/getGroupList", headers=_auth(token))
    assert all(isinstance(g["totalContact"], str) for g in groups)
    group = groups[0]
    form = {"firma": "Anadolu Kırtasiye", "ad": "Gökhan", "soyad": "Ersoy",
            "telefon": "05443317252", "eposta": "", "diger": "", "tur": "2", "grup": group["id"]}
    async with http.post(f"{sim.http_base}/createContact", headers=_auth(token),
                         data=form) as resp:
        assert resp.headers["Content-Type"] == "application/json"
        assert await resp.json() == {"status": True, "message": {
            "command": "createContact", "isSuccess": True, "message": "Contact is created"}}
    _, after, _ = await _get_json(http, f"{sim.http_base}/getGroupList", headers=_auth(token))
    assert int(after[0]["totalContact"]) == int(group["totalContact"]) + 1
    async with http.get(f"{sim.http_base}/contacts/export/{token}") as resp:
        assert resp.headers["Content-Type"].startswith("text/xml")
        xml = await resp.text()
    assert "<YealinkIPPhoneDirectory>" in xml
    assert "<Name>Gökhan Ersoy (Anadolu Kırtasiye)</Name>" in xml
    assert "<Telephone>05443317252</Telephone>" in xml
    async with http.get(f"{sim.http_base}/contacts/export/nope") as resp:
        assert resp.status == 401


async def test_central_data_keys_extensions_by_an_internal_id(make_sim, http):
    sim = await make_sim(flavor="tekil")
    token = await _tekil_token(http, sim)
    _, data, _ = await _get_json(http, f"{sim.http_base}/getCentralData/extension;queue",
                                 headers=_auth(token))
    assert set(data) == {"extension", "queue", "central"}
    assert {v["extension"] for v in data["extension"].values()} == set(sim.cfg.extensions)
    assert all(key != value["extension"] for key, value in data["extension"].items())
    assert data["central"] == {"domain": sim.cfg.sip_domain, "port": "5060"}
    ext = next(iter(data["extension"].values()))
    assert ext["options"]["secret"]["data"] == assets.sip_secret(sim.cfg, ext["extension"])


# ---------------------------------------------------------------- KobiPBX


async def test_kobipbx_login_and_clicktocall(make_sim, http):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    async with http.post(f"{sim.http_base}/api/v1/login", json={
            "email": sim.cfg.kobipbx_user, "password": sim.cfg.kobipbx_password}) as resp:
        body = await resp.json()
    assert body["message"] == "User logged in successfully"
    assert re.match(r"^\d+\|[A-Za-z0-9]{48}$", body["token"]["token"])
    token = body["token"]["token"]
    async with http.post(f"{sim.http_base}/api/v1/login",
                         json={"email": sim.cfg.kobipbx_user, "password": "x"}) as resp:
        assert resp.status == 401
    payload = {"extensionNumber": "1003", "destinationNumber": "05366604428",
               "domainUuid": sim.cfg.domain_uuid}
    async with http.post(f"{sim.http_base}/api/v1/clicktocall", json=payload,
                         headers=_auth(token)) as resp:
        result = await resp.json()
    assert result["result"] is True
    ringing = await client.expect(lambda m: m.get("event") == "ringing")
    assert ringing["callUUID"] == result["data"]["call_uuid"]
    assert ringing["extension"] == "1003"
    assert ringing["calledNumber"] == "05366604428"
    async with http.post(f"{sim.http_base}/api/v1/clicktocall", json=payload) as resp:
        assert resp.status == 401
    async with http.post(f"{sim.http_base}/api/v1/clicktocall", headers=_auth(token),
                         json={**payload, "extensionNumber": ""}) as resp:
        assert resp.status == 400
        assert (await resp.json())["message"] == "extensionNumber alanı zorunludur"
    await client.close()


async def test_vcdrs_paginates_and_404s_when_nothing_matches(make_sim, http):
    sim = await make_sim(flavor="bulut", seed_history=7)
    token = await _bearer(http, sim)
    url = f"{sim.http_base}/api/v1/vcdrs/{sim.cfg.domain_uuid}"
    status, page, _ = await _get_json(http, url, headers=_auth(token), params={"perPage": "3"})
    assert status == 200
    assert page["pagination"]["total"] == 7
    assert page["pagination"]["last_page"] == 3
    assert page["pagination"]["per_page"] == 3
    assert len(page["data"]) == 3
    assert page["summary"]["total"] == 3
    assert page["pagination"]["links"]["prev"] is None
    next_url = page["pagination"]["links"]["next"]
    status, page2, _ = await _get_json(http, next_url, headers=_auth(token),
                                       params={"perPage": "3"})
    assert page2["current_page"] == 2
    assert {r["uuid"] for r in page["data"]}.isdisjoint(r["uuid"] for r in page2["data"])
    status, default, _ = await _get_json(http, url, headers=_auth(token))
    assert default["pagination"]["per_page"] == 15
    status, body, _ = await _get_json(http, url, headers=_auth(token),
                                      params={"caller": "0000000"})
    assert status == 404
    assert body["errorCode"] == 404
    status, inbound, _ = await _get_json(http, url, headers=_auth(token),
                                         params={"queue": "inbound", "perPage": "50"})
    assert all(r["direction"] == "inbound" for r in inbound["data"])


@pytest.mark.parametrize("shape", ["wrapped", "unwrapped"])
async def test_list_user_extension_shapes(make_sim, http, shape):
    sim = await make_sim(flavor="bulut", list_extension_shape=shape)
    token = await _bearer(http, sim)
    _, body, _ = await _get_json(
        http, f"{sim.http_base}/api/v1/list-user-extension/{sim.cfg.domain_uuid}",
        headers=_auth(token))
    data = body["data"] if shape == "wrapped" else body
    assert (body.get("success") is True) == (shape == "wrapped")
    assert ("ivr_menus" in data) == (shape == "wrapped")
    assert [e["extension"]["extension"] for e in data["extensions"]] == list(sim.cfg.extensions)
    agent = data["extensions"][0]["call_center_agent"]["call_center_agent_uuid"]
    assert agent == sim.switch.agent_id("1001")
    status, _, _ = await _get_json(
        http, f"{sim.http_base}/api/v1/list-user-extension/other", headers=_auth(token))
    assert status == 404


# ---------------------------------------------------------------- SMS


async def test_new_sms_send_status_and_balance(make_sim, http):
    sim = await make_sim(flavor="bulut", sms_delivery_delay=0.3)
    base = f"{sim.http_base}/api"
    token = {"api_token": sim.cfg.sms_token}
    _, before, _ = await _get_json(http, f"{base}/balance", params=token)
    assert isinstance(before["balance"], str)
    assert re.match(r"^\d+\.\d{4}$", before["balance"])
    status, sent, headers = await _get_json(http, f"{base}/message/send", params={
        **token, "to": "05324118027", "from": "DEMOFIRMA", "message": "Toplantı yarın 10:00"})
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    message = sent["data"][0]
    assert message["to"] == "+905324118027"
    assert message["status"] == "PENDING"
    assert message["sended_at"] is None
    assert message["message"] == "Toplantı yarın 10:00"
    await asyncio.sleep(0.4)
    _, status_body, _ = await _get_json(http, f"{base}/message/{message['uuid']}", params=token)
    assert status_body["data"]["status"] == "DELIVERED"
    assert status_body["data"]["delivered_at"] is not None
    _, after, _ = await _get_json(http, f"{base}/balance", params=token)
    assert float(before["balance"]) - float(after["balance"]) == 1
    long_turkish = "ş" * 71
    await _get_json(http, f"{base}/message/send", params={
        **token, "to": "5427730516", "from": "DEMOFIRMA", "message": long_turkish})
    _, final, _ = await _get_json(http, f"{base}/balance", params=token)
    assert float(after["balance"]) - float(final["balance"]) == 2
    _, listed, _ = await _get_json(http, f"{base}/message", params={
        **token, "to": "905324118027", "status": "success"})
    assert [m["uuid"] for m in listed["data"]] == [message["uuid"]]
    status, body, _ = await _get_json(http, f"{base}/balance", params={"api_token": "x"})
    assert status == 401
    assert body == {"message": "Unauthenticated."}
    assert len(sim.sms) == 2


async def test_new_sms_bulk_with_personalised_messages(make_sim, http):
    sim = await make_sim(flavor="bulut")
    async with http.post(f"{sim.http_base}/api/message",
                         params={"api_token": sim.cfg.sms_token},
                         json={"campaign": "Bahar", "from": "DEMOFIRMA", "messages": [
                             {"to": "+905553026679", "message": "Merhaba {_AD}",
                              "row": {"_AD": "Selin"}},
                             {"to": "+905366604428", "message": "Merhaba"}]}) as resp:
        body = await resp.json()
    assert [m["message"] for m in body["data"]] == ["Merhaba Selin", "Merhaba"]
    assert {m["campaign_name"] for m in body["data"]} == {"Bahar"}


async def test_old_sms_api(make_sim, http):
    sim = await make_sim(flavor="bulut")
    url = f"{sim.http_base}/sms/api"
    key = {"api_key": sim.cfg.sms_api_key}
    _, balance, _ = await _get_json(http, url, params={**key, "action": "check-balance",
                                                        "response": "json"})
    assert isinstance(balance["balance"], int)
    _, sent, _ = await _get_json(http, url, params={
        **key, "action": "send-sms", "to": "905427730516", "from": "DEMOFIRMA",
        "sms": "Kargonuz yola çıktı", "unicode": "1"})
    assert sent["code"] == "ok"
    assert sent["receiver"] == "905427730516"
    assert sent["balance"] == balance["balance"] - 1
    assert sent["operator"] == "VODAFONE"
    async with http.post(f"{url}/multiple", params={**key, "action": "send-sms"}, json=[
            {"from": "DEMOFIRMA", "to": "905324118027", "sms": "Mesaj 1", "unicode": "turkish"},
            {"from": "DEMOFIRMA", "to": "", "sms": "boş"}]) as resp:
        multi = json.loads(await resp.text())
    assert (multi["success"], multi["fail"]) == (1, 1)
    _, history, _ = await _get_json(http, f"{url}/history", params={
        **key, "action": "filtered", "response": "json"})
    assert history["recordsFiltered"] == 2
    status, body, _ = await _get_json(http, url, params={"api_key": "x",
                                                         "action": "check-balance"})
    assert status == 401
    assert body["code"] == "error"


# ---------------------------------------------------------------- faults and the request log


async def test_faults_500_401_garbage(make_sim, http):
    sim = await make_sim(flavor="tekil")
    token = await _tekil_token(http, sim)
    url = f"{sim.http_base}/getGroupList"
    sim.fault("/getGroupList", "500")
    sim.fault("/getGroupList", "401")
    sim.fault("/getGroupList", "garbage")
    async with http.get(url, headers=_auth(token)) as resp:
        assert resp.status == 500
    async with http.get(url, headers=_auth(token)) as resp:
        assert resp.status == 401
    async with http.get(url, headers=_auth(token)) as resp:
        assert resp.status == 200
        with pytest.raises(ValueError):
            json.loads(await resp.text(errors="replace"))
    async with http.get(url, headers=_auth(token)) as resp:
        assert resp.status == 200
        json.loads(await resp.text())


async def test_fault_count_and_prefix(make_sim, http):
    sim = await make_sim(flavor="bulut")
    sim.fault("/api/*", "500", count=2)
    params = {"api_token": sim.cfg.sms_token}
    for expected in (500, 500, 200):
        async with http.get(f"{sim.http_base}/api/balance", params=params) as resp:
            assert resp.status == expected
    with pytest.raises(ValueError):
        sim.fault("/x", "explode")


async def test_fault_timeout_and_disconnect(make_sim, http):
    sim = await make_sim(flavor="tekil")
    token = await _tekil_token(http, sim)
    url = f"{sim.http_base}/getGroupList"
    sim.fault("/getGroupList", "timeout")
    with pytest.raises(asyncio.TimeoutError):
        async with http.get(url, headers=_auth(token),
                            timeout=aiohttp.ClientTimeout(total=0.5)):
            pass
    sim.fault("/central/dial", "disconnect")
    # (a POST: aiohttp silently retries an idempotent GET once when the server hangs up)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        async with http.post(f"{sim.http_base}/central/dial", headers=_auth(token),
                             data={"extension": "1001", "number": "05324118027"}):
            pass
    async with http.get(url, headers=_auth(token)) as resp:
        assert resp.status == 200


async def test_accept_then_timeout_performs_the_side_effect(make_sim, http):
    sim = await make_sim(flavor="bulut")
    client = await tcp_login(sim)
    token = await _tekil_token(http, sim)
    sim.fault("/central/dial", "accept-then-timeout")
    with pytest.raises(asyncio.TimeoutError):
        async with http.post(f"{sim.http_base}/central/dial", headers=_auth(token),
                             data={"extension": "1001", "number": "05324118027"},
                             timeout=aiohttp.ClientTimeout(total=0.5)):
            pass
    ringing = await client.expect(lambda m: m.get("event") == "ringing")
    assert ringing["calledNumber"] == "05324118027"
    sim.fault("/api/message/send", "accept-then-timeout")
    with pytest.raises(asyncio.TimeoutError):
        async with http.get(f"{sim.http_base}/api/message/send", params={
                "api_token": sim.cfg.sms_token, "to": "05427730516", "from": "DEMOFIRMA",
                "message": "x"}, timeout=aiohttp.ClientTimeout(total=0.5)):
            pass
    assert len(sim.sms) == 1
    await client.close()


async def test_received_requests_are_logged_with_the_secret_redacted(make_sim, http):
    sim = await make_sim(flavor="tekil")
    token = await _tekil_token(http, sim)
    async with http.post(f"{sim.http_base}/central/dial", headers=_auth(token),
                         data={"extension": "1001", "number": "05553026679"}):
        pass
    login, dial = sim.received
    assert login["form"]["usermail"] == sim.cfg.panel_user
    assert dial["method"] == "POST"
    assert dial["path"] == "/central/dial"
    assert dial["form"] == {"extension": "1001", "number": "05553026679"}
    assert dial["headers"]["Authorization"] == f"Bearer <len {len(token)}>"
    assert dial["status"] == 200
    assert token not in json.dumps(sim.received)

"""``GET /getCentralData/{modules}``: the simulated Tekil PBX settings.

The field set of every module object mirrors the collection's saved response
(digest §8.2); the values are our demo tenant's.  Tekil is an
Asterisk/FreePBX system, so the values are FreePBX-style strings.

* ``extension`` is keyed by an internal id that differs from the extension
  number (the collection's quirk: key ``"110"`` holds extension
  ``"101000"``); each object also carries a separate ``unique_id``.  The SIP
  secret (``options.secret.data``) is the demo secret also used in the QR
  codes.
* ``queue`` is keyed by the queue number, ``ivr`` and ``timeinfo`` by ids.
* ``central`` (``{"domain", "port"}``) is always included, as observed.
* ``inbound``, ``sound``, ``ringgroups``, ``miscdestination``: ``[]`` (what
  PHP's ``json_encode`` gives for an empty array).  Unknown names are ignored.
"""

from __future__ import annotations

from typing import Any

from .assets import sip_secret
from .config import Queue, SimulatorConfig

EMPTY_MODULES = frozenset({"inbound", "sound", "ringgroups", "miscdestination"})

#: (option, data, flags) for ``extension.options``; flags are FreePBX's field order.
_OPTION_ORDER = [
    ("account", None, "27"), ("accountcode", "", "23"), ("allow", "", "21"),
    ("avpf", "no", "15"), ("callerid", None, "28"), ("callgroup", "1", "18"),
    ("canreinvite", "no", "4"), ("context", "from-internal", "5"),
    ("deny", "0.0.0.0/0.0.0.0", "25"), ("dial", None, "22"), ("disallow", "", "20"),
    ("dtmfmode", "rfc2833", "3"), ("encryption", "no", "17"), ("host", "dynamic", "6"),
    ("icesupport", "no", "16"), ("mailbox", None, "24"), ("nat", "yes", "10"),
    ("permit", "0.0.0.0/0.0.0.0", "26"), ("pickupgroup", "1", "19"), ("port", None, "11"),
    ("qualify", "yes", "12"), ("qualifyfreq", "60", "13"), ("secret", None, "2"),
    ("sendrpid", "no", "8"), ("transport", "udp", "14"), ("trustrpid", "yes", "7"),
    ("type", "friend", "9"),
]


def _extension(cfg: SimulatorConfig, ext: str, index: int) -> dict[str, Any]:
    name = cfg.extension_names.get(ext, ext)
    dynamic = {"account": ext, "callerid": f"device <{ext}>", "dial": f"SIP/{ext}",
               "mailbox": f"{ext}@device", "port": cfg.sip_port,
               "secret": sip_secret(cfg, ext)}
    options = {key: {"data": dynamic.get(key, default) if default is None else default,
                     "flags": flags} for key, default, flags in _OPTION_ORDER}
    return {
        "extension": ext, "name": name, "password": "",
        "voicemail": {"status": "enabled", "password": f"{4000 + index:04d}", "name": name,
                      "email": f"{ext}@{cfg.sip_domain}", "field": "",
                      "attach": "attach=no|saycid=no|envelope=no|delete=no"},
        "ringtimer": "15", "noanswer": "", "recording": "", "outboundcid": "", "sipname": "",
        "mohclass": "default", "noanswer_cid": "", "busy_cid": "", "chanunavail_cid": "",
        "noanswer_dest": "", "busy_dest": "", "chanunavail_dest": "",
        "options": options,
        "ampuser": {
            "callmenum": ext, "password": "", "ringtimer": "15", "cfringtimer": "0",
            "concurrency_limit": "0", "noanswer": "",
            "recording": {"in": {"external": "always", "internal": "always"},
                          "out": {"external": "always", "internal": "always"},
                          "ondemand": "disabled", "priority": "10"},
            "outboundcid": "", "cidname": name, "cidnum": ext, "voicemail": "default",
            "answermode": "disabled", "device": ext, "queues": {"qnostate": "usestate"},
            "language": "",
        },
        "device": {"user": ext, "dial": f"SIP/{ext}", "type": "fixed", "default_user": ext},
        "profil_resmi": "avatar/default/avatar.png",
        "unique_id": str(2257 + index),
    }


def _queue(cfg: SimulatorConfig, queue: Queue) -> dict[str, Any]:
    return {
        "queue": queue.extension, "descr": queue.name, "grppre": "", "alertinfo": "",
        "ringing": "0", "maxwait": "", "password": "", "ivr_id": "none", "dest": "",
        "cwignore": "2", "qregex": "", "agentannounce_id": "0", "joinannounce_id": "0",
        "queuewait": "0", "use_queue_context": "0", "togglehint": "0", "qnoanswer": "0",
        "callconfirm": "0", "callconfirm_id": "0", "monitor_type": "", "monitor_heard": "0",
        "monitor_spoken": "0", "callback_id": "none",
        "options": {
            "maxlen": "0", "reportholdtime": "no",
            "member": [f"SIP/{ext},0" for ext in cfg.extensions],
            "retry": "1", "ringinuse": "no", "announce-frequency": "60", "servicelevel": "60",
            "announce-holdtime": "no", "skip_joinannounce": "", "announce-position": "yes",
            "strategy": "ringall", "answered_elsewhere": "0", "memberdelay": "0",
            "timeout": "15", "autofill": "yes", "monitor-format": "wav49",
            "timeoutpriority": "app", "autopause": "no", "monitor-join": "yes",
            "timeoutrestart": "no", "autopausebusy": "no", "music": "Bekleme", "weight": "0",
            "autopausedelay": "0", "penaltymemberslimit": "0", "wrapuptime": "0",
            "autopauseunavail": "no", "periodic-announce-frequency": "0",
            "cron_schedule": "never", "queue-callswaiting": "queue-callswaiting",
            "eventmemberstatus": "no", "queue-thankyou": "queue-thankyou",
            "eventwhencalled": "no", "joinempty": "yes", "queue-thereare": "queue-thereare",
            "leavewhenempty": "no", "queue-youarenext": "queue-youarenext",
        },
    }


def _ivr(cfg: SimulatorConfig) -> dict[str, Any]:
    first = cfg.queues[0].extension if cfg.queues else cfg.extensions[0]
    second = cfg.queues[1].extension if len(cfg.queues) > 1 else first
    return {"7": {
        "id": "7", "name": "GIRISIVR", "description": None, "announcement": "12",
        "directdial": "ext-local", "invalid_loops": "disabled", "invalid_retry_recording": "",
        "invalid_destination": "", "invalid_recording": "", "retvm": "", "timeout_time": "3",
        "timeout_recording": "", "timeout_retry_recording": "", "timeout_destination": "",
        "timeout_loops": "disabled", "timeout_append_announce": "0",
        "invalid_append_announce": "0", "timeout_ivr_ret": "0", "invalid_ivr_ret": "0",
        "dtmf": [
            {"selection": "1", "destination": f"ext-queues,{first},1", "ivr_ret": "0"},
            {"selection": "2", "destination": f"ext-queues,{second},1", "ivr_ret": "0"},
            {"selection": "t", "destination": f"ext-queues,{first},1", "ivr_ret": "0"},
            {"selection": "i", "destination": "ivr-7,s,1", "ivr_ret": "0"},
        ],
    }}


def _timeinfo(cfg: SimulatorConfig) -> dict[str, Any]:
    return {"1": {
        "name": "MESAISAATI", "id": "1", "timeConditionId": "3", "trueGoTo": "ivr-7,s,1",
        "falseGoTo": "vmblast-grp,500,1",
        "rules": [{"day": "mon-fri", "begin": "09:00", "end": "18:00"},
                  {"day": "sat", "begin": "10:00", "end": "14:00"}],
    }}


def central_data(cfg: SimulatorConfig, modules: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for module in modules:
        if module == "extension":
            out["extension"] = {str(110 + i): _extension(cfg, ext, i)
                                for i, ext in enumerate(cfg.extensions)}
        elif module == "queue":
            out["queue"] = {q.extension: _queue(cfg, q) for q in cfg.queues}
        elif module == "ivr":
            out["ivr"] = _ivr(cfg)
        elif module == "timeinfo":
            out["timeinfo"] = _timeinfo(cfg)
        elif module in EMPTY_MODULES:
            out[module] = []
    out["central"] = {"domain": cfg.sip_domain, "port": cfg.sip_port}
    return out

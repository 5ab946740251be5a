"""The account check's pure parts: extension lists, the extension verdict, balances, wording."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from desktop.core.account_check import (
    CheckId,
    CheckResult,
    CheckStatus,
    PbxExtension,
    Problem,
    evaluate_extension,
    kobipbx_extension_list,
    sms_credits,
    tekil_extension_list,
)
from desktop.core.account_check_problems import channel_problem
from desktop.core.account_check_results import fill

EXTENSIONS = [PbxExtension("1001", "Ayşe Demir"), PbxExtension("1002", "")]


def test_tekil_uses_the_extension_field_not_the_object_key() -> None:
    # The collection's quirk (digest §8.2): key "110" holds extension "101000".
    raw = {
        "110": {"extension": "101000", "name": "Resepsiyon", "unique_id": "2257"},
        "111": {"extension": "101001", "name": "", "ampuser": {"cidname": "Muhasebe"}},
        "112": {"extension": "101002", "name": "101002"},
        "9": {"name": "no number field"},
        "113": {"extension": "101000", "name": "duplicate"},
    }
    assert tekil_extension_list(raw) == [
        PbxExtension("9", "no number field"),
        PbxExtension("101000", "Resepsiyon"),
        PbxExtension("101001", "Muhasebe"),
        PbxExtension("101002", ""),
    ]


def test_kobipbx_names_fall_back_in_order() -> None:
    data = {"extensions": [
        {"extension": {"extension": "1003", "effective_caller_id_name": None,
                       "outbound_caller_id_name": None, "directory_first_name": "MUSA",
                       "directory_last_name": "HIZLI"}},
        {"extension": {"extension": "1001", "effective_caller_id_name": "Ayşe Demir",
                       "outbound_caller_id_name": "other"}},
        {"extension": {"extension": "1002", "outbound_caller_id_name": "Mehmet"}},
        {"extension": {"extension": None}},
        "junk",
        {"extension": "1004"},  # a flat entry
    ], "call_center_queue": []}
    assert kobipbx_extension_list(data) == [
        PbxExtension("1001", "Ayşe Demir"), PbxExtension("1002", "Mehmet"),
        PbxExtension("1003", "MUSA HIZLI"), PbxExtension("1004", "")]
    assert kobipbx_extension_list({"extensions": None}) == []


def test_the_extension_verdict() -> None:
    ok = evaluate_extension(EXTENSIONS, ["1001"])
    assert ok.status is CheckStatus.OK
    assert ok.message() == "Extension 1001 – Ayşe Demir found on the PBX."

    missing = evaluate_extension(EXTENSIONS, ["1001", " 1009 "])
    assert missing.status is CheckStatus.FAILED
    assert missing.problem is Problem.EXTENSION_NOT_FOUND
    assert missing.message() == "Extension 1009 is not on your PBX."
    assert missing.fix() == "Pick your extension from the list below (the PBX has: 1001, 1002)."

    none = evaluate_extension(EXTENSIONS, ["", " "])
    assert none.status is CheckStatus.WARNING
    assert none.message() == "The PBX has 2 extensions."

    empty = evaluate_extension([], ["1001"])
    assert empty.status is CheckStatus.FAILED
    assert "ask your administrator" in empty.fix()


def test_a_long_list_is_shortened_in_the_fix() -> None:
    many = [PbxExtension(str(1000 + i)) for i in range(30)]
    fix = evaluate_extension(many, ["999"]).fix()
    assert "1000, 1001" in fix
    assert "1007, …" in fix
    assert "1008" not in fix


@dataclass
class Balance:
    amount: Decimal


@pytest.mark.parametrize(("value", "expected"), [
    (120001, 120001.0), ("2.9340", 2.934), ("2,5", 2.5), (Decimal("7.25"), 7.25),
    ({"balance": "998.0000"}, 998.0), (Balance(Decimal("3")), 3.0), ("n/a", None),
    (None, None), (True, None), ({}, None)])
def test_sms_credits(value: object, expected: float | None) -> None:
    assert sms_credits(value) == expected


@pytest.mark.parametrize(("reason", "connected", "problem"), [
    ("TLS certificate not trusted: self-signed certificate", False, Problem.TLS),
    ("TLS handshake failed: WRONG_VERSION_NUMBER", False, Problem.TLS),
    ("cannot read /x/ca.pem: No such file or directory", False, Problem.TLS),
    ("connection refused", False, Problem.UNREACHABLE),
    ("server name not found (Name or service not known)", False, Problem.UNREACHABLE),
    ("connection timed out", False, Problem.UNREACHABLE),
    ("server unreachable", False, Problem.UNREACHABLE),
    ("the server refused the WebSocket (HTTP 404)", False, Problem.SERVER_ERROR),
    ("server closed the connection", True, Problem.HUNG_UP),
    ("connection reset by the server", True, Problem.HUNG_UP),
])
def test_channel_reasons(reason: str, connected: bool, problem: Problem) -> None:
    assert channel_problem(reason, was_connected=connected) is problem


def test_templates_never_raise_on_missing_facts() -> None:
    assert fill("Cannot reach {host} ({detail}).", {"host": "h"}) == "Cannot reach h (?)."
    assert fill("odd {", {}) == "odd {"
    result = CheckResult(CheckId.SMS, CheckStatus.FAILED, "The SMS service rejected the token "
                         "({detail}).", "Copy it again.", Problem.SMS_TOKEN_REJECTED,
                         {"detail": "Unauthenticated."})
    assert str(result) == ("sms: failed: The SMS service rejected the token "
                           "(Unauthenticated.). Copy it again.")
    assert result.detail == "Unauthenticated."

"""The support bundle: everything support needs, and no secret at all."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from desktop.core.logs import register_secret
from desktop.core.settings import Settings, save_settings
from desktop.core.support_bundle import (
    BundleSources,
    build_support_bundle,
    default_bundle_name,
)
from desktop.pbx.capture import CaptureInfo, CaptureWriter, capture_secrets
from desktop.pbx.channels import Credentials
from desktop.pbx.connection import ConnectionState, Phase

DOMAIN = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
PASSWORD = "bundle-test-password-31"  # registered like a keyring read registers it
API_KEY = "bundle-test-api-key-77"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJidW5kbGUifQ.c2lnbmF0dXJlLWJ1bmRsZQ"
CALLER = "05321234567"


@pytest.fixture
def home(tmp_path: Path) -> tuple[Path, Path, Path]:
    log_dir, config = tmp_path / "logs", tmp_path / "config" / "settings.toml"
    log_dir.mkdir()
    register_secret(PASSWORD)
    # Log files as a --debug run leaves them: full numbers at DEBUG, and the secrets a
    # bug might have let through.
    (log_dir / "kobikom-desktop.log").write_text(
        f"2026-12-01 10:00:00,000 DEBUG   kobikom.pbx.channel: ringing from {CALLER}\n"
        f"2026-12-01 10:00:01,000 INFO    kobikom.app: domain {DOMAIN.upper()}\n"
        f"2026-12-01 10:00:02,000 WARNING kobikom.pbx.rest: login {PASSWORD} {JWT}\n",
        "utf-8")
    (log_dir / "kobikom-desktop.log.1").write_text(
        f"2026-11-30 09:00:00,000 DEBUG   kobikom.cli: Authorization: Bearer {API_KEY}\n",
        "utf-8")
    settings = Settings()
    settings.account.domain_uuid = DOMAIN
    settings.account.extensions = ["1001"]
    settings.capture.enabled = True
    save_settings(settings, config)
    capture = log_dir / "pbx-capture.jsonl"
    creds = Credentials(domain_uuid=DOMAIN, api_key=API_KEY)
    w = CaptureWriter(capture, CaptureInfo(flavor="bulut", transport="tcp"),
                      secrets=capture_secrets(creds), domain_uuid=DOMAIN, keep_numbers=True)
    w.state(ConnectionState(Phase.CONNECTED))
    w.frame(json.dumps({"event": "ringing", "callUUID": "c-1", "callerNumber": CALLER,
                        "domain": DOMAIN, "apikey": API_KEY}).encode() + b"\n")
    w.close()
    return log_dir, config, capture


def test_the_bundle_has_logs_settings_capture_versions_and_no_secret(
        home: tuple[Path, Path, Path], tmp_path: Path) -> None:
    log_dir, config, capture = home
    target = tmp_path / "out" / default_bundle_name()
    report = build_support_bundle(target, BundleSources(
        log_dir=log_dir, config_file=config, capture_file=capture, domain_uuid=DOMAIN,
        secrets=(API_KEY,), versions={"Qt (run time)": "6.11.0"},
        status={"connection": "connected (127.0.0.1:8990)"}))
    assert report.path == target
    assert target.stat().st_size == report.size
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        files = {name: zf.read(name).decode("utf-8") for name in names}
    assert sorted(names) == sorted(report.members)
    assert {"versions.json", "status.json", "settings.toml", "README.txt",
            "logs/kobikom-desktop.log", "logs/kobikom-desktop.log.1",
            "capture/pbx-capture.jsonl"} <= set(names)

    raw = target.read_bytes()
    for secret in (DOMAIN, DOMAIN.upper(), PASSWORD, API_KEY, JWT):
        assert secret.encode() not in raw
        for name, text in files.items():
            assert secret.lower() not in text.lower(), (secret, name)

    versions = json.loads(files["versions.json"])
    assert versions["kobikom-desktop"]
    assert versions["python"]
    assert versions["platform"]
    assert versions["Qt (run time)"] == "6.11.0"
    assert "httpx" in versions
    assert "websockets" in versions
    assert json.loads(files["status.json"])["connection"].startswith("connected")
    assert 'domain_uuid = "<domain-uuid>"' in files["settings.toml"]
    assert '"1001"' in files["settings.toml"]
    log = files["logs/kobikom-desktop.log"]
    assert CALLER not in log
    assert "*********67" in log
    assert "<domain-uuid>" in log
    assert "<secret>" in log
    # The capture keeps what the agent chose (numbers kept here), never a secret.
    assert CALLER in files["capture/pbx-capture.jsonl"]
    assert "<api-key>" in files["capture/pbx-capture.jsonl"]
    assert "capture/pbx-capture.jsonl" in files["README.txt"]
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind


def test_no_capture_and_no_settings_file_still_make_a_bundle(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    target = tmp_path / "b.zip"
    report = build_support_bundle(target, BundleSources(
        log_dir=tmp_path / "logs", config_file=tmp_path / "none.toml",
        capture_file=tmp_path / "logs" / "pbx-capture.jsonl"))
    assert not any(m.startswith("capture/") for m in report.members)
    with zipfile.ZipFile(target) as zf:
        assert "no settings file" in zf.read("settings.toml").decode()


def test_an_unwritable_target_raises_and_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        build_support_bundle(blocker / "b.zip", BundleSources(log_dir=tmp_path,
                                                              config_file=tmp_path / "c"))

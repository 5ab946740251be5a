"""The command line never shows a traceback: every sub-command, bad inputs, real processes.

Each case runs ``kobikom-desktop`` as a real process with a fresh
``KOBIKOM_DESKTOP_HOME`` and checks the documented exit code, the message,
and that stderr holds no ``Traceback``.  Every registered sub-command also
gets generic bad input (an unknown option, a missing argument), so a
family added later is covered from the start.  Broken pipes and a real bug
(a command that raises) are checked too: the bug prints one line, the log
file holds the traceback.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.cli import _subcommands
from desktop.cli.common import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_SERVER,
    EXIT_USAGE,
)
from tests.helpers.appprocess import SimulatorProcess, program

RUN_TIMEOUT = 90
USER = "demo@kobikom.example"
PASSWORD = "demo-password"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOBIKOM_")}
    env.update(KOBIKOM_DESKTOP_HOME=str(home), LANG="C.UTF-8", PYTHONIOENCODING="utf-8",
               QT_QPA_PLATFORM="offscreen")
    env.pop("DISPLAY", None)  # nothing here may start the GUI
    return env


def run(home: Path, *args: str, env: dict[str, str] | None = None,
        stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*program(), *args], env=env or base_env(home),
                          stdin=subprocess.DEVNULL, stdout=stdout or subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=RUN_TIMEOUT, check=False)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("inputs")
    made = {
        "folder": root / "a-folder",
        "missing": root / "yok.csv",
        "empty": root / "empty.csv",
        "blank": root / "blank.csv",
        "binary": root / "photo.csv",
        "xlsx": root / "rehber.xlsx",
        "loop": root / "loop.csv",
        "no-header": root / "no-header.csv",
        "bad-settings": root / "settings.toml",
        "good-csv": root / "rehber.csv",
    }
    made["folder"].mkdir()
    made["empty"].write_bytes(b"")
    made["blank"].write_bytes(b"\r\n\r\n   \r\n")
    made["binary"].write_bytes(bytes(range(256)) * 40)
    with zipfile.ZipFile(made["xlsx"], "w") as workbook:
        workbook.writestr("xl/workbook.xml", "<workbook/>")
    made["loop"].symlink_to(made["loop"])  # unreadable for root too: ELOOP
    made["no-header"].write_text("x;y;z\n1;2;3\n", encoding="utf-8")
    made["bad-settings"].write_text("[server\nport = 'abc'\n", encoding="utf-8")
    made["good-csv"].write_text("Ad;Telefon\nAyşe;0532 412 18 75\n", encoding="utf-8")
    return made


def cases(f: dict[str, Path]) -> list[tuple[list[str], int, str]]:
    """(arguments, exit code, a piece of the message)."""
    port = str(closed_port())
    conn = ["--flavor", "bulut", "--host", "127.0.0.1", "--api-base", f"http://127.0.0.1:{port}",
            "--extension", "1001", "--domain", DOMAIN]
    return [
        (["histroy"], EXIT_USAGE, "did you mean 'history'"),
        (["lookupp", "0532"], EXIT_USAGE, "did you mean 'lookup'"),
        (["--debug", "history"], EXIT_USAGE, "put it first"),
        (["--demo", "kişiler"], EXIT_USAGE, "is not a command"),
        (["lookup", "yok"], EXIT_USAGE, "not a phone number"),
        (["lookup", "+90 yok"], EXIT_USAGE, "not a phone number"),
        (["lookup", "0532 412 18 75"], EXIT_NOT_FOUND, "no contact"),
        # lookup reads the settings (LDAP, the HTTP lookup): a broken file is named
        (["lookup", "0532", "--config", str(f["bad-settings"])], EXIT_USAGE,
         "is not a valid settings file"),
        (["contacts", "export", "x.csv", "--config", str(f["bad-settings"])], EXIT_USAGE,
         "--config is not used here"),
        (["contacts", "import", str(f["folder"])], EXIT_USAGE, "is a folder, not a file"),
        (["contacts", "import", str(f["missing"])], EXIT_USAGE, "no such file"),
        (["contacts", "import", str(f["empty"])], EXIT_USAGE, "empty"),
        (["contacts", "import", str(f["blank"])], EXIT_USAGE, "empty"),
        (["contacts", "import", str(f["binary"])], EXIT_USAGE, "not a text file"),
        (["contacts", "import", str(f["xlsx"])], EXIT_USAGE, "Excel workbook"),
        (["contacts", "import", str(f["loop"])], EXIT_USAGE, "cannot read"),
        (["contacts", "import", str(f["no-header"])], EXIT_USAGE, "no name, company or phone"),
        (["contacts", "import", str(f["good-csv"]), "--config", "x.toml"], EXIT_USAGE,
         "--config is not used here"),
        (["contacts", "export", str(f["folder"])], EXIT_USAGE, "is a folder, not a file"),
        (["contacts", "export", str(f["missing"].parent / "yok" / "x.csv")], EXIT_USAGE,
         "no such folder"),
        (["contacts", "export", "--format", "pdf", "x.pdf"], EXIT_USAGE, "invalid choice"),
        (["contacts", "frobnicate"], EXIT_USAGE, "invalid choice"),
        (["history", "--since", "geçen ay"], EXIT_USAGE, "is not a date"),
        (["history", "--limit", "-1"], EXIT_USAGE, "must not be negative"),
        (["history", "--limit", "çok"], EXIT_USAGE, "invalid int value"),
        (["history", "--config", str(f["bad-settings"])], EXIT_USAGE,
         "--config is not used here"),
        (["recording", "save", "c1", "--out", str(f["folder"])], EXIT_USAGE,
         "is a folder, not a file"),
        (["recording", "save", "c1", "--out", "x.wav", "--config", str(f["folder"])],
         EXIT_USAGE, "is a folder, not a settings file"),
        (["listen", "--port", "99999"], EXIT_USAGE, "out of range"),
        (["listen", "--port", "0"], EXIT_USAGE, "out of range"),
        (["listen", "--port", "http"], EXIT_USAGE, "is not a port number"),
        (["listen", "--count", "0"], EXIT_USAGE, "must be 1 or more"),
        (["listen", "--timeout", "-1"], EXIT_USAGE, "above 0"),
        (["listen", "--config", str(f["bad-settings"])], EXIT_USAGE,
         "is not a valid settings file"),
        (["listen", "--config", str(f["missing"])], EXIT_USAGE, "no such settings file"),
        (["listen", "--config", str(f["folder"])], EXIT_USAGE, "is a folder"),
        (["listen", *conn, "--port", port, "--timeout", "2"], EXIT_SERVER, "never connected"),
        (["dial", "yok"], EXIT_USAGE, "Nothing was sent"),
        (["dial", "0532 412 18 75", "--config", str(f["folder"])], EXIT_USAGE, "is a folder"),
        (["dial", "0532 412 18 75", "--port", "70000"], EXIT_USAGE, "out of range"),
        (["qr", "--app", "zoiper", "--out", str(f["folder"])], EXIT_USAGE, "is a folder"),
        (["qr", "--app", "zoiper", "--out", "q.png", "--config", str(f["bad-settings"])],
         EXIT_USAGE, "is not a valid settings file"),
        (["sms", "send", "--to", "yok", "--text", "merhaba"], EXIT_USAGE, "invalid number"),
        (["sms", "list", "--config", "x.toml"], EXIT_USAGE, "--config is not used here"),
        (["sms", "cancel", "nope"], EXIT_NOT_FOUND, "no message"),
        (["sms", "send", "--to", "05324121875", "--text", "x", "--config",
          str(f["bad-settings"])], EXIT_USAGE, "is not a valid settings file"),
        (["simulator", "--tcp-port", "99999"], EXIT_USAGE, "out of range"),
        (["simulator", "--config", "x.toml"], EXIT_USAGE, "unrecognized arguments"),
    ]


def assert_clean(done: subprocess.CompletedProcess[str], args: Sequence[str]) -> None:
    assert "Traceback" not in done.stderr, (args, done.stderr)
    assert "Traceback" not in (done.stdout or ""), (args, done.stdout)
    assert done.returncode != EXIT_INTERNAL, (args, done.stderr)


def test_bad_inputs_give_messages_and_exit_codes_never_tracebacks(
        tmp_path: Path, files: dict[str, Path]) -> None:
    failures = []
    for args, code, message in cases(files):
        done = run(tmp_path / "home", *args)
        assert_clean(done, args)
        if done.returncode != code or message not in done.stderr:
            failures.append((args, code, done.returncode, done.stderr[-400:]))
    assert failures == []


def test_every_sub_command_refuses_unknown_options_and_missing_arguments(tmp_path: Path) -> None:
    commands = sorted(_subcommands())
    assert {"contacts", "lookup", "history", "recording", "listen", "dial", "sms", "qr",
            "simulator"} <= set(commands)
    for command in commands:
        for args in ([command, "--no-such-option"], [command, "--help"],
                     [command, "--debug", "--no-such-option", "ş" * 3]):
            done = run(tmp_path / "home", *args)
            assert_clean(done, args)
            expected = EXIT_OK if "--help" in args else EXIT_USAGE
            assert done.returncode == expected, (args, done.stderr)
            if expected == EXIT_USAGE:
                assert done.stderr.strip(), args


def test_top_level_help_lists_the_apps_own_options_and_the_commands(tmp_path: Path) -> None:
    done = run(tmp_path / "home", "--help")
    assert done.returncode == EXIT_OK
    for word in ("--demo", "--config FILE", "--debug", "LINK", "tel:", "callto:", "sip:",
                 *sorted(_subcommands()), "exit codes:", "141"):
        assert word in done.stdout, word


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "contacts", "import",
               str(Path(__file__).parents[1] / "fixtures" / "contacts" / "apple.vcf")
               ).returncode == EXIT_OK
    read_end, write_end = os.pipe()
    os.close(read_end)  # like "| head" that has already exited
    try:
        for args in (["lookup", "0535 123 45 67"],
                     ["contacts", "export", str(tmp_path / "out.csv")]):
            done = subprocess.run([*program(), *args], env=base_env(home),
                                  stdin=subprocess.DEVNULL, stdout=write_end,
                                  stderr=subprocess.PIPE, text=True, timeout=RUN_TIMEOUT,
                                  check=False)
            assert done.stderr == "", (args, done.stderr)
            assert done.returncode == EXIT_BROKEN_PIPE, args
    finally:
        os.close(write_end)


def test_history_into_a_closed_pipe(tmp_path: Path) -> None:
    from desktop.core.journal import Journal, JournalCall

    home = tmp_path / "home"
    journal = Journal(home / "data" / "journal.sqlite3")
    for i in range(3000):  # more than a pipe buffer of output
        journal.record(JournalCall(f"c{i}", extension="1001", direction="inbound",
                                   number_raw=f"0532412{i:04d}", ringing_at=1_700_000_000 + i,
                                   outcome="missed"))
    journal.close()
    head = subprocess.Popen([*program(), "history"], env=base_env(home),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert head.stdout is not None
    assert head.stderr is not None
    head.stdout.readline()
    head.stdout.close()  # the reader goes away after one line
    stderr = head.stderr.read().decode()
    head.stderr.close()
    assert head.wait(timeout=RUN_TIMEOUT) == EXIT_BROKEN_PIPE
    assert stderr == ""


def test_a_bug_is_one_line_and_the_traceback_goes_to_the_log(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = ("import sys, desktop.cli.contacts as c\n"
            "def broken(args):\n    return 1 / 0\n"
            "c._cmd_lookup = broken\n"
            "from desktop.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    done = subprocess.run([sys.executable, "-c", code, "lookup", "0532 412 18 75"],
                          env=base_env(home), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT, check=False)
    assert done.returncode == EXIT_INTERNAL
    lines = done.stderr.strip().splitlines()
    log_file = home / "logs" / "kobikom-desktop.log"
    assert lines == [f"kobikom-desktop: internal error (ZeroDivisionError); this is a bug, "
                     f"the details are in {log_file}"]
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "ZeroDivisionError: division by zero" in logged
    assert 'File "<string>", line 3, in broken' in logged


def test_listen_exits_4_when_it_never_connects_and_0_when_it_did(tmp_path: Path) -> None:
    env = base_env(tmp_path / "home")
    env.update(KOBIKOM_USER=USER, KOBIKOM_PASSWORD=PASSWORD)
    port = closed_port()
    never = run(tmp_path / "home", "listen", "--flavor", "bulut", "--transport", "tcp",
                "--host", "127.0.0.1", "--port", str(port), "--extension", "1001",
                "--domain", DOMAIN, "--api-base", f"http://127.0.0.1:{port}",
                "--timeout", "3", env=env)
    assert_clean(never, ["listen"])
    assert never.returncode == EXIT_SERVER, never.stderr
    assert f"never connected to 127.0.0.1:{port}" in never.stderr

    sim = SimulatorProcess(tmp_path / "sim", base_env(tmp_path / "sim-home"),
                           flavor="bulut").start()
    try:
        done = run(tmp_path / "home", "listen", "--flavor", "bulut", "--transport", "tcp",
                   "--host", "127.0.0.1", "--port", str(sim.info["tcp"]),
                   "--extension", "1001", "--domain", DOMAIN,
                   "--api-base", sim.info["http_base"], "--timeout", "3", env=env)
    finally:
        sim.stop()
    assert_clean(done, ["listen"])
    assert done.returncode == EXIT_OK, done.stderr
    assert "state: connected" in done.stderr.lower()


def test_a_port_out_of_range_in_the_settings_file_is_bad_input(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("[server]\nhost = \"127.0.0.1\"\nport = 99999\n", encoding="utf-8")
    done = run(tmp_path / "home", "listen", "--config", str(settings), "--timeout", "2")
    assert_clean(done, ["listen"])
    assert done.returncode == EXIT_USAGE
    assert "port 99999 is out of range" in done.stderr


def test_contacts_import_and_export_print_json(tmp_path: Path) -> None:
    home = tmp_path / "home"
    fixture = Path(__file__).parents[1] / "fixtures" / "contacts" / "excel-tr.csv"
    done = run(home, "contacts", "import", str(fixture))
    assert done.returncode == EXIT_OK, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["added"], summary["skipped"], summary["rows"]) == (5, 1, 6)
    assert (summary["numbers"], summary["numbers_dropped"]) == (5, 3)
    assert summary["complete"] is True
    assert ("excel-tr.csv row 3, column 'Telefon': Excel scientific notation '5,35123E+09'"
            in done.stderr)
    out = tmp_path / "kisiler.vcf"
    done = run(home, "contacts", "export", str(out))
    assert done.returncode == EXIT_OK, done.stderr
    assert json.loads(done.stdout) == {"file": str(out), "format": "vcf", "contacts": 5,
                                       "numbers": 5}
    found = run(home, "lookup", "\u202a0224 443 22 11\u202c")  # pasted with bidi marks
    assert found.returncode == EXIT_OK, found.stderr
    contact = json.loads(found.stdout)
    assert contact["name"] == "Hüseyin Çakır"
    assert contact["numbers"][0]["extension"] == "105"
    colleague = run(home, "lookup", "105")  # the extension is not a number of ours
    assert colleague.returncode == EXIT_NOT_FOUND

"""``coachkit link`` and ``coachkit serve`` from the command line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from servers import fetch

from coachkit.cli import main
from coachkit.links import open_link
from coachkit.practice import Practice
from coachkit.server import free_port

STOP_PROMISE = 2.0
"""Seconds within which a server stops after Ctrl-C."""
LOAD_MARGIN = 1.5
"""Extra seconds a loaded two-core test machine may take to schedule the stopping processes."""


def _run(practice: Practice, *args: str) -> int:
    return main(["--home", str(practice.home), *args])


def test_link_new_list_revoke(demo_practice: Practice, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(demo_practice, "link", "jonas-becker", "--base-url", "http://coach.example:9000") == 0
    out, err = capsys.readouterr()
    url = out.strip()
    assert url.startswith("http://coach.example:9000/voila/render/dashboard.ipynb?token=")
    assert "shown only this once" in err
    link = open_link(demo_practice, url.split("?", 1)[1], "client")
    assert link is not None and link.client_id == "jonas-becker"

    assert _run(demo_practice, "link", "new", "jonas-becker", "--for", "sponsor", "--expires", "7", "-q") == 0
    sponsor_url, err = capsys.readouterr()
    assert "/voila/render/sponsor.ipynb?token=" in sponsor_url and err == ""

    assert _run(demo_practice, "link", "list", "jonas-becker") == 0
    out, _ = capsys.readouterr()
    assert link.id in out and "sponsor" in out and "valid" in out
    assert url.split("token=")[1] not in out  # tokens are never shown again

    assert _run(demo_practice, "link", "revoke", link.id) == 0
    out, _ = capsys.readouterr()
    assert f"Revoked link {link.id}" in out
    assert open_link(demo_practice, url.split("?", 1)[1], "client") is None
    _run(demo_practice, "link", "list", "jonas-becker")
    assert "revoked" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["link", "nobody"], 1, "No client with id 'nobody'"),
        (["link", "list", "nobody"], 1, "No client with id 'nobody'"),
        (["link", "revoke", "no-such-link"], 1, "No link with id 'no-such-link'"),
        (["link", "jonas-becker", "--expires", "0"], 1, "expires: must be a whole number of days"),
        (["link", "jonas-becker", "--base-url", "ftp://x"], 1, "is not a web address"),
        (["link", "list"], 2, "`link list` takes exactly one CLIENT"),
        (["link", "revoke", "a", "b"], 2, "takes exactly one LINK_ID"),
        (["link", "list", "jonas-becker", "--for", "sponsor"], 2, "go with new links"),
        (["link", "jonas-becker", "--for", "rater"], 2, "invalid choice"),
        (["serve", "--pool", "-1"], 1, "pool: must be 0"),
        (["serve", "--port", "0"], 1, "port: must be 1 to 65535"),
    ],
)
def test_bad_link_and_serve_commands_fail_with_one_line(
    demo_practice: Practice, capsys: pytest.CaptureFixture[str], args: list[str], status: int, message: str
) -> None:
    if status == 2:
        with pytest.raises(SystemExit) as exit_:
            _run(demo_practice, *args)
        assert exit_.value.code == 2
    else:
        assert _run(demo_practice, *args) == status
    err = capsys.readouterr().err
    assert message in err
    if status == 1:
        assert err.count("\n") == 1 and "Traceback" not in err


def test_serve_refuses_a_port_in_use(demo_practice: Practice, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert _run(demo_practice, "serve", "--port", str(taken.getsockname()[1]), "--pool", "0") == 1
    err = capsys.readouterr().err
    assert "is another server running there?" in err and err.count("\n") == 1


@pytest.mark.server
def test_serve_answers_and_stops_cleanly_on_ctrl_c(demo_practice: Practice) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("COACHKIT_DB", "COACHKIT_HOME")}
    command = [sys.executable, "-m", "coachkit", "--home", str(demo_practice.home), "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--pool", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = process.stdout.readline() if process.stdout else ""
            if not line:
                break
            lines.append(line)
            if "Press Ctrl-C to stop." in line:
                break
        output = "".join(lines)
        assert "Press Ctrl-C to stop." in output, output
        assert f"http://127.0.0.1:{port}/" in output and "coachkit link CLIENT --base-url" in output
        status, body, _ = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200 and "personal link" in body
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        stopped_after = time.monotonic() - sent
        rest = process.stdout.read() if process.stdout else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
    assert process.returncode == 130, rest
    assert rest.strip().splitlines()[-1:] == ["coachkit: stopped."], rest
    assert "Traceback" not in output + rest and "Error" not in rest, rest
    # The promise is two seconds; the margin is for this test machine's load, not for coachkit.
    assert stopped_after < STOP_PROMISE + LOAD_MARGIN, f"stopped {stopped_after:.1f} s after Ctrl-C"
    with pytest.raises(OSError):
        fetch(f"http://127.0.0.1:{port}/", timeout=5)

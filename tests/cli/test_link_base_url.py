"""Every kind of link follows the one base-address rule: ``--base-url``, else
``$COACHKIT_BASE_URL``, else the local server. Rater and pulse links included."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coachkit import assessments as A
from coachkit.cli import main
from coachkit.practice import Practice

PROXY = "https://coaching.example.org/pages/"


def _run(practice: Practice, *argv: str) -> int:
    return main(["--home", str(practice.home), *argv])


def test_rater_client_and_pulse_links_honour_the_base_url_setting(
    demo_practice: Practice, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COACHKIT_BASE_URL", PROXY)
    cid = demo_practice.add_client("Rosa Diaz").id
    rater = A.nominate_rater(demo_practice.store, cid, name="Ada Park", relationship="peer", today=date(2026, 11, 21))
    A.set_rater_approval(demo_practice.store, cid, rater.id, True, today=date(2026, 11, 21))
    capsys.readouterr()

    assert _run(demo_practice, "raters", "links", cid) == 0
    rater_out = capsys.readouterr().out
    assert re.search(re.escape(PROXY) + r"voila/render/rater\.ipynb\?token=[\w-]+", rater_out)
    assert _run(demo_practice, "pulse", "links", "jonas-becker", "mid") == 0
    pulse_out = capsys.readouterr().out
    assert len(re.findall(re.escape(PROXY) + r"voila/render/rater\.ipynb\?token=", pulse_out)) == 4
    assert _run(demo_practice, "link", cid) == 0
    assert PROXY + "voila/render/dashboard.ipynb?token=" in capsys.readouterr().out
    for out in (rater_out, pulse_out):
        assert "localhost" not in out and "127.0.0.1" not in out

    # --base-url still wins, and a bad one is refused naming the address
    assert _run(demo_practice, "raters", "links", cid, "--renew", rater.id, "--base-url", "http://10.0.0.5:8866") == 0
    assert "http://10.0.0.5:8866/voila/render/rater.ipynb?token=" in capsys.readouterr().out
    assert _run(demo_practice, "raters", "links", cid, "--renew", rater.id, "--base-url", "ftp://x") == 1
    assert "is not a web address" in capsys.readouterr().err
    assert _run(demo_practice, "raters", "links", cid, "--days", "0") == 1
    assert "from 1 to 730" in capsys.readouterr().err

"""`coachkit raters` and `coachkit pulse` against a real practice."""

from __future__ import annotations

import re

import pytest

from coachkit.cli import build_parser, main
from coachkit.model.feedback360 import Rater
from coachkit.practice import Practice


def _run(practice: Practice, *argv: str) -> int:
    return main(["--home", str(practice.home), *argv])


def test_nominate_approve_list_and_links(practice: Practice, capsys: pytest.CaptureFixture[str]) -> None:
    cid = practice.add_client("Rosa Diaz").id
    assert _run(practice, "raters", "nominate", cid, "Ada Park", "--relationship", "peer", "--email", "a@ex.org") == 0
    assert _run(practice, "raters", "nominate", cid, "Bo Lind", "--relationship", "manager", "--by", "client") == 0
    ada, bo = practice.store.all(cid, Rater)
    assert (ada.relationship, ada.nominated_by, bo.nominated_by) == ("peer", "coach", "client")
    capsys.readouterr()

    assert _run(practice, "raters", "approve", cid) == 1
    assert "give --all" in capsys.readouterr().err
    assert _run(practice, "raters", "approve", cid, ada.id) == 0
    assert "Approved 1 rater(s): Ada Park" in capsys.readouterr().out

    assert _run(practice, "raters", "links", cid, "--base-url", "http://127.0.0.1:9000") == 0
    out = capsys.readouterr().out
    urls = re.findall(r"http://127\.0\.0\.1:9000/voila/render/rater\.ipynb\?token=[\w-]+", out)
    assert len(urls) == 1 and "Ada Park (peer)" in out
    assert _run(practice, "raters", "links", cid) == 0
    assert "No new links" in capsys.readouterr().out

    assert _run(practice, "raters", "list", cid) == 0
    out = capsys.readouterr().out
    ada_line = next(line for line in out.splitlines() if line.startswith(ada.id))
    bo_line = next(line for line in out.splitlines() if line.startswith(bo.id))
    assert "not started" in ada_line and "valid until" in ada_line
    assert "awaiting approval" in bo_line and "no link yet" in bo_line
    assert "Warning: only 1 approved" in out

    assert _run(practice, "raters", "list", "nobody") == 1
    assert "No client with id 'nobody'" in capsys.readouterr().err
    assert _run(practice, "raters", "links", cid, "--renew", "r-unknown") == 1
    assert "No rater 'r-unknown'" in capsys.readouterr().err


def test_pulse_commands_on_the_demo(demo_practice: Practice, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(demo_practice, "pulse", "list", "jonas-becker") == 0
    assert re.search(r"^mid\s+Mid-point\s+mid-point\s+4 of 4 answered$", capsys.readouterr().out, re.M)
    assert _run(demo_practice, "pulse", "links", "jonas-becker", "mid", "--base-url", "https://coach.example") == 0
    out = capsys.readouterr().out
    assert len(re.findall(r"https://coach\.example/voila/render/rater\.ipynb\?token=", out)) == 4
    assert _run(demo_practice, "pulse", "links", "jonas-becker", "nope") == 1
    assert "No pulse round 'nope'" in capsys.readouterr().err
    assert _run(demo_practice, "raters", "list", "jonas-becker") == 0
    out = capsys.readouterr().out
    assert out.count("submitted 20") == 7 and "Sam Ortiz" in out


def test_help_texts_name_every_action() -> None:
    parser = build_parser()
    text = parser.format_help()
    assert "raters" in text and "pulse" in text
    with pytest.raises(SystemExit):
        parser.parse_args(["raters", "nominate", "x", "y", "--relationship", "boss"])

"""``coachkit workbook``, ``session`` and ``lab``: arguments reach the verbs, output is plain."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachkit import render
from coachkit.cli import build_parser, main
from coachkit.practice import Practice


def test_workbook_passes_phases_and_today_to_the_verb(
    demo_practice: Practice, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, object] = {}

    def fake(practice: Practice, client_id: str, phases: object, *, today: object) -> render.RenderReport:
        seen.update(home=practice.home, client_id=client_id, phases=phases, today=str(today))
        folder = practice.workbooks_dir(client_id)
        return render.RenderReport(
            client_id, written=[folder / "03-action-plan.ipynb"], kept=[folder / "02-assessment.ipynb"]
        )

    monkeypatch.setattr(render, "render_workbooks", fake)
    code = main(["--home", str(demo_practice.home), "workbook", "ana-ruiz", "--phase", "3", "--phase", "2",
                 "--today", "2026-11-21"])  # fmt: skip
    assert code == 0
    assert seen == {"home": demo_practice.home, "client_id": "ana-ruiz", "phases": [3, 2], "today": "2026-11-21"}
    out = capsys.readouterr().out
    assert "wrote  workbooks/ana-ruiz/03-action-plan.ipynb" in out
    assert "kept   workbooks/ana-ruiz/02-assessment.ipynb (already there" in out
    assert "1 written, 1 kept, 0 failed" in out


def test_session_passes_the_number(demo_practice: Practice, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def fake(practice: Practice, client_id: str, number: object, *, today: object) -> render.RenderReport:
        seen.extend([client_id, number, today])
        return render.RenderReport(client_id, failed=[(practice.workbooks_dir(client_id) / "x.ipynb", "a cell failed")])

    monkeypatch.setattr(render, "render_session", fake)
    assert main(["--home", str(demo_practice.home), "session", "jonas-becker", "--number", "4"]) == 1, "a failure"
    assert seen == ["jonas-becker", 4, None]


@pytest.mark.kernel
def test_workbook_for_real_then_kept(demo_practice: Practice, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(demo_practice.home)
    assert main(["--home", home, "workbook", "mei-tanaka", "--phase", "7", "--today", "2026-11-21"]) == 0
    assert "wrote  workbooks/mei-tanaka/07-follow-up.ipynb" in capsys.readouterr().out
    assert (demo_practice.home / "workbooks" / "mei-tanaka" / "07-follow-up.ipynb").is_file()
    assert main(["--home", home, "workbook", "mei-tanaka", "--phase", "7"]) == 0
    assert "0 written, 1 kept" in capsys.readouterr().out


def test_unknown_client_and_bad_phase(demo_practice: Practice, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(demo_practice.home), "workbook", "nobody"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No client with id 'nobody'" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["--home", str(demo_practice.home), "workbook", "ana-ruiz", "--phase", "9"])
    assert exit_info.value.code == 2


def test_lab_binds_loopback_with_a_token_and_opens_the_client_folder(demo_practice: Practice) -> None:
    launch = render.lab_launch(demo_practice, "ana-ruiz", port=8899, token="t0k")
    assert "--ServerApp.ip=127.0.0.1" in launch.argv and "--ServerApp.port=8899" in launch.argv
    assert "--IdentityProvider.token=t0k" in launch.argv and "--no-browser" in launch.argv
    assert f"--ServerApp.root_dir={demo_practice.home / 'workbooks'}" in launch.argv
    assert launch.url == "http://127.0.0.1:8899/lab/tree/ana-ruiz?token=t0k"
    fresh = render.lab_launch(demo_practice)
    assert len(fresh.url.split("token=")[1]) >= 32, "a random token of at least 128 bits"


def test_help_texts_name_the_commands() -> None:
    parser = build_parser()
    text = parser.format_help()
    for name in ("workbook", "session", "lab"):
        assert name in text
    assert Path(render.templates_dir(), "04-session.ipynb").is_file()

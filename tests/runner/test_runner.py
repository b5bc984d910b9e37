"""The notebook runner on real kernels: groups on fresh kernels, failures contained."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from coachkit.runner import JobResult, NotebookJob, NotebookParameters, RunError, Timings, run_notebooks

ECHO = Path(__file__).with_name("echo.ipynb")
pytestmark = pytest.mark.kernel


def _printed(result: JobResult) -> list[str]:
    assert result.notebook is not None
    return result.notebook.cells[2].outputs[0]["text"].split()


def test_groups_run_on_fresh_kernels_and_one_failure_stops_nothing(tmp_path: Path) -> None:
    jobs = [
        NotebookJob(
            ECHO,
            NotebookParameters(client_id="fail" if i == 1 else f"c{i}", home=str(tmp_path)),
            group=f"c{i}",
            output=tmp_path / f"c{i}" / f"{n}.ipynb",
        )
        for i in range(3)
        for n in range(2)
    ]
    seen: list[str] = []
    timings = Timings()
    results = run_notebooks(
        jobs,
        cwd=tmp_path,
        workers=2,
        warm_imports=["json"],
        on_result=lambda r: seen.append(r.job.group),
        timings=timings,
    )
    assert [r.job for r in results] == jobs
    assert sorted(seen) == ["c0", "c0", "c1", "c1", "c2", "c2"]
    failed = [r for r in results if not r.ok]
    assert [r.job.group for r in failed] == ["c1", "c1"]
    assert failed[0].error == RunError("cell", "AssertionError")
    assert str(failed[0].error) == "a cell failed (AssertionError)"
    ok = {r.job.group: r for r in results if r.ok}
    assert set(ok) == {"c0", "c2"}
    pids = {g: {_printed(r)[1] for r in results if r.ok and r.job.group == g} for g in ok}
    assert all(len(p) == 1 for p in pids.values()), "jobs of one group share their kernel"
    assert pids["c0"] != pids["c2"], "each group has a fresh kernel"
    written = nbformat.read(tmp_path / "c2" / "1.ipynb", as_version=4)
    assert "injected-parameters" in written.cells[1].metadata["tags"]
    assert _printed(ok["c2"])[0] == "c2"
    assert not (tmp_path / "c1" / "0.ipynb").exists()
    assert timings.kernel_start > 0 and timings.execute > 0


def test_runs_beside_an_event_loop_that_is_already_running(tmp_path: Path) -> None:
    """Inside a notebook or next to Playwright's sync API a loop already runs in this thread."""
    import asyncio
    import concurrent.futures

    async def inside() -> list[JobResult]:
        job = NotebookJob(ECHO, NotebookParameters(client_id="c", home=str(tmp_path)), group="c")
        return run_notebooks([job], cwd=tmp_path, warm_imports=[])

    # A thread of its own: the test process may itself sit beside Playwright's running loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        (result,) = pool.submit(lambda: asyncio.run(inside())).result()
    assert result.ok and _printed(result)[0] == "c"


TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates").glob("*.ipynb"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_every_template_parameter_is_a_field_of_the_one_parameters_dataclass(path: Path) -> None:
    import dataclasses

    import papermill

    fields = {f.name for f in dataclasses.fields(NotebookParameters)}
    assert set(papermill.inspect_notebook(str(path))) <= fields


def test_parameters_inject_what_is_set_in_the_form_papermill_gives() -> None:
    from datetime import date

    assert NotebookParameters(client_id="c", home="/h").values() == {"client_id": "c", "home": "/h"}
    given = NotebookParameters("c", "/h", today=date(2026, 11, 21), audience="sponsor", session_number=3)
    assert given.values() == {
        "client_id": "c",
        "home": "/h",
        "today": "2026-11-21",
        "audience": "sponsor",
        "session_number": 3,
    }

"""Render the phase workbooks of a client from the templates, and start JupyterLab on them.

``render_workbooks`` runs each template with papermill's parameter injection on one warm
kernel per client (:mod:`coachkit.runner`) and writes ``workbooks/<client-id>/NN-name.ipynb``
executed, with its outputs and widget state, so it opens with its forms and charts. A workbook
that already exists is never overwritten (the coach may have worked in it): it is reported as
kept. Phase 4 renders one workbook per session, ``04-session-NN.ipynb``.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import socket
import sys
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from nbformat import NotebookNode

import coachkit
from coachkit.errors import ValidationError
from coachkit.kernels import PROVISIONER_NAME, jupyter_env, preload_env
from coachkit.model.rules import session_to_prepare
from coachkit.practice import Practice
from coachkit.runner import BASE_WARM_IMPORTS, JobResult, NotebookJob, NotebookParameters, run_notebooks
from coachkit.services import engagements

PHASE_TEMPLATES: dict[int, str] = {
    1: "01-relationship",
    2: "02-assessment",
    3: "03-action-plan",
    4: "04-session",
    5: "05-progress-review",
    6: "06-closure",
    7: "07-follow-up",
}
"""Template name (without ``.ipynb``) of each phase."""

WORKBOOK_WARM_IMPORTS: tuple[str, ...] = (
    *BASE_WARM_IMPORTS,
    "coachkit.pages",
    "coachkit.pages.workbook",
    "coachkit.charts.progress",
    "coachkit.forms.between",
)
"""What a workbook kernel has imported before its first cell (rendering, and in JupyterLab)."""


def templates_dir() -> Path:
    """The templates: ``templates/`` in a source checkout, ``coachkit/_templates`` in a wheel."""
    package = Path(coachkit.__file__).resolve().parent
    for candidate in (package / "_templates", package.parent / "templates"):
        if (candidate / f"{PHASE_TEMPLATES[1]}.ipynb").is_file():
            return candidate
    raise FileNotFoundError(f"coachkit's notebook templates are missing (looked in {package / '_templates'})")


def template_path(phase: int) -> Path:
    """The template of ``phase`` (1-7)."""
    if phase not in PHASE_TEMPLATES:
        raise ValidationError("phase", f"is {phase}; it must be from 1 to 7.")
    return templates_dir() / f"{PHASE_TEMPLATES[phase]}.ipynb"


def workbook_name(phase: int, session_number: int = 0) -> str:
    """``03-action-plan.ipynb``; for phase 4 ``04-session-07.ipynb``."""
    if phase == 4:
        return f"04-session-{session_number:02d}.ipynb"
    return f"{PHASE_TEMPLATES[phase]}.ipynb"


@dataclasses.dataclass
class RenderReport:
    """What a render did: workbooks written, workbooks kept as they were, failures."""

    client_id: str
    written: list[Path] = dataclasses.field(default_factory=list)
    kept: list[Path] = dataclasses.field(default_factory=list)
    failed: list[tuple[Path, str]] = dataclasses.field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed


def _phases(phases: Iterable[int] | None) -> list[int]:
    chosen = sorted(set(PHASE_TEMPLATES if phases is None else phases))
    for phase in chosen:
        if phase not in PHASE_TEMPLATES:
            raise ValidationError("phase", f"is {phase}; it must be from 1 to 7.")
    return chosen


def render_workbooks(
    practice: Practice,
    client_id: str,
    phases: Iterable[int] | None = None,
    *,
    session_number: int | None = None,
    today: date | None = None,
) -> RenderReport:
    """Render the workbooks of ``phases`` (default all seven) for a client into
    ``workbooks/<client-id>/``, all on one warm kernel; existing files are kept untouched.
    Phase 4 is the session ``session_number`` (default: the next one to prepare)."""
    began = time.perf_counter()
    practice.require_client(client_id)
    folder = practice.workbooks_dir(client_id)
    report = RenderReport(client_id)
    jobs: list[NotebookJob] = []
    for phase in _phases(phases):
        number = 0
        if phase == 4:
            number = session_number or session_to_prepare(engagements.load(practice, client_id))
            if not 1 <= number <= 1000:
                raise ValidationError("session_number", f"is {number}; it must be from 1 to 1000.")
        parameters = NotebookParameters(
            client_id=client_id, home=str(practice.home), today=today, session_number=number
        )
        output = folder / workbook_name(phase, number)
        if output.exists():
            report.kept.append(output)
            continue
        jobs.append(NotebookJob(template_path(phase), parameters, group=client_id, output=output))
    if jobs:
        folder.mkdir(parents=True, exist_ok=True)
        results: list[JobResult] = run_notebooks(jobs, cwd=folder, workers=1, warm_imports=WORKBOOK_WARM_IMPORTS)
        for result in results:
            assert result.job.output is not None
            if result.ok and result.notebook is not None:
                trust(result.notebook)
                report.written.append(result.job.output)
            else:
                report.failed.append((result.job.output, str(result.error or "failed")))
    report.seconds = time.perf_counter() - began
    return report


def trust(notebook: NotebookNode) -> None:
    """Mark a notebook coachkit rendered as trusted for this user (Jupyter's signature store),
    so JupyterLab shows its saved widgets and charts at once instead of their plain-text stand-ins."""
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary()  # type: ignore[no-untyped-call]
    try:
        notary.sign(notebook)  # type: ignore[no-untyped-call]
    finally:
        notary.store.close()


def render_session(
    practice: Practice, client_id: str, number: int | None = None, *, today: date | None = None
) -> RenderReport:
    """Render the workbook of one session (default: the next one to prepare)."""
    return render_workbooks(practice, client_id, [4], session_number=number, today=today)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that the OS says is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclasses.dataclass(frozen=True)
class LabLaunch:
    """How to start JupyterLab on a practice's workbooks, and the link to open."""

    argv: list[str]
    root: Path
    url: str
    env: dict[str, str]


def lab_launch(practice: Practice, client_id: str | None = None, *, port: int = 0, token: str = "") -> LabLaunch:
    """The JupyterLab command for the practice's ``workbooks/`` (bound to 127.0.0.1, a random
    token unless given) and the link to open (a client's folder when ``client_id`` is given)."""
    root = practice.home / "workbooks"
    root.mkdir(parents=True, exist_ok=True)
    path = ""
    if client_id:
        practice.require_client(client_id)
        path = practice.workbooks_dir(client_id).name
    port = port or free_port()
    token = token or secrets.token_urlsafe(24)
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")  # containers and CI run as root; still loopback only
    url = f"http://127.0.0.1:{port}/lab/tree/{path}?token={token}"
    env = {"COACHKIT_HOME": str(practice.home), **lab_kernel_env()}
    return LabLaunch(argv=argv, root=root, url=url, env=env)


def lab_kernel_env() -> dict[str, str]:
    """What JupyterLab's environment needs for its kernels to be forked warm: coachkit's
    kernelspec on ``JUPYTER_PATH``, its provisioner as the default one (the workbooks name the
    usual ``python3`` kernelspec), and the workbook modules for the fork server to import."""
    env = jupyter_env({"JUPYTER_PATH": os.environ.get("JUPYTER_PATH", "")})
    return {**env, "JUPYTER_DEFAULT_PROVISIONER_NAME": PROVISIONER_NAME, **preload_env(WORKBOOK_WARM_IMPORTS)}

"""Progress reports in batch: ``templates/report.ipynb`` run per client and audience on warm
kernels, exported to HTML that opens offline, and printed to PDF by the system Chromium.

One (client, audience) pair is one group of :mod:`coachkit.runner`, so each report runs on a
fresh kernel of its own that was started and warmed ahead of time. Each executed notebook is
turned into HTML as soon as it is done (code, prompts and stray output removed, plotly.js inlined
once, no outside reference), written atomically to ``reports/<client-id>/<date>-<audience>.html``
and, when a PDF is wanted, printed by one Chromium for the whole batch while the next reports are
still running. A report that fails is reported with a plain reason; the others go on.

The same data and report date give byte-identical HTML: chart ids come from their content,
cell ids are renumbered, and nothing else in the page depends on the clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from coachkit.errors import ValidationError
from coachkit.model.disclosure import check_audience
from coachkit.practice import Practice
from coachkit.reports.export import ReportExporter, ReportPage, plotly_js
from coachkit.reports.pdf import PdfPrinter
from coachkit.runner import (
    BASE_WARM_IMPORTS,
    JobResult,
    NotebookJob,
    NotebookParameters,
    RunError,
    Timings,
    run_async,
    run_to_end,
)

REPORT_FORMATS: tuple[str, ...] = ("html", "pdf")
REPORT_WARM_IMPORTS: tuple[str, ...] = (*BASE_WARM_IMPORTS, "coachkit.pages.report:warm_up")
"""What a report kernel has done before its job: the report page's imports and plotly's first
figure (done once, in the fork server, when kernels are forked)."""

_REASONS = {
    "StoreError": "its records could not be read from the database",
    "NotFound": "the client was not found",
    "ValidationError": "a value the report needs is not valid",
}

ProgressCallback = Callable[["ReportOutcome"], None]


@dataclasses.dataclass(frozen=True)
class ReportOutcome:
    """What became of one client's report for one audience: the files written, or why not."""

    client_id: str
    audience: str
    paths: tuple[Path, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when every requested file was written."""
        return self.error is None


@dataclasses.dataclass
class ReportTimings:
    """Where the time went, in seconds. Kernel start, warm-up and execution are summed over the
    kernels running side by side; export and PDF are summed over reports; ``wall`` is elapsed."""

    kernel_start: float = 0.0
    warm_up: float = 0.0
    execute: float = 0.0
    export: float = 0.0
    pdf: float = 0.0
    wall: float = 0.0


@dataclasses.dataclass
class ReportSummary:
    """Every outcome of a batch, in the order asked for, and where the time went."""

    outcomes: list[ReportOutcome]
    timings: ReportTimings

    @property
    def written(self) -> list[ReportOutcome]:
        """The reports written."""
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[ReportOutcome]:
        """The reports that failed, each with its reason."""
        return [o for o in self.outcomes if not o.ok]

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failed


def report_template() -> Path:
    """``templates/report.ipynb`` (from the source tree, or as installed with the package)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "templates" / "report.ipynb", package / "_templates" / "report.ipynb"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("templates/report.ipynb is missing from this installation")


def parse_choices(value: str | Sequence[str], allowed: tuple[str, ...], field: str) -> tuple[str, ...]:
    """``"a,b"`` or ``["a", "b"]`` as a tuple of known choices without repeats, in the order given."""
    raw = value.split(",") if isinstance(value, str) else list(value)
    chosen: list[str] = []
    for item in (v.strip() for v in raw):
        if item not in allowed:
            raise ValidationError(field, f"{item!r} is not one of: {', '.join(allowed)}.")
        if item not in chosen:
            chosen.append(item)
    if not chosen:
        raise ValidationError(field, f"name at least one of: {', '.join(allowed)}.")
    return tuple(chosen)


def write_reports(
    practice: Practice,
    client_ids: Sequence[str],
    *,
    audiences: Sequence[str] = ("client",),
    formats: Sequence[str] = ("html",),
    jobs: int | None = None,
    report_date: date | None = None,
    on_progress: ProgressCallback | None = None,
) -> ReportSummary:
    """Write the progress report of each client for each audience, ``jobs`` at a time (default:
    the number of cores); returns what was written and what failed. Unknown client ids, audiences
    or formats raise before anything runs; a report that fails never stops the others."""
    for audience in audiences:
        check_audience(audience)
    chosen_formats = parse_choices(list(formats), REPORT_FORMATS, "format")
    if jobs is not None and jobs < 1:
        raise ValidationError("jobs", "must be 1 or more.")
    names = {}
    for client_id in dict.fromkeys(client_ids):
        names[client_id] = practice.require_client(client_id).name
    batch = _Batch(practice, names, tuple(audiences), chosen_formats, report_date or date.today(), on_progress)
    return run_to_end(lambda: batch.run(jobs))


class _Batch:
    """One run of :func:`write_reports`: jobs out, HTML and PDFs written as results come in."""

    def __init__(
        self,
        practice: Practice,
        names: dict[str, str],
        audiences: tuple[str, ...],
        formats: tuple[str, ...],
        on: date,
        on_progress: ProgressCallback | None,
    ) -> None:
        self.practice = practice
        self.names = names
        self.audiences = audiences
        self.formats = formats
        self.on = on
        self.on_progress = on_progress
        self.timings = ReportTimings()
        self.outcomes: dict[tuple[str, str], ReportOutcome] = {}
        self.plotly_js = plotly_js()
        self.printer: PdfPrinter | None = PdfPrinter(self.plotly_js) if "pdf" in formats else None
        # nbconvert takes a second or two to import: it loads in a thread while kernels start.
        self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coachkit-export")
        self._exporter = self._threads.submit(ReportExporter)
        self.printing: list[asyncio.Task[None]] = []

    def jobs(self) -> list[NotebookJob]:
        template = report_template()
        return [
            NotebookJob(
                template,
                NotebookParameters(
                    client_id=client_id, home=str(self.practice.home), audience=audience, report_date=self.on
                ),
                group=f"{client_id}/{audience}",
            )
            for client_id in self.names
            for audience in self.audiences
        ]

    async def run(self, workers: int | None) -> ReportSummary:
        began = time.perf_counter()
        jobs = self.jobs()
        try:
            if self.printer is not None:
                self.printer.begin()
            kernels = Timings()
            await run_async(
                jobs,
                cwd=self.practice.home,
                workers=workers,
                warm_imports=REPORT_WARM_IMPORTS,
                on_result=self.finish_notebook,
                timings=kernels,
            )
            self.timings.kernel_start = kernels.kernel_start
            self.timings.warm_up = kernels.warm_up
            self.timings.execute = kernels.execute
            await asyncio.gather(*self.printing)
        finally:
            if self.printer is not None:
                await self.printer.close()
            self._threads.shutdown(wait=True)
        for job in jobs:
            self.outcomes.setdefault(_key(job), ReportOutcome(*_key(job), error="the report did not run"))
        self.timings.wall = time.perf_counter() - began
        ordered = [self.outcomes[_key(job)] for job in jobs]
        return ReportSummary(ordered, self.timings)

    def path(self, client_id: str, audience: str, extension: str) -> Path:
        return self.practice.reports_dir(client_id) / f"{self.on.isoformat()}-{audience}.{extension}"

    def finish_notebook(self, result: JobResult) -> None:
        """Turn one executed notebook into its HTML (and queue its PDF)."""
        client_id, audience = _key(result.job)
        if result.notebook is None or result.error is not None:
            self.done(ReportOutcome(client_id, audience, error=_reason(result.error)))
            return
        began = time.perf_counter()
        written: tuple[Path, ...] = ()
        try:
            title = f"Progress report: {self.names[client_id]}, {self.on.isoformat()}"
            page = self._exporter.result().render(result.notebook, title)
            if "html" in self.formats:
                html_path = self.path(client_id, audience, "html")
                write_text_atomically(html_path, page.standalone(self.plotly_js))
                written = (html_path,)
        except Exception as exc:  # an export or disk problem: this report fails, the batch goes on
            reason = f"the HTML could not be written ({exc.__class__.__name__})"
            self.done(ReportOutcome(client_id, audience, error=reason))
            return
        finally:
            self.timings.export += time.perf_counter() - began
        if self.printer is None:
            self.done(ReportOutcome(client_id, audience, written))
            return
        pdf_path = self.path(client_id, audience, "pdf")
        self.printing.append(asyncio.ensure_future(self.print_pdf(client_id, audience, page, pdf_path, written)))

    async def print_pdf(
        self, client_id: str, audience: str, page: ReportPage, pdf_path: Path, written: tuple[Path, ...]
    ) -> None:
        assert self.printer is not None
        began = time.perf_counter()
        try:
            await self.printer.print(page.bare, pdf_path)
        except Exception as exc:  # Chromium missing, a page that never drew: this PDF fails
            detail = str(exc) if isinstance(exc, FileNotFoundError) else exc.__class__.__name__
            reason = f"the PDF could not be printed ({detail})"
            self.done(ReportOutcome(client_id, audience, written, error=reason))
            return
        finally:
            self.timings.pdf += time.perf_counter() - began
        self.done(ReportOutcome(client_id, audience, (*written, pdf_path)))

    def done(self, outcome: ReportOutcome) -> None:
        self.outcomes[(outcome.client_id, outcome.audience)] = outcome
        if self.on_progress is not None:
            self.on_progress(outcome)


def _key(job: NotebookJob) -> tuple[str, str]:
    return job.parameters.client_id, job.parameters.audience


def _reason(error: RunError | None) -> str:
    if error is None:
        return "the notebook did not run"
    if error.kind == "cell" and error.ename in _REASONS:
        return f"{_REASONS[error.ename]} ({error.ename})"
    return str(error)


def write_text_atomically(path: Path, content: str) -> None:
    """Write a text file so that a half-written one is never left behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}.tmp")
    try:
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


__all__ = [
    "REPORT_FORMATS",
    "PdfPrinter",
    "ReportExporter",
    "ReportOutcome",
    "ReportPage",
    "ReportSummary",
    "ReportTimings",
    "parse_choices",
    "plotly_js",
    "report_template",
    "write_reports",
]

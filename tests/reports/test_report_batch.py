"""One real batch (``coachkit report --all`` for every audience, HTML and PDF, on real kernels and
the system Chromium) shared by the tests below; a second run checks the HTML is the same."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coachkit.cli import main
from tests.reports.canaries import (
    BROKEN,
    CLIENT_EVALUATION,
    JONAS,
    MEI,
    NEVER_FOR_SPONSOR,
    PRIVATE_NOTE,
    RELEASED_TEXT,
    TODAY,
    XSS_ESCAPED,
)

pytestmark = [pytest.mark.kernel, pytest.mark.browser]
CLIENTS = ("ana-ruiz", JONAS, MEI)
AUDIENCES = ("client", "sponsor", "coach")


@dataclasses.dataclass
class Batch:
    home: Path
    status: int
    out: str
    html: dict[tuple[str, str], bytes]

    def path(self, client_id: str, audience: str, ext: str = "html") -> Path:
        return self.home / "reports" / client_id / f"{TODAY.isoformat()}-{audience}.{ext}"

    def text(self, client_id: str, audience: str) -> str:
        return self.html[(client_id, audience)].decode("utf-8")


def _run(home: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--home", str(home), "report", *args, "--date", TODAY.isoformat(), "--jobs", "2"])
    return status, out.getvalue()


@pytest.fixture(scope="module")
def batch(canary_home: Path) -> Batch:
    status, out = _run(canary_home, "--all", "--audience", ",".join(AUDIENCES), "--format", "html,pdf")
    html = {}
    for client_id in CLIENTS:
        for audience in AUDIENCES:
            path = canary_home / "reports" / client_id / f"{TODAY.isoformat()}-{audience}.html"
            html[(client_id, audience)] = path.read_bytes() if path.exists() else b""
    return Batch(canary_home, status, out, html)


class _Tags(HTMLParser):
    """Every tag with its attributes (script bodies are data, not tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_every_report_is_written_and_opens_offline(batch: Batch) -> None:
    for (client_id, audience), raw in batch.html.items():
        assert raw, f"{client_id} ({audience}) was not written"
        assert batch.path(client_id, audience, "pdf").exists()
        page = raw.decode("utf-8")
        tags = _tags(page)
        assert not [t for t, a in tags if t == "script" and "src" in a], "no script is loaded from anywhere"
        assert not [t for t, _ in tags if t in ("link", "iframe", "img")]
        outside = [v for _, a in tags for k, v in a.items() if k in ("src", "href") and v and "//" in v]
        assert not outside, outside
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
        assert page.count('<script data-coachkit="plotly.js">') == 1, "plotly.js inlined exactly once"
        assert "report.open_report" not in page and "In&nbsp;[" not in page, "no code, no prompts"
        assert f"written  {client_id} ({audience})" in batch.out


def test_client_text_that_looks_like_html_is_shown_as_text(batch: Batch) -> None:
    for audience in AUDIENCES:
        page = batch.text(JONAS, audience)
        assert XSS_ESCAPED in page
        assert not [a for t, a in _tags(page) if t == "img" or "onerror" in a]
        assert "<script>alert(1)" not in page


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_sponsor_report_holds_only_what_the_client_released(batch: Batch) -> None:
    for client_id in (JONAS, MEI):
        page = batch.text(client_id, "sponsor")
        printed = _pdf_text(batch.path(client_id, "sponsor", "pdf"))
        for what, canary in NEVER_FOR_SPONSOR.items():
            assert canary not in page, f"{what} reached the sponsor's HTML"
            assert canary not in printed, f"{what} reached the sponsor's PDF"
        assert CLIENT_EVALUATION not in page
    assert RELEASED_TEXT in batch.text(JONAS, "sponsor")
    assert "Present strategy to the board with confidence" in batch.text(MEI, "sponsor")
    assert "Build trust with the clinical directors" not in batch.text(MEI, "sponsor")
    for audience in AUDIENCES:
        assert PRIVATE_NOTE not in batch.text(JONAS, audience), "reports never print private notes"
    assert CLIENT_EVALUATION not in batch.text(MEI, "client")
    assert CLIENT_EVALUATION in batch.text(MEI, "coach")
    assert NEVER_FOR_SPONSOR["check-in blockers"] in batch.text(JONAS, "client")


def test_a_client_whose_data_fails_is_reported_while_the_others_are_written(batch: Batch) -> None:
    assert batch.status == 1
    summary = batch.out[batch.out.index("Written:") :]
    assert "Written: 9 of 12 reports" in summary
    for audience in AUDIENCES:
        assert f"{BROKEN} ({audience}): its records could not be read from the database (StoreError)" in summary
    assert not (batch.home / "reports" / BROKEN).exists()


def _ppm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P6" and maxval == b"255"
    return int(width), int(height), pixels


def test_pdf_has_pages_and_its_charts_are_drawn(batch: Batch, tmp_path: Path) -> None:
    pdf = batch.path(JONAS, "client", "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
    assert pages >= 3
    chart_page = next(
        n
        for n in range(1, pages + 1)
        if "Progress per goal"
        in subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
    )  # the chart's title is drawn by plotly.js into the chart itself
    subprocess.run(
        ["pdftoppm", "-f", str(chart_page), "-l", str(chart_page), "-r", "50", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    width, height, pixels = _ppm(next(tmp_path.glob("p*.ppm")))
    rgb = [tuple(pixels[i : i + 3]) for i in range(0, width * height * 3, 3)]
    ink = sum(1 for r, g, b in rgb if min(r, g, b) < 200)
    trace_colours = sum(
        1
        for r, g, b in rgb
        if (r > 190 and 50 < g < 150 and b < 90)  # orange
        or (r < 110 and g > 120 and b < 110)  # green
        or (r < 90 and 80 < g < 160 and b > 190)  # blue
    )
    assert ink > 0.02 * width * height, "the page is not blank"
    assert trace_colours > 150, "the chart's lines are drawn"


def test_running_again_gives_byte_identical_html(batch: Batch) -> None:
    status, out = _run(batch.home, JONAS, MEI, "--audience", ",".join(AUDIENCES))
    assert status == 0, out
    for client_id in (JONAS, MEI):
        for audience in AUDIENCES:
            assert batch.path(client_id, audience).read_bytes() == batch.html[(client_id, audience)]

"""The dashboard server over plain HTTP: what it serves, what it refuses, how it is configured."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from servers import fetch

from coachkit.server import RunningServer, server_environment
from coachkit.server.app import PAGE_SECURITY_HEADERS, voila_config

pytestmark = [pytest.mark.server, pytest.mark.kernel]

NOTEBOOK_MARKERS = ("nbformat", "cell_type", "from coachkit", "SQLite format", "import ", "client_id")


@pytest.mark.parametrize(
    "path",
    [
        "voila/tree",
        "voila/tree/",
        "voila/tree/dashboard.ipynb",
        "tree",
        "voila/api/contents",
        "voila/api/contents/",
        "voila/api/contents/dashboard.ipynb",
        "api/contents",
        "voila/files/dashboard.ipynb",
        "voila/files/sponsor.ipynb",
        "files/dashboard.ipynb",
        "voila/files/data/coachkit.db",
        "voila/files/../data/coachkit.db",
        "voila/files/voila.json",
        "voila/files/coachkit/__init__.py",
        "voila/render/../dashboard.ipynb",
        "voila/render/./dashboard.ipynb",
        "voila/render/%2e%2e/dashboard.ipynb",
        "voila/render/dashboard.py",
        "voila/render/voila.json",
        "voila/render/nothing.ipynb",
        "voila/render/dashboard.ipynb/../../data/coachkit.db",
        "dashboard.ipynb",
        "sponsor.ipynb",
        "data/coachkit.db",
        "voila/static/../../../../etc/passwd",
        "voila/static/..%2f..%2f..%2fapp.py",
        "voila/templates/lab/static/../../../../../../etc/passwd",
    ],
)
def test_no_listing_no_notebook_no_data_file_is_served(server: RunningServer, path: str) -> None:
    status, body, _ = fetch(server.base_url + path)
    assert status in (403, 404), (path, status)
    for marker in (*NOTEBOOK_MARKERS, "root:x:", "dashboard.ipynb", "sponsor.ipynb"):
        assert marker not in body, (path, marker)


def test_the_root_is_a_plain_sentence_with_safe_headers(server: RunningServer) -> None:
    status, body, headers = fetch(server.base_url)
    assert status == 200
    assert "personal link your coach sent you" in body
    assert ".ipynb" not in body
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_template_and_theme_cannot_be_chosen_from_the_address(server: RunningServer) -> None:
    query = "voila-template=reveal&template=reveal&voila-theme=dark&theme=dark&strip_sources=False"
    status, body, headers = fetch(server.base_url + "voila/render/dashboard.ipynb?" + query)
    assert status == 200
    assert 'data-jp-theme-name="JupyterLab Light"' in body
    assert "theme-dark" not in body
    assert "reveal" not in body.lower()
    assert "/voila/templates/coachkit/static/" in body
    # sources stay stripped: the page holds none of the template's code
    assert "dashboard.prepare" not in body and "from coachkit" not in body and "client_id" not in body
    for name, value in PAGE_SECURITY_HEADERS.items():
        assert headers[name] == value


VERSIONED_SCRIPT = re.compile(r'<script async src="(/coachkit/static/[0-9a-f]{16})/voila.js"></script>')


def test_the_page_asks_for_voilas_script_before_its_cells_from_an_address_kept_a_year(server: RunningServer) -> None:
    status, page, headers = fetch(server.base_url + "voila/render/dashboard.ipynb")
    assert status == 200
    found = VERSIONED_SCRIPT.search(page)
    assert found is not None
    assert found.start() < page.index('cell-index="1"')  # fetched while the kernel still builds the page
    assert page.count("voila.js") == 1 and "/voila/static/voila.js" not in page
    assert f'"fullStaticUrl": "{found.group(1)}"' in page  # Voilà's other scripts come from there too
    assert "immutable" not in headers.get("Cache-Control", "")  # the page itself is never kept
    versioned = server.base_url + found.group(1).lstrip("/")
    plain_status, plain_script, _ = fetch(server.base_url + "voila/static/voila.js")
    status, script, script_headers = fetch(versioned + "/voila.js")
    assert (status, plain_status) == (200, 200) and script == plain_script
    assert script_headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for path in ("/../voila.js", "/%2e%2e/voila.js", "/nothing.js", "/../../coachkit.db"):
        status, body, _ = fetch(versioned + path)
        assert status in (403, 404), path  # refused, whether it climbs out or does not exist
        assert "Traceback" not in body and "SQLite format" not in body
    status, _, _ = fetch(server.base_url + "coachkit/static/0123456789abcdef/voila.js")
    assert status == 404  # only the current version's address exists


def test_the_widget_extensions_built_files_are_kept_a_year(server: RunningServer) -> None:
    _, page, _ = fetch(server.base_url + "voila/render/dashboard.ipynb")
    entries = re.findall(r'"load": "(static/remoteEntry\.[0-9a-f]+\.js)", "name": "([^"]+)"', page)
    assert entries, "the page names its widget extensions"
    for load, name in entries:
        status, _, headers = fetch(f"{server.base_url}voila/labextensions/{name}/{load}")
        assert status == 200
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    status, _, headers = fetch(f"{server.base_url}voila/labextensions/{entries[0][1]}/package.json")
    assert status == 200 and headers["Cache-Control"] == "no-cache"  # not named by its content


def test_tokens_never_reach_the_server_log(server: RunningServer) -> None:
    fetch(server.base_url + "voila/render/nothing.ipynb?token=SECRET-TOKEN-4242")
    log_path: Path = server.log_path  # type: ignore[attr-defined]
    assert "voila/render/nothing.ipynb" in log_path.read_text()
    assert "SECRET-TOKEN-4242" not in log_path.read_text()


def test_readiness_reports_counts_only(server: RunningServer) -> None:
    status, body, _ = fetch(server.base_url + "coachkit/ready")
    assert status == 200
    report = json.loads(body)
    assert set(report) == {"ready", "pools"}
    assert set(report["pools"]) >= {"dashboard.ipynb", "sponsor.ipynb"}


def test_configuration_is_safe(tmp_path: Path) -> None:
    c = voila_config(tmp_path, "127.0.0.1", 9999, 3)
    vc = c.VoilaConfiguration
    assert (vc.strip_sources, vc.show_tracebacks) == (True, False)
    assert (vc.allow_template_override, vc.allow_theme_override) == ("NO", "NO")
    assert vc.file_allowlist == [] and vc.file_denylist == [r".*"]
    assert (vc.preheat_kernel, vc.default_pool_size) == (True, 3)
    assert c.Voila.config_file_paths == [] and c.Voila.port_retries == 0 and c.Voila.open_browser is False
    assert voila_config(tmp_path, "127.0.0.1", 9999, 0).VoilaConfiguration.preheat_kernel is False
    assert vc.template == "coachkit" and c.VoilaKernelManager.fill_delay == 0  # refilled at once


def test_server_environment_keeps_secrets_out(tmp_path: Path) -> None:
    env = server_environment(
        tmp_path,
        {
            "PATH": "/usr/bin",
            "HOME": "/root",
            "LC_ALL": "C.UTF-8",
            "AWS_SECRET_ACCESS_KEY": "nope",
            "GITHUB_TOKEN": "nope",
            "COACHKIT_BASE_URL": "http://x/",
            "COACHKIT_DB": "sqlite:///x.db",
        },
    )
    assert env["COACHKIT_HOME"] == str(tmp_path)
    assert env["PATH"] == "/usr/bin" and env["LC_ALL"] == "C.UTF-8" and env["COACHKIT_DB"] == "sqlite:///x.db"
    assert "AWS_SECRET_ACCESS_KEY" not in env and "GITHUB_TOKEN" not in env and "COACHKIT_BASE_URL" not in env

"""How a served page's kernel ends itself: it asks the coachkit server that started it to shut
it down, proving which kernel it is with the key of its own connection file (only the kernel and
the server hold it). The server side is :class:`coachkit.server.app.EndPageHandler`.

This module imports no widget library: the server imports it too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import urllib.request
from pathlib import Path

log = logging.getLogger("coachkit.pages")

END_PAGE_PATH = "coachkit/end-page/"
"""Where a kernel asks the server to shut it down (followed by the kernel's id)."""


def end_proof(key: str, kernel_id: str) -> str:
    """What a kernel sends to prove it is the kernel it names: an HMAC of its id under its
    connection key."""
    return hmac.new(key.encode(), f"coachkit-end-page:{kernel_id}".encode(), hashlib.sha256).hexdigest()


def end_kernel() -> None:
    """Ask the coachkit server to shut this kernel down (inside a served page only; elsewhere,
    e.g. under papermill or in tests, nothing happens)."""
    if "VOILA_APP_PORT" not in os.environ:
        return
    try:
        from ipykernel.connect import get_connection_file

        connection = Path(get_connection_file())
        kernel_id = connection.stem.removeprefix("kernel-")
        key = str(json.loads(connection.read_text())["key"])
        host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
        shown = f"[{host}]" if ":" in host else host
        base = os.environ.get("VOILA_SERVER_URL", "/")
        url = f"http://{shown}:{os.environ['VOILA_APP_PORT']}{base.rstrip('/')}/{END_PAGE_PATH}{kernel_id}"
        body = json.dumps({"proof": end_proof(key, kernel_id)}).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            reply.read()
    except Exception as exc:
        log.error("could not end the page's kernel: %s", exc.__class__.__name__)

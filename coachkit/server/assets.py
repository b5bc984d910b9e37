"""The widget manager's scripts as the pages receive them, with one wait made longer.

The widget manager in a page's browser asks the page's kernel for every widget's state in one
message and waits four seconds for the answer. A kernel on a busy machine (ten clients opening
their pages at once, a batch of reports running) can take longer; the manager then falls back to
asking widget by widget, a path that leaves the page at "Loading widget..." for good (reported
upstream as jupyter-widgets/ipywidgets#3633). A served page that never draws is worse than one
that draws late, so :class:`WidgetAssetsHandler` serves those scripts with the wait at sixty
seconds. The change keeps every file's length, so sizes and ranges stay true.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Generator

from jupyter_server.base.handlers import FileFindHandler

STATE_WAIT = re.compile(rb'(Control comm did not respond in time"\)\)?,)4e3\)')
"""The manager's four-second wait for the kernel's widget states, as its minified script has it."""
LONGER_WAIT = rb"\g<1>6e4)"
"""Sixty seconds, written in as many bytes as the four it replaces."""

_patched: dict[tuple[str, float], bytes | None] = {}
_lock = threading.Lock()


def patched_script(abspath: str) -> bytes | None:
    """The script at ``abspath`` with the longer wait, or None when it has no such wait (it is
    then served as it is). Read once per file version."""
    if not abspath.endswith(".js"):
        return None
    key = (abspath, os.stat(abspath).st_mtime)
    with _lock:
        if key in _patched:
            return _patched[key]
    with open(abspath, "rb") as file:
        original = file.read()
    changed, count = STATE_WAIT.subn(LONGER_WAIT, original)
    result = changed if count and len(changed) == len(original) else None
    with _lock:
        _patched[key] = result
    return result


class WidgetAssetsHandler(FileFindHandler):
    """Voilà's ``/voila/labextensions/`` files, the widget manager's with the longer wait."""

    @classmethod
    def get_content(
        cls, abspath: str, start: int | None = None, end: int | None = None
    ) -> Generator[bytes, None, None]:
        """The file's bytes (from ``start`` to ``end``), patched where :func:`patched_script` says."""
        content = patched_script(abspath)
        if content is None:
            yield from super().get_content(abspath, start, end)
            return
        yield content[start:end]

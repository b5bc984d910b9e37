"""Voilà's page templates compiled once per server, not once per page.

Voilà makes a new exporter, and with it a new Jinja environment, for every page it renders: each
visit, and each kernel it warms for the pool. A new environment has an empty template cache, so
every render parsed and compiled the whole template tree again (``index.html.j2``,
``base.html.j2``, nbconvert's ``display_priority.j2`` and the rest): measured with py-spy on a
serving dashboard, that was over half of the server's time, on the path of every visit and
every refill of the pool.

:class:`PageExporter` is Voilà's exporter with one change: its environment shares a byte-code
cache with every other in the process. Each environment still loads each template from its
files, and Jinja compares the source's checksum with the cached entry's, so a changed template
is compiled afresh; what is shared is only the compiled code of an unchanged one. Filters,
globals and everything else stay the environment's own.
"""

from __future__ import annotations

import threading
from typing import Any

import jinja2
from voila import notebook_renderer
from voila.exporter import VoilaExporter


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled template code kept in memory, keyed by Jinja's bucket key (template name and
    file), checked against the source's checksum by Jinja itself."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` with the code compiled before, if any."""
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code Jinja has just compiled."""
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code


_CACHES: dict[tuple[bool, tuple[str, ...]], CompiledTemplates] = {}
_CACHES_LOCK = threading.Lock()


def compiled_for(environment: jinja2.Environment) -> CompiledTemplates:
    """The cache shared by environments that compile alike (async or not, the same extensions):
    code compiled in one is valid in the others."""
    key = (bool(environment.is_async), tuple(sorted(environment.extensions)))
    with _CACHES_LOCK:
        return _CACHES.setdefault(key, CompiledTemplates())


class PageExporter(VoilaExporter):  # type: ignore[misc]
    """Voilà's exporter whose Jinja environment shares compiled templates (:func:`compiled_for`)."""

    @property
    def environment(self) -> Any:
        """Voilà's environment (it adds an extension after creating it), given the shared cache."""
        environment = super().environment
        if environment.bytecode_cache is None:
            environment.bytecode_cache = compiled_for(environment)
        return environment


def install() -> None:
    """Have Voilà's page renderer use :class:`PageExporter` (in the server's process)."""
    notebook_renderer.VoilaExporter = PageExporter

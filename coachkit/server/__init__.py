"""The dashboard server: Voilà over the private pages (client dashboard, sponsor view, rater
form), in a process of its own, with a safe configuration and warm kernels.

:func:`serve` is ``coachkit serve``; :func:`start_server` starts one and returns at once (tests,
the demo, benchmarks). The Voilà application and its configuration are in
:mod:`coachkit.server.app` (imported only by the server process itself).
"""

from coachkit.server.process import (
    DEFAULT_POOL,
    RunningServer,
    ServerError,
    free_port,
    prepare_pages,
    serve,
    server_environment,
    start_server,
    templates_dir,
)

__all__ = [
    "DEFAULT_POOL",
    "RunningServer",
    "ServerError",
    "free_port",
    "prepare_pages",
    "serve",
    "server_environment",
    "start_server",
    "templates_dir",
]

"""Kernels forked warm: coachkit's kernelspec, its provisioner and the fork server behind it.

Every coachkit notebook (a workbook, a report, a served page) runs in a kernel of its own. The
``coachkit`` kernelspec names the ``coachkit-fork`` provisioner (:mod:`coachkit.kernels.provisioner`),
which forks each kernel from a fork server (:mod:`coachkit.kernels.forkserver`) that imported
ipykernel and the caller's warm-up modules once. Whoever starts kernels puts the kernelspec on
Jupyter's path with :func:`jupyter_env` (the practice server, ``coachkit lab``) or
:func:`kernel_spec_manager` (the report and workbook runner), and names its warm-up imports
with :func:`preload_env`. This package imports nothing of the rest of coachkit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from coachkit import settings

if TYPE_CHECKING:
    from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = "coachkit"
"""The kernelspec every coachkit notebook runs on."""
PROVISIONER_NAME = "coachkit-fork"
"""The entry point (group ``jupyter_client.kernel_provisioners``) of :class:`ForkProvisioner`."""
FORK_ENV = "COACHKIT_KERNEL_FORK"
"""Set to ``0`` to start every kernel the ordinary way (a new interpreter each)."""
PRELOAD_ENV = "COACHKIT_KERNEL_PRELOAD"
"""Comma-separated warm-up imports (``module`` or ``module:function``) of the fork server."""


def share_dir() -> Path:
    """The Jupyter data folder holding the ``coachkit`` kernelspec (``kernels/coachkit``)."""
    return Path(__file__).resolve().parent / "share"


def kernelspec_dir() -> Path:
    """The folder of the ``coachkit`` kernelspec."""
    return share_dir() / "kernels" / KERNEL_NAME


def jupyter_env(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with coachkit's kernelspec first on ``JUPYTER_PATH`` (for a Jupyter server)."""
    paths = [str(share_dir()), *(p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p)]
    return {**env, "JUPYTER_PATH": os.pathsep.join(dict.fromkeys(paths))}


def preload_env(modules: Sequence[str]) -> dict[str, str]:
    """The environment entry that names the warm-up imports of the kernels to come."""
    for name in modules:
        if not name or "," in name or not all(part.isidentifier() for part in name.replace(":", ".").split(".")):
            raise ValueError(f"{name!r} is not a module name (module or module:function)")
    return {PRELOAD_ENV: ",".join(modules)}


def preload_of(env: Mapping[str, str]) -> list[str]:
    """The warm-up imports named in ``env``."""
    return [name for name in env.get(PRELOAD_ENV, "").split(",") if name]


def fork_wanted(env: Mapping[str, str]) -> bool:
    """False when ``COACHKIT_KERNEL_FORK`` (in ``env``, else in ours) says ``0``/``no``/``false``."""
    value = env.get(FORK_ENV, settings.read(FORK_ENV))
    return value.strip().lower() not in ("0", "no", "false", "off")


def kernel_spec_manager() -> KernelSpecManager:
    """A kernelspec manager that finds the ``coachkit`` kernelspec (for in-process runners)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_core.paths import jupyter_path

    return KernelSpecManager(kernel_dirs=[str(share_dir() / "kernels"), *jupyter_path("kernels")])


__all__ = [
    "FORK_ENV",
    "KERNEL_NAME",
    "PRELOAD_ENV",
    "PROVISIONER_NAME",
    "fork_wanted",
    "jupyter_env",
    "kernel_spec_manager",
    "kernelspec_dir",
    "preload_env",
    "preload_of",
    "share_dir",
]

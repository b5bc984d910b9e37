"""How a service is made from a library verb that takes the practice's store: the verb, bound so
that it takes the practice instead, with the same parameters, types and docstring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from coachkit.practice import Practice
from coachkit.store import Store

P = ParamSpec("P")
R = TypeVar("R")


def on_practice(verb: Callable[Concatenate[Store, P], R], *, module: str) -> Callable[Concatenate[Practice, P], R]:
    """``verb(store, ...)`` as ``service(practice, ...)``; ``module`` is the service module it
    belongs to (where its documentation says it is)."""

    def service(practice: Practice, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return verb(practice.store, *args, **kwargs)

    service.__name__ = service.__qualname__ = verb.__name__
    service.__doc__ = verb.__doc__
    service.__module__ = module
    return service

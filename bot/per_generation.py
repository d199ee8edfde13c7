"""Tables derived from the loaded sources, built once per generation.

The retriever hands out the same `sources` dict (the manifest's) until a re-ingest replaces it,
so a table built from it stays right for as long as that dict is the one passed in. Rebuilding
them for every message cost about 8 ms each at 20k chunks (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
from typing import Callable, TypeVar

T = TypeVar("T")


def per_generation(build: Callable[[dict], T]) -> Callable[[dict], T]:
    """`build(sources)`, remembered for the last `sources` dict seen (by identity). Callers must
    not change what it returns."""
    last: list = [(None, None)]

    @functools.wraps(build)
    def cached(sources: dict) -> T:
        held, table = last[0]
        if held is not sources:
            table = build(sources)
            last[0] = (sources, table)  # one assignment: a thread sees the old pair or the new
        return table

    return cached

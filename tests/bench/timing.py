"""Timing for the benchmarks: milliseconds per call after a warm-up, and the percentiles the notes report."""

import statistics
import time
from collections.abc import Callable


def sample_ms(fn: Callable[[int], object], runs: int, warmup: int = 3) -> list[float]:
    """Call fn(i) `warmup` times untimed (caches, connection), then `runs` times timed; milliseconds per call."""
    for i in range(warmup):
        fn(i)
    samples = []
    for i in range(runs):
        started = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[18]

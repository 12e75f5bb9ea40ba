"""Province-scale benchmark harness (issue 8): ``python -m bench`` (``make bench``).

* ``bench.loader``  — the synthetic data set (COPY into PostgreSQL; bulk_create elsewhere, for the tests);
* ``bench.measure`` — latencies, query counts, computations and report builds, each with its baseline;
* ``bench.child``   — one report build in a fresh process (time, tracemalloc peak, max RSS);
* ``bench.__main__`` — the command line: database, load, measure, write ``bench/results/``.
"""

"""CPU-bound work on the default (GIL) build: a pool of threads takes as long as one thread
would, a pool of processes runs in parallel. Both pools have one worker per core this
process may use, and every worker is started before the clock starts (warm_up), so a
start method's cost (fork, spawn, forkserver) is not what is measured. On one core there
is nothing to run in parallel, and the demo says so."""
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import time

from primes import CHUNKS, CORES, count_primes, header, report, warm_up

# region compare
def timed(pool):
    warm_up(pool)  # every worker started
    start = time.perf_counter()
    sum(pool.map(count_primes, CHUNKS))
    return time.perf_counter() - start

if __name__ == "__main__":
    header()
    with ThreadPoolExecutor(CORES) as pool:
        threads = timed(pool)
    with ProcessPoolExecutor(CORES) as pool:
        processes = timed(pool)
# endregion
    report(("thread", "threads"), threads,
           ("process", "processes"),
           processes)

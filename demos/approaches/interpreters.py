"""Needs CPython 3.14 (concurrent.futures.InterpreterPoolExecutor; the slide says
requires=3.14). The same CPU-bound work as cpu_threads_vs_processes.py, in a pool of
threads and in a pool of subinterpreters: one per core, each with its own GIL, in one
process. On the default build the interpreters run in parallel and the threads take
turns; on a free-threaded build (3.13t, 3.14t) the threads run in parallel too, and the
speed-up is about 1: the header line says which build ran.

Functions defined in __main__ cannot be sent to an interpreter (they are pickled by
name), so the work lives in primes.py. A subinterpreter's sys.path need not start with
this folder (the deck runs demos from a bootstrap), hence the initializer that puts it
first; exec is a builtin, which pickles by name."""
import os
import sys
import time

if sys.version_info < (3, 14):
    version = ".".join(map(str, sys.version_info[:2]))
    sys.exit(f"needs CPython 3.14 or later (InterpreterPoolExecutor); this is {version}")

from concurrent.futures import InterpreterPoolExecutor, ThreadPoolExecutor

from primes import CHUNKS, CORES, count_primes, header, report, warm_up

HERE = os.path.dirname(os.path.abspath(__file__))
IMPORTS_HERE = {"initializer": exec,
                "initargs": (f"import sys; sys.path.insert(0, {HERE!r})",)}

def timed(pool):
    warm_up(pool)  # every worker started
    start = time.perf_counter()
    sum(pool.map(count_primes, CHUNKS))
    return time.perf_counter() - start

# region interpreters
if __name__ == "__main__":
    header()
    with ThreadPoolExecutor(CORES) as pool:
        threads = timed(pool)
    with InterpreterPoolExecutor(
            CORES, **IMPORTS_HERE) as pool:
        interpreters = timed(pool)
# endregion
    report(("thread", "threads"), threads,
           ("interpreter", "interpreters"),
           interpreters)

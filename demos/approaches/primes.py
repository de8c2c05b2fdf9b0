"""The CPU-bound work of the approaches demos and what they share: counting primes in
chunks, the worker count (the cores this process may use), starting every worker of a pool
before the clock starts, and the speed-up line whose colour follows the result.

The work is a module of its own (not the demo's __main__), so process pools under spawn
and forkserver, and interpreter pools, can import it in their workers."""
import os
import sys
import threading
import time

# The cores this process may run on (3.13+ knows affinity masks and -X cpu_count), else all.
CORES = getattr(os, "process_cpu_count", os.cpu_count)() or 1
LIMIT = 250_000  # count the primes below this: about half a second of pure Python
# Several small chunks per worker, interleaved, so every worker gets about the same work.
CHUNKS = [(start, start + 2_500) for start in range(0, LIMIT, 2_500)]

RED, YELLOW, GREEN, RESET = "\033[31m", "\033[33m", "\033[32m", "\033[0m"


def count_primes(bounds):
    low, high = bounds
    found = 0
    for n in range(max(low, 2), high):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            found += 1
    return found


def whoami(_):
    """Which worker ran this (process and thread), after a short nap so the others get tasks too."""
    time.sleep(0.02)
    return os.getpid(), threading.get_ident()


def warm_up(pool):
    """Returns once every worker of the pool has started and run a task: start-up (a fork,
    a spawn that imports this module, a new interpreter) stays out of the timing."""
    seen = set()
    while len(seen) < CORES:
        seen.update(pool.map(whoami, range(CORES)))


def header():
    version = ".".join(map(str, sys.version_info[:2]))
    gil = "GIL on" if getattr(sys, "_is_gil_enabled", lambda: True)() else "GIL off"
    cores = f"{CORES} core" + ("s" if CORES > 1 else "")
    workers = f"{CORES} worker" + ("s" if CORES > 1 else "")
    print(f"CPython {version}, {gil}, {cores} → {workers}")
    print(f"count primes below {LIMIT:,}")


def report(name_a, seconds_a, name_b, seconds_b):
    """Prints both timings (names as (singular, plural)) and b's speed-up over a, in a
    colour that follows it: green from 1.2, yellow from 1, red below."""
    for (one, many), seconds in ((name_a, seconds_a), (name_b, seconds_b)):
        label = f"{CORES} {one if CORES == 1 else many}:"
        print(f"{label:<17}{seconds:.2f} s")
    speed_up = seconds_a / seconds_b
    colour = GREEN if speed_up >= 1.2 else YELLOW if speed_up >= 1 else RED
    line = f"speed-up: {speed_up:.2f}×"
    # OSC 7770 marks the punchline for the slide's strip.
    print(f"\x1b]7770;{line}\x07{colour}{line}{RESET} ({name_b[1]} over {name_a[1]})")
    if CORES == 1:
        print("1 core: no parallelism to gain")

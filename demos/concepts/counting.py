"""The lost-updates demos' harness: THREADS threads run a counting function at once, and
each race prints one line: how many updates were lost at the current switch interval."""
import sys
import threading

THREADS, HITS = 4, 30_000
RED, GREEN, RESET = "\033[31m", "\033[32m", "\033[0m"
DEFAULT_INTERVAL = sys.getswitchinterval()  # 5 ms unless someone changed it


def gil_state():
    """'GIL on' on the default build; 'GIL off' on a free-threaded one (3.13t, 3.14t)."""
    is_enabled = getattr(sys, "_is_gil_enabled", lambda: True)
    return "GIL on" if is_enabled() else "GIL off"


def header(what):
    version = ".".join(map(str, sys.version_info[:2]))
    print(f"CPython {version}, {gil_state()}, {THREADS} threads")
    print(f"each: {HITS:,} × {what}")
    print(f"expected:        {THREADS * HITS:,}")


def interval_label():
    """The switch interval in words: '5 ms', '1 µs'."""
    seconds = sys.getswitchinterval()
    if seconds >= 1e-3:
        return f"{seconds * 1e3:g} ms"
    return f"{seconds * 1e6:g} µs"


def race(count_hits, hits):
    """Runs count_hits in THREADS threads at once on hits["/"] (reset to 0 first), and
    prints the updates lost at the current switch interval; the forced run's line is the
    punchline (marked for the slide's strip, OSC 7770)."""
    hits["/"] = 0
    # Named by the interval they run at: the timeline's lanes say which race they are in.
    threads = [threading.Thread(target=count_hits, name=f"{interval_label()} #{n}") for n in range(1, THREADS + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lost = THREADS * HITS - hits["/"]
    forced = sys.getswitchinterval() != DEFAULT_INTERVAL
    if forced:
        note = "(forced)"
    else:
        note = "(default, this time)" if lost == 0 else "(default)"
    line = f"lost at {interval_label()}:".ljust(17) + f"{lost:,} {note}"
    colour = RED if lost else GREEN
    mark = f"\x1b]7770;{line}\x07" if forced else ""
    print(f"{mark}{colour}{line}{RESET}")
    return lost

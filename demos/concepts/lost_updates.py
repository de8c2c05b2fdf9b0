"""Four threads count page hits in a shared dict without a lock, twice. At the default
switch interval (5 ms) they lose nothing, this time: a test would pass. With the interval
forced down to 1 µs (on the slide, not hidden), the same code loses many of its updates:
the defect was there all along, the default timing only hid it."""
import sys

from counting import HITS, header, race

header("read, add 1, write")

# region race
hits = {"/": 0}

def count_hits():
    for _ in range(HITS):
        hits["/"] = hits.get("/") + 1

race(count_hits, hits)  # default: 5 ms
sys.setswitchinterval(1e-6)  # forced: 1 µs
race(count_hits, hits)
# endregion

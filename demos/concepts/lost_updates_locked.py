"""The same four threads, the interval forced down to 1 µs as before, but the read-add-write
happens under a lock: one thread at a time, so nothing is lost, however often they switch."""
import sys
import threading

from counting import HITS, header, race

header("read, add 1, write, locked")

# region locked
hits = {"/": 0}
hits_lock = threading.Lock()

def count_hits():
    for _ in range(HITS):
        with hits_lock:  # one at a time
            hits["/"] = hits.get("/") + 1

sys.setswitchinterval(1e-6)  # forced: 1 µs
race(count_hits, hits)
# endregion

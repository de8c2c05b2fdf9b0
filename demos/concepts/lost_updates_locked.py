"""The same four threads, now the read-add-write happens under a lock: nothing is lost."""
import sys
import threading

from counting import HITS, THREADS, report

sys.setswitchinterval(1e-5)  # switch threads often, as on a busy machine

# region locked
hits = {"page": 0}
hits_lock = threading.Lock()

def count_hits():
    for _ in range(HITS):
        with hits_lock:  # one thread at a time
            hits["page"] = hits.get("page") + 1

threads = [threading.Thread(target=count_hits)
           for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
# endregion

report(hits["page"], "with a lock")

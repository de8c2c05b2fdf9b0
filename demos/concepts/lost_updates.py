"""Four threads count page hits in a shared dict, without a lock: updates get lost."""
import sys
import threading

from counting import HITS, THREADS, report

sys.setswitchinterval(1e-5)  # switch threads often, as on a busy machine

# region race
hits = {"page": 0}

def count_hits():
    for _ in range(HITS):
        hits["page"] = hits.get("page") + 1

threads = [threading.Thread(target=count_hits)
           for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
# endregion

report(hits["page"], "no lock")

"""The same four threads, now the read-add-write happens under a lock: nothing is lost."""
import sys
import threading

sys.setswitchinterval(1e-5)  # switch threads often, as on a busy machine

THREADS, HITS = 4, 50_000

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

expected = THREADS * HITS
lost = expected - hits["page"]
colour = "\033[31m" if lost else "\033[32m"
print(f"{THREADS} threads x {HITS:,} increments, with a lock")
print(f"expected:     {expected:,}")
print(f"counted:      {hits['page']:,}")
print(f"{colour}lost updates: {lost}\033[0m")

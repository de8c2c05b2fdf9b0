"""Four threads count page hits in a shared dict, without a lock: updates get lost."""
import sys
import threading

sys.setswitchinterval(1e-5)  # switch threads often, as on a busy machine

THREADS, HITS = 4, 50_000

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

expected = THREADS * HITS
lost = expected - hits["page"]
colour = "\033[31m" if lost else "\033[32m"
print(f"{THREADS} threads x {HITS:,} increments, no lock")
print(f"expected:     {expected:,}")
print(f"counted:      {hits['page']:,}")
print(f"{colour}lost updates: {lost}\033[0m")

"""Producer/consumer with a queue: three worker threads take items from one bounded
queue, each item exactly once, with no lock in our code; one sentinel per worker shuts
them down cleanly."""
import collections
import queue
import threading
import time
from threading import Thread

WORKERS, ITEMS = 3, 60
STOP = object()  # the sentinel: "no more items"
handled = collections.defaultdict(list)  # worker name -> the items it took


def handle(item):
    time.sleep(0.005)  # some I/O per item
    handled[threading.current_thread().name].append(item)


# region queue
def worker():
    while (item := tasks.get()) is not STOP:
        handle(item)

tasks = queue.Queue(maxsize=10)  # bounded
workers = [Thread(target=worker)
           for _ in range(WORKERS)]
for w in workers:
    w.start()
for item in range(ITEMS):
    tasks.put(item)  # waits while full
for w in workers:
    tasks.put(STOP)  # one per worker
# endregion
for w in workers:
    w.join()

taken = [item for items in handled.values() for item in items]
duplicates = len(taken) - len(set(taken))
missing = len(set(range(ITEMS)) - set(taken))
print(f"{WORKERS} worker threads, 1 queue of 10")
for n, w in enumerate(workers):
    print(f"  worker {n}: {len(handled[w.name])} items")
print(f"put: {ITEMS:,}, taken: {len(taken):,}")
line = f"duplicates: {duplicates}, missing: {missing}"
colour = "\033[31m" if duplicates or missing else "\033[32m"
print(f"\x1b]7770;{line}\x07{colour}{line}\033[0m")
print(f"workers still running: {sum(w.is_alive() for w in workers)}")

"""Producer/consumer with a queue: three workers, one sentinel each for a clean shutdown."""
import collections
import queue
import threading
import time

WORKERS, ITEMS = 3, 60
handled = collections.defaultdict(list)   # worker name -> items it processed


def process(item):
    time.sleep(0.005)                      # some work per item
    handled[threading.current_thread().name].append(item)


# region queue
STOP = object()  # the sentinel
tasks = queue.Queue(maxsize=10)

def worker():
    while (item := tasks.get()) is not STOP:
        process(item)

workers = [threading.Thread(target=worker)
           for _ in range(WORKERS)]
for w in workers:
    w.start()
for item in range(ITEMS):  # the producer
    tasks.put(item)
for _ in workers:
    tasks.put(STOP)  # one sentinel per worker
for w in workers:
    w.join()
# endregion

consumed = [item for items in handled.values() for item in items]
duplicates = len(consumed) - len(set(consumed))
missing = len(set(range(ITEMS)) - set(consumed))
for n, w in enumerate(workers):
    print(f"  worker {n}: {len(handled[w.name])} items")
print(f"produced: {ITEMS}")
print(f"consumed: {len(consumed)}")
colour = "\033[31m" if duplicates or missing else "\033[32m"
print(f"{colour}duplicates: {duplicates}\033[0m")
print(f"{colour}missing: {missing}\033[0m")
print(f"workers still running: {sum(w.is_alive() for w in workers)}")

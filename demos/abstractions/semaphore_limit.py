"""A Semaphore caps concurrency: ten downloads, at most three at a time."""
import threading
import time

TASKS, LIMIT = 10, 3
active, peak, active_lock = 0, 0, threading.Lock()


def track(delta):
    global active, peak
    with active_lock:
        active += delta
        peak = max(peak, active)
        if delta > 0:
            print(f"  {threading.current_thread().name:>9} starts, active: {'#' * active}")


# region semaphore
slots = threading.Semaphore(LIMIT)

def download():
    with slots:  # waits while LIMIT downloads run
        track(+1)
        time.sleep(0.2)  # the download
        track(-1)

threads = [
    threading.Thread(target=download, name=f"task {n}")
    for n in range(TASKS)
]
for t in threads:
    t.start()
for t in threads:
    t.join()
# endregion

print(f"limit: {LIMIT}")
print(f"\033[32mmax concurrent: {peak}\033[0m")

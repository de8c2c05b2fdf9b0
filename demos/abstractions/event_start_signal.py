"""An Event as a starting gun: workers wait for it, and all start when it is set."""
import threading
import time

WORKERS = 5
started = {}

# region event
start_signal = threading.Event()

def worker(n):
    start_signal.wait()  # blocks until set() is called
    started[n] = time.perf_counter()

threads = [threading.Thread(target=worker, args=(n,))
           for n in range(WORKERS)]
for t in threads:
    t.start()
time.sleep(0.5)  # the workers wait meanwhile
early = len(started)
signal_time = time.perf_counter()
start_signal.set()  # wakes every waiting worker at once
for t in threads:
    t.join()
# endregion

latest = max(started.values()) - signal_time
print(f"{WORKERS} workers, the signal is set after 0.5 s")
colour = "\033[31m" if early else "\033[32m"
print(f"{colour}started before the signal: {early}\033[0m")
print(f"\033[32mstarted after the signal: {len(started) - early}\033[0m")
print(f"latest start after signal: {latest * 1000:.1f} ms")

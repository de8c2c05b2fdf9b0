"""concurrent.futures for I/O: a thread pool, results handled as they complete."""
import random
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

random.seed(7)
DELAYS = {f"host{n}.example.org": random.choice((0.2, 0.4, 0.6, 0.8)) for n in range(8)}


def fetch(host):
    time.sleep(DELAYS[host])               # stands in for a network request
    return f"200 OK after {DELAYS[host]:.1f} s"


start = time.perf_counter()
# region as_completed
with ThreadPoolExecutor(max_workers=8) as pool:
    futures = {pool.submit(fetch, host): host
               for host in DELAYS}
    for future in as_completed(futures):  # fastest first
        host = futures[future]
        t = time.perf_counter() - start
        print(f"  {t:4.2f} s  {host}: {future.result()}")
# endregion
elapsed = time.perf_counter() - start
sequential = sum(DELAYS.values())
print(f"sequential estimate: {sequential:.2f} s")
print(f"elapsed:             {elapsed:.2f} s")
print(f"\033[32mspeed-up: {sequential / elapsed:.1f}\033[0m")

"""I/O-bound work in threads: ten requests that each wait 0.5 s take 0.5 s together, not 5 s."""
import threading
import time

REQUESTS, WAIT = 10, 0.5
results = {}

# region threads
def fetch(url):
    time.sleep(WAIT)  # a network round trip
    results[url] = f"<html of {url}>"

urls = [f"https://example.org/page/{n}"
        for n in range(REQUESTS)]
start = time.perf_counter()
threads = [threading.Thread(target=fetch, args=(url,))
           for url in urls]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
# endregion

sequential = REQUESTS * WAIT
print(f"{len(results)} requests in {REQUESTS} threads, each waiting {WAIT} s")
print(f"sequential estimate: {sequential:.2f} s")
print(f"elapsed:             {elapsed:.2f} s")
print(f"\033[32mspeed-up: {sequential / elapsed:.1f}\033[0m")

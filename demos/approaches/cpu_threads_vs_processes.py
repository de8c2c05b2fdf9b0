"""CPU-bound work: two threads take as long as one (the GIL); two processes run in parallel."""
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

LIMIT = 300_000            # count primes below this, in chunks
CHUNKS = [(start, start + 15_000) for start in range(0, LIMIT, 15_000)]
ROUNDS = 3                 # best of three: the machine is shared


def count_primes(bounds):
    low, high = bounds
    found = 0
    for n in range(max(low, 2), high):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            found += 1
    return found


# region compare
def timed(executor_class):
    start = time.perf_counter()
    with executor_class(max_workers=2) as pool:
        sum(pool.map(count_primes, CHUNKS))
    return time.perf_counter() - start

if __name__ == "__main__":
    threads, processes = [], []
    for _ in range(ROUNDS):
        threads.append(timed(ThreadPoolExecutor))
        processes.append(timed(ProcessPoolExecutor))
# endregion
    threads, processes = min(threads), min(processes)
    print(f"count primes below {LIMIT:,}, 2 workers, best of {ROUNDS}")
    print(f"threads:   {threads:.2f} s")
    print(f"processes: {processes:.2f} s")
    print(f"\033[32mspeed-up: {threads / processes:.2f}\033[0m (processes over threads)")

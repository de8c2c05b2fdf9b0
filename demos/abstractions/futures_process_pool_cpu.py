"""concurrent.futures for CPU-bound work: a process pool, results in input order with map."""
import time
from concurrent.futures import ProcessPoolExecutor

NUMBERS = [4_999_957, 4_999_959, 4_999_963, 4_999_971, 4_999_999, 5_000_001, 5_000_011, 5_000_077]


def sum_of_divisors(n):
    return sum(d for d in range(1, n // 2 + 1) if n % d == 0)


def is_prime(n):
    return sum_of_divisors(n) == 1


# region map
if __name__ == "__main__":
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = pool.map(is_prime, NUMBERS)  # in order
        for n, prime in zip(NUMBERS, results):
            t = time.perf_counter() - start
            print(f"  {t:4.2f} s  {n:,} prime: {prime}")
    parallel = time.perf_counter() - start
# endregion
    start = time.perf_counter()
    for n in NUMBERS:
        is_prime(n)
    sequential = time.perf_counter() - start
    print(f"sequential:   {sequential:.2f} s (one process, for comparison)")
    print(f"process pool: {parallel:.2f} s (2 workers)")
    print(f"\033[32mspeed-up: {sequential / parallel:.2f}\033[0m")

"""A check-then-act race: it (almost) never shows on a quiet machine, and often under CPU load."""
import multiprocessing as mp
import os
import threading
import time

TRIALS = 120
ARRIVAL_GAP = 0.003          # the second customer comes 3 ms after the first
BURNERS = 8                  # CPU-bound processes: the "load"


# region race
def book(tickets, sold, customer):
    if tickets["left"] > 0:  # check ...
        charge_card(customer)  # a 1 ms round trip
        tickets["left"] -= 1  # ... then act: still true?
        sold.append(customer)
# endregion


def charge_card(customer):
    time.sleep(0.001)


def oversold():
    """One trial: one ticket left, two customers 3 ms apart. True if both got it."""
    tickets, sold = {"left": 1}, []
    first = threading.Thread(target=book, args=(tickets, sold, "alice"))
    second = threading.Thread(target=book, args=(tickets, sold, "bob"))
    first.start()
    time.sleep(ARRIVAL_GAP)
    second.start()
    first.join()
    second.join()
    return len(sold) > 1


def burn(stop):
    while not stop.is_set():
        sum(i * i for i in range(10_000))


def run(label):
    start = time.perf_counter()
    failures = sum(oversold() for _ in range(TRIALS))
    colour = "\033[31m" if failures else "\033[32m"
    print(f"{colour}{label} failures: {failures} of {TRIALS}\033[0m  ({time.perf_counter() - start:.1f} s)")
    return failures


if __name__ == "__main__":
    print(f"{TRIALS} trials: 1 ticket left, 2 customers {ARRIVAL_GAP * 1000:.0f} ms apart, oversold?")
    run("quiet run")
    stop = mp.Event()
    burners = [mp.Process(target=burn, args=(stop,)) for _ in range(BURNERS)]
    for p in burners:
        p.start()
    time.sleep(0.2)
    print(f"now {BURNERS} CPU-bound processes on {os.cpu_count()} cores ...")
    run("under load")
    stop.set()
    for p in burners:
        p.join()

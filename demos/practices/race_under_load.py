"""A check-then-act race that passes on a quiet machine and fails under load. One ticket is
left; two customers book it 3 ms apart. Quiet, the first is long done when the second
checks. Under load (three CPU-bound processes per core, so every core is busy whatever the
laptop), the first one's thread now and then waits for a core after one of the card
payment's round trips, the second one checks meanwhile, and the ticket is sold twice."""
import multiprocessing as mp
import os
import threading
import time

TRIALS = 100
ARRIVAL_GAP = 0.003  # the second customer comes 3 ms after the first
ROUND_TRIPS = 4  # the card payment: authorize, check, capture, receipt
MAX_BURNERS = 48  # 3 per core up to 16 cores: their memory stays well under the run's 1 GB


def cores():
    """The cores this process may use: os.process_cpu_count() from 3.13 on, else the
    affinity mask where there is one (Linux), else os.cpu_count()."""
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# region race
def book(tickets, sold, customer):
    if tickets["left"] > 0:  # check ...
        charge_card(customer)  # ~2 ms of I/O
        tickets["left"] -= 1  # ... act
        sold.append(customer)
# endregion


def charge_card(customer):
    for _ in range(ROUND_TRIPS):
        time.sleep(0.0005)  # a round trip to the payment service


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


def count_oversold():
    return sum(oversold() for _ in range(TRIALS))


def report(label, failures, punchline=False):
    line = f"{label}, sold twice: {failures} of {TRIALS}"
    mark = f"\x1b]7770;{line}\x07" if punchline else ""
    colour = "\033[31m" if failures else "\033[32m"
    print(f"{mark}{colour}{line}\033[0m")


if __name__ == "__main__":
    print(f"{TRIALS} trials: 1 ticket left, 2 customers")
    print(f"{ARRIVAL_GAP * 1000:.0f} ms apart. Is it sold twice?")
    print()
    report("quiet run", count_oversold())
    burners = min(3 * cores(), MAX_BURNERS)  # every core busy, on any laptop
    stop = mp.Event()
    load = [mp.Process(target=burn, args=(stop,)) for _ in range(burners)]
    for p in load:
        p.start()
    time.sleep(0.3)  # let every burner start burning
    plural = "s" if cores() > 1 else ""
    print(f"load: {burners} busy processes, {cores()} core{plural}")
    failures = count_oversold()
    stop.set()
    for p in load:
        p.join()
    report("under load", failures, punchline=True)
    if not failures:
        print("not exposed this time: the race is there")

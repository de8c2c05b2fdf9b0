"""A message broker in its own process: publishers send to it, it distributes round-robin to workers."""
import itertools
import multiprocessing as mp
import os

PUBLISHERS, WORKERS, PER_PUBLISHER = 2, 3, 30
DONE = "DONE"


def publisher(name, inbox):
    for n in range(PER_PUBLISHER):
        inbox.put(f"{name}: order {n}")
    inbox.put(DONE)


def worker(name, queue, report):
    handled = []
    while (message := queue.get()) != DONE:
        handled.append(message)               # here a worker would do the real job
    report.put((name, os.getpid(), handled))


# region broker
def broker(inbox, queues, publishers):
    next_worker = itertools.cycle(queues)  # round-robin
    finished = 0
    while finished < publishers:
        message = inbox.get()
        if message == DONE:
            finished += 1
        else:
            next(next_worker).put(message)
    for queue in queues:
        queue.put(DONE)  # then shut the workers down
# endregion


if __name__ == "__main__":
    inbox, report = mp.Queue(), mp.Queue()
    worker_queues = [mp.Queue() for _ in range(WORKERS)]
    processes = [mp.Process(target=broker, args=(inbox, worker_queues, PUBLISHERS), name="broker")]
    processes += [mp.Process(target=worker, args=(f"worker {n}", q, report)) for n, q in enumerate(worker_queues)]
    processes += [mp.Process(target=publisher, args=(f"publisher {n}", inbox)) for n in range(PUBLISHERS)]
    for p in processes:
        p.start()
    reports = sorted(report.get(timeout=10) for _ in range(WORKERS))
    for p in processes:
        p.join(timeout=5)
    print(f"broker pid {processes[0].pid}; {PUBLISHERS} publishers, {WORKERS} worker processes")
    delivered = []
    for name, pid, handled in reports:
        delivered += handled
        print(f"  {name} (pid {pid}): {len(handled)} messages")
    sent = PUBLISHERS * PER_PUBLISHER
    print(f"messages sent: {sent}")
    expected = {f"publisher {p}: order {n}" for p in range(PUBLISHERS) for n in range(PER_PUBLISHER)}
    missing = len(expected - set(delivered))
    duplicates = len(delivered) - len(set(delivered))
    colour = "\033[31m" if missing or duplicates else "\033[32m"
    print(f"{colour}messages delivered: {len(delivered)}\033[0m")
    print(f"missing: {missing}, duplicates: {duplicates}")

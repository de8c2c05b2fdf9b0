"""Two threads take the same two locks in opposite order: a deadlock. Neither ever gets
both locks; a watchdog waits a second, reads who holds and who waits for which lock, finds
the cycle of waits and exits with status 1 (the slide expects it: expect=fail). The
threads are daemons, so the exit does not wait for them."""
import sys
import threading
from threading import Thread

RED, RESET = "\033[31m", "\033[0m"
PATIENCE = 1.0  # seconds without progress before the watchdog looks


class NamedLock:
    """A lock that records who holds it and who waits for it, so a watchdog can report."""

    holder, waiting_for = {}, {}

    def __init__(self, name):
        self.name, self._lock = name, threading.Lock()

    def __enter__(self):
        me = threading.current_thread().name
        NamedLock.waiting_for[me] = self
        self._lock.acquire()
        del NamedLock.waiting_for[me]
        NamedLock.holder[self] = me

    def __exit__(self, *exc):
        del NamedLock.holder[self]
        self._lock.release()


lock1, lock2 = NamedLock("lock1"), NamedLock("lock2")
both = threading.Barrier(2)  # so the unlucky interleaving happens every run
print("A takes lock1, then lock2")
print("B takes lock2, then lock1")

# region deadlock
def transfer(first, second):
    with first:
        both.wait()   # each holds one lock
        with second:  # waits forever
            print("got both locks")

a = Thread(target=transfer, name="A",
           args=(lock1, lock2), daemon=True)
b = Thread(target=transfer, name="B",
           args=(lock2, lock1), daemon=True)
a.start(); b.start()
# endregion


def find_cycle(start):
    """Follows 'waits for a lock that X holds' from thread start; the cycle, or None."""
    path, name = [start], start
    while (lock := NamedLock.waiting_for.get(name)) and (name := NamedLock.holder.get(lock)):
        if name in path:
            return path[path.index(name):] + [name]
        path.append(name)
    return None


a.join(timeout=PATIENCE)
cycle = find_cycle("A")
# On a machine too busy to get both threads to their second lock within PATIENCE, look again.
while cycle is None and (a.is_alive() or b.is_alive()):
    a.join(timeout=0.1)
    cycle = find_cycle("A")
if cycle is None:
    print("no deadlock: both threads finished")
    sys.exit(0)
print("both threads stuck:")
for name in cycle[:-1]:
    lock = NamedLock.waiting_for[name]
    held = [held.name for held, who in NamedLock.holder.items() if who == name]
    print(f"  {name} holds {', '.join(held)}, waits for {lock.name}")
print(f"{RED}deadlock: cycle {' → '.join(cycle)}{RESET}")
line = f"deadlocked threads: {len(cycle) - 1}"
print(f"\x1b]7770;{line}\x07{RED}{line}{RESET}")
sys.exit(1)

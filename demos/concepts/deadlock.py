"""Two threads take the same two locks in opposite order: a deadlock. A watchdog reports it."""
import sys
import threading
import time


class NamedLock:
    """A lock that remembers who holds it and who waits for it, so a watchdog can report."""

    holders, waiters = {}, {}

    def __init__(self, name):
        self.name, self._lock = name, threading.Lock()

    def __enter__(self):
        me = threading.current_thread().name
        NamedLock.waiters[me] = self.name
        self._lock.acquire()
        del NamedLock.waiters[me]
        NamedLock.holders.setdefault(me, []).append(self.name)

    def __exit__(self, *exc):
        NamedLock.holders[threading.current_thread().name].remove(self.name)
        self._lock.release()


lock1, lock2 = NamedLock("lock1"), NamedLock("lock2")

# region deadlock
def transfer(first, second):
    me = threading.current_thread().name
    with first:
        time.sleep(0.1)  # the other takes its first lock
        with second:
            print(f"{me}: got both locks")

a = threading.Thread(target=transfer, args=(lock1, lock2),
                     name="A", daemon=True)
b = threading.Thread(target=transfer, args=(lock2, lock1),
                     name="B", daemon=True)
a.start(); b.start()
# endregion

a.join(timeout=1.5)
b.join(timeout=0.1)
if a.is_alive() and b.is_alive():
    print("\033[31mdeadlock detected:\033[0m")
    for name in ("A", "B"):
        held = ", ".join(NamedLock.holders.get(name, [])) or "nothing"
        print(f"  thread {name} holds {held}, waits for {NamedLock.waiters.get(name, 'nothing')}")
    print("deadlocked threads: 2")
    sys.exit(1)
print("\033[32mboth threads finished\033[0m")
print("deadlocked threads: 0")

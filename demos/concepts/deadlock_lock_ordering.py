"""The fix: every thread takes the locks in one global order, so no cycle can form."""
import threading
import time

lock1, lock2 = threading.Lock(), threading.Lock()
LOCK_ORDER = [lock1, lock2]          # the one global order

# region ordered
def transfer(*locks):
    first, second = sorted(locks, key=LOCK_ORDER.index)
    me = threading.current_thread().name
    with first:  # lock1 before lock2, whoever calls
        time.sleep(0.1)
        with second:
            print(f"{me}: got both locks")

a = threading.Thread(target=transfer, args=(lock1, lock2),
                     name="A")
b = threading.Thread(target=transfer, args=(lock2, lock1),
                     name="B")
a.start(); b.start()
# endregion

a.join(timeout=3)
b.join(timeout=3)
stuck = sum(t.is_alive() for t in (a, b))
colour = "\033[31m" if stuck else "\033[32m"
print(f"{colour}deadlocked threads: {stuck}\033[0m")
raise SystemExit(1 if stuck else 0)

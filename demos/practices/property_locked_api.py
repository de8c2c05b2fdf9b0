"""The fix: hide the state behind an API that does read-compute-write under the object's own lock."""
import sys
import threading

sys.setswitchinterval(1e-5)  # switch threads often, as on a busy machine

THREADS, DEPOSITS = 4, 20_000

# region api
class Account:
    def __init__(self):
        self._balance = 0
        self._lock = threading.Lock()

    @property
    def balance(self):  # read-only from outside
        return self._balance

    def deposit(self, amount):  # only way to change it
        with self._lock:  # read, add, write as one step
            self._balance += amount

account = Account()

def deposit_many(n):
    for _ in range(n):
        account.deposit(1)
# endregion


threads = [threading.Thread(target=deposit_many, args=(DEPOSITS,)) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
expected = THREADS * DEPOSITS
lost = expected - account.balance
colour = "\033[31m" if lost else "\033[32m"
print(f"{THREADS} threads x {DEPOSITS:,} deposits of 1 through account.deposit()")
print(f"expected balance: {expected:,}")
print(f"actual balance:   {account.balance:,}")
print(f"{colour}lost updates: {lost}\033[0m")

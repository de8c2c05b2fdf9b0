"""The fix: hide the state behind an API that does read-compute-write under the object's own lock."""
import sys
import threading

from hammer import hammer

sys.setswitchinterval(1e-5)  # switch threads often, as on a busy machine

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


hammer(deposit_many, account, "through account.deposit()")

"""`account.balance += 1` looks like one step. With a property it is a getter call and a setter call."""
import sys
import threading

sys.setswitchinterval(1e-5)  # switch threads often, as on a busy machine

THREADS, DEPOSITS = 4, 20_000

# region property
class Account:
    def __init__(self):
        self._balance = 0

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, value):
        self._balance = value  # could validate, log, ...

account = Account()

def deposit_many(n):
    for _ in range(n):
        account.balance += 1  # get, add, set
# endregion


threads = [threading.Thread(target=deposit_many, args=(DEPOSITS,)) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
expected = THREADS * DEPOSITS
lost = expected - account.balance
colour = "\033[31m" if lost else "\033[32m"
print(f"{THREADS} threads x {DEPOSITS:,} deposits of 1 through a property")
print(f"expected balance: {expected:,}")
print(f"actual balance:   {account.balance:,}")
print(f"{colour}lost updates: {lost}\033[0m")

"""`account.balance += 1` looks like one step. Through a property it is a getter call, an
addition and a setter call, and a thread switch can fall between them: updates get lost,
at the default switch interval (each thread runs for many intervals). The fix hides the
state behind an API that reads, adds and writes under the object's own lock."""
import threading

THREADS, DEPOSITS = 4, 200_000


class Ledger:
    """What both accounts share, kept off the slide: the state, a lock, a read-only balance."""

    def __init__(self):
        self._balance = 0
        self._lock = threading.Lock()

    @property
    def balance(self):
        return self._balance


# region account
class Account(Ledger):
    @property
    def balance(self):  # looks like data
        return self._balance
    @balance.setter
    def balance(self, value):  # runs code
        self._balance = value
def add_one(account):  # 4 threads at once
    account.balance += 1  # get, add, set

class SafeAccount(Ledger):  # the fix
    def deposit(self, amount):
        with self._lock:  # read, add, write
            self._balance += amount
# endregion


def hammer(account, deposit):
    """Runs DEPOSITS deposits in each of THREADS threads at once; returns the updates lost."""
    start = threading.Barrier(THREADS)

    def deposit_many():
        start.wait()
        for _ in range(DEPOSITS):
            deposit(account)

    threads = [threading.Thread(target=deposit_many) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return THREADS * DEPOSITS - account.balance


def deposit_one(account):
    account.deposit(1)


RED, GREEN, RESET = "\033[31m", "\033[32m", "\033[0m"
print(f"{THREADS} threads x {DEPOSITS:,} deposits of 1")
print(f"expected balance: {THREADS * DEPOSITS:,}")
print()
racy = hammer(Account(), add_one)
line = f"lost by balance += 1: {racy:,}"
print(f"\x1b]7770;{line}\x07{RED if racy else GREEN}{line}{RESET}")
safe = hammer(SafeAccount(), deposit_one)
print(f"{RED if safe else GREEN}lost by deposit(1): {safe:,}{RESET}")

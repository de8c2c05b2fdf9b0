"""`account.balance += 1` looks like one step. With a property it is a getter call and a setter call."""
import sys

from hammer import hammer

sys.setswitchinterval(1e-5)  # switch threads often, as on a busy machine

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


hammer(deposit_many, account, "through a property")

"""Runs a deposit loop in several threads at once and reports the balance it reached."""
import threading

THREADS, DEPOSITS = 4, 20_000


def hammer(deposit_many, account, how):
    """Runs deposit_many(DEPOSITS) in THREADS threads, then prints expected and actual balance."""
    threads = [threading.Thread(target=deposit_many, args=(DEPOSITS,)) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = THREADS * DEPOSITS
    lost = expected - account.balance
    colour = "\033[31m" if lost else "\033[32m"
    print(f"{THREADS} threads x {DEPOSITS:,} deposits of 1 {how}")
    print(f"expected balance: {expected:,}")
    print(f"actual balance:   {account.balance:,}")
    print(f"{colour}lost updates: {lost}\033[0m")

"""How much the lost-updates demos count (THREADS threads x HITS hits), and their report."""
THREADS, HITS = 4, 50_000


def report(counted, how):
    """Prints the expected count, the counted one and how many updates were lost."""
    expected = THREADS * HITS
    lost = expected - counted
    colour = "\033[31m" if lost else "\033[32m"
    print(f"{THREADS} threads x {HITS:,} increments, {how}")
    print(f"expected:     {expected:,}")
    print(f"counted:      {counted:,}")
    print(f"{colour}lost updates: {lost}\033[0m")

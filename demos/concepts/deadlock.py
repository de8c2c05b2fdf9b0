"""Two threads take the same two locks in opposite order: a deadlock. Neither ever gets
both locks; a watchdog waits a second, reads from each thread's stack which lock it holds
and which it waits for (as `py-spy dump` would), finds the cycle of waits and reports it.
Then the fix: two more threads take two fresh locks in one global order, and both finish.
The program exits with status 1, deadlock found (the slide expects it: expect=fail); the
stuck threads are daemons, so the exit does not wait for them."""
import sys
import threading
import time
from threading import Thread

RED, GREEN, RESET = "\033[31m", "\033[32m", "\033[0m"
PATIENCE = 1.0  # seconds without progress before the watchdog looks

lock1 = threading.Lock()
lock2 = threading.Lock()
both = threading.Barrier(2)  # so the unlucky interleaving happens every run

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


def stuck_on(thread, names):
    """(held, awaited) lock names of a thread blocked at `with second:`, from its stack; else None."""
    frame = sys._current_frames().get(thread.ident)
    while frame is not None and frame.f_code is not transfer.__code__:
        frame = frame.f_back
    if frame is None or frame.f_lineno != SECOND_LOCK_LINE:
        return None
    return names[id(frame.f_locals["first"])], names[id(frame.f_locals["second"])]


SECOND_LOCK_LINE = transfer.__code__.co_firstlineno + 3  # `with second:`


def find_cycle(threads, names):
    """Follows 'waits for a lock that X holds' from the first thread; the cycle, or None."""
    state = {t.name: stuck_on(t, names) for t in threads}
    holder = {held[0]: name for name, held in state.items() if held}
    path = [threads[0].name]
    while (waits := state.get(path[-1])) and (name := holder.get(waits[1])):
        if name in path:
            return path[path.index(name):] + [name], state
        path.append(name)
    return None, state


names = {id(lock1): "lock1", id(lock2): "lock2"}
a.join(timeout=PATIENCE)
cycle, state = find_cycle([a, b], names)
# On a machine too busy to get both threads to their second lock within PATIENCE, look again.
while cycle is None and (a.is_alive() or b.is_alive()):
    a.join(timeout=0.1)
    cycle, state = find_cycle([a, b], names)
if cycle is None:
    print("no deadlock: both threads finished")
    sys.exit(0)
print("both threads stuck:")
for name in cycle[:-1]:
    held, awaited = state[name]
    print(f"  {name} holds {held}, waits for {awaited}")
print(f"{RED}deadlock: cycle {' → '.join(cycle)}{RESET}")

# The fix: one global lock order. A and B hold the first two locks for good, so C and D get fresh ones.
lock1 = threading.Lock()
lock2 = threading.Lock()
# Nobody to meet; each holds lock1 a moment, so the other waits for it in turn (the timeline shows it pass).
both = threading.Barrier(1, action=lambda: time.sleep(0.2))
fixed = [Thread(target=transfer, name=name, args=(lock1, lock2)) for name in "CD"]
for thread in fixed:
    thread.start()
for thread in fixed:
    thread.join()
print(f"{GREEN}fix, one lock order: C and D finished{RESET}")
line = f"deadlocked threads: {len(cycle) - 1}"
print(f"\x1b]7770;{line}\x07{RED}{line}{RESET}")
sys.exit(1)

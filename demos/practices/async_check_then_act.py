"""asyncio switches tasks only at an await that suspends. A check-then-act with an await
between check and act races when that await suspends (here: a card check over the
network), and passes when it does not (the card is in the cache): the same code passes
a test with a warm cache and oversells with a cold one. The fix: a lock around check and
act (or no await between them)."""
import asyncio

verified = set()  # cards checked before: the cache


async def verify(card):
    """Checks a card: from the cache without suspending, else a round trip that suspends."""
    if card in verified:
        return True  # no suspension: the task keeps running
    await asyncio.sleep(0.01)  # the network: the task suspends here
    verified.add(card)
    return True


tickets = {"left": 1}
sold = []
lock = asyncio.Lock()


# region book
async def book(name):
    if tickets["left"] > 0:  # check
        await verify(name)  # suspends?
        tickets["left"] -= 1  # act
        sold.append(name)

async def book_locked(name):  # the fix
    async with lock:  # one at a time
        await book(name)
# endregion


async def sell_last_ticket(booking):
    """Two customers book the last ticket at once; returns how many tickets were sold."""
    tickets["left"] = 1
    sold.clear()
    await asyncio.gather(booking("alice"), booking("bob"))
    return len(sold)


def report(label, count, punchline=False):
    line = f"{label}: {count} sold"
    mark = f"\x1b]7770;{line}\x07" if punchline else ""
    colour = "\033[31m" if count > 1 else "\033[32m"
    print(f"{mark}{colour}{line}\033[0m")


async def main():
    print("1 ticket left, 2 tasks book it at once")
    print()
    verified.update({"alice", "bob"})
    report("warm cache (no suspend)", await sell_last_ticket(book))
    verified.clear()
    report("cold cache (suspends)", await sell_last_ticket(book), punchline=True)
    verified.clear()
    report("cold cache + lock", await sell_last_ticket(book_locked))


asyncio.run(main())

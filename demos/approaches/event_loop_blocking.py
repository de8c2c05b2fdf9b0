"""A blocking call in a coroutine stops the whole event loop: the ticker beside it falls
silent for the whole second. The same call handed to a thread with asyncio.to_thread (and
awaited) leaves the loop free: the ticker keeps its 0.1 s."""
import asyncio
import time

from ticker import TICK, beside_ticker

RED, GREEN, RESET = "\033[31m", "\033[32m", "\033[0m"
print("a ticker every 0.1 s; a 1 s call")
print("(max gap: the longest between two ticks)")

# region blocking
async def blocking():
    time.sleep(1)  # the loop stands still

async def handed_off():
    await asyncio.to_thread(time.sleep, 1)

stalled = asyncio.run(
    beside_ticker("time.sleep", blocking))
free = asyncio.run(
    beside_ticker("to_thread", handed_off))
# endregion

for label, gap in (("blocking", stalled), ("to_thread", free)):
    line = f"max gap, {label}: {gap:.2f} s"
    colour = RED if gap >= 3 * TICK else GREEN
    # OSC 7770 marks the punchline (the stalled loop) for the slide's strip.
    mark = f"\x1b]7770;{line}\x07" if label == "blocking" else ""
    print(f"{mark}{colour}{line}{RESET}")

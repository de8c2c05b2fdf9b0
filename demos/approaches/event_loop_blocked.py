"""A blocking call inside a coroutine stops the whole event loop: the ticker falls silent."""
import asyncio
import time

ticks = []
at_line_start = True


def log(message):
    """Ends the current line of ticks and prints a message on its own line."""
    global at_line_start
    print(("" if at_line_start else "\n") + message)
    at_line_start = True


async def ticker(stop):
    global at_line_start
    while not stop.is_set():
        ticks.append(time.perf_counter())
        print(("ticks at" if at_line_start else "") + f" {ticks[-1] - ticks[0]:.1f}", end="", flush=True)
        at_line_start = False
        await asyncio.sleep(0.1)


# region blocking
async def handler():
    await asyncio.sleep(0.25)
    log("handler: time.sleep(1) ...")
    time.sleep(1)  # blocks the loop: nothing else runs
    log("handler: done")
# endregion


async def main():
    stop = asyncio.Event()
    tick_task = asyncio.create_task(ticker(stop))
    await handler()
    await asyncio.sleep(0.25)
    stop.set()
    await tick_task


asyncio.run(main())
if not at_line_start:
    print()
gap = max(b - a for a, b in zip(ticks, ticks[1:]))
print(f"\033[31mlongest tick gap: {gap:.2f} s\033[0m (ticker wants 0.10 s)")

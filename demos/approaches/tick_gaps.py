"""A 0.1 s ticker to run a handler beside, reporting the longest gap between its ticks."""
import asyncio
import time

RED, GREEN = "\033[31m", "\033[32m"

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


def run_beside_ticker(handler, colour):
    """Runs handler() while the ticker ticks, then prints the longest tick gap in colour."""
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
    print(f"{colour}longest tick gap: {gap:.2f} s\033[0m (ticker wants 0.10 s)")

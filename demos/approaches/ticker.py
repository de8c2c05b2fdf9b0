"""A ticker beside a coroutine: a dot every 0.1 s while the coroutine runs, a gap in
seconds where the event loop could not tick, and the longest gap."""
import asyncio
import time

TICK = 0.1


async def beside_ticker(label, coroutine_function):
    """Runs coroutine_function() while a ticker ticks; prints the row of ticks and returns
    the longest gap between two ticks."""
    print(f"{label + ':':<15}", end="", flush=True)
    # Tasks named for what they do: the timeline's lanes are called so.
    asyncio.current_task().set_name(label)
    ticks = [time.perf_counter()]

    async def tick():
        while True:
            await asyncio.sleep(TICK)
            ticks.append(time.perf_counter())
            gap = ticks[-1] - ticks[-2]
            print(f" {gap:.2f} s " if gap > 1.5 * TICK else ".", end="", flush=True)

    ticker = asyncio.create_task(tick(), name="ticker")
    await asyncio.sleep(2.5 * TICK)
    await coroutine_function()
    await asyncio.sleep(2.5 * TICK)
    ticker.cancel()
    print()
    return max(b - a for a, b in zip(ticks, ticks[1:]))

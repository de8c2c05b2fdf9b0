"""The same blocking call, handed to a thread with asyncio.to_thread: the ticker keeps ticking."""
import asyncio
import time

from tick_gaps import GREEN, log, run_beside_ticker

# region to_thread
async def handler():
    await asyncio.sleep(0.25)
    log("handler: to_thread(time.sleep, 1) ...")
    await asyncio.to_thread(time.sleep, 1)
    log("handler: done")
# endregion


run_beside_ticker(handler, GREEN)

"""A blocking call inside a coroutine stops the whole event loop: the ticker falls silent."""
import asyncio
import time

from tick_gaps import RED, log, run_beside_ticker

# region blocking
async def handler():
    await asyncio.sleep(0.25)
    log("handler: time.sleep(1) ...")
    time.sleep(1)  # blocks the loop: nothing else runs
    log("handler: done")
# endregion


run_beside_ticker(handler, RED)

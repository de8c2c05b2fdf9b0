"""I/O-bound work with asyncio: one thread, ten coroutines waiting at the same time."""
import asyncio
import time

REQUESTS, WAIT = 10, 0.5

# region asyncio
async def fetch(url):
    await asyncio.sleep(WAIT)  # a network round trip
    return f"<html of {url}>"

async def main():
    urls = [f"https://example.org/page/{n}"
            for n in range(REQUESTS)]
    coros = [fetch(url) for url in urls]
    return await asyncio.gather(*coros)

start = time.perf_counter()
pages = asyncio.run(main())
elapsed = time.perf_counter() - start
# endregion

sequential = REQUESTS * WAIT
print(f"{len(pages)} requests as coroutines in one thread, each waiting {WAIT} s")
print(f"sequential estimate: {sequential:.2f} s")
print(f"elapsed:             {elapsed:.2f} s")
print(f"\033[32mspeed-up: {sequential / elapsed:.1f}\033[0m")

"""asyncio's structured concurrency (3.11+): a TaskGroup starts tasks and waits for all of
them; asyncio.timeout() puts one deadline on the whole group. At the deadline the tasks
still running are cancelled (CancelledError is raised at their await), the group waits
until they have finished, and TimeoutError comes out of the `async with`. No task is left
behind. (If a task raises instead, the group cancels its siblings and raises an
ExceptionGroup.)"""
import asyncio
import time
from asyncio import TaskGroup, timeout

DEADLINE = 0.5
JOBS = [("mirror-a", 0.1), ("mirror-b", 0.3), ("mirror-c", 0.8), ("mirror-d", 2.0)]
started = time.perf_counter()  # reset when the downloads start


def say(text):
    print(f"  {time.perf_counter() - started:4.2f} s  {text}")


# region taskgroup
async def get(name, secs):
    try:
        await asyncio.sleep(secs)  # the I/O
        say(f"{name}: done")
    except asyncio.CancelledError:
        say(f"{name}: cancelled")
        raise  # never swallow it

async def main():
    async with timeout(DEADLINE):  # 0.5 s
        async with TaskGroup() as tg:
            for job in JOBS:
                tg.create_task(get(*job))
# endregion


async def run():
    global started
    started = time.perf_counter()
    print(f"{len(JOBS)} downloads, one deadline: {DEADLINE} s")
    try:
        await main()
    except TimeoutError:
        line = f"TimeoutError after {time.perf_counter() - started:.2f} s"
        print(f"\x1b]7770;{line}\x07\033[33m{line}\033[0m")
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    print(f"tasks still running: {len(others)}")


asyncio.run(run())

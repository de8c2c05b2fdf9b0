/**
 * Facts the slides state about CPython itself, checked on the interpreter the deck runs
 * (`python3`, or `DECK_PYTHON`): each was once wrong on a slide, and each test would fail if
 * the slide's sentence stopped being true for this interpreter. Version-dependent facts
 * check the side of the line this interpreter is on.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const python = process.env['DECK_PYTHON'] ?? 'python3';

/** Runs a snippet; what it printed, as JSON. */
async function ask<T>(code: string): Promise<T> {
  const { stdout } = await promisify(execFile)(python, ['-X', 'dev', '-c', code], { timeout: 30_000 });
  return JSON.parse(stdout) as T;
}

const VERSION = ask<[number, number]>('import json, sys; print(json.dumps(sys.version_info[:2]))');

describe('CPython, as the slides describe it', () => {
  it('asks the running thread to switch every 5 ms by default (02-concepts, 03-approaches)', async () => {
    expect(await ask<number>('import json, sys; print(json.dumps(sys.getswitchinterval()))')).toBe(0.005);
  });

  it('runs Python code inside one bytecode: a single COMPARE_OP calls __eq__ (02-concepts: one bytecode is no unit)', async () => {
    const seen = await ask<{ compares: number; calls: number }>(`
import dis, json
calls = []
class Loud:
    def __eq__(self, other):
        calls.append(1)
        return True
def compare(a, b):
    return a == b
compares = sum(1 for i in dis.get_instructions(compare) if i.opname == "COMPARE_OP")
compare(Loud(), Loud())
print(json.dumps({"compares": compares, "calls": len(calls)}))`);
    expect(seen).toEqual({ compares: 1, calls: 1 });
  });

  it('starts processes with fork on Linux up to 3.13 and with forkserver from 3.14 (03-approaches)', async () => {
    const [major, minor] = await VERSION;
    const method = await ask<string>('import json, multiprocessing; print(json.dumps(multiprocessing.get_start_method()))');
    expect(method).toBe(major > 3 || minor >= 14 ? 'forkserver' : 'fork');
  });

  it('warns when a process with threads forks from 3.12 on, and not before (03-approaches)', async () => {
    const [major, minor] = await VERSION;
    const warned = await ask<boolean>(`
import json, os, threading, warnings
stop = threading.Event()
threading.Thread(target=stop.wait).start()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
stop.set()
print(json.dumps(any(issubclass(w.category, DeprecationWarning) and "fork" in str(w.message) for w in caught)))`);
    expect(warned).toBe(major > 3 || minor >= 12);
  });

  it('has TaskGroup and asyncio.timeout from 3.11, and InterpreterPoolExecutor only from 3.14 (04-abstractions, 03-approaches)', async () => {
    const [major, minor] = await VERSION;
    const has = await ask<{ taskGroup: boolean; timeout: boolean; interpreters: boolean }>(`
import asyncio, concurrent.futures, json
print(json.dumps({"taskGroup": hasattr(asyncio, "TaskGroup"), "timeout": hasattr(asyncio, "timeout"),
                  "interpreters": hasattr(concurrent.futures, "InterpreterPoolExecutor")}))`);
    expect(has).toEqual({ taskGroup: true, timeout: true, interpreters: major > 3 || minor >= 14 });
  });

  it('switches asyncio tasks only at an await that suspends: awaiting a finished coroutine lets no other task in (05-best-practices)', async () => {
    const order = await ask<string[]>(`
import asyncio, json
order = []
async def ready():
    return 1
async def other():
    order.append("other")
async def main():
    task = asyncio.create_task(other())
    await ready()
    order.append("after await ready()")
    await asyncio.sleep(0)
    order.append("after sleep(0)")
    await task
asyncio.run(main())
print(json.dumps(order))`);
    expect(order).toEqual(['after await ready()', 'other', 'after sleep(0)']);
  });
});

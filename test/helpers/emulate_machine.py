"""Runs a demo as `python3 demo.py` would, on an emulated machine: a multiprocessing start
method forced (fork, spawn or forkserver: the defaults of Linux before 3.14, of macOS and
Windows, and of Linux from 3.14 on) and a given number of cores, as os.cpu_count() and
os.process_cpu_count() report them to the demo (its pools and worker counts follow).

    python3 emulate_machine.py <start method> <cores> <demo.py> [args...]

For the claim tests only: it shows that a demo's claim holds on any laptop it may meet.
"""
import multiprocessing
import os
import runpy
import sys

method, cores, demo, *args = sys.argv[1:]
multiprocessing.set_start_method(method)
count = int(cores)
os.cpu_count = lambda: count
if hasattr(os, "process_cpu_count"):
    os.process_cpu_count = lambda: count
if hasattr(os, "sched_getaffinity"):
    os.sched_getaffinity = lambda pid: set(range(count))
sys.argv[:] = [demo, *args]
sys.path[0] = os.path.dirname(os.path.realpath(demo))
os.chdir(sys.path[0])
runpy.run_path(demo, run_name="__main__")

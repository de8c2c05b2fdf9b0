"""Loaded by every Python process a traced run starts (this folder is on their PYTHONPATH):
traces the process when DECK_TRACE_SOCKET names the run's side channel, then leaves
sys.path as it would have been and runs the sitecustomize this one stands in front of, so
a system's or a user's own still works."""
import os
import sys


def _trace():
    path = os.environ.get("DECK_TRACE_SOCKET")
    if not path:
        return
    command = " ".join(getattr(sys, "orig_argv", sys.argv))
    # multiprocessing's helpers are no lanes of the demo's: the resource tracker is not
    # traced at all, the forkserver only through the children it forks.
    if "multiprocessing.resource_tracker" in command:
        return
    import deck_trace

    if "multiprocessing.forkserver" in command:
        deck_trace.install_dormant()
    else:
        deck_trace.install(path, lane_named_later="--multiprocessing-fork" in command)


def _run_the_next_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    later = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    sys.path[:] = later
    finder = sys.modules["_frozen_importlib_external"].PathFinder
    spec = finder.find_spec("sitecustomize", later)
    if spec is None or spec.loader is None:
        return
    bootstrap = sys.modules["_frozen_importlib"]
    module = bootstrap.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


try:
    _trace()
except Exception:
    pass
_run_the_next_sitecustomize()

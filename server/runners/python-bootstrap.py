"""The first thing every Python run executes: `python3 -u python-bootstrap.py`, in the run's pty.

The server starts it before anyone presses Run, so the interpreter is up when they do. It
waits for one line on its terminal naming the demo (see launch-line.ts), then runs the
demo exactly as `python3 -u demo.py` would: as `__main__`, with `sys.argv`, `sys.path[0]`
and the working directory of the demo (`sys.path[0]` is the working directory the server
gives, the demo's own folder: an edited copy of a demo runs from a private folder and still
imports its neighbours), so that multiprocessing (spawn, fork, forkserver)
re-imports it as `__mp_main__`, and an uncaught exception prints a traceback without a
frame of ours and exits 1. Nothing here imports a module the bare interpreter would not
have loaded already, so the demo finds `sys.modules` as it would.

A traced run (a socket on the launch line) also installs the tracer of
server/tracing/python before the demo, and hands it on to every Python process the demo
starts: DECK_TRACE_SOCKET names the socket, and that folder on PYTHONPATH gives them its
sitecustomize. An untraced run imports nothing more.
"""
import atexit
import os
import sys

# The same bytes as READY_MARKER and GO_MARKER in launch-line.ts.
READY = b"\x1b]697;ready\x07"
GO = b"\x1b]697;go\x07"

_interrupted = False


def close_inherited_descriptors():
    # node-pty leaves its terminals open across exec: the server's other runs' terminals
    # arrive here, with whatever the server inherited itself. A demo must see no
    # descriptor but its own 0, 1 and 2.
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))


def read_launch_line():
    """Waits for the demo to run: cwd, file, trace socket (`-`: none) and arguments, each hex-encoded, on one line."""
    os.write(1, READY)
    line = b""
    while not line.endswith(b"\n"):
        try:
            chunk = os.read(0, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            # The server closed the terminal: it no longer wants this interpreter.
            os._exit(0)
        line += chunk
    # The tty has echoed the line; everything up to here is ours, what follows the demo's.
    os.write(1, GO)
    return [None if field == b"-" else os.fsdecode(bytes.fromhex(field.decode("ascii"))) for field in line.split()]


def exit_as_interrupted():
    # Python ends a program stopped by an uncaught KeyboardInterrupt with SIGINT, after
    # its own clean-up; registered before the demo runs, so this runs after the demo's.
    if _interrupted:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)


TRACING = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tracing", "python")


def compile_tracer():
    """The tracer's code, compiled while the interpreter waits for its run, so that a traced
    run does not pay for it (runs write no bytecode cache). Compiling imports nothing: an
    untraced run never executes it."""
    path = os.path.join(TRACING, "deck_trace.py")
    try:
        with open(path, "rb") as source:
            return path, compile(source.read(), path, "exec", dont_inherit=True)
    except (OSError, SyntaxError):
        return None


def trace_into(path, tracer):
    """Traces this process and the Python processes it starts on the socket at `path`."""
    os.environ["DECK_TRACE_SOCKET"] = path
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [TRACING, os.environ.get("PYTHONPATH")]))
    if tracer is None:
        return
    # The same module the children's sitecustomize imports, without our folder on the demo's sys.path.
    file, code = tracer
    module = type(sys)("deck_trace")
    module.__file__ = file
    sys.modules["deck_trace"] = module
    try:
        exec(code, module.__dict__)
        module.install(path)
    except Exception:
        del sys.modules["deck_trace"]


def run(cwd, file, args):
    global _interrupted
    os.chdir(cwd)
    os.environ["PWD"] = cwd
    sys.argv[:] = [file, *args]
    sys.path[0] = os.path.realpath(cwd)
    main = type(sys)("__main__")
    main.__file__ = file
    main.__cached__ = None
    main.__annotations__ = {}
    main.__builtins__ = sys.modules["builtins"]
    main.__loader__ = type(__loader__)("__main__", file)
    sys.modules["__main__"] = main
    try:
        with open(file, "rb") as source:
            code = compile(source.read(), file, "exec", dont_inherit=True)
        exec(code, main.__dict__)
    except SystemExit:
        raise
    except BaseException as error:
        # Show the demo's frames only, as the bare interpreter would.
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
            tb = tb.tb_next
        sys.excepthook(type(error), error.with_traceback(tb), tb)
        _interrupted = isinstance(error, KeyboardInterrupt)
        sys.exit(1)


close_inherited_descriptors()
atexit.register(exit_as_interrupted)
tracer = compile_tracer()
cwd, file, trace, *args = read_launch_line()
if trace is not None:
    trace_into(trace, tracer)
del tracer
run(cwd, file, args)

"""The Python tracer of a traced run: what the demo's threads, processes, asyncio tasks and
locks do, written as trace events (server/trace/trace-event.ts) to the run's side channel, a
Unix socket named by DECK_TRACE_SOCKET (server/trace/trace-collector.ts).

It changes nothing the demo can see: no output, `threading.enumerate()` as it was (the
helper thread comes from `_thread`), `sys.modules` gains only this module until the demo
imports what it patches (threading, multiprocessing, asyncio are patched as they load), and
any error of ours turns tracing off for the process, silently.

- Threads: a lane from `Thread._bootstrap_inner` start to end; the process's main thread
  is the process's lane.
- Locks the demo creates (`Lock`, `RLock`, and the ones inside `Condition`, `Semaphore`,
  `Event`, `Barrier`, `queue.Queue` it creates): a wrapper records waits that block (sent at
  once, so a deadlock shows while it hangs), holds and hand-offs. "The demo" is the frame
  that calls the constructor: a file outside the standard library, site-packages and this
  folder. Locks the standard library makes for itself stay bare.
- Running: a helper thread reads each traced thread's CPU clock every few milliseconds; a
  thread that used more than half of the interval ran. More than half, so that under a GIL
  at most one thread of a process counts as running in any interval.
- Processes: each process connects on its own (after fork, a child reconnects; spawn and
  forkserver children load our sitecustomize); multiprocessing names its lane.
- asyncio: each callback of the loop is timed: a task's step is a run slice with its task,
  a task is a lane from its first step to its end, and a callback over 50 ms is a stall.
"""
import _socket
import _thread
import _weakref
import os
import sys
import time

SOCKET_ENV = "DECK_TRACE_SOCKET"
FOLDER = os.path.dirname(os.path.abspath(__file__))

SAMPLE_S = 0.005  # how often the CPU clocks are read
FLUSH_US = 50_000  # how often events go out (and open run slices are cut)
RUNNING_SHARE = 0.5  # more than this share of an interval on the CPU: the thread ran
LOCK_BUDGET = 2_000  # lock events a second before uncontended holds are only counted
STALL_US = 50_000  # a loop callback longer than this held the loop
SHORT_WAIT_S = 0.001  # past the budget, a wait shorter than this is counted, not shown

_now = time.monotonic_ns
_get_ident = _thread.get_ident
_native_id = _thread.get_native_id

# One process's state; reset in a forked child.
_on = False  # connected and recording
_dormant = False  # patched but not connected (the forkserver waits to fork traced children)
_sock = None
_pid = 0
_buf = []
_buf_lock = _thread.allocate_lock()
_send_lock = _thread.allocate_lock()
_threads = {}  # native id -> [cpu clock id, last cpu ns, last wall ns, running since (us) or None]
_skipped = 0
_budget_left = LOCK_BUDGET * FLUSH_US // 1_000_000  # optional lock events until the next flush
_lock_count = 0
_handoff_count = 0
_task_count = 0
_tasks = {}  # id(task) -> (trace id, task)
_process_name = "MainProcess"
_lane_open = False  # the process's lane has begun
_main_tid = 0
_finished = False
_connected_at = 0
_sampler_stop = False
_sampler_pending = False  # the helper stopped for a fork, to start again on the next event
_sampler_wake = None
_sampler_done = None


def _us():
    return _now() // 1000


_ESCAPES = {i: "\\u%04x" % i for i in range(32)}
_ESCAPES[ord('"')] = '\\"'
_ESCAPES[ord("\\")] = "\\\\"


def _q(text):
    return '"' + str(text)[:200].translate(_ESCAPES) + '"'


def _val(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return _q(value)


def _event(ph, cat, name, tid, ts, extra="", args=None, pid=None):
    """Queues one event; `extra` is pre-encoded JSON members (`,"id":...`)."""
    if not _on:
        return
    line = '{"ph":"%s","name":%s,"pid":%d,"tid":%d,"ts":%d%s%s' % (ph, _q(name), _pid if pid is None else pid, tid, ts, "" if cat is None else ',"cat":"%s"' % cat, extra)
    if args:
        line += ',"args":{' + ",".join(_q(k) + ":" + _val(v) for k, v in args.items()) + "}"
    line += "}\n"
    with _buf_lock:
        _buf.append(line)
    if _sampler_pending:
        _resume_sampler()


def _flush():
    global _buf, _skipped, _on
    if _sock is None:
        return
    try:
        with _send_lock:
            with _buf_lock:
                lines, _buf = _buf, []
                skipped, _skipped = _skipped, 0
            if skipped:
                lines.append('{"ph":"i","cat":"sampled","name":"lock events sampled","s":"p","pid":%d,"tid":0,"ts":%d,"args":{"skipped":%d,"what":"lock holds"}}\n' % (_pid, _us(), skipped))
            if lines and _sock is not None:
                _sock.sendall("".join(lines).encode("utf-8", "replace"))
    except Exception:
        _on = False


def _within_budget():
    """Whether one more optional lock event may go out now; counts it as left out if not."""
    global _budget_left, _skipped
    if _budget_left > 0:
        _budget_left -= 1
        return True
    _skipped += 1
    return False


# ---- lanes -------------------------------------------------------------------------------


def _names(tid, thread_name):
    _event("M", None, "process_name", 0, 0, args={"name": _process_name})
    _event("M", None, "thread_name", tid, 0, args={"name": thread_name})


def _register_thread(tid):
    try:
        clock = time.pthread_getcpuclockid(_get_ident())
        now = _now()
        with _buf_lock:
            _threads[tid] = [clock, time.clock_gettime_ns(clock), now, None]
    except (AttributeError, OSError):
        pass


def _end_running(tid, entry, ts):
    if entry[3] is not None and ts > entry[3]:
        _event("X", "run", "running", tid, entry[3], ',"dur":%d' % (ts - entry[3]))
    entry[3] = None


def _unregister_thread(tid, last_sample=False):
    """Ends a thread's running; with `last_sample`, the thread itself is ending: its clock is
    read once more, so a thread shorter than a sample interval still shows that it ran."""
    with _buf_lock:
        entry = _threads.pop(tid, None)
    if entry is None:
        return
    if last_sample:
        try:
            cpu = time.clock_gettime_ns(entry[0])
        except OSError:
            cpu = entry[1]
        interval = _now() - entry[2]
        if interval > 0 and (cpu - entry[1]) > RUNNING_SHARE * interval:
            if entry[3] is None:
                entry[3] = entry[2] // 1000
        else:
            _end_running(tid, entry, entry[2] // 1000)
    _end_running(tid, entry, _us())


def _open_process_lane():
    global _lane_open
    if _lane_open or not _on:
        return
    _lane_open = True
    _names(_main_tid, "MainThread")
    _event("B", "lane", _process_name, _main_tid, _us(), args={"kind": "process"})


def _name_process(name):
    global _process_name
    if not _on:
        return
    if name != _process_name:
        _process_name = name
        if _lane_open:
            _names(_main_tid, "MainThread")
    _open_process_lane()


def _thread_started(name):
    if not _on:
        return
    tid = _native_id()
    _event("M", None, "thread_name", tid, 0, args={"name": name})
    _event("B", "lane", name, tid, _us(), args={"kind": "thread"})
    _register_thread(tid)


def _thread_ended(name):
    if not _on:
        return
    tid = _native_id()
    _unregister_thread(tid, last_sample=True)
    _event("E", "lane", name, tid, _us())


def _finish(code=None):
    """The process ends: its open run slices and its lane, then everything out."""
    global _finished
    if _finished or not _on:
        return
    _finished = True
    try:
        _stop_sampler()
        ts = _us()
        with _buf_lock:
            entries = list(_threads.items())
        for tid, entry in entries:
            _end_running(tid, entry, ts)
        _open_process_lane()
        _event("E", "lane", _process_name, _main_tid, ts, args=None if code is None else {"code": code if isinstance(code, int) else 1})
        _flush()
    except Exception:
        pass


# ---- the helper thread: CPU samples and sending --------------------------------------


def _sample():
    wall = _now()
    with _buf_lock:
        entries = list(_threads.items())
    for tid, entry in entries:
        try:
            cpu = time.clock_gettime_ns(entry[0])
        except OSError:
            # The thread is gone without our end hook (a thread of C code, or a fork).
            _unregister_thread(tid)
            continue
        interval = wall - entry[2]
        ran = interval > 0 and (cpu - entry[1]) > RUNNING_SHARE * interval
        if ran and entry[3] is None:
            entry[3] = entry[2] // 1000
        elif not ran and entry[3] is not None:
            _end_running(tid, entry, entry[2] // 1000)
        entry[1], entry[2] = cpu, wall


def _cut_running():
    """Ends the open run slices at now and starts them again, so the live view moves."""
    ts = _us()
    with _buf_lock:
        entries = list(_threads.items())
    for tid, entry in entries:
        if entry[3] is not None:
            _end_running(tid, entry, ts)
            entry[3] = ts


def _sampler(wake, done):
    global _on
    try:
        last_flush = _us()
        while not _sampler_stop and _on:
            wake.acquire(True, SAMPLE_S)
            if _sampler_stop:
                break
            _sample()
            if _us() - last_flush >= FLUSH_US:
                _refill_budget()
                # A process multiprocessing did not name within a second (a bare os.fork()
                # child) keeps the name it has.
                if not _lane_open and _us() - _connected_at > 1_000_000:
                    _open_process_lane()
                _cut_running()
                _flush()
                last_flush = _us()
    except BaseException:
        _on = False
    finally:
        done.release()


def _refill_budget():
    global _budget_left
    _budget_left = LOCK_BUDGET * FLUSH_US // 1_000_000


def _start_sampler():
    global _sampler_stop, _sampler_wake, _sampler_done, _sampler_pending
    _sampler_pending = False
    _sampler_stop = False
    _sampler_wake = _thread.allocate_lock()
    _sampler_wake.acquire()
    _sampler_done = _thread.allocate_lock()
    _sampler_done.acquire()
    _thread.start_new_thread(_sampler, (_sampler_wake, _sampler_done))


def _stop_sampler():
    """Ends the helper thread and waits for it (before a fork: a child of one thread only)."""
    global _sampler_stop, _sampler_done
    if _sampler_done is None:
        return
    _sampler_stop = True
    try:
        _sampler_wake.release()
    except RuntimeError:
        pass
    _sampler_done.acquire(True, 1.0)
    _sampler_done = None


# ---- connecting, and forks ------------------------------------------------------------


def _connect(path):
    global _sock, _on, _pid, _main_tid, _buf, _threads, _lane_open, _finished, _tasks, _skipped, _connected_at
    _sock = None
    _connected_at = _us()
    _on = False
    _pid = os.getpid()
    _main_tid = _native_id()
    _buf, _threads, _tasks, _skipped = [], {}, {}, 0
    _lane_open = _finished = False
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return False
    _sock = sock
    _on = True
    _register_thread(_main_tid)
    _start_sampler()
    return True


def _before_fork():
    if _on:
        _stop_sampler()


def _after_fork_parent():
    # Not at once: 3.13 counts the parent's threads after this hook and would warn the demo
    # that it forked while multi-threaded. The next event starts the helper again.
    global _sampler_pending
    if _on and not _finished:
        _sampler_pending = True


def _resume_sampler():
    global _sampler_pending
    with _buf_lock:
        start, _sampler_pending = _sampler_pending, False
    if start:
        _start_sampler()


def _after_fork_child():
    """A forked child: the parent's connection and helper thread are not its own."""
    global _buf_lock, _send_lock, _dormant, _on
    _buf_lock = _thread.allocate_lock()
    _send_lock = _thread.allocate_lock()
    was_on = _on or _dormant
    _on = False
    if _sock is not None:
        try:
            _sock.close()
        except OSError:
            pass
    if not was_on:
        return
    _dormant = False
    path = os.environ.get(SOCKET_ENV)
    if path and _connect(path):
        # multiprocessing names the lane when it starts the child's work; anything else
        # keeps the parent's name, once the helper thread flushes.
        if "multiprocessing.process" not in sys.modules:
            _open_process_lane()


# ---- locks -------------------------------------------------------------------------------

_source_lines = {}
_call_order = {}
_demo_files = {}


def _is_demo(filename):
    known = _demo_files.get(filename)
    if known is None:
        stdlib = os.path.dirname(os.__file__) + os.sep
        known = not (
            filename.startswith("<")
            or filename.startswith(stdlib)
            or filename.startswith(FOLDER + os.sep)
            or os.sep + "site-packages" + os.sep in filename
            or os.sep + "dist-packages" + os.sep in filename
        )
        _demo_files[filename] = known
    return known


def _line(filename, lineno):
    lines = _source_lines.get(filename)
    if lines is None:
        try:
            with open(filename, encoding="utf-8", errors="replace") as source:
                lines = source.read().splitlines()
        except OSError:
            lines = []
        _source_lines[filename] = lines
    return lines[lineno - 1] if 0 < lineno <= len(lines) else ""


def _split_top(text, sep):
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _calls(text, cls_name):
    at = text.find(cls_name + "(")
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_"):
            return True
        at = text.find(cls_name + "(", at + 1)
    return False


def _target(line, cls_name, nth):
    """The name assigned the nth `cls_name(...)` call of a source line, or None."""
    code = line.split("#", 1)[0].strip()
    depth, eq = 0, -1
    for i, ch in enumerate(code):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "=" and depth == 0 and code[i + 1 : i + 2] != "=" and (i == 0 or code[i - 1] not in "=<>!:+-*/%&|^@"):
            eq = i
            break
    if eq < 0:
        return None
    targets = _split_top(code[:eq], ",")
    if len(targets) == 1:
        target = targets[0]
    else:
        values = _split_top(code[eq + 1 :], ",")
        if len(values) != len(targets):
            return None
        matching = [i for i, value in enumerate(values) if _calls(value, cls_name)]
        if not matching:
            return None
        target = targets[matching[nth] if nth < len(matching) else matching[0]]
    target = target.strip().strip("()*").split("[", 1)[0].strip()
    return target


def _creation(frame, direct_kind):
    """Where the demo creates a lock: (kind, takes holds, filename, line, target, owner), or None."""
    sync_self = None
    threading = sys.modules.get("threading")
    if threading is None:
        return None
    queue = sys.modules.get("queue")
    kinds = (threading.Condition, threading.Semaphore, threading.Event, threading.Barrier) + ((queue.Queue,) if queue is not None else ())
    inside = False
    while frame is not None and frame.f_code.co_filename in _SYNC_FILES:
        inside = True
        if frame.f_code.co_name == "__init__":
            this = frame.f_locals.get("self")
            if not isinstance(this, kinds):
                return None
            sync_self = this
        frame = frame.f_back
    if inside and sync_self is None:
        return None
    # A demo's subclass of Queue or Condition: the demo line is the one creating the object.
    while frame is not None and sync_self is not None and frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is sync_self:
        frame = frame.f_back
    if frame is None or not _is_demo(frame.f_code.co_filename):
        return None
    kind = direct_kind if sync_self is None else type(sync_self).__name__
    holds = sync_self is None or isinstance(sync_self, threading.Condition)
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    order = _call_order.setdefault((filename, lineno), [])
    if frame.f_lasti not in order:
        order.append(frame.f_lasti)
    target = _target(_line(filename, lineno), kind, order.index(frame.f_lasti))
    owner = None
    if target is not None and target.startswith("self."):
        try:
            owner = _weakref.ref(frame.f_locals.get("self"))
        except TypeError:
            owner = None
    return kind, holds, lineno, target, owner


def _lock_name(target, owner, kind, lineno):
    if target is None:
        return "%s@%d" % (kind, lineno)
    attribute = target.rsplit(".", 1)[-1]
    this = owner() if owner is not None else None
    threading = sys.modules.get("threading")
    if this is not None and not (threading is not None and isinstance(this, threading.Thread)):
        named = getattr(this, "__dict__", {}).get("name")
        if isinstance(named, str) and named:
            # A lock inside an object that has a name (the demo's NamedLock): the object's name.
            return named if attribute.startswith("_") else "%s.%s" % (named, attribute)
    return attribute


class _Traced:
    """What every traced lock shares: its id, its name (found once it is first used), events.
    The path of a lock taken at once stays short: a demo may take millions."""

    def __init__(self, raw, site):
        global _lock_count
        _lock_count += 1
        self._lock = raw
        self._n = _lock_count
        self._kind, self._holds, lineno, target, owner = site
        self._site = (target, owner, lineno)
        self._name = None
        self._cached = (0, None)  # (pid, args): the id carries the pid, new after a fork
        self._released = None  # (tid, ts) of the last shown release: a hand-off's start
        self._shown = False  # this hold's b went out, so its e must too

    def _args(self):
        pid, args = self._cached
        if pid != _pid:
            if self._name is None:
                self._name = _lock_name(self._site[0], self._site[1], self._kind, self._site[2])
                self._site = None
            args = {"lock": "%d:L%d" % (_pid, self._n), "name": self._name, "kind": self._kind}
            self._cached = (_pid, args)
        return args

    def _took(self, waited_since):
        """The lock is ours: a hold begins (one taken at once only within the budget)."""
        global _budget_left, _skipped, _handoff_count
        if waited_since is None:
            if _budget_left <= 0:
                _skipped += 1
                return
            # Two events: its begin and its end.
            _budget_left -= 2
        self._shown = True
        args = self._args()
        tid, ts = _native_id(), _us()
        _event("b", "hold", "hold " + args["name"], tid, ts, ',"id":' + _q(args["lock"]), {"lock": args["lock"], "name": args["name"]})
        released = self._released
        if waited_since is not None and released is not None and released[1] >= waited_since and released[0] != tid:
            _handoff_count += 1
            hid = '"%d:H%d"' % (_pid, _handoff_count)
            _event("s", "handoff", args["name"], released[0], released[1], ',"id":' + hid)
            _event("f", "handoff", args["name"], tid, ts, ',"id":' + hid + ',"bp":"e"')

    def _let_go(self):
        """Releases a shown hold: its end, and where a hand-off would start."""
        self._shown = False
        tid, ts = _native_id(), _us()
        self._released = (tid, ts)
        args = self._args()
        # Sent before the lock is free: the next holder's begin comes after this end.
        _event("e", "hold", "hold " + args["name"], tid, ts, ',"id":' + _q(args["lock"]), {"lock": args["lock"], "name": args["name"]})
        self._lock.release()

    def _wait_begin(self, ts=None):
        args = self._args()
        ts = _us() if ts is None else ts
        _event("B", "wait", "wait " + args["name"], _native_id(), ts, "", args)
        _flush()
        return ts

    def _wait_end(self):
        _event("E", "wait", "wait " + self._args()["name"], _native_id(), _us())

    def _acquire_waiting(self, timeout):
        """Takes the lock that was not free: the wait is shown (and sent at once). Past the
        budget (a lock passed thousands of times a second), a wait that ends within
        SHORT_WAIT_S is only counted, hold and all: such a flood would bury the page. A longer
        one, a deadlock's, is shown from its start."""
        if not (_on and self._holds):
            return self._lock.acquire(True, timeout)
        start = None
        if not _within_budget():
            start = _us()
            short = SHORT_WAIT_S if timeout < 0 else min(SHORT_WAIT_S, timeout)
            if self._lock.acquire(True, short):
                return True
            if 0 <= timeout <= short:
                return False
            if timeout > 0:
                timeout -= short
        since = self._wait_begin(start)
        try:
            taken = self._lock.acquire(True, timeout)
        finally:
            self._wait_end()
        if taken:
            self._took(since)
        return taken

    def _release_for_wait(self):
        """Condition.wait lets the lock go: the hold ends, the wait on the condition begins."""
        if self._shown:
            self._let_go()
        else:
            self._lock.release()
        if _on:
            self._wait_begin()

    def _taken_after_wait(self):
        if _on:
            self._wait_end()
            if self._holds:
                self._took(None)

    def locked(self):
        return self._lock.locked()

    def _at_fork_reinit(self):
        self._lock._at_fork_reinit()
        self._shown = False

    def __repr__(self):
        return repr(self._lock)


class _TracedLock(_Traced):
    def acquire(self, blocking=True, timeout=-1):
        if self._lock.acquire(False):
            if _on and self._holds:
                self._took(None)
            return True
        if not blocking:
            # As the lock does: a timeout without blocking is an error.
            return self._lock.acquire(blocking, timeout)
        return self._acquire_waiting(timeout)

    __enter__ = acquire

    def release(self):
        if self._shown:
            self._let_go()
        else:
            self._lock.release()

    def __exit__(self, *exc):
        if self._shown:
            self._let_go()
        else:
            self._lock.release()

    def _is_owned(self):
        return self._lock.locked()

    def _release_save(self):
        self._release_for_wait()

    def _acquire_restore(self, _state):
        self._lock.acquire()
        self._taken_after_wait()


class _TracedRLock(_Traced):
    def __init__(self, raw, site):
        super().__init__(raw, site)
        self._owner = None
        self._count = 0

    def acquire(self, blocking=True, timeout=-1):
        me = _get_ident()
        if self._owner == me:
            taken = self._lock.acquire(blocking, timeout)
            if taken:
                self._count += 1
            return taken
        if self._lock.acquire(False):
            self._owner, self._count = me, 1
            if _on and self._holds:
                self._took(None)
            return True
        if not blocking:
            return self._lock.acquire(blocking, timeout)
        taken = self._acquire_waiting(timeout)
        if taken:
            self._owner, self._count = me, 1
        return taken

    __enter__ = acquire

    def release(self):
        if self._owner != _get_ident() or self._count > 1:
            self._lock.release()  # raises for a thread that does not hold it, as RLock does
            self._count -= 1
            return
        self._owner, self._count = None, 0
        if self._shown:
            self._let_go()
        else:
            self._lock.release()

    def __exit__(self, *exc):
        self.release()

    def _is_owned(self):
        return self._lock._is_owned()

    def _release_save(self):
        count = self._count
        self._owner, self._count = None, 0
        if self._shown:
            self._shown = False
            tid, ts = _native_id(), _us()
            self._released = (tid, ts)
            args = self._args()
            # Sent before the lock is free: the next holder's begin comes after this end.
            _event("e", "hold", "hold " + args["name"], tid, ts, ',"id":' + _q(args["lock"]), {"lock": args["lock"], "name": args["name"]})
        # The C RLock gives its whole recursion up at once; ours is the count above.
        state = self._lock._release_save()
        if _on:
            self._wait_begin()
        return state, count

    def _acquire_restore(self, saved):
        state, count = saved
        self._lock._acquire_restore(state)
        self._owner, self._count = _get_ident(), count
        self._taken_after_wait()


_SYNC_FILES = set()


class _LockFactory(type):
    """What threading.Lock and threading.RLock become: calling one makes the lock (traced when
    the demo makes it), and `isinstance` still answers for bare and traced locks alike (on
    3.13+ `threading.Lock` is the lock's own class, and a demo may ask)."""

    def __call__(cls, *args, **kwargs):
        return cls._make(sys._getframe(1), *args, **kwargs)

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls._kinds)

    def __subclasscheck__(cls, sub):
        return isinstance(sub, type) and issubclass(sub, cls._kinds)


def _patch_threading(threading):
    bare_lock, bare_rlock = threading.Lock, threading.RLock
    _SYNC_FILES.add(threading.Condition.__init__.__code__.co_filename)
    _SYNC_FILES.add(os.path.join(os.path.dirname(threading.Condition.__init__.__code__.co_filename), "queue.py"))

    def make_lock(caller):
        raw = bare_lock()
        if _on or _dormant:
            try:
                site = _creation(caller, "Lock")
            except Exception:
                site = None
            if site is not None:
                return _TracedLock(raw, site)
        return raw

    def make_rlock(caller, *args, **kwargs):
        raw = bare_rlock(*args, **kwargs)
        if _on or _dormant:
            try:
                site = _creation(caller, "RLock")
            except Exception:
                site = None
            if site is not None:
                return _TracedRLock(raw, site)
        return raw

    threading.Lock = _LockFactory("Lock", (), {"_make": staticmethod(make_lock), "_kinds": (type(bare_lock()), _TracedLock), "__doc__": bare_lock.__doc__, "__module__": "threading"})
    threading.RLock = _LockFactory("RLock", (), {"_make": staticmethod(make_rlock), "_kinds": (type(bare_rlock()), _TracedRLock), "__doc__": bare_rlock.__doc__, "__module__": "threading"})
    bootstrap_inner = threading.Thread._bootstrap_inner

    def _bootstrap_inner(self):
        try:
            _thread_started(self.name)
        except Exception:
            pass
        try:
            bootstrap_inner(self)
        finally:
            try:
                _thread_ended(self.name)
            except Exception:
                pass

    threading.Thread._bootstrap_inner = _bootstrap_inner


def _patch_process(process):
    bootstrap = process.BaseProcess._bootstrap

    def _bootstrap(self, *args, **kwargs):
        try:
            _name_process(self.name)
        except Exception:
            pass
        code = bootstrap(self, *args, **kwargs)
        # A forked child leaves by os._exit right after this: nothing else would send.
        _finish(code)
        return code

    process.BaseProcess._bootstrap = _bootstrap


# ---- asyncio -----------------------------------------------------------------------------


def _task_of(callback):
    owner = getattr(callback, "__self__", None)
    return owner if owner is not None and hasattr(owner, "get_coro") else None


def _demo_task(task):
    """A task running the demo's coroutine; not one asyncio makes for itself (asyncio.run's clean-up)."""
    coro = task.get_coro()
    code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
    return code is not None and _is_demo(code.co_filename)


def _described(callback, task):
    if task is not None:
        coro = task.get_coro()
        return "%s (%s)" % (task.get_name(), getattr(coro, "__qualname__", type(coro).__name__))
    return getattr(callback, "__qualname__", None) or type(callback).__name__


def _callback_ran(handle, start, end):
    global _task_count
    callback = handle._callback
    task = _task_of(callback)
    tid = _native_id()
    if task is not None and _demo_task(task):
        known = _tasks.get(id(task))
        if known is None:
            _task_count += 1
            known = ("%d:T%d" % (_pid, _task_count), task)
            _tasks[id(task)] = known
            _event("b", "task", task.get_name(), tid, start, ',"id":' + _q(known[0]))
        if _within_budget():
            _event("X", "run", "running", tid, start, ',"dur":%d' % (end - start), {"task": known[0]})
        if task.done():
            del _tasks[id(task)]
            _event("e", "task", task.get_name(), tid, end, ',"id":' + _q(known[0]))
    if end - start > STALL_US:
        _event("X", "stall", "event loop blocked", tid, start, ',"dur":%d' % (end - start), {"by": _described(callback, task)})


def _patch_events(events):
    run = events.Handle._run

    def _run(self):
        if not _on:
            return run(self)
        start = _us()
        run(self)
        try:
            _callback_ran(self, start, _us())
        except Exception:
            pass

    events.Handle._run = _run


# ---- installing ---------------------------------------------------------------------------

_PATCHES = {"threading": _patch_threading, "multiprocessing.process": _patch_process, "asyncio.events": _patch_events}


class _PatchOnImport:
    """Patches a module of _PATCHES right after it loads, so none is imported for nothing."""

    def __init__(self):
        self._busy = set()

    def find_spec(self, name, path=None, target=None):
        patch = _PATCHES.get(name)
        if patch is None or name in self._busy:
            return None
        self._busy.add(name)
        try:
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                if finder is self or find is None:
                    continue
                spec = find(name, path, target)
                if spec is not None:
                    break
            else:
                return None
        finally:
            self._busy.discard(name)
        loader = spec.loader
        exec_module = getattr(loader, "exec_module", None)
        # A file's loader is an object of its own: wrapping it touches no other module.
        if exec_module is None or type(loader).__name__ not in ("SourceFileLoader", "SourcelessFileLoader"):
            return spec

        def exec_and_patch(module):
            exec_module(module)
            _apply(patch, module)

        loader.exec_module = exec_and_patch
        return spec


def _apply(patch, module):
    global _on
    try:
        patch(module)
    except Exception:
        _on = False


def _patch_all():
    for name, patch in _PATCHES.items():
        module = sys.modules.get(name)
        if module is not None:
            _apply(patch, module)
    sys.meta_path.insert(0, _PatchOnImport())
    os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_parent, after_in_child=_after_fork_child)
    import atexit

    atexit.register(_finish)


def install(path, lane_named_later=False):
    """Traces this process on the socket at `path`; nothing happens when it cannot connect.
    `lane_named_later`: multiprocessing will name this process (a spawned child)."""
    global _on
    try:
        if not _connect(path):
            return
        _patch_all()
        if not lane_named_later:
            process = sys.modules.get("multiprocessing.process")
            if process is not None:
                _name_process(process.current_process().name)
            _open_process_lane()
        _flush()
    except Exception:
        _on = False


def install_dormant():
    """The forkserver: not traced itself, but every child it forks is."""
    global _dormant
    try:
        _dormant = True
        _patch_all()
    except Exception:
        _dormant = False

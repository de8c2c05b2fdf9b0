"""An active object: one thread owns the resource (a printer); callers from any thread
call a method, which queues the request and returns a future. A ThreadPoolExecutor with
one worker is exactly that (a queue and one thread), with the parts that are easy to get
wrong done right: an exception in the printer reaches the caller through the future, and
shutdown() lets the queued requests finish, then ends the thread."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

CLIENTS, PAGES = 8, 25


class Printer:
    """The shared resource. It counts how many callers are inside it at the same time."""

    def __init__(self):
        self.inside = self.peak = self.pages = 0

    def print(self, text):
        if not text:
            raise ValueError("empty page")
        self.inside += 1
        self.peak = max(self.peak, self.inside)
        time.sleep(0.0005)  # a slow device: a second caller would overlap here
        self.pages += 1
        self.inside -= 1
        return self.pages


# region active_object
class PrintService:  # an active object
    def __init__(self, printer):
        self._printer = printer
        self._owner = ThreadPoolExecutor(
            max_workers=1)  # its one thread

    def print_page(self, text):  # callers
        return self._owner.submit(
            self._printer.print, text)

    def close(self):  # drain, then stop
        self._owner.shutdown()
# endregion


before = set(threading.enumerate())  # to find the service's thread afterwards
printer = Printer()
service = PrintService(printer)
page_numbers = []


def client(n):
    futures = [service.print_page(f"client {n}, page {i}") for i in range(PAGES)]
    page_numbers.extend(f.result() for f in futures)


clients = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
for c in clients:
    c.start()
for c in clients:
    c.join()
print(f"{CLIENTS} threads x {PAGES} pages, 1 printer thread")
print(f"pages printed: {len(page_numbers):,}")
print(f"distinct page numbers: {len(set(page_numbers)):,}")
line = f"max concurrent access: {printer.peak}"
colour = "\033[32m" if printer.peak == 1 else "\033[31m"
print(f"\x1b]7770;{line}\x07{colour}{line}\033[0m")
print()
bad = service.print_page("")  # the printer raises in its own thread
try:
    bad.result(timeout=5)
except ValueError as error:
    print('print_page("") -> result() raises:')
    print(f"  ValueError: {error}")
queued = [service.print_page("last words") for _ in range(3)]
service.close()
print(f"close(): {sum(f.done() for f in queued)} of 3 queued pages done,")
left = [t for t in threading.enumerate() if t not in before]  # the clients are joined
print(f"  printer threads left: {len(left)}")

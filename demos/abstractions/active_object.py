"""An active object: one thread owns the resource; callers queue requests and get futures."""
import queue
import time
from concurrent.futures import Future
from threading import Thread

CLIENTS, REQUESTS = 8, 25


class Printer:
    """The shared resource. It counts how many callers are inside it at the same time."""

    def __init__(self):
        self.inside = self.peak = self.pages = 0

    def print(self, text):
        self.inside += 1
        self.peak = max(self.peak, self.inside)
        time.sleep(0.0005)            # a slow device: a second caller would overlap here
        self.pages += 1
        self.inside -= 1
        return self.pages


# region active_object
class PrintService:
    def __init__(self, printer):
        self._printer = printer
        self._requests = queue.Queue()
        Thread(target=self._serve, daemon=True).start()

    def print_page(self, text):  # from any thread
        future = Future()
        self._requests.put((future, text))
        return future

    def _serve(self):  # the printer's only user
        while True:
            future, text = self._requests.get()
            future.set_result(self._printer.print(text))
# endregion


printer = Printer()
service = PrintService(printer)
page_numbers = []


def client(n):
    futures = [service.print_page(f"client {n}, page {i}") for i in range(REQUESTS)]
    page_numbers.extend(f.result() for f in futures)


clients = [Thread(target=client, args=(n,)) for n in range(CLIENTS)]
for c in clients:
    c.start()
for c in clients:
    c.join()
print(f"{CLIENTS} client threads x {REQUESTS} requests through one service thread")
print(f"requests served: {len(page_numbers)}")
print(f"distinct page numbers: {len(set(page_numbers))}")
colour = "\033[32m" if printer.peak == 1 else "\033[31m"
print(f"{colour}max concurrent access: {printer.peak}\033[0m")

"""A Condition guards a bounded buffer: the producer waits while it is full, the consumer while it is empty."""
import collections
import threading
import time

CAPACITY, ITEMS = 3, 20
largest, received = 0, []

# region condition
buffer = collections.deque()
changed = threading.Condition()

def produce(items):
    for item in items:
        with changed:
            changed.wait_for(lambda: len(buffer) < CAPACITY)
            buffer.append(item)
            changed.notify_all()

def consume(count):
    for _ in range(count):
        with changed:
            changed.wait_for(lambda: buffer)
            item = buffer.popleft()
            changed.notify_all()
        handle(item)
# endregion


class FillTracking(collections.deque):
    """The same deque, remembering the largest fill it ever had (for the figure below)."""

    def append(self, item):
        global largest
        super().append(item)
        largest = max(largest, len(self))


buffer = FillTracking()  # instrument the buffer of the region above


def handle(item):
    received.append(item)
    time.sleep(0.01)  # a slow consumer: the producer has to wait for room


producer = threading.Thread(target=produce, args=(range(ITEMS),))
consumer = threading.Thread(target=consume, args=(ITEMS,))
producer.start(); consumer.start()
producer.join(); consumer.join()
in_order = received == list(range(ITEMS))
print(f"buffer capacity: {CAPACITY}")
print(f"largest fill seen: {largest}")
print(f"items transferred: {len(received)} of {ITEMS}, in order: {in_order}")
colour = "\033[32m" if largest <= CAPACITY and in_order else "\033[31m"
print(f"{colour}overfilled: {int(largest > CAPACITY)}\033[0m")

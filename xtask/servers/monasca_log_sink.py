"""Monasca's log pipeline for the test servers: a file instead of Kafka.

Monasca API's logs resource (``POST /v2.0/logs``) validates the entries, wraps each in an
envelope and hands the envelopes to a Kafka producer, which it gets from
``monasca_common.kafka.client_factory``. There is no Kafka here, so ``install`` replaces that
factory with one whose producer appends every published message to a file, one JSON document
per line. Validation, envelopes and error answers stay Monasca's own; the tests read the file
to see that what they posted reached the pipeline.
"""

import threading

from monasca_common.kafka import client_factory


class FileProducer:
    """Appends each message to a file, in the place of a Kafka producer."""

    # One lock for every producer: the server answers requests on parallel threads, and a
    # buffered write of many lines may reach the file in pieces that would interleave.
    _lock = threading.Lock()

    def __init__(self, path):
        self._path = path

    def publish(self, topic, messages, key=None, timeout=None):
        """Appends ``messages`` (one or a list, text or UTF-8 bytes), one per line."""
        if not isinstance(messages, list):
            messages = [messages]
        lines = []
        for message in messages:
            if isinstance(message, bytes):
                message = message.decode("utf-8")
            lines.append(message.rstrip("\n") + "\n")
        with self._lock, open(self._path, "a", encoding="utf-8") as sink:
            sink.write("".join(lines))


def install(path):
    """Makes every Kafka producer Monasca creates from now on write to ``path``."""
    client_factory.get_kafka_producer = lambda *args, **kwargs: FileProducer(path)

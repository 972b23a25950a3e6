"""A real SMTP server on loopback that keeps what it receives: for tests and benchmarks."""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """An aiosmtpd server that can be stopped and started again on the same port.

    `delay` seconds pass before each message is accepted, like a slow mail server.
    `hold(stage)` makes every session wait at that stage until `release()`, so a test can
    stop a sender in the middle of a message.
    """

    # Where a held session waits: before the recipient is accepted (nothing delivered yet),
    # or after the message is kept but before the server says so.
    STAGES = ("rcpt", "data")

    def __init__(self, delay=0.0, port=None):
        self.delay = delay
        self.port = port or free_port()
        self.messages = []
        self.waiting = 0  # sessions held now
        self._held = None
        self._lock = threading.Lock()
        self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        await self._wait_if_held("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        await self._wait_if_held("data")
        return "250 Message accepted"

    def hold(self, stage):
        if stage not in self.STAGES:
            raise ValueError(f"stage must be one of {self.STAGES}")
        self._held = stage

    def release(self):
        self._held = None

    async def _wait_if_held(self, stage):
        if self._held != stage:
            return
        with self._lock:
            self.waiting += 1
        try:
            while self._held == stage:
                await asyncio.sleep(0.05)
        finally:
            with self._lock:
                self.waiting -= 1

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def received(self):
        with self._lock:
            return list(self.messages)

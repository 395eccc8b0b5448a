"""Backends that fail the way real ones do, selected by dotted path in tests."""

from django_tasks.backends.dummy import DummyBackend


class GatewayDown(Exception):
    pass


class FailingSms:
    """An SMS gateway that refuses, as one does when the account runs dry (and echoes the number)."""

    def send(self, phone: str, text: str) -> None:
        raise GatewayDown(f"网关拒绝发送到 {phone}：余额不足")


class RefusingTaskBackend(DummyBackend):
    """A task queue that cannot be reached."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("task queue unreachable")

"""Background delivery of SMS and e-mail (Django tasks; `yiwang worker` runs them)."""

from django_tasks import task

from yiwang.core.notify import services


@task()
def deliver_external(*, message_id: int, channels: list[str]) -> int:
    """Send message `message_id` on `channels`; returns how many deliveries succeeded."""
    deliveries = services.deliver_external(message_id=message_id, channels=channels)
    return sum(1 for delivery in deliveries if delivery.status == "sent")

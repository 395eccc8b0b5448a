"""Predicates of the message services. No permission codes: an inbox belongs to its recipient
alone, and no role — not even a system administrator — reads another person's messages."""

DECLARED: list = []


def can_message_read(actor, message) -> bool:
    return (
        actor is not None and getattr(actor, "is_authenticated", False) and message.recipient_id == actor.pk
    )

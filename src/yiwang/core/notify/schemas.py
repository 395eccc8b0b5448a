from datetime import datetime

from ninja import Schema


class MessageOut(Schema):
    id: int
    title: str
    body: str
    link: str
    category: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool

    @staticmethod
    def resolve_is_read(obj) -> bool:
        return obj.read_at is not None


class UnreadCountOut(Schema):
    count: int


class ReadAllOut(Schema):
    marked: int

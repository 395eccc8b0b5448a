"""Permission codes of the electronic-licence library, and the predicates its services call."""

DECLARED: list[tuple[str, str, tuple[str, ...]]] = []

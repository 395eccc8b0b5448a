import pytest

from yiwang.services.tests.factories import ServiceCity, create_service_city


@pytest.fixture
def service_city(db) -> ServiceCity:
    """A staffed city with the processes loaded; make items with factories.food_item(...) etc."""
    return create_service_city()

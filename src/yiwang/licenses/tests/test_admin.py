"""The licence library in the Django admin: shown read-only, private keys never."""

from __future__ import annotations

import pytest

from yiwang.core import personal_data
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name


def test_types_keys_licences_and_uses_are_shown_read_only_without_private_keys(client, library):
    issued = issue_health(library)
    client.force_login(library.sys_admin)
    private_pem = personal_data.decrypt(library.key.private_pem_encrypted)
    pages = [
        "/admin/licenses/licensetype/",
        f"/admin/licenses/licensetype/{library.food_type.pk}/change/",
        "/admin/licenses/signingkey/",
        f"/admin/licenses/signingkey/{library.key.pk}/change/",
        "/admin/licenses/license/",
        f"/admin/licenses/license/{issued.pk}/change/",
        "/admin/licenses/licenseuse/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        text = response.content.decode()
        assert private_pem.splitlines()[1] not in text and "PRIVATE KEY" not in text, page
        assert library.citizen.id_number not in text and "张三丰" not in text, page
    assert client.get("/admin/licenses/license/add/").status_code == 403
    assert client.post(f"/admin/licenses/license/{issued.pk}/delete/").status_code == 403

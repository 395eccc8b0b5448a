import pytest
from django.urls import reverse

from yiwang.core.files import services
from yiwang.core.files.models import Attachment
from yiwang.core.files.tests import samples
from yiwang.core.tests import factories

URL = "/api/v1/files/"


def attach(user, name="营业执照 2026.pdf", content=samples.PDF):
    return services.file_attach(
        actor=user, owner_type="accounts.user", owner_id=str(user.pk), upload=samples.upload(name, content)
    )


def test_upload_by_multipart_returns_the_sniffed_type_not_the_claimed_one(client, citizen):
    client.force_login(citizen)
    response = client.post(
        URL,
        {
            "owner_type": "accounts.user",
            "owner_id": str(citizen.pk),
            "file": samples.upload("照片.png", samples.png(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "照片.png"
    assert body["content_type"] == "image/png"
    assert body["size"] == len(samples.png())
    assert body["content_url"] == f"/api/v1/files/{body['id']}/content"


def test_a_disguised_executable_gets_a_field_error_in_the_envelope(client, citizen):
    client.force_login(citizen)
    response = client.post(
        URL,
        {
            "owner_type": "accounts.user",
            "owner_id": str(citizen.pk),
            "file": samples.upload("报告.pdf", samples.EXE),
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["file"].startswith("不支持的文件类型")
    assert not Attachment.objects.exists()


def test_an_upload_without_a_file_names_the_missing_field(client, citizen):
    client.force_login(citizen)
    response = client.post(URL, {"owner_type": "accounts.user", "owner_id": str(citizen.pk)})
    assert response.status_code == 422
    assert "file" in response.json()["error"]["fields"]


def test_download_sends_the_real_name_type_and_nosniff(client, citizen):
    attachment = attach(citizen)
    client.force_login(citizen)
    response = client.get(f"{URL}{attachment.pk}/content")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%202026.pdf" in disposition
    assert 'filename="2026.pdf"' in disposition  # the ASCII fallback for old clients


@pytest.mark.parametrize("path", ["{id}", "{id}/content"])
def test_another_citizen_and_an_official_elsewhere_get_404(client, citizen, other_department, path):
    attachment = attach(citizen)
    for outsider in (
        factories.create_citizen(),
        factories.create_official(department=other_department, role="dept_admin"),
    ):
        client.force_login(outsider)
        response = client.get(URL + path.format(id=attachment.pk))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_an_official_in_scope_downloads_a_colleagues_file(client, department, other_department):
    owner = factories.create_official(department=department, role="handler")
    attachment = attach(owner)
    client.force_login(factories.create_official(department=department, role="dept_admin"))
    assert client.get(f"{URL}{attachment.pk}/content").status_code == 200
    client.force_login(factories.create_official(department=other_department, role="dept_admin"))
    assert client.get(f"{URL}{attachment.pk}/content").status_code == 404


def test_anonymous_callers_get_401(client, citizen):
    attachment = attach(citizen)
    assert client.get(f"{URL}{attachment.pk}").status_code == 401


def test_the_owner_deletes_and_a_viewer_who_may_not_attach_gets_403(client, department):
    owner = factories.create_official(department=department, role="handler")
    attachment = attach(owner)
    client.force_login(factories.create_official(department=department, role="dept_admin"))
    assert client.delete(f"{URL}{attachment.pk}").status_code == 403
    client.force_login(owner)
    assert client.delete(f"{URL}{attachment.pk}").status_code == 204
    assert client.get(f"{URL}{attachment.pk}").status_code == 404


def test_an_impossible_id_is_a_404_not_a_crash(client, citizen):
    client.force_login(citizen)
    assert client.get(f"{URL}99999999999999999999999").status_code == 404


def test_listing_an_owners_files_is_paginated_in_few_queries(client, citizen, django_assert_max_num_queries):
    for number in range(12):
        attach(citizen, name=f"材料{number}.pdf", content=samples.PDF + str(number).encode())
    client.force_login(citizen)
    # session, user and the rate-limit cache take about 8; the list itself is a count and one page.
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"owner_type": "accounts.user", "owner_id": citizen.pk, "limit": 5})
    body = response.json()
    assert body["count"] == 12
    assert [item["name"] for item in body["items"]] == [f"材料{n}.pdf" for n in range(5)]


def test_page_download_follows_the_same_visibility(client, citizen, department, other_department):
    attachment = attach(citizen)
    url = reverse("files:download", args=[attachment.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(factories.create_official(department=other_department, role="dept_admin"))
    assert client.get(url).status_code == 404
    client.force_login(factories.create_citizen())
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"

    colleague_file = attach(factories.create_official(department=department, role="handler"))
    client.force_login(factories.create_official(department=department, role="dept_admin"))
    assert client.get(reverse("files:download", args=[colleague_file.pk])).status_code == 200


def test_a_malformed_id_gets_the_json_envelope(client, citizen):
    client.force_login(citizen)
    response = client.delete(f"{URL}null")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"

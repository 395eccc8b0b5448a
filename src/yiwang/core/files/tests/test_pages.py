"""Attachment pages: 我的材料 on 我的信息 (upload, list, download, delete) and, for officials
who may see the person, view-only on the user detail page."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from yiwang.core.audit.models import AuditRecord
from yiwang.core.files import services
from yiwang.core.files.models import Attachment, StoredFile
from yiwang.core.files.tests import samples
from yiwang.core.tests import factories

pytestmark = pytest.mark.django_db

UPLOAD = "/files/upload/"


def post_file(client, owner, upload, next_url="/me/#files"):
    return client.post(
        UPLOAD, {"owner_type": "accounts.user", "owner_id": str(owner.pk), "file": upload, "next": next_url}
    )


def attach(user, name="身份证扫描件.pdf", content=samples.PDF):
    return services.file_attach(
        actor=user, owner_type="accounts.user", owner_id=str(user.pk), upload=samples.upload(name, content)
    )


def field_error(html: str) -> str:
    match = re.search(r'<p class="field-error" id="attachments-file-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_me_page_offers_a_labelled_upload_form_with_types_and_size_limit(client, citizen):
    client.force_login(citizen)
    html = client.get("/me/").content.decode()

    assert "我的材料" in html and "暂无材料。" in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="attachments-file">选择文件' in html
    assert 'accept=".pdf,.ofd,.jpg,.png,.docx,.xlsx,.jpeg,.jpe"' in html
    assert "支持 pdf、ofd、jpg、png、docx、xlsx 格式，单个文件不超过20MB。" in html


def test_citizen_uploads_a_pdf_sees_it_listed_and_downloads_it(client, citizen):
    client.force_login(citizen)
    response = post_file(client, citizen, samples.upload("毕业证书.pdf", samples.PDF))

    assert response.status_code == 302 and response["Location"] == "/me/#files"
    page = client.get("/me/").content.decode()
    attachment = Attachment.objects.get()
    assert "已上传“毕业证书.pdf”" in page
    assert f'<a href="/files/{attachment.pk}/">毕业证书.pdf</a>' in page
    download = client.get(f"/files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == samples.PDF
    assert download["Content-Type"] == "application/pdf"


def test_an_exe_renamed_pdf_shows_the_reason_beside_the_file_field_and_stores_nothing(client, citizen):
    client.force_login(citizen)
    response = post_file(client, citizen, samples.upload("证书.pdf", samples.EXE))

    assert response.status_code == 422
    html = response.content.decode()
    assert field_error(html) == "不支持的文件类型：仅允许 pdf、ofd、jpg、png、docx、xlsx"
    assert 'aria-invalid="true"' in html and '<p class="error" role="alert">' in html
    assert '<input type="hidden" name="next" value="/me/#files">' in html  # a retry returns there too
    assert not Attachment.objects.exists() and not StoredFile.objects.exists()
    assert not AuditRecord.objects.filter(action="core.file.attached").exists()


def test_a_png_named_pdf_is_refused_as_a_mismatched_extension(client, citizen):
    client.force_login(citizen)
    html = post_file(client, citizen, samples.upload("证书.pdf", samples.png())).content.decode()

    assert field_error(html) == "文件内容与扩展名不符：内容为 png 文件，扩展名却是 .pdf"
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused_with_the_limit_named(client, citizen):
    client.force_login(citizen)
    big = samples.PDF + b"0" * (settings.UPLOAD_MAX_BYTES + 1 - len(samples.PDF))
    response = post_file(client, citizen, samples.upload("大文件.pdf", big))

    assert response.status_code == 422
    assert field_error(response.content.decode()) == "文件超过20MB上限"
    assert not Attachment.objects.exists()


def test_submitting_without_a_file_asks_for_one(client, citizen):
    client.force_login(citizen)
    response = client.post(
        UPLOAD, {"owner_type": "accounts.user", "owner_id": str(citizen.pk), "next": "/me/"}
    )

    assert response.status_code == 422
    assert field_error(response.content.decode()) == "请选择要上传的文件"


@pytest.mark.parametrize(
    ("owner_type", "owner_id", "status", "text"),
    [
        ("nope.thing", "1", 422, "未知的所属对象类型"),
        ("", "1", 422, "所属对象类型不能为空"),
        ("accounts.user", "", 422, "所属对象ID不能为空"),
        ("accounts.user", "9" * 30, 404, ""),
        ("accounts.user", "-1", 404, ""),
    ],
)
def test_a_tampered_owner_gets_a_plain_error_not_a_crash(client, citizen, owner_type, owner_id, status, text):
    client.force_login(citizen)
    response = client.post(
        UPLOAD, {"owner_type": owner_type, "owner_id": owner_id, "file": samples.upload("a.pdf", samples.PDF)}
    )

    assert response.status_code == status
    assert text in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_foreign_next_is_not_followed(client, citizen):
    client.force_login(citizen)
    response = post_file(client, citizen, samples.upload("a.pdf", samples.PDF), "https://evil.example/me/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert Attachment.objects.count() == 1


def test_another_citizen_cannot_see_download_delete_or_add_to_the_files(client, citizen):
    attachment = attach(citizen)
    other = factories.create_citizen(display_name="李四")
    client.force_login(other)

    assert client.get(f"/files/{attachment.pk}/").status_code == 404
    assert client.post(f"/files/{attachment.pk}/delete/", {"next": "/me/"}).status_code == 404
    assert post_file(client, citizen, samples.upload("b.pdf", samples.PDF)).status_code == 404
    assert "身份证扫描件.pdf" not in client.get("/me/").content.decode()
    assert Attachment.objects.count() == 1


def test_the_owner_deletes_a_file_from_the_me_page(client, citizen):
    attachment = attach(citizen)
    client.force_login(citizen)
    page = client.get("/me/").content.decode()
    assert f'action="/files/{attachment.pk}/delete/"' in page

    response = client.post(f"/files/{attachment.pk}/delete/", {"next": "/me/#files"})

    assert response.status_code == 302 and response["Location"] == "/me/#files"
    assert not Attachment.objects.exists()
    assert AuditRecord.objects.filter(action="core.file.detached").count() == 1
    page = client.get("/me/").content.decode()
    assert "已删除“身份证扫描件.pdf”" in page and "暂无材料。" in page


def test_delete_and_upload_need_post_and_sign_in(client, citizen):
    attachment = attach(citizen)

    assert client.post(f"/files/{attachment.pk}/delete/")["Location"].startswith("/login/")
    client.force_login(citizen)
    assert client.get(f"/files/{attachment.pk}/delete/").status_code == 405
    assert client.get(UPLOAD).status_code == 405
    assert Attachment.objects.count() == 1


def test_a_city_wide_admin_sees_and_downloads_but_cannot_change_a_citizens_files(
    client, citizen, sys_admin, django_assert_max_num_queries
):
    attachment = attach(citizen)
    attach(citizen, name="学位证书.png", content=samples.png())
    client.force_login(sys_admin)

    with django_assert_max_num_queries(16):
        html = client.get(f"/workbench/users/{citizen.pk}/").content.decode()

    assert "个人材料" in html
    assert f'<a href="/files/{attachment.pk}/">身份证扫描件.pdf</a>' in html and "学位证书.png" in html
    assert "/files/upload/" not in html and "/delete/" not in html
    assert client.get(f"/files/{attachment.pk}/").status_code == 200
    assert client.post(f"/files/{attachment.pk}/delete/", {"next": "/"}).status_code == 403
    assert post_file(client, citizen, samples.upload("x.pdf", samples.PDF)).status_code == 403
    assert Attachment.objects.count() == 2


def test_a_department_scoped_official_gets_404_for_a_citizens_files(client, citizen, department):
    attachment = attach(citizen)
    official = factories.create_official(department=department, role="dept_admin")
    client.force_login(official)

    assert client.get(f"/workbench/users/{citizen.pk}/").status_code == 404
    assert client.get(f"/files/{attachment.pk}/").status_code == 404


def test_an_official_keeps_own_files_on_the_me_page(client, department):
    official = factories.create_official(department=department, role="window_clerk")
    client.force_login(official)

    assert post_file(client, official, samples.upload("职称证书.pdf", samples.PDF)).status_code == 302
    assert "职称证书.pdf" in client.get("/me/").content.decode()

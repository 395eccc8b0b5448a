import pytest
from django.core.files.storage import default_storage

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.files import selectors, services
from yiwang.core.files.models import Attachment, StoredFile
from yiwang.core.files.tests import samples
from yiwang.core.tests import factories

USER = "accounts.user"


def attach(user, name, content, owner_id=None):
    return services.file_attach(
        actor=user, owner_type=USER, owner_id=owner_id or str(user.pk), upload=samples.upload(name, content)
    )


def test_same_content_is_stored_once_however_often_attached(citizen):
    first = attach(citizen, "身份证正面.pdf", samples.PDF)
    second = attach(citizen, "再传一次.pdf", samples.PDF)
    other = factories.create_citizen()
    third = attach(other, "别人的.pdf", samples.PDF)

    assert first.pk != second.pk != third.pk
    assert StoredFile.objects.count() == 1
    stored = StoredFile.objects.get()
    assert first.file_id == second.file_id == third.file_id == stored.sha256
    assert stored.storage_name.startswith(f"files/{stored.sha256[:2]}/{stored.sha256[2:4]}/{stored.sha256}")
    assert default_storage.open(stored.storage_name).read() == samples.PDF
    attached = AuditRecord.objects.filter(action="core.file.attached").order_by("created_at", "pk")
    assert [record.changes["new_blob"] for record in attached] == [True, False, False]


def test_an_executable_renamed_pdf_is_rejected_and_nothing_is_kept(citizen):
    with pytest.raises(InvalidInput) as error:
        attach(citizen, "发票.pdf", samples.EXE)
    assert error.value.fields["file"] == "不支持的文件类型：仅允许 pdf、ofd、jpg、png、docx、xlsx"
    assert not Attachment.objects.exists() and not StoredFile.objects.exists()


def test_a_png_named_pdf_is_rejected_as_a_mismatch(citizen):
    with pytest.raises(InvalidInput) as error:
        attach(citizen, "营业执照.pdf", samples.png())
    assert error.value.fields["file"].startswith("文件内容与扩展名不符")
    assert not StoredFile.objects.exists()


def test_a_file_over_the_configured_limit_is_refused(citizen, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(InvalidInput) as error:
        attach(citizen, "大文件.pdf", samples.PDF + b"0" * 2048)
    assert error.value.fields["file"] == "文件超过1KB上限"
    assert attach(citizen, "小文件.pdf", samples.PDF).file.size == len(samples.PDF)


def test_the_default_limit_is_named_in_megabytes_from_the_declared_size(citizen, settings):
    settings.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    upload = samples.upload("扫描件.pdf", samples.PDF)
    upload.size = 21 * 1024 * 1024  # what the client claimed; refused before anything is read
    with pytest.raises(InvalidInput) as error:
        services.file_attach(actor=citizen, owner_type=USER, owner_id=str(citizen.pk), upload=upload)
    assert error.value.fields["file"] == "文件超过20MB上限"


def test_an_empty_file_is_refused(citizen):
    with pytest.raises(InvalidInput) as error:
        attach(citizen, "空.pdf", b"")
    assert error.value.fields["file"] == "文件为空"


def test_only_configured_types_are_accepted(citizen, settings):
    settings.UPLOAD_TYPES = ["pdf", "ofd"]
    with pytest.raises(InvalidInput) as error:
        attach(citizen, "照片.png", samples.png())
    assert error.value.fields["file"] == "不支持的文件类型：仅允许 pdf、ofd"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("电子证照.ofd", samples.ofd(), "application/ofd"),
        (
            "申请表.docx",
            samples.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("清单.xlsx", samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("照片.jpeg", samples.JPEG, "image/jpeg"),
    ],
)
def test_zip_based_and_image_kinds_get_their_own_content_type(citizen, name, content, content_type):
    attachment = attach(citizen, name, content)
    assert attachment.file.content_type == content_type
    assert attachment.name == name


def test_a_docx_named_xlsx_is_a_mismatch(citizen):
    with pytest.raises(InvalidInput) as error:
        attach(citizen, "清单.xlsx", samples.docx())
    assert "文件内容与扩展名不符" in error.value.fields["file"]


def test_a_name_loses_its_directories_and_hidden_characters_and_gains_an_extension(citizen):
    assert attach(citizen, "../../etc/营业\u202e执照.pdf", samples.PDF).name == "营业执照.pdf"
    assert attach(citizen, "扫描件", samples.png()).name == "扫描件.png"


def test_nobody_attaches_to_someone_elses_files(citizen, department):
    stranger = factories.create_citizen()
    with pytest.raises(NotFound):
        attach(stranger, "a.pdf", samples.PDF, owner_id=str(citizen.pk))
    colleague = factories.create_official(department=department, role="handler")
    manager = factories.create_official(department=department, role="dept_admin")
    with pytest.raises(PermissionDenied):  # may see the colleague, but not add to their files
        attach(manager, "a.pdf", samples.PDF, owner_id=str(colleague.pk))
    assert not Attachment.objects.exists()


def test_an_unknown_owner_type_is_a_field_error(citizen):
    with pytest.raises(InvalidInput) as error:
        services.file_attach(
            actor=citizen, owner_type="nope.thing", owner_id="1", upload=samples.upload("a.pdf", samples.PDF)
        )
    assert "owner_type" in error.value.fields


def test_officials_in_scope_see_a_colleagues_files_and_others_do_not(department, other_department):
    owner = factories.create_official(department=department, role="handler")
    attachment = attach(owner, "任命书.pdf", samples.PDF)
    in_scope = factories.create_official(department=department, role="dept_admin")
    elsewhere = factories.create_official(department=other_department, role="dept_admin")

    assert selectors.attachment_get(actor=in_scope, attachment_id=attachment.pk) == attachment
    assert list(selectors.attachment_list(actor=in_scope, owner_type=USER, owner_id=owner.pk)) == [attachment]
    with pytest.raises(NotFound):
        selectors.attachment_get(actor=elsewhere, attachment_id=attachment.pk)
    with pytest.raises(NotFound):
        selectors.attachment_list(actor=elsewhere, owner_type=USER, owner_id=owner.pk)


def test_detaching_removes_the_attachment_and_keeps_the_shared_blob(citizen):
    first = attach(citizen, "a.pdf", samples.PDF)
    first_id = first.pk
    attach(citizen, "b.pdf", samples.PDF)
    services.file_detach(actor=citizen, attachment=first)
    assert Attachment.objects.count() == 1
    assert default_storage.exists(StoredFile.objects.get().storage_name)
    assert AuditRecord.objects.filter(action="core.file.detached", target_id=str(first_id)).exists()

"""Reading the environment: typed helpers refuse malformed values with the variable's name."""

import pytest

from yiwang.config import env


def test_json_object_reads_storage_options(monkeypatch):
    monkeypatch.setenv("YIWANG_FILE_STORAGE_OPTIONS", '{"bucket_name": "yiwang", "querystring_auth": true}')
    assert env.json_object("YIWANG_FILE_STORAGE_OPTIONS") == {
        "bucket_name": "yiwang",
        "querystring_auth": True,
    }


@pytest.mark.parametrize(
    ("raw", "reason"), [("{bucket", "not valid JSON"), ("[1, 2]", "must be a JSON object")]
)
def test_json_object_names_the_variable_when_malformed(monkeypatch, raw, reason):
    monkeypatch.setenv("YIWANG_FILE_STORAGE_OPTIONS", raw)
    with pytest.raises(ValueError, match=f"YIWANG_FILE_STORAGE_OPTIONS.*{reason}"):
        env.json_object("YIWANG_FILE_STORAGE_OPTIONS")


def test_booleans_refuse_anything_but_true_or_false(monkeypatch):
    monkeypatch.setenv("YIWANG_METRICS", "maybe")
    with pytest.raises(ValueError, match="YIWANG_METRICS"):
        env.flag("YIWANG_METRICS", False)


def test_undeclared_variables_cannot_be_read():
    with pytest.raises(KeyError, match="not declared"):
        env.raw("YIWANG_SOMETHING_NEW")


def test_default_storage_is_the_file_system(settings):
    assert settings.STORAGES["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {},
    }

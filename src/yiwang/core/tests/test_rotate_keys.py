"""`yiwang rotate-keys`: every encrypted value moves to the newest key; nothing is lost."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from yiwang.core import personal_data
from yiwang.core.accounts.models import User
from yiwang.core.audit.models import AuditRecord
from yiwang.core.management.commands import rotate_keys
from yiwang.core.tests import factories

pytestmark = pytest.mark.django_db

T1 = "t1:dGVzdC1rZXktMS0xNmJ5dA=="
T2 = "t2:dGVzdC1rZXktMi0xNmJ5dA=="
RETIRED = "old:b2xkLWtleS0xNi1ieXRlcw=="  # base64("old-key-16-bytes")


def people_under(keys: str, count: int = 3) -> list[tuple[int, str, str]]:
    with override_settings(DATA_KEYS=keys):
        users = [factories.create_citizen(display_name=f"居民{n}") for n in range(count)]
        return [(user.pk, user.id_number, user.phone) for user in users]


def stored(pk: int) -> User:
    return User.objects.get(pk=pk)


def rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_rotation_re_encrypts_every_value_under_the_first_key():
    people = people_under(T1)
    indexes = {pk: (stored(pk).id_number_index, stored(pk).phone_index) for pk, _, _ in people}
    assert {personal_data.key_id_of(stored(pk).phone_encrypted) for pk, _, _ in people} == {"t1"}

    with override_settings(DATA_KEYS=f"{T2},{T1}"):
        output = rotate("--batch-size", "2")  # two batches: paging must not skip a row
        for pk, id_number, phone in people:
            user = stored(pk)
            assert personal_data.key_id_of(user.id_number_encrypted) == "t2"
            assert personal_data.key_id_of(user.phone_encrypted) == "t2"
            assert (user.id_number, user.phone) == (id_number, phone)
            assert (user.id_number_index, user.phone_index) == indexes[pk]  # blind index unchanged

    # The old key can now go: everything decrypts with t2 alone.
    with override_settings(DATA_KEYS=T2):
        assert [stored(pk).id_number for pk, _, _ in people] == [p[1] for p in people]
    assert "轮换前 before: t1 6" in output
    assert "轮换后 after: t2 6" in output
    summary = AuditRecord.objects.get(action="core.personal_data.keys_rotated")
    assert summary.changes["before"] == {"t1": 6} and summary.changes["after"] == {"t2": 6}
    assert summary.changes["rotated"] == 6


def test_dry_run_counts_but_writes_nothing():
    people = people_under(T1, count=2)
    before = {pk: stored(pk).phone_encrypted for pk, _, _ in people}
    with override_settings(DATA_KEYS=f"{T2},{T1}"):
        output = rotate("--dry-run")
    assert {pk: stored(pk).phone_encrypted for pk, _, _ in people} == before
    assert "试运行" in output and "re-encrypted: 4" in output
    assert not AuditRecord.objects.filter(action="core.personal_data.keys_rotated").exists()


def test_value_under_an_unknown_key_is_reported_and_kept():
    lost_pk, _, _ = people_under(RETIRED, count=1)[0]
    kept = stored(lost_pk).phone_encrypted
    people = people_under(T1, count=1)
    err = io.StringIO()
    with override_settings(DATA_KEYS=f"{T2},{T1}"):
        with pytest.raises(CommandError, match="无法用已配置的密钥解密"):
            call_command("rotate_keys", stdout=io.StringIO(), stderr=err)
        assert personal_data.key_id_of(stored(people[0][0]).phone_encrypted) == "t2"
    assert stored(lost_pk).phone_encrypted == kept  # untouched: the old key can still read it
    assert f"accounts.user#{lost_pk}.phone_encrypted" in err.getvalue()
    summary = AuditRecord.objects.get(action="core.personal_data.keys_rotated")
    assert summary.changes["unreadable"] == 2 and summary.changes["after"]["old"] == 2
    with override_settings(DATA_KEYS=f"{T2},{RETIRED}"):
        assert stored(lost_pk).phone  # restoring the key makes the value readable again


def test_a_value_changed_meanwhile_is_not_overwritten():
    pk, _, _ = people_under(T1, count=1)[0]
    read = stored(pk).phone_encrypted
    with override_settings(DATA_KEYS=f"{T2},{T1}"):
        newer = personal_data.encrypt("13900009999")
        User.objects.filter(pk=pk).update(phone_encrypted=newer)  # someone edits after our read
        report = rotate_keys.Rotation(current_key="t2", before=rotate_keys.Counter())
        rotate_keys._rotate_batch(User, ["phone_encrypted"], [(pk, read)], "t2", report, dry_run=False)
    assert report.changed_meanwhile == 1 and report.rotated == 0
    assert stored(pk).phone_encrypted == newer


def test_encrypted_fields_are_found_by_name():
    fields = dict(rotate_keys.encrypted_fields())
    assert fields[User] == ["id_number_encrypted", "phone_encrypted"]


def test_new_key_prints_a_usable_key_spec():
    output = rotate("--new-key", "--key-id", "k2027").strip()
    ring = personal_data.parse_keys(output)
    assert ring.current_id == "k2027" and len(ring.keys["k2027"]) == 16
    with pytest.raises(CommandError):
        rotate("--new-key", "--key-id", "bad$id")

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from yiwang.core import personal_data


def test_encrypted_value_hides_the_number_and_decrypts_back():
    stored = personal_data.encrypt("11010519491231002X")
    assert "11010519491231002X" not in stored
    assert stored.startswith("t2$")  # the first key of YIWANG_DATA_KEYS encrypts
    assert personal_data.decrypt(stored) == "11010519491231002X"


def test_same_value_encrypts_differently_each_time():
    assert personal_data.encrypt("13812345678") != personal_data.encrypt("13812345678")


def test_value_under_an_older_key_still_decrypts():
    key1 = base64.b64encode(b"old-key-16-bytes").decode()
    key2 = base64.b64encode(b"new-key-16-bytes").decode()
    with override_settings(DATA_KEYS=f"old:{key1}"):
        stored = personal_data.encrypt("13812345678")
    with override_settings(DATA_KEYS=f"new:{key2},old:{key1}"):
        assert personal_data.decrypt(stored) == "13812345678"
        assert personal_data.key_id_of(personal_data.encrypt("x")) == "new"


def test_altered_ciphertext_is_detected():
    stored = personal_data.encrypt("13812345678")
    key_id, _, body = stored.partition("$")
    raw = bytearray(base64.b64decode(body))
    raw[14] ^= 0x01
    with pytest.raises(personal_data.DecryptionFailed):
        personal_data.decrypt(f"{key_id}${base64.b64encode(bytes(raw)).decode()}")


def test_unknown_key_id_is_a_clear_failure():
    with pytest.raises(personal_data.DecryptionFailed, match="no key"):
        personal_data.decrypt("gone$AAAA")


@pytest.mark.parametrize("spec", ["", "k1", "k1:not-base64!", "k1:" + base64.b64encode(b"short").decode()])
def test_bad_key_specs_are_refused_at_startup(spec):
    with pytest.raises(ImproperlyConfigured):
        personal_data.parse_keys(spec)


def test_blind_index_is_stable_keyed_and_kind_separated():
    a = personal_data.blind_index("phone", "13812345678")
    assert a == personal_data.blind_index("phone", "13812345678")
    assert a != personal_data.blind_index("id_number", "13812345678")
    with override_settings(DATA_INDEX_KEY="another-key"):
        assert personal_data.blind_index("phone", "13812345678") != a


def test_masks_match_the_forms_people_know():
    assert personal_data.mask_id_number("11010519491231002X") == "110105********002X"
    assert personal_data.mask_phone("13812345678") == "138****5678"
    assert personal_data.mask_name("张三丰") == "张*丰"
    assert personal_data.mask_name("李四") == "李*"

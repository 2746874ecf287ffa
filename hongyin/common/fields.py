"""Encrypted model fields (SM4-GCM at rest) and masking of personal data (SECURITY.md)."""

from django.db import models

from .crypto import DecryptionError, blind_index, sm4_decrypt, sm4_encrypt


class EncryptedCharField(models.TextField):
    """Stores 'v<key version>:<base64>' ciphertext; Python code sees plaintext.

    Not searchable: pair it with a BlindIndexField (HMAC-SM3) for uniqueness and exact lookup.
    """

    description = "SM4-GCM encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return sm4_decrypt(value)
        except DecryptionError:
            return DECRYPTION_FAILED

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return sm4_encrypt(value)


DECRYPTION_FAILED = "\ufffd"  # shown (masked) when a value cannot be decrypted: the row is not lost, the value is


class BlindIndexField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


def index_of(value: str | None) -> str | None:
    return blind_index(value) if value else None


def mask_phone(value: str | None) -> str:
    """180****1999"""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_id_number(value: str | None) -> str:
    """6***************1X: the first 1 and the last 2 characters."""
    if not value:
        return ""
    if len(value) <= 3:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 3) + value[-2:]


def mask_name(value: str | None) -> str:
    """张** : the first character, for lists where the role lacks personal-data rights."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)

"""National commercial cryptography (密评): SM3 hashes, HMAC-SM3 blind indexes, SM4-GCM field encryption.

Keys come from settings.HONGYIN_FIELD_KEYS, a list of "version:hexkey" entries; the first one encrypts,
every one decrypts (so a key can be rotated with `manage.py rotate_field_key`).
"""

import base64
import hashlib
import hmac as std_hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as c_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

TAG_BYTES = 16
NONCE_BYTES = 12


class DecryptionError(ValueError):
    pass


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    mac = c_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


@cache
def _parse_keys(raw: tuple[str, ...]) -> tuple[tuple[int, bytes], ...]:
    keys = []
    for entry in raw:
        version, _, hexkey = entry.partition(":")
        key = bytes.fromhex(hexkey)
        if len(key) != 16:
            raise ValueError("HONGYIN_FIELD_KEY entries must be 'version:32-hex-digit key' (SM4 uses 128-bit keys)")
        keys.append((int(version), key))
    return tuple(keys)


def field_keys() -> tuple[tuple[int, bytes], ...]:
    return _parse_keys(tuple(settings.HONGYIN_FIELD_KEYS))


def current_key_version() -> int:
    return field_keys()[0][0]


def blind_index_key() -> bytes:
    # Derived from the oldest key so that a rotation does not change the blind indexes.
    return hashlib.sha256(b"hongyin-blind-index" + field_keys()[-1][1]).digest()[:16]


def blind_index(value: str) -> str:
    return hmac_sm3_hex(blind_index_key(), value.encode())


def sm4_encrypt(plaintext: str, *, aad: bytes = b"") -> str:
    """Returns 'v<version>:<base64(nonce|ciphertext|tag)>'."""
    version, key = field_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return f"v{version}:" + base64.b64encode(nonce + body + encryptor.tag).decode()


@cache
def _algorithms(raw: tuple[str, ...]) -> dict[int, algorithms.SM4]:
    return {version: algorithms.SM4(key) for version, key in _parse_keys(raw)}


def sm4_decrypt(token: str, *, aad: bytes = b"") -> str:
    try:
        head, _, payload = token.partition(":")
        version = int(head.removeprefix("v"))
        raw = base64.b64decode(payload, validate=True)
    except (ValueError, TypeError) as exc:
        raise DecryptionError("malformed ciphertext") from exc
    algorithm = _algorithms(tuple(settings.HONGYIN_FIELD_KEYS)).get(version)
    if algorithm is None or len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("unknown key version or short ciphertext")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithm, modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except (InvalidTag, UnicodeDecodeError) as exc:
        raise DecryptionError("ciphertext was altered") from exc


def key_version_of(token: str) -> int | None:
    head = token.partition(":")[0]
    return int(head[1:]) if head.startswith("v") and head[1:].isdigit() else None


def constant_time_equal(a: str, b: str) -> bool:
    return std_hmac.compare_digest(a.encode(), b.encode())

"""PBKDF2 with HMAC-SM3, for deployments assessed under 密评 (GB/T 39786) that require national algorithms."""

import base64
import hashlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sm3"
    iterations = 600_000
    digest = hashlib.sha256  # unused; encode() below derives with SM3

    def encode(self, password, salt, iterations=None):
        self._check_encode_args(password, salt)
        iterations = iterations or self.iterations
        kdf = PBKDF2HMAC(algorithm=hashes.SM3(), length=32, salt=salt.encode(), iterations=iterations)
        derived = base64.b64encode(kdf.derive(password.encode())).decode("ascii").strip()
        return f"{self.algorithm}${iterations}${salt}${derived}"

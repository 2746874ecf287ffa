"""Re-encrypt every EncryptedCharField of every model with the first (current) key of HONGYIN_FIELD_KEY.

Deploy with the new key first and the old one after it (HONGYIN_FIELD_KEY=2:<new>,1:<old>), run this command,
then drop the old key. Fields are found by introspection, so models added later are covered. Rows are updated
in batches inside transactions; a value that cannot be decrypted stops the command (nothing is overwritten
with garbage). Blind indexes do not change (they use their own derived key).
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from hongyin.common import hooks
from hongyin.common.crypto import DecryptionError, current_key_version, key_version_of, sm4_decrypt, sm4_encrypt
from hongyin.common.fields import EncryptedCharField


def encrypted_fields() -> list[tuple[type, list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if names and not model._meta.proxy and model._meta.managed:
            found.append((model, names))
    return found


def rotate(*, batch: int = 1000, stdout=None) -> dict[str, int]:
    """Returns {"model.field": values re-encrypted}."""
    version = current_key_version()
    counts: dict[str, int] = {}
    for model, names in encrypted_fields():
        table = connection.ops.quote_name(model._meta.db_table)
        pk = model._meta.pk
        pk_col = connection.ops.quote_name(pk.column)
        for name in names:
            column = connection.ops.quote_name(model._meta.get_field(name).column)
            done = 0
            last = None
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    where = f"WHERE {pk_col} > %s" if last is not None else ""
                    params = [last] if last is not None else []
                    cursor.execute(
                        f"SELECT {pk_col}, {column} FROM {table} {where} ORDER BY {pk_col} LIMIT %s",  # noqa: S608
                        [*params, batch],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    for row_pk, token in rows:
                        last = row_pk
                        if not token or key_version_of(token) == version:
                            continue
                        try:
                            plain = sm4_decrypt(token)
                        except DecryptionError as exc:
                            raise CommandError(f"{model._meta.label}.{name} pk={row_pk}: cannot decrypt ({exc})")
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk_col} = %s",  # noqa: S608
                            [sm4_encrypt(plain), row_pk],
                        )
                        done += 1
            counts[f"{model._meta.label_lower}.{name}"] = done
            if stdout is not None:
                stdout.write(f"{model._meta.label_lower}.{name}: {done} values re-encrypted to key v{version}")
    return counts


class Command(BaseCommand):
    help = "Re-encrypt all SM4-GCM encrypted fields with the current (first) field key."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, batch=1000, **options):
        counts = rotate(batch=batch, stdout=self.stdout)
        hooks.call_one(
            hooks.AUDIT_RECORD,
            action="crypto.rotate_field_key",
            details={"key_version": current_key_version(), **counts},
        )

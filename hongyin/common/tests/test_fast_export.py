"""The batch XML writer of big exports and the decryption of their encrypted columns in a worker process."""

import io
import os
import zipfile
from types import SimpleNamespace

import pytest
from python_calamine import CalamineWorkbook

from hongyin.common import bulk_crypto
from hongyin.common.bulk_crypto import ColumnEncryptor, decrypt_batches
from hongyin.common.crypto import sm4_decrypt_many, sm4_encrypt
from hongyin.common.exports import _BATCH, write_rows_xlsx

USER = SimpleNamespace(display_name="测试", get_username=lambda: "tester")


def _write(rows, headers=("甲", "乙", "丙")):
    buffer = io.BytesIO()
    count = write_rows_xlsx(buffer, headers, rows, user=USER, title="t")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0).to_python()
    return count, sheet, buffer.getvalue()


def test_cells_are_escaped_neutralized_and_kept_in_place():
    rows = [
        ["=1+1", "+86", "-3"],
        ["@sum", "\tx", "\rcr"],
        ["a&b<c>d", "x\x01y\x0bz", "\x01=cmd"],
        ["  前后空格 ", "", "尾"],
        ["分\x1f隔", "行\x1e隔", "普通"],
        [None, 5, 2.5],
        ["短行"],
        ["长", "行", "被", "截断"],
        ["短\x1f行", "含分隔符"],
    ]
    count, sheet, _ = _write(rows)
    assert count == len(rows)
    assert sheet[0][0].startswith("导出人：测试（tester）")
    assert sheet[1] == ["甲", "乙", "丙"]
    assert sheet[2:] == [
        ["'=1+1", "'+86", "'-3"],
        ["'@sum", "'\tx", "'\rcr"],
        ["a&b<c>d", "xyz", "'=cmd"],
        ["  前后空格 ", "", "尾"],
        ["分隔", "行隔", "普通"],
        ["", "5", "2.5"],
        ["短行", "", ""],
        ["长", "行", "被"],
        ["短行", "含分隔符", ""],
    ]


def test_many_batches_keep_their_order_and_the_sheet_dimension():
    n = _BATCH * 2 + 7
    count, sheet, data = _write([f"姓名{i}", str(i), "-" if i % 2 else ""] for i in range(n))
    assert count == n and len(sheet) == n + 2
    assert sheet[2] == ["姓名0", "0", ""]
    assert sheet[-1] == [f"姓名{n - 1}", str(n - 1), "'-" if n % 2 == 0 else ""]
    assert sheet[-2] == [f"姓名{n - 2}", str(n - 2), "'-" if n % 2 else ""]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert f'<dimension ref="A1:C{n + 2}"/>' in xml
    assert "<c/>" in xml  # empty cells are empty, not empty strings


def test_an_empty_export_has_the_two_head_rows():
    count, sheet, _ = _write([])
    assert count == 0 and sheet[1] == ["甲", "乙", "丙"] and len(sheet) == 2


def test_decrypt_many_reports_each_bad_value_as_none():
    good = sm4_encrypt("110101199003074514")
    head, _, body = good.partition(":")
    altered = head + ":" + ("A" if body[0] != "A" else "B") + body[1:]
    assert sm4_decrypt_many([good, altered, "v9:" + body, "garbage", "v1:AAAA", good]) == [
        "110101199003074514",
        None,
        None,
        None,
        None,
        "110101199003074514",
    ]


def _batches(n_batches, size=50):
    batches = []
    for b in range(n_batches):
        batch = []
        for i in range(size):
            k = b * size + i
            batch.append((k, sm4_encrypt(f"身份{k}"), sm4_encrypt(f"电话{k}") if k % 3 else None))
        batches.append(batch)
    batches[1][0] = (50, "v1:broken", None)
    return batches


@pytest.mark.parametrize("parallel_after", [0, 10**9], ids=["worker", "in-process"])
def test_decrypt_batches_in_order_with_failures_marked(parallel_after):
    batches = _batches(6)
    out = list(decrypt_batches(iter(batches), (1, 2), failed="解密失败", parallel_after=parallel_after, ahead=2))
    assert [batch for batch, _ in out] == batches
    ids = [text for _, (column, _) in out for text in column]
    phones = [text for _, (_, column) in out for text in column]
    assert ids[:50] == [f"身份{k}" for k in range(50)]
    assert ids[50] == "解密失败" and ids[51:] == [f"身份{k}" for k in range(51, 300)]
    assert phones[:4] == ["", "电话1", "电话2", ""] and phones[299] == "电话299"


def test_decrypt_batches_without_a_worker_decrypts_here(monkeypatch):
    monkeypatch.setattr(bulk_crypto, "_start_pool", lambda: None)
    out = list(decrypt_batches(iter(_batches(3)), (1,), failed="x", parallel_after=0))
    assert [column[2] for _, (column,) in out] == ["身份2", "身份52", "身份102"]


@pytest.mark.parametrize("parallel_after", [0, 10**9], ids=["worker", "in-process"])
def test_column_encryptor_gives_fresh_ciphertexts_that_decrypt(parallel_after):
    columns = [["110101199003074514"] * 3, ["13912345678", "13800000000"]]
    with ColumnEncryptor(parallel_after=parallel_after) as encryptor:
        handles = [encryptor.submit(columns) for _ in range(3)]
        results = [encryptor.tokens(h) for h in handles]
    for tokens in results:
        assert [sm4_decrypt_many(t) for t in tokens] == columns
    every = [t for tokens in results for column in tokens for t in column]
    assert len(set(every)) == len(every)  # a fresh nonce for every value, in the worker as here


def test_column_encryptor_encrypts_here_when_the_worker_fails(monkeypatch):
    parent, real = os.getpid(), bulk_crypto._encrypt

    def dies_in_the_worker(columns):
        if os.getpid() != parent:
            os._exit(1)
        return real(columns)

    dies_in_the_worker.__module__, dies_in_the_worker.__qualname__ = bulk_crypto.__name__, "_encrypt"  # as the real one
    monkeypatch.setattr(bulk_crypto, "_encrypt", dies_in_the_worker)  # before the fork: the worker has it too
    monkeypatch.setattr(bulk_crypto, "WORKER_TIMEOUT_S", 1)
    with ColumnEncryptor(parallel_after=0) as encryptor:
        handle = encryptor.submit([["甲", "乙"]])
        assert encryptor.pool is not None
        assert sm4_decrypt_many(encryptor.tokens(handle)[0]) == ["甲", "乙"]

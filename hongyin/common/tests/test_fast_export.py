"""The batch XML writer of big exports (its fast path on the xlsxwriter versions it knows, the public API on
others: the same cells either way) and the decryption of their encrypted columns in a worker process."""

import io
import os
import random
import zipfile
from datetime import date
from types import SimpleNamespace

import pytest
import xlsxwriter
import xlsxwriter.workbook
import xlsxwriter.worksheet
from python_calamine import CalamineWorkbook

from hongyin.common import bulk_crypto, exports
from hongyin.common.bulk_crypto import ColumnEncryptor, decrypt_batches
from hongyin.common.crypto import sm4_decrypt_many, sm4_encrypt
from hongyin.common.exports import _BATCH, write_rows_xlsx

USER = SimpleNamespace(display_name="测试", get_username=lambda: "tester")


@pytest.fixture(params=["fast", "public"])
def path(request, monkeypatch):
    """Each writing test runs on the fast path and on the public API."""
    monkeypatch.setattr(exports, "FAST_PATH", request.param == "fast")
    return request.param


def _write(rows, headers=("甲", "乙", "丙"), **options):
    buffer = io.BytesIO()
    count = write_rows_xlsx(buffer, headers, rows, user=USER, title="t", **options)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0).to_python()
    return count, sheet, buffer.getvalue()


def test_the_installed_xlsxwriter_is_one_the_fast_path_was_checked_against():
    """Fails when xlsxwriter changes version: big exports then take the public path, two to four times slower.
    Check what the fast path uses of xlsxwriter's private parts (SafeSheet.stream_rows: Worksheet._write_single_row,
    .fh, ._check_dimensions, .previous_row, Format._get_xf_index; _FastWorkbook: the ZipFile of
    Workbook._store_workbook) against the new version, run this file, then add the version to FAST_PATH_VERSIONS."""
    assert exports.FAST_PATH, (
        f"xlsxwriter {xlsxwriter.__version__} is not in hongyin.common.exports.FAST_PATH_VERSIONS "
        f"({', '.join(sorted(exports.FAST_PATH_VERSIONS))}): see this test's docstring"
    )


def test_the_private_parts_the_fast_path_uses_are_there():
    assert "ZipFile" in xlsxwriter.Workbook._store_workbook.__code__.co_names
    for name in ("_write_single_row", "_check_dimensions"):
        assert callable(getattr(xlsxwriter.worksheet.Worksheet, name, None)), name
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    sheet = book.add_worksheet()
    assert callable(sheet.fh.write) and isinstance(sheet.previous_row, int)
    assert isinstance(book.add_format({"bold": True})._get_xf_index(), int)
    book.close()


def test_nothing_of_xlsxwriter_is_patched():
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile
    assert xlsxwriter.Workbook._store_workbook.__globals__["ZipFile"] is zipfile.ZipFile


def test_the_fast_workbook_deflates_at_level_one():
    """Same cells, through the public API: the fast workbook's file is the larger one (level 1, not 6)."""
    rng = random.Random(7)
    rows = [
        ["".join(rng.choice("党建引领服务企业高新区") for _ in range(12)), str(rng.randrange(10**15))]
        for _ in range(3000)
    ]
    sizes = []
    for cls in (exports._FastWorkbook, xlsxwriter.Workbook):
        buffer = io.BytesIO()
        book = cls(buffer, {"constant_memory": True})
        sheet = book.add_worksheet()
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
        book.close()
        sizes.append(len(buffer.getvalue()))
        assert CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue())).get_sheet_by_index(0).to_python() == rows
    assert sizes[0] > sizes[1] * 1.03


def test_cells_are_escaped_neutralized_and_kept_in_place(path):
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


def test_many_batches_keep_their_order_and_the_sheet_dimension(path):
    n = _BATCH * 2 + 7
    count, sheet, data = _write([f"姓名{i}", str(i), "-" if i % 2 else ""] for i in range(n))
    assert count == n and len(sheet) == n + 2
    assert sheet[2] == ["姓名0", "0", ""]
    assert sheet[-1] == [f"姓名{n - 1}", str(n - 1), "'-" if n % 2 == 0 else ""]
    assert sheet[-2] == [f"姓名{n - 2}", str(n - 2), "'-" if n % 2 else ""]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert f'<dimension ref="A1:C{n + 2}"/>' in xml
    assert "<t></t>" not in xml and '<t xml:space="preserve"></t>' not in xml  # empty cells hold no empty string


def test_date_columns_hold_dates_and_anything_else_stays_text(path):
    rows = [
        ["甲", date(2001, 7, 1), "=1"],
        ["乙", "2002-07-01", "2002-07-01"],
        ["丙", "", "x"],
        ["丁", "不详", None],
    ]
    count, sheet, _ = _write(rows, readable=True, date_columns=(1,))
    assert count == 4
    assert sheet[2:] == [
        ["甲", date(2001, 7, 1), "'=1"],
        ["乙", date(2002, 7, 1), "2002-07-01"],
        ["丙", "", "x"],
        ["丁", "不详", ""],
    ]


def test_an_empty_export_has_the_two_head_rows(path):
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

"""Properties of ID-number and USCC validation (DOMAIN.md rules), and of the masking helpers."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hongyin.common.errors import DomainError
from hongyin.common.fields import mask_id_number, mask_phone
from hongyin.common.identifiers import (
    USCC_ALPHABET,
    id_number_check_char,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31))
regions = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)
seqs = st.from_regex(r"[0-9]{3}", fullmatch=True)


def make_id(region: str, birth: datetime.date, seq: str) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq}"
    return first17 + id_number_check_char(first17)


@settings(max_examples=300, deadline=None)
@given(region=regions, birth=dates, seq=seqs)
def test_any_well_formed_id_number_is_accepted_whatever_its_region(region, birth, seq):
    number = make_id(region, birth, seq)
    normalized, born, warnings = validate_id_number(number.lower())
    assert normalized == number and born == birth
    assert all(isinstance(w, str) for w in warnings)


@settings(max_examples=300, deadline=None)
@given(region=regions, birth=dates, seq=seqs, pos=st.integers(0, 17), digit=st.sampled_from("0123456789X"))
def test_a_changed_character_is_refused_or_still_consistent(region, birth, seq, pos, digit):
    number = make_id(region, birth, seq)
    altered = number[:pos] + digit + number[pos + 1 :]
    if altered == number:
        return
    try:
        normalized, _born, _w = validate_id_number(altered)
    except DomainError as exc:
        assert exc.field == "id_number" and exc.message
    else:  # a single-character change can only pass if it also is a valid number (same check char)
        assert id_number_check_char(normalized[:17]) == normalized[17]


def test_lower_case_x_and_unknown_region_are_accepted_with_a_warning():
    number = make_id("990000", datetime.date(1980, 5, 17), "123")
    normalized, born, warnings = validate_id_number(number.lower())
    assert normalized == number
    assert born == datetime.date(1980, 5, 17)
    assert warnings and "地区代码" in warnings[0]
    x_number = next(
        make_id("110105", datetime.date(1970, 1, 1), f"{i:03d}")
        for i in range(1000)
        if make_id("110105", datetime.date(1970, 1, 1), f"{i:03d}").endswith("X")
    )
    assert validate_id_number(x_number.lower())[0] == x_number
    assert validate_id_number("1101051949 1231002x")[0] == "11010519491231002X"


@pytest.mark.parametrize(
    "value,part",
    [
        ("", "请填写"),
        ("11010519491231002", "18 位"),
        ("11010519491331002X", "出生日期"),
        ("110105194912310021", "校验位"),
        ("11010519491231002A", "格式"),
        ("110105290012310021", "出生日期"),
    ],
)
def test_bad_id_numbers_get_a_chinese_message(value, part):
    with pytest.raises(DomainError) as info:
        validate_id_number(value)
    assert part in info.value.message and info.value.field == "id_number"


uscc_bodies = st.tuples(
    st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
).map("".join)


@settings(max_examples=300, deadline=None)
@given(body=uscc_bodies)
def test_uscc_round_trip_and_wrong_check_char(body):
    code = body + uscc_check_char(body)
    assert validate_uscc(code.lower()) == code
    wrong = next(c for c in USCC_ALPHABET if c != code[-1])
    with pytest.raises(DomainError) as info:
        validate_uscc(body + wrong)
    assert "校验位" in info.value.message


@pytest.mark.parametrize("value", ["", "91110000600037341", "9111000060003734IL", "91AB0000600037341L"])
def test_bad_usccs_are_refused(value):
    with pytest.raises(DomainError):
        validate_uscc(value)


def test_known_uscc_is_valid():
    assert validate_uscc("91110000600037341L") == "91110000600037341L"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789X", min_size=0, max_size=25))
def test_id_masking_never_reveals_hidden_characters(value):
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    if len(value) > 3:
        assert masked[0] == value[0] and masked[-2:] == value[-2:]
        assert set(masked[1:-2]) == {"*"}
    else:
        assert set(masked) <= {"*"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=0, max_size=15))
def test_phone_masking_never_reveals_hidden_digits(value):
    masked = mask_phone(value)
    assert len(masked) == len(value)
    if len(value) >= 7:
        assert masked[3:-4] == "*" * (len(value) - 7)
    else:
        assert set(masked) <= {"*"}


@pytest.mark.parametrize("number", ["²10105194912310021", "11010519491231002²", "11010519491231002¹"])
def test_superscript_digits_are_refused_with_a_message(number):
    """str.isdigit() is true for '²', and int('²') raised: a 500 for an ID number typed with one."""
    with pytest.raises(DomainError):
        validate_id_number(number)

"""The introduction letter (介绍信) and its return slip (回执) as one numbered PDF.

WeasyPrint gets the *whole* Noto Sans SC TTFs through @font-face file:// URLs: unicode-range subsets make it
draw wrong glyphs (ARCHITECTURE.md, PDF); whole files render right and are subset into a small PDF.
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from hongyin.members.selectors import dues_paid_until as member_dues_paid_until

from .models import Transfer

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts"


def font_urls() -> dict[str, str]:
    return {
        "regular": (FONT_DIR / "NotoSansSC-Regular.ttf").as_uri(),
        "bold": (FONT_DIR / "NotoSansSC-Bold.ttf").as_uri(),
    }


def letter_number(transfer: Transfer) -> str:
    year, seq = transfer.number[2:6], transfer.number[6:]
    return f"高新组转字〔{year}〕第{seq}号"


def dues_paid_until(transfer: Transfer):
    return member_dues_paid_until(transfer.member_id)


def render_letter_html(transfer: Transfer) -> str:
    member = transfer.member
    today = timezone.localdate()
    age = None
    if member is not None:
        b = member.birth_date
        age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
    return render_to_string(
        "transfers/letter.html",
        {
            "t": transfer,
            "m": member,
            "age": age,
            "fonts": font_urls(),
            "letter_number": letter_number(transfer),
            "paid_until": dues_paid_until(transfer),
            "issued_on": transfer.issued_on or today,
        },
    )


def render_letter_pdf(transfer: Transfer) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_letter_html(transfer), base_url=str(FONT_DIR)).write_pdf()

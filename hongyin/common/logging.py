"""A logging filter that blanks ID numbers, mobile numbers and passwords before a record is written."""

import logging
import re

ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
PASSWORD = re.compile(r"(password\w*['\"]?\s*[:=]\s*['\"]?)[^'\"&\s,}]+", re.IGNORECASE)


def redact(text: str) -> str:
    text = ID_NUMBER.sub("[ID]", text)
    text = PHONE.sub("[PHONE]", text)
    return PASSWORD.sub(r"\1[REDACTED]", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True

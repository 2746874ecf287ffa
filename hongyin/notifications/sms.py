"""The SMS provider interface. settings.HONGYIN_SMS_BACKEND names the class; the console backend logs the
message (masked number) instead of sending, for development and the demo. A real provider implements `send`."""

import logging
from abc import ABC, abstractmethod

from django.conf import settings
from django.utils.module_loading import import_string

from hongyin.common.fields import mask_phone

log = logging.getLogger("hongyin.sms")


class BaseSmsBackend(ABC):
    @abstractmethod
    def send(self, phone: str, text: str) -> bool:
        """Send one message; True when the provider accepted it."""


class ConsoleSmsBackend(BaseSmsBackend):
    sent: list = []  # the last messages, for tests and the demo

    def send(self, phone: str, text: str) -> bool:
        ConsoleSmsBackend.sent.append((phone, text))
        del ConsoleSmsBackend.sent[:-100]
        log.info("SMS to %s: %s", mask_phone(phone), text)
        return True


def get_backend() -> BaseSmsBackend:
    path = getattr(settings, "HONGYIN_SMS_BACKEND", "hongyin.notifications.sms.ConsoleSmsBackend")
    return import_string(path)()

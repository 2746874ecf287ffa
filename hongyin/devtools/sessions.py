"""A complete signed-in session for a demo user (password step, second factor), for tests and the bench."""

import time

from django.test import Client


def login_as(client: Client, username: str) -> Client:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hongyin.accounts.middleware import LOGIN_AT
    from hongyin.accounts.models import User

    user = User.objects.get(username=username)
    client.force_login(user)
    session = client.session
    session[LOGIN_AT] = time.time()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session.save()
    return client

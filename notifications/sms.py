"""SMS backends behind one interface: ``backend().send(phone, text)`` raises ``SmsError`` when not delivered.

``SMS_BACKEND`` picks one: ``console`` (logs the message: development, demo, tests) or ``http`` (a generic gateway:
``POST SMS_GATEWAY_URL`` with JSON ``{"phone", "text"}``, ``Authorization: Bearer SMS_GATEWAY_TOKEN``, within
``SMS_GATEWAY_TIMEOUT`` seconds; any answer other than 2xx is a failure). Sending happens in a Celery task
(``notifications.tasks.send_sms``) that retries; a user's request never waits for the gateway.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The message was not accepted (the task retries it)."""


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)


class HttpGatewayBackend:
    def __init__(self, url: str, token: str = "", timeout: int = 5):
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, phone: str, text: str) -> None:
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"短信网关返回 HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SmsError(f"短信网关不可达：{exc}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"短信网关返回 HTTP {status}")


def backend():
    if settings.SMS_BACKEND == "http":
        return HttpGatewayBackend(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, settings.SMS_GATEWAY_TIMEOUT)
    return ConsoleBackend()

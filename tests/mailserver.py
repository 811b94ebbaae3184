"""A real SMTP server for tests (aiosmtpd), so that mail goes through Django's SMTP backend
and arrives as a mail server would receive it.

    def test_something(client, smtp_mail):
        ...  # whatever sends mail
        [message] = smtp_mail.messages
        message["Subject"], message.envelope_recipients, message.get_body(("plain",))

`smtp_server` only runs the server; `smtp_mail` also points Django's mail at it.
"""

import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class SMTPServer:
    """A running server's address and what it received, in order. Each message is an
    email.message.EmailMessage with two more attributes: `envelope_sender` and
    `envelope_recipients` (MAIL FROM and RCPT TO, which Bcc recipients are only in)."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.envelope_sender = envelope.mail_from
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1 and a free port, stopped after the test."""
    for _attempt in range(5):  # another process may take the free port before the server
        server = SMTPServer(host=HOST, port=_free_port())
        controller = Controller(server, hostname=HOST, port=server.port)
        try:
            controller.start()
        except (OSError, RuntimeError):
            continue
        break
    else:
        pytest.fail("could not start the test SMTP server on a free port")
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_mail(settings, smtp_server):
    """Django sends mail by SMTP to `smtp_server`, whatever the environment says."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield smtp_server

"""make run's mail: each message in a file of its own, readable as an email."""

import email
from email import policy

from django.core.mail import EmailMessage, get_connection


def test_each_message_gets_a_file_of_its_own(settings, tmp_path):
    settings.EMAIL_BACKEND = "security.mail.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    connection = get_connection()
    connection.open()
    sent = connection.send_messages(
        [EmailMessage(f"Reminder {n}", f"Body {n}", to=[f"p{n}@example.org"]) for n in range(3)]
    )
    connection.close()
    files = sorted(tmp_path.iterdir())
    assert sent == 3 and len(files) == 3
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert path.name.endswith(f"-{message['To']}-{path.name[-12:]}")
        assert message.get_content().strip() == f"Body {message['To'][1]}"

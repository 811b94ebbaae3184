"""Mail written to files, one file a message: `make run`'s mail, with no mail server."""

import os
import uuid

from django.core.mail.backends import filebased
from django.utils import timezone


class EmailBackend(filebased.EmailBackend):
    """Django's file backend writes everything one connection sends into a single file (named
    by the second and the connection); the reminder job sends a morning's digests on one
    connection. This one writes each message to a file of its own, named by when it was sent
    and to whom, so each email can be found and read on its own."""

    def write_message(self, message) -> None:
        # The message alone (no separator line after it): a file a mail program opens.
        self.stream.write(message.message().as_bytes(linesep="\n"))

    def open(self) -> bool:
        if self._fname is None:  # opening the connection: each message opens its own file
            return False
        return super().open()

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            self.close()
            to = "-".join(message.to)[:60].replace(os.sep, "_")
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            self._fname = os.path.join(self.file_path, f"{stamp}-{to}-{uuid.uuid4().hex[:8]}.eml")
            sent += super().send_messages([message])
        self.close()
        return sent

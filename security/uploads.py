"""Uploaded files are held in memory only, never written to a temporary file.

Django writes an upload bigger than FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file whose
suffix is taken from the name the browser sent. Here nothing of an upload, neither its
bytes nor its name, reaches the file system: the importers read the bytes from memory and
use the name only to tell CSV from XLSX.

Up to settings.IMPORT_MAX_BYTES (or EVIDENCE_MAX_BYTES, if larger) a file is kept whole. Past
that the rest of its bytes are read and dropped (the reverse proxy caps the whole request,
docs/deployment.md), and the form receives an empty file whose `size` is the size sent and
whose `too_large` is true, so it can say how big the file was and what the limit is
(performance.forms.UploadForm, plans.forms.ProgressForm).
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(InMemoryUploadedFile):
    """An upload over the limit: its size as sent, none of its content."""

    too_large = True


class MemoryOnlyUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        # The larger of the limits of the forms that take files (imports, evidence): each
        # form checks its own against the size sent.
        self.limit = max(settings.IMPORT_MAX_BYTES, settings.EVIDENCE_MAX_BYTES)
        self.buffer = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received <= self.limit:
            self.buffer.write(raw_data)
        elif self.buffer.tell():
            self.buffer = io.BytesIO()  # over the limit: let go of what was kept
        return None  # no later handler gets the data

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        too_large = self.received > self.limit
        file_class = OversizedUpload if too_large else InMemoryUploadedFile
        self.buffer.seek(0)
        return file_class(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )

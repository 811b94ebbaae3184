"""Uploads are bounded, checked by their content, kept in memory, and their names never reach
the file system."""

import os
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from performance.models import Actual
from security.uploads import OversizedUpload
from spreadsheets.reader import ImportRejected, read_table
from tests.security.hostile_files import HOSTILE_FILES

UPLOAD = "performance:figures-upload"
# Where the upload form answers before the reader sees the file.
FORM_MESSAGES = {"empty": "The submitted file is empty."}


def upload(client, name: str, content: bytes):
    data = {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")}
    return client.post(reverse(UPLOAD), data)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(name, content, FORM_MESSAGES.get(what, message), id=what)
        for what, name, content, message in HOSTILE_FILES
    ],
)
def test_hostile_files_are_refused_with_a_message_and_change_nothing(
    client, world, name, content, message
):
    client.force_login(world.officer_a)
    response = upload(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Actual.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(name, content, message, id=what)
        for what, name, content, message in HOSTILE_FILES
    ],
)
def test_the_reader_refuses_hostile_files_quickly(name, content, message):
    with pytest.raises(ImportRejected) as refused:
        read_table(content, filename=name, required=["code"], max_bytes=settings.IMPORT_MAX_BYTES)
    assert message in str(refused.value)


def test_a_file_over_the_limit_is_refused_with_its_size(client, world):
    client.force_login(world.officer_a)
    response = upload(client, "figures.csv", b"x" * (settings.IMPORT_MAX_BYTES + 1))
    assert response.status_code == 200
    limit = settings.IMPORT_MAX_BYTES
    assert f"The file is {limit + 1:,} bytes; the limit is {limit:,}." in response.content.decode()


def multipart_request(name: str, content: bytes):
    return RequestFactory().post(
        "/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )


def test_uploads_are_held_in_memory_never_in_a_temporary_file():
    big = b"code\n" + b"x\n" * (3 * 1024 * 1024)  # bigger than Django's 2.5 MB default
    upload_file = multipart_request("figures.csv", big).FILES["file"]
    assert type(upload_file) is InMemoryUploadedFile
    assert upload_file.read() == big


def test_past_the_limit_the_bytes_are_dropped_and_the_size_kept():
    too_big = b"x" * (settings.IMPORT_MAX_BYTES + 10)
    upload_file = multipart_request("figures.csv", too_big).FILES["file"]
    assert isinstance(upload_file, OversizedUpload) and upload_file.too_large
    assert upload_file.size == len(too_big)
    assert upload_file.read() == b""


class FileOpens:
    """Every file the process opens while recording (Python's audit hook 'open' event)."""

    hook_installed = False
    recording: list | None = None

    @classmethod
    def hook(cls, event, args):
        if event == "open" and cls.recording is not None:
            cls.recording.append(args)

    def __enter__(self):
        if not FileOpens.hook_installed:
            sys.addaudithook(FileOpens.hook)  # cannot be removed; idle unless recording
            FileOpens.hook_installed = True
        FileOpens.recording = []
        return FileOpens.recording

    def __exit__(self, *exc):
        FileOpens.recording = None


WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND


def writes(opens) -> list:
    found = []
    for path, mode, flags in opens:
        if "__pycache__" in str(path):
            continue  # Python caching a module it imported for the first time
        if (mode and any(c in mode for c in "wax+")) or (flags or 0) & WRITE_FLAGS:
            found.append(path)
    return found


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "../../../../../../tmp/serviceplans-upload-test.csv",
        "..\\..\\windows\\win.ini",
        "/etc/passwd",
        "figures.csv\x00.xlsx",
        "ﬁgures\u202ecsv.xlsx",
    ],
)
def test_a_path_in_the_file_name_never_reaches_the_file_system(client, world, name):
    client.force_login(world.officer_a)
    content = b"code,period_end,value,state,commentary\n"
    with FileOpens() as opens:
        response = upload(client, name, content)
    assert response.status_code == 200
    assert not [args for args in opens if "passwd" in str(args[0]) or "win.ini" in str(args[0])]
    assert not [args for args in opens if "serviceplans-upload-test" in str(args[0])]
    assert writes(opens) == []
    assert not os.path.exists("/tmp/serviceplans-upload-test.csv")
    assert not Actual.objects.exists()


def test_a_post_whose_file_was_dropped_says_a_file_is_needed(client, world):
    """A file name of control characters only is dropped by Django's parser: the form then
    says that a file is required instead of showing the empty form again (found by fuzzing)."""
    client.force_login(world.officer_a)
    response = upload(client, "\x1f", b"")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()

"""Where rendered reports are kept: Django's default storage (MEDIA_ROOT on disk, or whatever
STORAGES["default"] says), under reports/<slug>/. A file is found through its GeneratedReport
row, which says who may read it; nothing links to the storage path itself."""

from django.core.files.base import ContentFile
from django.http import FileResponse

from reports.base import RenderedReport
from reports.models import GeneratedReport


def store(row: GeneratedReport, rendered: RenderedReport) -> None:
    """Save the file on the row (not yet the row itself). A stored file of the same name is
    never overwritten: storage picks a free name."""
    if row.file:
        row.file.delete(save=False)
    row.file.save(rendered.filename, ContentFile(rendered.content), save=False)
    row.size = len(rendered.content)
    row.page_count = rendered.page_count


def reuse(row: GeneratedReport, earlier: GeneratedReport, filename: str) -> None:
    """Give the row the file of an earlier render of the same content (not yet saving the
    row): the row's own file stays as it is; another row's is copied under the report's own
    file name, so that each row keeps a file of its own to delete or replace. (Not under the
    earlier file's name: storage adds a suffix to a name already taken, and a copy of a copy
    would add another each time until the name is too long for the disk.)"""
    if earlier.pk != row.pk:
        with earlier.file.open("rb") as source:
            content = source.read()
        if row.file:
            row.file.delete(save=False)
        row.file.save(filename, ContentFile(content), save=False)
    row.size = earlier.size
    row.page_count = earlier.page_count


def file_response(row: GeneratedReport) -> FileResponse:
    """The stored file, streamed from storage with its own name. Inline, so a browser shows the
    PDF; a member can still save it."""
    name = row.file.name.rsplit("/", 1)[-1]
    response = FileResponse(row.file.open("rb"), content_type="application/pdf", filename=name)
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    # Immutable once made: a published plan's PDF never changes; a pack is a new row.
    response["Cache-Control"] = "private, max-age=3600"
    return response

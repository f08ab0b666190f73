"""Refuse an upload larger than the import limit before its body is read.

Django reads a multipart body through its upload handlers; this one, first in
FILE_UPLOAD_HANDLERS, looks at the request's Content-Length when the first file starts and stops
the upload without reading (or storing) the rest. The import page then reports the refusal
(registry/import_admin.py). A body without a Content-Length (chunked) is read and the import
refuses the file by its size (registry/import_files.receive); the reverse proxy's body limit
(docs/import.md) covers what Django cannot.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


def upload_limit():
    return settings.IMPORT_MAX_BYTES + FORM_OVERHEAD


class ImportSizeLimitHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.content_length = content_length

    def new_file(self, field_name, file_name, *args, **kwargs):
        if self.request is not None and (self.content_length or 0) > upload_limit():
            self.request.refused_upload = (file_name, self.content_length)
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None

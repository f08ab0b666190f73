# English messages (the msgids) and report files in a temporary directory, as in the imports.
from tests.imports.conftest import english, media_root  # noqa: F401

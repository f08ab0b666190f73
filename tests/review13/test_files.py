"""Unit changes from CSV files (`apply_unit_changes FILE`), in the documented format."""

import datetime

import pytest

from registry.reorganisation import files
from registry.reorganisation.structure import Structure

from .conftest import today

HEADER = "kind,unit,successor,new_name,effective_on,legal_basis,note,other_successors"


def write(tmp_path, *lines, header=HEADER):
    path = tmp_path / "changes.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_a_move_from_a_file_can_name_the_new_parent(provinces, tmp_path):
    """docs/unit_changes.md offers `move` ("under another parent") in the CSV format, but the
    format has no column for the parent: every move read from a file makes the unit a
    reporting unit. Here A's department should move under B."""
    department, b = provinces["A-IT"], provinces["B"]
    day = today() - datetime.timedelta(days=3)
    path = write(
        tmp_path,
        f"move,{department.code},,,{day.isoformat()},NQ thử,,,{b.code}",
        header=HEADER + ",new_parent",
    )
    files.record_files([path])
    assert Structure.load(today()).parent(department.pk) == b.pk


def test_a_date_at_the_edge_of_the_calendar_is_a_file_error(provinces, tmp_path):
    """The row's structure is read for the day before its date: OverflowError, a traceback
    from the command instead of the file's error message."""
    path = write(tmp_path, f"merge,{provinces['A'].code},{provinces['B'].code},,0001-01-01,NQ,,")
    with pytest.raises(files.FileError):
        files.record_files([path])

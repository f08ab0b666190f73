import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"year": 2024, "unit": "P91", "out": "r.docx"}, ".pdf or .xlsx"),
        ({"year": 2024, "unit": "NOPE", "out": "r.pdf"}, "Unknown unit"),
        ({"year": 2024, "unit": "P91-IT", "out": "r.pdf"}, "not a reporting unit"),
        ({"year": 1999, "unit": "P91", "out": "r.pdf"}, "No annual report"),
    ],
)
def test_bad_arguments_are_refused_clearly(world, tmp_path, options, message):
    options["out"] = str(tmp_path / options["out"])
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", **options)


def test_writes_the_file_and_its_checksum(world, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    call_command("annual_report", year=2024, unit="P91", out=str(out))
    assert out.read_bytes()[:2] == b"PK"
    assert "sha256" in capsys.readouterr().out

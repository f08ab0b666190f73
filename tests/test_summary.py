from compliance.selectors import compliance_summary
from registry.baseline import read_appendix_ix


def test_baseline_summary_equals_published_table(baseline):
    summary = compliance_summary()
    published = {(row.group, row.name): row for row in read_appendix_ix()}
    assert len(summary.units) == 91
    for row in summary.units:
        expected = published[row.unit.group, row.unit.name]
        assert (row.total, row.approved, row.fully_deployed) == (
            expected.total,
            expected.approved,
            expected.fully_deployed,
        ), row.unit.name
    national = summary.national
    assert (national.total, national.approved, national.fully_deployed) == (7008, 5323, 3957)
    assert national.units_below_50_approval == 22
    assert national.unit_count == 91
    assert sum(national.levels.values()) == 7008

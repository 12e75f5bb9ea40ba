"""The bench counts a report's Excel cells for plain sheets and for ``TableSheet``s (the annual report's credit
sheet: several tables one below the other) — the annual report's memory was not measured for want of it."""

from bench.child import _cells
from core.exports import Column, Table, TableSheet


def test_cells_of_plain_sheets_and_table_sheets():
    columns = [Column("甲", "a"), Column("乙", "b")]
    plain = ("一", columns, [{"a": 1, "b": 2}] * 3)
    several = TableSheet("二", [Table("表一", columns, [{"a": 1}] * 2), Table("表二", columns[:1], iter([{"a": 1}]))])
    rows, cells = _cells([plain, several])
    assert rows == (3 + 1) + (2 + 1) + (1 + 1)
    assert cells == 4 * 2 + 3 * 2 + 2 * 1

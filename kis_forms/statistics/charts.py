"""Horizontal bar charts of the report's tables, drawn as SVG on the server.

Plain SVG from a template, not a charting library: the charts are simple bars; a library
(pygal, matplotlib) would be a dependency larger than this module, draw its own fonts and
English number formats, and pygal's interactive output links a script from a CDN, which
the admin's content security policy and the "no external script" rule both forbid. Here
the SVG is `role="img"` with a title and a description, every bar carries its value as
text, and the same figures stand in a table beside it (WCAG 1.1.1, 1.4.1). Bars run
across, one label per line, so month and worker names stay legible on a 320 px screen;
the viewBox is narrow and the stylesheet caps its width, so the text never shrinks much.
"""

from dataclasses import dataclass

WIDTH = 260
LABEL = 18  # the label's line, above its bars
VALUE_WIDTH = 44  # room for the value after the longest bar
BAR = 14
GAP = 10  # between categories
LEGEND = 24
LEGEND_STEP = 90


@dataclass
class Bar:
    x: int
    y: int
    width: float
    series: int
    value: object
    value_x: float


@dataclass
class Row:
    label: str
    label_y: int  # the baseline
    bars: list


@dataclass
class Chart:
    """What the template draws: `rows` of bars, a legend when there are several series."""

    key: str
    title: str
    description: str
    width: int
    height: int
    rows: list
    legend: list  # (series, label, x, y)


def bar_chart(table, description):
    """A chart of `table`: its first column labels a row, `table.series` are the bars."""
    largest = max((row[i] or 0 for row in table.rows for i in table.series), default=0) or 1
    scale = (WIDTH - VALUE_WIDTH) / largest
    many = len(table.series) > 1
    rows = []
    y = LEGEND if many else 0
    for row in table.rows:
        bars = []
        for number, column in enumerate(table.series):
            value = row[column] or 0
            length = value * scale
            bars.append(Bar(0, y + LABEL + number * BAR, length, number, value, length + 4))
        rows.append(Row(str(row[0]), y + LABEL - 5, bars))
        y += LABEL + BAR * len(table.series) + GAP
    legend = []
    if many:
        for number, column in enumerate(table.series):
            legend.append((number, table.headings[column], number * LEGEND_STEP, 4))
    return Chart(
        key=table.key,
        title=table.title,
        description=description,
        width=WIDTH,
        height=y,
        rows=rows,
        legend=legend,
    )

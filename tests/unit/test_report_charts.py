"""Report charts drawn for a phone: full labels wrapped (never cut), text big enough at 360 px."""
import re

from learning.reports import charts

LONG = "Kantor Wilayah Kementerian Imigrasi Nusa Tenggara Timur"


def test_long_labels_wrap_whole_and_are_never_cut():
    lines = charts.wrap_label(LONG, 20)
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(lines) == LONG
    assert charts.wrap_label("A" * 45, 20) == ["A" * 20, "A" * 20, "A" * 5]
    assert charts.wrap_label("") == [""]


def test_a_bar_chart_keeps_the_full_label_and_fits_a_phone_column():
    svg = str(charts.bar_chart("c", "Judul", [(LONG, 62.5), ("Kanwil Bali", None)]))
    labels = re.findall(r'class="chart-label"[^>]*>([^<]*)<', svg)
    assert " ".join(labels[:-1]) == LONG and labels[-1] == "Kanwil Bali"
    assert "…" not in svg
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    # drawn at the width of a 360 px phone's column (about 330 px), one unit is at least 1 px,
    # so the 14-unit text (site.css) is at least 12 px on the screen
    assert width <= 330 and charts.FONT_PX * 330 / width >= 12
    assert "62.5%" in svg and "—" in svg

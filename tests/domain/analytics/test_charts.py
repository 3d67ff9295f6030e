"""Chart images render as valid SVG and PNG, with the report's groups in them."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree

import pytest
from PIL import Image

from domain.analytics.charts import Chart, ChartFormat, render
from domain.analytics.compute import build_report
from domain.analytics.model import Grouping
from tests.domain.analytics.test_report import PERIOD, report

SVG = "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize(
    ("chart", "labels"),
    [
        (Chart.MTTA_MTTR, ["search", "checkout", "payments", "MTTA", "MTTR"]),
        (Chart.INCIDENTS, ["2026-11-02", "2026-11-08", "incidents", "alerts"]),
        (Chart.ON_CALL_LOAD, ["ann", "bob", "u-gone", "sleep hours (22-07)"]),
    ],
)
def test_every_chart_is_a_valid_svg_naming_its_groups(chart: Chart, labels: list[str]) -> None:
    image = render(report(Grouping.SERVICE), chart, ChartFormat.SVG)
    root = ElementTree.fromstring(image)
    assert root.tag == SVG
    # Bars are drawn as paths: a chart with data has many.
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 10
    # Text is drawn as glyph paths, each run preceded by a comment holding its words.
    for label in labels:
        assert f"<!-- {label} -->".encode() in image, label
    assert b"<!-- 2026-11-02 00:00 to 2026-11-09 00:00 UTC -->" in image


@pytest.mark.parametrize("chart", list(Chart))
def test_every_chart_is_a_valid_png(chart: Chart) -> None:
    image = Image.open(io.BytesIO(render(report(Grouping.TEAM), chart, ChartFormat.PNG)))
    image.verify()
    assert image.format == "PNG"
    assert image.size == (900, 480)


def test_the_same_report_gives_the_same_svg() -> None:
    # No creation date inside: reports can be cached and compared.
    first = render(report(Grouping.DAY), Chart.INCIDENTS, ChartFormat.SVG)
    assert render(report(Grouping.DAY), Chart.INCIDENTS, ChartFormat.SVG) == first


def test_an_empty_period_still_renders() -> None:
    empty = build_report(
        PERIOD, Grouping.SERVICE, incidents=[], alerts=[], pages=[], services={}, users={}
    )
    for chart in Chart:
        assert ElementTree.fromstring(render(empty, chart, ChartFormat.SVG)).tag == SVG

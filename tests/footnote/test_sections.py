"""Which section a quote sits in: the headings above it, from made-up outlines."""

from __future__ import annotations

from footnote.formats import Heading
from footnote.sections import merged, outline, section_at, sections_between

MANUAL = [
    Heading(0, 1, "Ferry manual"),
    Heading(100, 2, "Timetable"),
    Heading(200, 3, "Winter"),
    Heading(300, 4, "Holidays"),
    Heading(400, 2, "Fares"),
]


def test_a_section_is_named_by_the_headings_above_it_innermost_three() -> None:
    assert outline(MANUAL) == [
        (0, "Ferry manual"),
        (100, "Ferry manual › Timetable"),
        (200, "Ferry manual › Timetable › Winter"),
        (300, "Timetable › Winter › Holidays"),  # the innermost three
        (400, "Ferry manual › Fares"),  # a heading of the same level closes the one before
    ]


def test_a_top_heading_that_repeats_the_title_is_left_out() -> None:
    sections = outline(MANUAL, title="Ferry manual")
    assert sections[0] == (0, "") and sections[1] == (100, "Timetable")


def test_a_passage_keeps_the_section_it_starts_in_and_each_it_enters() -> None:
    sections = outline(MANUAL, title="Ferry manual")
    encoded = sections_between(sections, 150, 250)
    assert section_at(encoded, 150) == "Timetable"
    assert section_at(encoded, 249) == "Timetable › Winter"
    assert sections_between(outline([Heading(500, 1, "Late")]), 0, 400) == ""
    assert section_at("", 10) == ""


def test_joined_passages_keep_the_sections_of_both() -> None:
    sections = outline(MANUAL)
    first, second = sections_between(sections, 150, 250), sections_between(sections, 220, 420)
    both = merged(first, second)
    assert [section_at(both, at) for at in (150, 210, 410)] == [
        "Ferry manual › Timetable",
        "Ferry manual › Timetable › Winter",
        "Ferry manual › Fares",
    ]

"""Reading a data file into typed records: every problem is reported with where it is."""

import datetime
from dataclasses import dataclass

import pytest

from cities.datafile import DataFileError, read


@dataclass(frozen=True)
class Item:
    name: str
    count: int
    on: datetime.date | None = None


@dataclass(frozen=True)
class Shape:
    title: str
    items: tuple[Item, ...]
    starts: datetime.time


def refused(tmp_path, text: str) -> DataFileError:
    path = tmp_path / "file.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as refusal:
        read(path, Shape)
    return refusal.value


def test_it_reads_a_file_into_records(tmp_path):
    path = tmp_path / "file.json"
    path.write_text(
        '{"title": "T", "starts": "09:30", "items": [{"name": "a", "count": 2, "on": null}, '
        '{"name": "b", "count": 0, "on": "2027-03-08"}]}',
        encoding="utf-8",
    )

    record = read(path, Shape)

    assert record == Shape(
        title="T",
        items=(Item("a", 2, None), Item("b", 0, datetime.date(2027, 3, 8))),
        starts=datetime.time(9, 30),
    )


def test_it_says_where_the_json_breaks(tmp_path):
    error = refused(tmp_path, '{"title": "T",\n "items": [}')

    assert error.problems == ["line 2, column 12: not valid JSON (Expecting value)"]
    assert "file.json is not usable" in str(error)


def test_it_reports_every_problem_with_the_entry_it_is_in(tmp_path):
    error = refused(
        tmp_path,
        '{"title": 3, "starts": "9h", "items": [{"name": "a", "count": 1}, '
        '{"name": "b", "count": true, "on": "2027-02-29", "colour": "red"}]}',
    )

    assert error.problems == [
        "title: expected text, found 3",
        "items[1] (b): unknown key 'colour' (known: count, name, on)",
        "items[1] (b).count: expected a whole number, found true",
        'items[1] (b).on: not a date (YYYY-MM-DD): "2027-02-29"',
        'starts: not a time (HH:MM): "9h"',
    ]


def test_it_reports_missing_keys_and_wrong_shapes(tmp_path):
    error = refused(tmp_path, '{"items": {"name": "a"}, "starts": "10:00"}')

    assert error.problems == ["missing key 'title'", 'items: expected a list, found {"name": "a"}']


def test_it_reports_a_file_that_is_not_there(tmp_path):
    with pytest.raises(DataFileError) as refusal:
        read(tmp_path / "absent.json", Shape)

    assert refusal.value.problems == ["cannot be read (No such file or directory)"]

"""Spanish date formats of our own (see citydiplomacy/formats/__init__.py)."""

WEEKDAY_DATE_FORMAT = r"l, j \d\e F \d\e Y"
DAY_MONTH_YEAR_FORMAT = r"j M Y"
WEEKDAY_DAY_MONTH_FORMAT = r"D j M"
WEEKDAY_DAY_MONTH_TIME_FORMAT = r"D j M, H:i"
WEEKDAY_TIME_FORMAT = r"D H:i"

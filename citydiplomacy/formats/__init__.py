"""Date formats of our own, per language (``FORMAT_MODULE_PATH``): Django's own cover the
date, the time and the short date; these name the few other shapes the pages use, so German
reads "Do., 5. März" where English reads "Thu 5 Mar". Templates use them by name
(``{{ day|date:"WEEKDAY_DATE_FORMAT" }}``); every language defines every name (a test checks),
since Django prints an unknown name as it is.

Each language's module is ``citydiplomacy/formats/<code>/formats.py``.
"""

# The names every language module defines.
CUSTOM_FORMATS = (
    "WEEKDAY_DATE_FORMAT",  # Monday 5 March 2026
    "DAY_MONTH_YEAR_FORMAT",  # 5 Mar 2026
    "WEEKDAY_DAY_MONTH_FORMAT",  # Mon 5 Mar
    "WEEKDAY_DAY_MONTH_TIME_FORMAT",  # Mon 5 Mar 14:30
    "WEEKDAY_TIME_FORMAT",  # Mon 14:30
)

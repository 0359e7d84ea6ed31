"""Québec French formats (Office québécois de la langue française): « 17 h 44 », « 1 234,5 ».

Django 5.2's own fr_CA TIME_FORMAT leaves the `h` unescaped, which is the 12-hour hour: it
printed « 17 05 44 » for 17 h 44. Here the `h` is escaped. « 1er » on the first day of a month is
added by indicators.rules.typography (a format string cannot say it).
"""

DATE_FORMAT = "j F Y"  # 1er avril 2022, 31 janvier 2024
TIME_FORMAT = "G\xa0\\h\xa0i"  # 17 h 44, 9 h 05
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"  # 31 janvier 2024, 17 h 44
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d G\xa0\\h\xa0i"
FIRST_DAY_OF_WEEK = 0  # dimanche
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # espace insécable
NUMBER_GROUPING = 3

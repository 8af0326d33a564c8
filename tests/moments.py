"""The fixed moments tests are set at, so no test depends on the day it runs."""

from datetime import UTC, datetime

# When the seed article and its questionnaire went live in every test: the dates readers
# see on the page ("last updated", the sitemap, structured data) come from here.
SEED_PUBLISHED_AT = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
QUESTIONNAIRE_PUBLISHED_AT = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
# Where the `clock` fixture puts a test: noon in the site's time zone (UTC in tests), so
# a test has twelve hours before the day changes, years after anything fixtures publish.
CLOCK_START = datetime(2031, 6, 18, 12, 0, tzinfo=UTC)
# A month after the team checked the seed's support lines against their sources (29 Nov
# 2026, the helplines data): within the six months before the publish page asks again.
SEED_LINES_FRESH = datetime(2026, 12, 29, 12, 0, tzinfo=UTC)

/* timeutil.c - the few date conversions the bag needs, all in UTC. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

void format_rfc3339(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (gmtime_r(&tt, &tm) == NULL || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(out, "1970-01-01T00:00:00Z");
}

/* Days from civil date, so no dependence on the TZ environment (timegm is not C11). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int parse_date(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1000 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	*out = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400;
	return 0;
}

int parse_rfc3339(const char *s, int64_t *out)
{
	char date[11];
	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	for (int i = 11; i < 19; i++)
		if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	int h = atoi(s + 11), m = atoi(s + 14), sec = atoi(s + 17);
	if (parse_date(date, out) != 0 || h > 23 || m > 59 || sec > 60)
		return -1;
	*out += h * 3600 + m * 60 + sec;
	return 0;
}

int dossier_parse_time(const char *text, int end_of_day, int64_t *out)
{
	if (parse_date(text, out) == 0) {
		if (end_of_day)
			*out += 86399;
		return 0;
	}
	return parse_rfc3339(text, out);
}

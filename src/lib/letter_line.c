/* letter_line.c - what one line of a letter is: a footnote's start, a URL, a name, a date
   line; and the small text helpers the scanner shares. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unictype.h>
#include <unistr.h>

#include "letter.h"

static const char *const months[] = { "january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december" };

static int is_space_at(const char *p)
{
	return *p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v' ||
	       ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0);
}

static size_t space_len(const char *p)
{
	return (unsigned char)p[0] == 0xC2 ? 2 : 1;
}

char *letter_trim(char *p)
{
	const char *q = p;
	while (*q && is_space_at(q))
		q += space_len(q);
	memmove(p, q, strlen(q) + 1);
	size_t n = strlen(p);
	while (n > 0) {
		if (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\f' || p[n - 1] == '\v')
			n--;
		else if (n >= 2 && (unsigned char)p[n - 2] == 0xC2 && (unsigned char)p[n - 1] == 0xA0)
			n -= 2;
		else
			break;
	}
	p[n] = '\0';
	return p;
}

int letter_is_separator(const char *raw)
{
	size_t n = 0;
	for (const char *p = raw; *p; p++, n++)
		if (*p != ' ' && *p != '_' && *p != '-' && *p != '\t')
			return 0;
	return n >= 10;
}

int letter_starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static int word_ends(const char *p)
{
	return *p == '\0' || *p == ' ' || *p == ',' || *p == '.' || *p == ':';
}

size_t letter_url_len(const char *s)
{
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		return 0;
	size_t n = 0;
	while (s[n] != '\0' && !is_space_at(s + n))
		n++;
	while (n > 8 && strchr(".,;:)]>\"'", s[n - 1]) != NULL)
		n--;
	return n;
}

int letter_footnote_start(const char *line, int *number, const char **rest)
{
	const char *p = line;
	int bracket = *p == '[';
	p += bracket;
	int v = 0, digits = 0;
	while (isdigit((unsigned char)*p) && digits < 4) {
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || digits > 3 || v == 0)
		return 0;
	if (bracket && *p++ != ']')
		return 0;
	if (!bracket && (*p == '.' || *p == ')'))
		p++;
	if (!is_space_at(p))
		return 0;
	while (*p && is_space_at(p))
		p += space_len(p);
	if (*p == '\0')
		return 0;
	*number = v;
	*rest = p;
	return 1;
}

static int is_particle(const char *w, size_t n)
{
	static const char *const particles[] = { "van", "von", "de", "der", "den", "di", "da",
		"du", "dos", "das", "del", "della", "la", "le", "y", "bin", "ben", "al", "ter", "zu", NULL };
	for (size_t i = 0; particles[i]; i++)
		if (strlen(particles[i]) == n && strncmp(particles[i], w, n) == 0)
			return 1;
	return 0;
}

/* A word of a name: an initial capital, then letters, hyphens, apostrophes, dots. */
static int name_word(const char *w, size_t n)
{
	ucs4_t c;
	int k = u8_mbtouc(&c, (const uint8_t *)w, n);
	if (k <= 0 || !uc_is_upper(c))
		return 0;
	for (size_t i = (size_t)k; i < n; i += (size_t)k) {
		k = u8_mbtouc(&c, (const uint8_t *)w + i, n - i);
		if (k <= 0 || !(uc_is_alpha(c) || c == '-' || c == '\'' || c == '.' || c == 0x2019))
			return 0;
	}
	return 1;
}

int letter_is_name(const char *s, size_t len)
{
	size_t words = 0, capitals = 0, i = 0;
	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		size_t start = i;
		while (i < len && s[i] != ' ')
			i++;
		if (i == start)
			break;
		words++;
		if (name_word(s + start, i - start))
			capitals++;
		else if (!is_particle(s + start, i - start))
			return 0;
	}
	return words >= 2 && words <= 6 && capitals >= 2;
}

/* ---- dates ---- */

static int month_from(const char *p, const char **end)
{
	for (int m = 0; m < 12; m++) {
		size_t full = strlen(months[m]);
		if (strncasecmp(p, months[m], full) == 0 && word_ends(p + full)) {
			*end = p + full;
			return m + 1;
		}
		/* "Oct." or "Oct" (but "May" is already whole) */
		if (strncasecmp(p, months[m], 3) == 0 && word_ends(p + 3)) {
			*end = p + 3 + (p[3] == '.');
			return m + 1;
		}
	}
	return 0;
}

static int number_from(const char *p, int maxdigits, const char **end)
{
	int v = 0, d = 0;
	*end = p;
	while (isdigit((unsigned char)p[d]) && d < maxdigits)
		v = v * 10 + (p[d++] - '0');
	if (d == 0 || isdigit((unsigned char)p[d]))
		return -1;
	*end = p + d;
	return v;
}

static const char *skip(const char *p, const char *word)
{
	size_t n = strlen(word);
	return strncasecmp(p, word, n) == 0 ? p + n : p;
}

static int valid_day(int y, int m, int d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] && !(m == 2 && d == 29 && !leap);
}

/* A whole date, nothing before it and only a period after. */
static int date_only(const char *p, char date[11])
{
	const char *e;
	int y = -1, m = 0, d = -1;
	p = skip(p, "the ");
	if (isdigit((unsigned char)*p)) {
		int a = number_from(p, 4, &e);
		if (e - p == 4 && *e == '-') {            /* 2020-10-16 */
			y = a;
			m = number_from(e + 1, 2, &e);
			d = *e == '-' ? number_from(e + 1, 2, &e) : -1;
		} else if (*e == '.' && isdigit((unsigned char)e[1])) { /* 16.10.2020 */
			d = a;
			m = number_from(e + 1, 2, &e);
			y = *e == '.' ? number_from(e + 1, 4, &e) : -1;
		} else {                                  /* 16[th] [of ]October 2020 */
			d = a;
			if (strncasecmp(e, "st", 2) == 0 || strncasecmp(e, "nd", 2) == 0 ||
			    strncasecmp(e, "rd", 2) == 0 || strncasecmp(e, "th", 2) == 0)
				e += 2;
			if (*e++ != ' ')
				return 0;
			e = skip(e, "of ");
			if ((m = month_from(e, &e)) == 0 || *e++ != ' ')
				return 0;
			y = number_from(e, 4, &e);
		}
	} else {                                      /* October 16[th], 2020 */
		if ((m = month_from(p, &e)) == 0 || *e++ != ' ')
			return 0;
		d = number_from(e, 2, &e);
		if (strncasecmp(e, "st", 2) == 0 || strncasecmp(e, "nd", 2) == 0 ||
		    strncasecmp(e, "rd", 2) == 0 || strncasecmp(e, "th", 2) == 0)
			e += 2;
		e += *e == ',';
		if (*e++ != ' ')
			return 0;
		y = number_from(e, 4, &e);
	}
	if (*e == '.')
		e++;
	if (*e != '\0' || !valid_day(y, m, d))
		return 0;
	snprintf(date, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	return 1;
}

/* A place: one to four words, no digits. */
static int is_place(const char *p, size_t n)
{
	size_t words = 1;
	if (n == 0 || n > 60)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)p[i]) || p[i] == ':' || p[i] == '.')
			return 0;
		words += p[i] == ' ';
	}
	return words <= 4;
}

int letter_date_line(const char *line, char date[11], char **place)
{
	*place = NULL;
	line = skip(line, "date:");
	while (*line == ' ')
		line++;
	if (date_only(line, date))
		return 1;
	const char *comma = strstr(line, ", ");
	if (comma == NULL || !is_place(line, (size_t)(comma - line)) || !date_only(comma + 2, date))
		return 0;
	*place = strndup(line, (size_t)(comma - line));
	return *place != NULL;
}

/* letter_scan.c - finding a letter's title, date, place, addressees, copies, signatories
   and footnotes in its plain text, for a draft spec (dossier init). Heuristics for the
   layouts letters have; the user checks the draft. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>

#include "internal.h"
#include "letter.h"

struct line {
	const char *raw; /* as in the text, without its line end */
	char *t;         /* trimmed */
	int used;        /* taken by a footnote or a bare URL: not body text */
};

struct scan {
	struct line *lines;
	size_t n, cap;
	struct dossier_letter *l;
	size_t cap_from, cap_to, cap_cc, cap_fn;
	int oom;
};


static char *dup_n(struct scan *s, const char *p, size_t n)
{
	char *d = strndup(p, n);
	if (d == NULL)
		s->oom = 1;
	return d;
}

static char *dup(struct scan *s, const char *p)
{
	return p == NULL ? NULL : dup_n(s, p, strlen(p));
}

/* ---- growing the result ---- */

static struct dossier_letter_party *add_party(struct scan *s, struct dossier_letter_party **arr,
    size_t *n, size_t *cap, const char *name, size_t namelen, const char *detail)
{
	struct dossier_letter_party *grown = array_grow(*arr, *n, cap, sizeof **arr);
	if (grown == NULL) {
		s->oom = 1;
		return NULL;
	}
	*arr = grown;
	struct dossier_letter_party *p = &grown[(*n)++];
	memset(p, 0, sizeof *p);
	p->name = dup_n(s, name, namelen);
	p->detail = detail != NULL && *detail ? dup(s, detail) : NULL;
	return p;
}

static struct dossier_letter_footnote *add_footnote(struct scan *s, int number)
{
	struct dossier_letter *l = s->l;
	struct dossier_letter_footnote *grown = array_grow(l->footnotes, l->nfootnotes, &s->cap_fn, sizeof *grown);
	if (grown == NULL) {
		s->oom = 1;
		return NULL;
	}
	l->footnotes = grown;
	struct dossier_letter_footnote *f = &grown[l->nfootnotes++];
	memset(f, 0, sizeof *f);
	f->number = number;
	return f;
}

/* Appends sep and more to *to. */
static void append(struct scan *s, char **to, const char *sep, const char *more)
{
	if (*to == NULL)
		return; /* its first part could not be copied: s->oom says so already */
	size_t a = strlen(*to), k = strlen(sep), b = strlen(more);
	char *n = realloc(*to, a + k + b + 1);
	if (n == NULL) {
		s->oom = 1;
		return;
	}
	memcpy(n + a, sep, k);
	memcpy(n + a + k, more, b + 1);
	*to = n;
}

/* ---- footnotes ---- */

static int url_may_wrap(const char *url)
{
	char c = url[strlen(url) - 1];
	return c == '-' || c == '/' || c == '_' || c == '=' || c == '&' || c == '?' || c == '.';
}

/* A whole line that is one word of URL characters: the rest of a wrapped URL. */
static int url_tail(const char *t)
{
	if (*t == '\0')
		return 0;
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7F)
			return 0;
	return 1;
}

/* Footnotes come in order: "N url" anywhere once N grows, "N text" only right below a
   separator or another footnote, so a body line that starts with a number is no
   footnote. A bare URL line (a PDF's link annotation) is not body text, and completes a
   wrapped footnote URL it starts with. */
static void find_footnotes(struct scan *s)
{
	struct dossier_letter *l = s->l;
	int last = 0, in_block = 0;
	long wrap = -1, textcont = -1; /* the footnote a following line may continue */
	for (size_t i = 0; i < s->n && !s->oom; i++) {
		struct line *ln = &s->lines[i];
		const char *rest;
		int num;
		size_t ulen;
		if (letter_is_separator(ln->raw)) {
			in_block = 1;
			wrap = textcont = -1;
			continue;
		}
		if (ln->t[0] == '\0') {
			textcont = -1;
			continue;
		}
		if (letter_footnote_start(ln->t, &num, &rest) && num > last && num <= last + 3 &&
		    (ulen = letter_url_len(rest)) > 0) {
			struct dossier_letter_footnote *f = add_footnote(s, num);
			if (f != NULL)
				f->url = dup_n(s, rest, ulen);
			last = num;
			ln->used = in_block = 1;
			wrap = f != NULL && f->url != NULL && url_may_wrap(f->url) ? (long)l->nfootnotes - 1 : -1;
			textcont = -1;
			continue;
		}
		if (in_block && letter_footnote_start(ln->t, &num, &rest) && num == last + 1) {
			struct dossier_letter_footnote *f = add_footnote(s, num);
			if (f != NULL)
				f->text = dup(s, rest);
			last = num;
			ln->used = 1;
			wrap = -1;
			textcont = (long)l->nfootnotes - 1;
			continue;
		}
		if ((ulen = letter_url_len(ln->t)) > 0 && ln->t[ulen] == '\0') {
			ln->used = 1;
			for (size_t k = 0; k < l->nfootnotes; k++) {
				char *u = l->footnotes[k].url;
				if (u != NULL && strlen(u) < ulen && strncmp(u, ln->t, strlen(u)) == 0 && url_may_wrap(u)) {
					free(u);
					l->footnotes[k].url = dup_n(s, ln->t, ulen);
				}
			}
			continue;
		}
		if (wrap >= 0 && url_tail(ln->t)) {
			append(s, &l->footnotes[wrap].url, "", ln->t);
			ln->used = 1;
			wrap = -1;
			continue;
		}
		if (textcont >= 0) {
			append(s, &l->footnotes[textcont].text, " ", ln->t);
			ln->used = 1;
			continue;
		}
		in_block = 0;
		wrap = textcont = -1;
	}
}

/* ---- the parts of a letter ---- */

static long find_line(const struct scan *s, size_t from, size_t to, int (*match)(const char *))
{
	for (size_t i = from; i < to && i < s->n; i++)
		if (!s->lines[i].used && match(s->lines[i].t))
			return (long)i;
	return -1;
}

static int is_salutation(const char *t)
{
	return letter_starts_ci(t, "dear ") || letter_starts_ci(t, "your excellency") || letter_starts_ci(t, "excellency") ||
	       letter_starts_ci(t, "to whom it may concern") || letter_starts_ci(t, "madam") || letter_starts_ci(t, "sir,");
}

static int is_closing(const char *t)
{
	static const char *const closings[] = { "yours sincerely", "sincerely", "yours faithfully",
		"yours truly", "kind regards", "best regards", "with kind regards", "with best regards",
		"respectfully", "yours respectfully", "regards", "best wishes", "with respect", NULL };
	for (size_t i = 0; closings[i]; i++) {
		size_t n = strlen(closings[i]);
		if (strncasecmp(t, closings[i], n) == 0 && (t[n] == '\0' || t[n] == ',' || t[n] == '.'))
			return 1;
	}
	return 0;
}

static int is_copy_head(const char *t)
{
	static const char *const heads[] = { "cc", "c.c.", "copy", "copies", "copy to", "cc to", NULL };
	for (size_t i = 0; heads[i]; i++) {
		size_t n = strlen(heads[i]);
		if (strncasecmp(t, heads[i], n) == 0 && (t[n] == ':' || (t[n] == '\0' && i >= 2)))
			return 1;
	}
	return 0;
}

/* Where the signature block ends: an annex, copy list or enclosure heading. */
static int is_block_end(const char *t)
{
	return is_copy_head(t) || letter_starts_ci(t, "annex") || letter_starts_ci(t, "enclosure") ||
	       letter_starts_ci(t, "attachment") || letter_starts_ci(t, "p.s.") || letter_starts_ci(t, "appendix");
}

static int is_honorific_name(const char *t)
{
	static const char *const titles[] = { "H.E. ", "HE ", "His Excellency ", "Her Excellency ",
		"Mr ", "Mr. ", "Mrs ", "Mrs. ", "Ms ", "Ms. ", "Dr ", "Dr. ", "Prof. ", "Professor ",
		"Hon. ", "The Honourable ", "The Honorable ", "Sir ", "Dame ", "Madam ", NULL };
	for (size_t i = 0; titles[i]; i++)
		if (strncmp(t, titles[i], strlen(titles[i])) == 0)
			return 1;
	return 0;
}

static void find_title(struct scan *s, size_t end)
{
	static const char *const heads[] = { "subject:", "re:", "object:", "regarding:", "concerning:", NULL };
	for (size_t i = 0; i < end && i < s->n; i++) {
		const char *t = s->lines[i].t;
		for (size_t k = 0; heads[k]; k++)
			if (letter_starts_ci(t, heads[k])) {
				t += strlen(heads[k]);
				while (*t == ' ')
					t++;
				if (*t) {
					s->l->title = dup(s, t);
					return;
				}
			}
	}
	for (size_t i = 0; i < end && i < s->n; i++)
		if (letter_starts_ci(s->lines[i].t, "open letter") && strlen(s->lines[i].t) < 300) {
			s->l->title = dup(s, s->lines[i].t);
			return;
		}
}

/* The date line: the first whole line that is a date, with or without its place. */
static long find_date(struct scan *s)
{
	for (size_t i = 0; i < s->n; i++) {
		char *place;
		if (!s->lines[i].used && letter_date_line(s->lines[i].t, s->l->date, &place)) {
			s->l->place = place;
			return (long)i;
		}
	}
	s->l->date[0] = '\0';
	return -1;
}

/* The addressee: "To: Name, role", or a name with a title (H.E., Mr, Dr...) in the
   heading, its role the line above it ("The President of ...") and its address the
   lines below, up to the date or the salutation. */
static void find_addressee(struct scan *s, size_t end)
{
	struct dossier_letter *l = s->l;
	size_t cap = 0;
	for (size_t i = 0; i < end && i < s->n; i++) {
		const char *t = s->lines[i].t;
		if (letter_starts_ci(t, "to:")) {
			t += 3;
			while (*t == ' ')
				t++;
			const char *comma = strstr(t, ", ");
			if (*t)
				add_party(s, &l->to, &l->nto, &cap, t, comma ? (size_t)(comma - t) : strlen(t),
				    comma ? comma + 2 : NULL);
			continue;
		}
		if (l->nto > 0 || !is_honorific_name(t))
			continue;
		const char *comma = strstr(t, ", ");
		struct dossier_letter_party *p = add_party(s, &l->to, &l->nto, &cap, t,
		    comma ? (size_t)(comma - t) : strlen(t), comma ? comma + 2 : NULL);
		if (p == NULL)
			return;
		long above = (long)i - 1;
		while (above >= 0 && s->lines[above].t[0] == '\0')
			above--;
		/* a role line above; the very first line of the letter is its sender */
		if (p->detail == NULL && above > 0 && (letter_starts_ci(s->lines[above].t, "the ") ||
		    strstr(s->lines[above].t, " of ") != NULL))
			p->detail = dup(s, s->lines[above].t + (letter_starts_ci(s->lines[above].t, "the ") ? 4 : 0));
		for (size_t k = i + 1, lines = 0; k < end && k < s->n && lines < 4; k++) {
			const char *a = s->lines[k].t;
			if (a[0] == '\0' || s->lines[k].used)
				continue;
			if (strlen(a) > 80)
				break;
			/* "Minister of Justice" below the name is its role, a line with digits an address */
			if (p->detail == NULL && p->address == NULL && strpbrk(a, "0123456789") == NULL) {
				p->detail = dup(s, a);
				continue;
			}
			lines++;
			if (p->address == NULL)
				p->address = dup(s, a);
			else
				append(s, &p->address, ", ", a);
		}
	}
}

/* "Name, group" or a name line with its group on the next line, from the closing down to
   the annex or copy list; footnotes between them (page breaks) are skipped. */
static void find_signatories(struct scan *s, size_t from)
{
	struct dossier_letter *l = s->l;
	size_t misses = 0;
	for (size_t i = from; i < s->n && !s->oom; i++) {
		const char *t = s->lines[i].t;
		if (s->lines[i].used || t[0] == '\0')
			continue;
		if (is_block_end(t))
			return;
		const char *comma = strstr(t, ", ");
		if (comma != NULL && letter_is_name(t, (size_t)(comma - t)) && strlen(comma + 2) <= 80) {
			add_party(s, &l->from, &l->nfrom, &s->cap_from, t, (size_t)(comma - t), comma + 2);
			continue;
		}
		if (letter_is_name(t, strlen(t))) {
			struct dossier_letter_party *p = add_party(s, &l->from, &l->nfrom, &s->cap_from, t, strlen(t), NULL);
			size_t k = i + 1;
			while (k < s->n && (s->lines[k].used || s->lines[k].t[0] == '\0'))
				k++;
			if (p != NULL && k < s->n && !letter_is_name(s->lines[k].t, strlen(s->lines[k].t)) &&
			    !is_block_end(s->lines[k].t) && strlen(s->lines[k].t) <= 80) {
				p->detail = dup(s, s->lines[k].t);
				i = k;
			}
			continue;
		}
		/* a signature image's caption, a title line: tolerated before the first name */
		if (l->nfrom > 0 || ++misses > 3)
			return;
	}
}

/* Splits "A, B, C and D" into names; all must look like names. */
static int add_name_list(struct scan *s, const char *list, const char *role)
{
	struct dossier_letter *l = s->l;
	char *copy = dup(s, list);
	int added = 0;
	if (copy == NULL)
		return 0;
	for (char *save = NULL, *part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
		part = letter_trim(part);
		if (letter_starts_ci(part, "and "))
			part = letter_trim(part + 4);
		char *and = strstr(part, " and ");
		if (and != NULL) {
			*and = '\0';
			add_party(s, &l->cc, &l->ncc, &s->cap_cc, part, strlen(part), role);
			part = letter_trim(and + 5);
		}
		if (*part)
			add_party(s, &l->cc, &l->ncc, &s->cap_cc, part, strlen(part), role);
		added++;
	}
	free(copy);
	return added;
}

static int all_names(const char *list)
{
	int parts = 0;
	for (const char *p = list; p && *p;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		while (n > 0 && p[0] == ' ')
			p++, n--;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0 && !letter_is_name(p, n))
			return 0;
		parts += n > 0;
		p = c ? c + 1 : NULL;
	}
	return parts >= 3; /* "Name, Role" could look like two names */
}

/* The copy list: "Cc:" or "Copy:" and one recipient a line ("Name, role"), or a list of
   names ("MEPs A, B, C," running over lines) for one role. */
static void find_copies(struct scan *s)
{
	long head = find_line(s, 0, s->n, is_copy_head);
	if (head < 0)
		return;
	const char *first = strchr(s->lines[head].t, ':');
	size_t i = (size_t)head + 1;
	struct buf entry = { 0 };
	if (first != NULL && first[1] != '\0') {
		/* "Cc: X, role" on the head line itself */
		i = (size_t)head;
	}
	/* entries may stand a blank line apart; a longer gap ends the list */
	for (int seen = 0, blanks = 0; i < s->n && !s->oom; i++) {
		const char *t = s->lines[i].t;
		if ((long)i == head)
			t = first + 1;
		while (*t == ' ')
			t++;
		if (s->lines[i].used)
			continue;
		if (*t == '\0') {
			if (seen && ++blanks > 2)
				break;
			continue;
		}
		seen = 1;
		blanks = 0;
		const char *role = NULL;
		if (strncmp(t, "MEPs ", 5) == 0 || strncmp(t, "MEP ", 4) == 0) {
			role = "Member of the European Parliament";
			t += t[3] == 's' ? 5 : 4;
		}
		entry.len = 0;
		buf_append(&entry, t, strlen(t));
		/* a list that runs on: the line ends with a comma */
		while (entry.len > 0 && entry.data[entry.len - 1] == ',') {
			size_t k = i + 1;
			while (k < s->n && k < i + 3 && s->lines[k].t[0] == '\0')
				k++;
			if (k >= s->n || s->lines[k].t[0] == '\0')
				break;
			i = k;
			buf_append(&entry, " ", 1);
			buf_append(&entry, s->lines[i].t, strlen(s->lines[i].t));
		}
		if (buf_append(&entry, "", 1) != 0) {
			s->oom = 1;
			break;
		}
		if (role != NULL || all_names(entry.data)) {
			add_name_list(s, entry.data, role);
			continue;
		}
		const char *comma = strstr(entry.data, ", ");
		add_party(s, &s->l->cc, &s->l->ncc, &s->cap_cc, entry.data,
		    comma ? (size_t)(comma - entry.data) : strlen(entry.data), comma ? comma + 2 : NULL);
	}
	buf_release(&entry);
}

/* ---- the whole letter ---- */

static enum dossier_status check_text(const char *name, const char *text, size_t len,
    struct dossier_error *err)
{
	const char *nul = memchr(text, '\0', len);
	if (nul != NULL)
		return dossier_fail(err, DOSSIER_DATAERR, "%s: not a text file (a NUL byte at offset %zu); give the letter as plain text or PDF",
		    name, (size_t)(nul - text));
	const uint8_t *bad = u8_check((const uint8_t *)text, len);
	if (bad != NULL)
		return dossier_fail(err, DOSSIER_DATAERR, "%s: not UTF-8 text (byte %zu); convert it first, e.g. iconv -f latin1 -t utf-8",
		    name, (size_t)(bad - (const uint8_t *)text));
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)text[i]))
			return DOSSIER_OK;
	return dossier_fail(err, DOSSIER_DATAERR, "%s: empty: no letter text to scan", name);
}

static enum dossier_status split_lines(struct scan *s, char *copy)
{
	for (char *p = copy; p != NULL;) {
		char *nl = strpbrk(p, "\n\f");
		if (nl != NULL)
			*nl = '\0';
		struct line *grown = array_grow(s->lines, s->n, &s->cap, sizeof *grown);
		if (grown == NULL)
			return DOSSIER_SOFTWARE;
		s->lines = grown;
		size_t rl = strlen(p);
		if (rl > 0 && p[rl - 1] == '\r')
			p[--rl] = '\0';
		/* the raw form is kept for the separator rule; t is trimmed in a copy */
		grown[s->n].raw = p;
		grown[s->n].t = strdup(p);
		grown[s->n].used = 0;
		if (grown[s->n].t == NULL)
			return DOSSIER_SOFTWARE;
		letter_trim(grown[s->n].t);
		s->n++;
		p = nl ? nl + 1 : NULL;
	}
	return DOSSIER_OK;
}

enum dossier_status dossier_letter_scan(const char *name, const char *text, size_t len,
    struct dossier_letter **out, struct dossier_error *err)
{
	struct scan s = { 0 };
	enum dossier_status st = check_text(name, text, len, err);
	char *copy = NULL;
	*out = NULL;
	if (st != DOSSIER_OK)
		return st;
	if ((copy = strndup(text, len)) == NULL || (s.l = calloc(1, sizeof *s.l)) == NULL ||
	    split_lines(&s, copy) != DOSSIER_OK) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	find_footnotes(&s);
	long date = find_date(&s);
	long salutation = find_line(&s, 0, s.n, is_salutation);
	size_t head_end = salutation >= 0 ? (size_t)salutation : date >= 0 ? (size_t)date : s.n;
	if (date >= 0 && (size_t)date < head_end)
		head_end = (size_t)date;
	find_title(&s, salutation >= 0 ? (size_t)salutation : s.n);
	find_addressee(&s, head_end);
	long closing = find_line(&s, salutation >= 0 ? (size_t)salutation : 0, s.n, is_closing);
	if (closing >= 0)
		find_signatories(&s, (size_t)closing + 1);
	find_copies(&s);
	for (size_t i = 0; i + 10 < len && !s.l->open_letter; i++)
		s.l->open_letter = strncasecmp(text + i, "open letter", 11) == 0;
	if (s.oom)
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
out:
	for (size_t i = 0; i < s.n; i++)
		free(s.lines[i].t);
	free(s.lines);
	free(copy);
	if (st == DOSSIER_OK)
		*out = s.l;
	else
		dossier_letter_free(s.l);
	return st;
}

static void free_parties(struct dossier_letter_party *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].detail);
		free(p[i].address);
	}
	free(p);
}

void dossier_letter_free(struct dossier_letter *l)
{
	if (l == NULL)
		return;
	free(l->title);
	free(l->place);
	free_parties(l->from, l->nfrom);
	free_parties(l->to, l->nto);
	free_parties(l->cc, l->ncc);
	for (size_t i = 0; i < l->nfootnotes; i++) {
		free(l->footnotes[i].url);
		free(l->footnotes[i].text);
	}
	free(l->footnotes);
	free(l);
}

/* util.c - errors, usage lines and colour for every subcommand. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Text from a bundle is untrusted: control characters (C0, DEL, C1: terminal escapes)
   and bidi overrides (which reorder what the reader sees) become '?'. */
void fwrite_safe(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	/* the look-ahead below stops at a NUL or a non-continuation byte, and s[len] is
	   the caller's NUL or a byte of the same string */
	while (p != NULL && p < end && *p) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7F) {
			fputc('?', out);
			p++;
		} else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			fputc('?', out); /* U+0080..U+009F */
			p += 2;
		} else if (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
		                               (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9))) {
			fputc('?', out); /* U+202A..U+202E, U+2066..U+2069 */
			p += 3;
		} else if (*p < 0x80) {
			fputc(*p++, out);
		} else {
			/* a well-formed multi-byte sequence passes whole; a stray byte does not */
			size_t n = *p >= 0xF0 && *p <= 0xF4 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 && *p < 0xE0 ? 2 : 0;
			size_t k = 1;
			while (n > 0 && k < n && (p[k] & 0xC0) == 0x80)
				k++;
			/* no overlong forms, no surrogates, nothing past U+10FFFF */
			if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
			    (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
				n = 0;
			if (n == 0 || k < n) {
				fputc('?', out);
				p++;
			} else {
				fwrite(p, 1, n, out);
				p += n;
			}
		}
	}
}

void fputs_safe(FILE *out, const char *s)
{
	if (s != NULL)
		fwrite_safe(out, s, strlen(s));
}

/* stderr is unbuffered: written a character at a time, a line would cost a write(2) per
   byte (a hostile bundle's findings made minutes of them). So each line is made safe in
   memory and written whole: one write per line, and lines of two processes never mix. */
static void stderr_line(const char *prefix, const char *label, const char *message)
{
	char *line = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&line, &len);
	FILE *out = m != NULL ? m : stderr; /* out of memory: still said, a byte at a time */
	fputs(prefix, out);
	if (label != NULL) {
		fputs_safe(out, label);
		fputs(": ", out);
	}
	fputs_safe(out, message);
	fputc('\n', out);
	if (m != NULL && fclose(m) == 0)
		fwrite(line, 1, len, stderr);
	free(line);
}

void print_problem(const char *message)
{
	stderr_line("dossier: ", NULL, message);
}

void print_problem_of(const char *label, const char *message)
{
	stderr_line("dossier: ", label, message);
}

int usage(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			fprintf(stderr, "usage: %s\n", c->usage);
	return 64;
}

int report_error(const struct dossier_error *err)
{
	print_problem(err->message);
	return (int)err->code;
}

int report_error_hint(const struct dossier_error *err, const char *hint)
{
	char msg[sizeof err->message + 256];
	snprintf(msg, sizeof msg, "%s; %s", err->message, hint);
	print_problem(msg);
	return (int)err->code;
}

int fail(int code, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_problem(msg);
	return code;
}

void note(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	stderr_line("", NULL, msg);
}

int use_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	return (nc == NULL || *nc == '\0') && isatty(fileno(f));
}

int is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

long long parse_size(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v <= 0)
		return -1;
	int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : *end == 'T' ? 40 : 0;
	if (shift != 0)
		end++;
	if (*end != '\0' || v > (LLONG_MAX >> shift))
		return -1;
	return v << shift;
}

int source_date_epoch(int64_t *epoch)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde == NULL || *sde == '\0')
		return 0;
	char *end;
	errno = 0;
	long long v = strtoll(sde, &end, 10);
	/* up to the end of year 9999: what the archive formats and RFC 3339 can carry */
	if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL)
		return fail(64, "SOURCE_DATE_EPOCH='%s' is not a number of seconds", sde);
	*epoch = v;
	return 0;
}

int trust_option(struct trust_args *t, int c, const char *arg)
{
	switch (c) {
	case 'K':
		t->keyring = arg;
		return 1;
	case OPT_POLICY:
		t->policy = arg;
		return 1;
	case 'p':
		if (t->npubs == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 8;
			const char **n = realloc(t->pubs, cap * sizeof *n);
			if (n == NULL)
				return fail(70, "out of memory");
			t->pubs = n;
			t->cap = cap;
		}
		t->pubs[t->npubs++] = arg;
		return 1;
	case 'B':
	case 'E': {
		long long v = parse_size(arg);
		if (v < 0)
			return fail(64, "--max-%s: '%s' is not a positive %s", c == 'B' ? "bytes" : "entries", arg,
			    c == 'B' ? "size (e.g. 500G)" : "number");
		if (c == 'B')
			t->lim.max_bytes = (uint64_t)v;
		else
			t->lim.max_entries = (uint64_t)v;
		return 1;
	}
	}
	return 0;
}

const char *keyring_path(const char *given, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	if (given != NULL)
		return given;
	if (xdg != NULL && *xdg)
		snprintf(buf, len, "%s/dossier/keyring", xdg);
	else if (home != NULL && *home)
		snprintf(buf, len, "%s/.config/dossier/keyring", home);
	else
		return NULL;
	return buf;
}

int trust_load(struct trust_args *t)
{
	struct dossier_error err;
	char path[4096];
	if ((t->trust = dossier_trust_new()) == NULL)
		return fail(70, "out of memory");
	for (size_t i = 0; i < t->npubs; i++)
		if (dossier_trust_add_signer_file(t->trust, t->pubs[i], &err) != DOSSIER_OK)
			return err.code == DOSSIER_NOINPUT ? report_error_hint(&err, "check the key file given with -p")
			                                   : report_error(&err);
	/* The default keyring is used only when it exists; -K must exist. */
	const char *dir = keyring_path(t->keyring, path, sizeof path);
	if (dir != NULL && (t->keyring != NULL || access(dir, F_OK) == 0) &&
	    dossier_trust_load_keyring(t->trust, dir, &err) != DOSSIER_OK)
		return err.code == DOSSIER_NOINPUT
		    ? report_error_hint(&err, "check -K, or make the keyring with 'dossier keyring add -K DIR KEY.pub'")
		    : report_error(&err);
	if (t->policy != NULL && dossier_trust_load_policy(t->trust, t->policy, &err) != DOSSIER_OK)
		return report_error(&err);
	return 0;
}

void trust_release(struct trust_args *t)
{
	dossier_trust_free(t->trust);
	free(t->pubs);
	t->trust = NULL;
	t->pubs = NULL;
}

int secret_key_open(const char *path, const char *passfile, const char *prompt,
    struct dossier_seckey **key)
{
	struct dossier_error err;
	char *pass = NULL;
	int code = 64;
	*key = NULL;
	if (dossier_seckey_load(path, key, &err) != DOSSIER_OK)
		return err.code == DOSSIER_NOINPUT
		    ? report_error_hint(&err, "check -k, or make a key pair with 'dossier keygen -o NAME'")
		    : report_error(&err);
	if (dossier_seckey_encrypted(*key) && (pass = passphrase_get(passfile, prompt, 0, &code)) == NULL) {
		dossier_seckey_free(*key);
		*key = NULL;
		return code;
	}
	enum dossier_status st = dossier_seckey_unlock(*key, pass, &err);
	passphrase_free(pass);
	if (st != DOSSIER_OK) {
		dossier_seckey_free(*key);
		*key = NULL;
		return report_error(&err);
	}
	return 0;
}

int check_reason(const char *reason)
{
	for (const char *p = reason; p != NULL && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F || p - reason >= 1024)
			return fail(64, "--reason must be one line of at most 1024 bytes without control characters");
	return 0;
}

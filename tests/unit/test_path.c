/* test_path.c - which paths may name a bag entry, and their RFC 8493 manifest encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

/* The reason bag_path_problem gives must be the one expected, not just any. */
#define assert_problem(path, want)                                                          \
	do {                                                                                  \
		const char *why_ = bag_path_problem(path);                                        \
		if (why_ == NULL || strcmp(why_, (want)) != 0)                                    \
			fail_msg("bag_path_problem(\"%s\") = \"%s\", want \"%s\"", (path),            \
			    why_ ? why_ : "(accepted)", (want));                                      \
	} while (0)

#define assert_path_ok(path)                                                                \
	do {                                                                                  \
		const char *why_ = bag_path_problem(path);                                        \
		if (why_ != NULL)                                                                 \
			fail_msg("bag_path_problem(\"%s\") refused it: %s", (path), why_);            \
	} while (0)

/* unit repeated times, joined by sep. */
static char *repeat(const char *unit, size_t times, const char *sep)
{
	size_t ul = strlen(unit), sl = strlen(sep);
	char *s = malloc(times * (ul + sl) + 1);
	char *p = s;
	assert_non_null(s);
	for (size_t i = 0; i < times; i++) {
		if (i > 0) {
			memcpy(p, sep, sl);
			p += sl;
		}
		memcpy(p, unit, ul);
		p += ul;
	}
	*p = '\0';
	return s;
}

static void accepts_ordinary_paths(void **state)
{
	(void)state;
	assert_path_ok("bagit.txt");
	assert_path_ok("data/letter/letter-2020-10-16.txt");
	assert_path_ok("data/annex/cases.csv");
	assert_path_ok("signatures/273BD680E55BB29D.minisig");
	assert_path_ok("data/a b/with space.txt");
	assert_path_ok("data/.hidden");
	assert_path_ok("data/..x");   /* only exactly ".." is special */
	assert_path_ok("data/x..");
	assert_path_ok("data/100%");  /* the raw path; % matters only in manifests */
}

static void accepts_utf8(void **state)
{
	(void)state;
	assert_path_ok("data/K\xc3\xb6ster.txt");              /* U+00F6, 2 bytes */
	assert_path_ok("data/Juknevi\xc4\x8dien\xc4\x97.txt"); /* U+010D U+0117 */
	assert_path_ok("data/\xe2\x82\xac.txt");               /* U+20AC, 3 bytes */
	assert_path_ok("data/\xed\x9f\xbf");                   /* U+D7FF, just below surrogates */
	assert_path_ok("data/\xee\x80\x80");                   /* U+E000, just above */
	assert_path_ok("data/\xf0\x9f\x98\x80.txt");           /* U+1F600, 4 bytes */
	assert_path_ok("data/\xf4\x8f\xbf\xbf");               /* U+10FFFF, the last code point */
}

static void rejects_empty(void **state)
{
	(void)state;
	assert_problem("", "empty path");
}

static void rejects_absolute(void **state)
{
	(void)state;
	assert_problem("/etc/passwd", "absolute path");
	assert_problem("/", "absolute path");
	assert_problem("//server/share", "absolute path");
}

static void rejects_dot_dot(void **state)
{
	(void)state;
	assert_problem("..", "'.' or '..' in path");
	assert_problem("../etc/passwd", "'.' or '..' in path");
	assert_problem("data/../../etc/passwd", "'.' or '..' in path");
	assert_problem("data/..", "'.' or '..' in path");
}

static void rejects_dot(void **state)
{
	(void)state;
	assert_problem(".", "'.' or '..' in path");
	assert_problem("./bagit.txt", "'.' or '..' in path");
	assert_problem("data/./x", "'.' or '..' in path");
	assert_problem("data/.", "'.' or '..' in path");
}

static void rejects_empty_components(void **state)
{
	(void)state;
	assert_problem("data//x", "empty path component");
	assert_problem("data/", "empty path component");
	assert_problem("data/x/", "empty path component");
}

static void rejects_backslash(void **state)
{
	(void)state;
	assert_problem("data\\x", "backslash in path");
	assert_problem("data/..\\..\\windows", "backslash in path");
}

static void rejects_control_characters(void **state)
{
	(void)state;
	assert_problem("data/a\x01", "control character in path");
	assert_problem("data/a\tb", "control character in path");
	assert_problem("data/a\nb", "control character in path");
	assert_problem("data/a\rb", "control character in path");
	assert_problem("data/\x1b[31mred", "control character in path");
	assert_problem("data/del\x7f", "control character in path");
}

static void rejects_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"data/\x80",                 /* lone continuation byte */
		"data/\xbf.txt",
		"data/\xc0\xaf",             /* overlong '/' (2 bytes) */
		"data/\xc1\xbf",             /* overlong, 2 bytes */
		"data/\xe0\x80\xaf",         /* overlong '/' (3 bytes) */
		"data/\xe0\x9f\xbf",         /* overlong U+07FF */
		"data/\xf0\x80\x80\xaf",     /* overlong '/' (4 bytes) */
		"data/\xf0\x8f\xbf\xbf",     /* overlong U+FFFF */
		"data/\xed\xa0\x80",         /* U+D800, high surrogate */
		"data/\xed\xbf\xbf",         /* U+DFFF, low surrogate */
		"data/\xf4\x90\x80\x80",     /* U+110000, beyond Unicode */
		"data/\xf5\x80\x80\x80",
		"data/\xff",
		"data/\xfe\xff",
		"data/\xc3",                 /* truncated at the end */
		"data/\xe2\x82",
		"data/\xf0\x9f\x98",
		"data/\xc3/x",               /* truncated before a slash */
		"data/\xe2\x82x",            /* continuation replaced */
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_problem(bad[i], "path is not valid UTF-8");
}

static void length_limit(void **state)
{
	(void)state;
	/* Exactly LIMIT_PATH_BYTES is fine, one more byte is not: 5 components of 200
	   bytes, a slash, then filler up to the limit. */
	char *comp = repeat("a", 200, "");
	char *p = repeat(comp, 5, "/"); /* 5*200 + 4 = 1004 bytes */
	size_t n = strlen(p);
	assert_int_equal(n, 1004);
	char *ok = malloc(LIMIT_PATH_BYTES + 2);
	char *long1 = malloc(LIMIT_PATH_BYTES + 2);
	assert_non_null(ok);
	assert_non_null(long1);
	memcpy(ok, p, n);
	memcpy(ok + n, "/", 1);
	memset(ok + n + 1, 'b', LIMIT_PATH_BYTES - n - 1);
	ok[LIMIT_PATH_BYTES] = '\0';
	assert_int_equal(strlen(ok), LIMIT_PATH_BYTES);
	assert_path_ok(ok);
	memcpy(long1, ok, LIMIT_PATH_BYTES);
	long1[LIMIT_PATH_BYTES] = 'b';
	long1[LIMIT_PATH_BYTES + 1] = '\0';
	assert_problem(long1, "path too long");
	free(ok);
	free(long1);
	free(p);
	free(comp);
}

static void component_limit(void **state)
{
	(void)state;
	char *c255 = repeat("n", LIMIT_NAME_BYTES, "");
	char *c256 = repeat("n", LIMIT_NAME_BYTES + 1, "");
	char path[600];
	snprintf(path, sizeof path, "data/%s", c255);
	assert_path_ok(path);
	snprintf(path, sizeof path, "data/%s", c256);
	assert_problem(path, "path component too long");
	snprintf(path, sizeof path, "%s/x", c256);
	assert_problem(path, "path component too long");
	free(c255);
	free(c256);
}

static void depth_limit(void **state)
{
	(void)state;
	char *deep_ok = repeat("d", LIMIT_DEPTH, "/");
	char *too_deep = repeat("d", LIMIT_DEPTH + 1, "/");
	assert_path_ok(deep_ok);
	assert_problem(too_deep, "path too deep");
	free(deep_ok);
	free(too_deep);
}

static void rejects_drive_letters(void **state)
{
	(void)state;
	assert_problem("C:/Windows/system32", "drive letter in path");
	assert_problem("c:evil", "drive letter in path");
	assert_problem("Z:", "drive letter in path");
}

static char *encode(const char *path)
{
	struct buf b = { 0 };
	assert_int_equal(manifest_path_encode(path, &b), 0);
	assert_non_null(b.data);
	return b.data;
}

static void encode_escapes_cr_lf_percent(void **state)
{
	(void)state;
	char *e = encode("data/a\rb\nc%d");
	assert_string_equal(e, "data/a%0Db%0Ac%25d");
	free(e);
	e = encode("data/%0A"); /* a literal "%0A" must not decode to LF later */
	assert_string_equal(e, "data/%250A");
	free(e);
}

static void encode_leaves_other_bytes(void **state)
{
	(void)state;
	char *e = encode("data/K\xc3\xb6ster \t#?&.txt");
	assert_string_equal(e, "data/K\xc3\xb6ster \t#?&.txt");
	free(e);
}

static void round_trip(void **state)
{
	static const char *const paths[] = {
		"data/plain.txt", "data/a\rb", "data/a\nb", "data/\r\n", "data/%", "data/%%",
		"data/%25", "data/%0A", "data/%0D%0a", "data/100% sure\n", "%", "\n", "\r",
		"data/\xe2\x82\xac%\n",
	};
	(void)state;
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		char *e = encode(paths[i]);
		assert_null(strchr(e, '\n'));
		assert_null(strchr(e, '\r'));
		char *d = manifest_path_decode(e, strlen(e));
		assert_non_null(d);
		if (strcmp(d, paths[i]) != 0)
			fail_msg("round trip of path %zu gave \"%s\" via \"%s\"", i, d, e);
		free(d);
		free(e);
	}
}

static void decode_accepts_lowercase_escapes(void **state)
{
	(void)state;
	char *d = manifest_path_decode("a%0ab%0dc", 9);
	assert_non_null(d);
	assert_string_equal(d, "a\nb\rc");
	free(d);
}

static void decode_keeps_other_percent_literal(void **state)
{
	(void)state;
	char *d = manifest_path_decode("100%", 4);
	assert_string_equal(d, "100%");
	free(d);
	d = manifest_path_decode("%41%2", 5); /* only CR, LF and % are escaped */
	assert_string_equal(d, "%41%2");
	free(d);
	d = manifest_path_decode("%250A", 5); /* one decoding step only */
	assert_string_equal(d, "%0A");
	free(d);
}

static void decode_respects_length(void **state)
{
	(void)state;
	/* The length bounds the input: an escape cut by it is not completed from beyond. */
	char *d = manifest_path_decode("ab%0Axyz", 5);
	assert_non_null(d);
	assert_string_equal(d, "ab\n");
	free(d);
	d = manifest_path_decode("ab%0Axyz", 4);
	assert_string_equal(d, "ab%0");
	free(d);
	d = manifest_path_decode("ab%0Axyz", 3);
	assert_string_equal(d, "ab%");
	free(d);
	d = manifest_path_decode("", 0);
	assert_string_equal(d, "");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_ordinary_paths),
		cmocka_unit_test(accepts_utf8),
		cmocka_unit_test(rejects_empty),
		cmocka_unit_test(rejects_absolute),
		cmocka_unit_test(rejects_dot_dot),
		cmocka_unit_test(rejects_dot),
		cmocka_unit_test(rejects_empty_components),
		cmocka_unit_test(rejects_backslash),
		cmocka_unit_test(rejects_control_characters),
		cmocka_unit_test(rejects_invalid_utf8),
		cmocka_unit_test(length_limit),
		cmocka_unit_test(component_limit),
		cmocka_unit_test(depth_limit),
		cmocka_unit_test(rejects_drive_letters),
		cmocka_unit_test(encode_escapes_cr_lf_percent),
		cmocka_unit_test(encode_leaves_other_bytes),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(decode_accepts_lowercase_escapes),
		cmocka_unit_test(decode_keeps_other_percent_literal),
		cmocka_unit_test(decode_respects_length),
	};
	dossier_init();
	return cmocka_run_group_tests_name("path", tests, NULL, NULL);
}

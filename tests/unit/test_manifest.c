/* test_manifest.c - BagIt manifest lines: strict parsing, lookup, and the exact output format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "internal.h"

#define H_A "e88967d20cddfd34451f69847caba26b9eabdca77ddd7b3ccb37fb02dfe1409e"
#define H_B "cadd264d618f7495596e5d469391bc3554c5c6d781aa23d2eaeab7e40014d4f4"
#define H_C "0000000000000000000000000000000000000000000000000000000000000000"


static enum dossier_status parse(const char *text, struct manifest *m, struct dossier_error *err)
{
	memset(err, 0, sizeof *err);
	return manifest_parse("manifest-sha256.txt", text, strlen(text), m, err);
}

/* Parsing must fail with DOSSIER_INVALID, leave nothing allocated, and say why. */
static void expect_invalid(const char *text, const char *reason)
{
	struct manifest m;
	struct dossier_error err;
	enum dossier_status st = parse(text, &m, &err);
	if (st != DOSSIER_INVALID)
		fail_msg("manifest accepted (status %d): %s", st, text);
	assert_int_equal(err.code, DOSSIER_INVALID);
	assert_int_equal(m.count, 0);
	assert_null(m.lines);
	assert_contains(err.message, "manifest-sha256.txt: ");
	assert_contains(err.message, reason);
}

static void digest_of(const char *hex, uint8_t out[32])
{
	assert_int_equal(hex_decode_digest(hex, out), 0);
}

static void parses_two_space_lines(void **state)
{
	struct manifest m;
	struct dossier_error err;
	uint8_t a[32], b[32];
	(void)state;
	assert_int_equal(parse(H_B "  data/letter/letter.txt\n" H_A "  data/annex/cases.csv\n", &m, &err), DOSSIER_OK);
	assert_int_equal(m.count, 2);
	/* sorted by path after parsing */
	assert_string_equal(m.lines[0].path, "data/annex/cases.csv");
	assert_string_equal(m.lines[1].path, "data/letter/letter.txt");
	digest_of(H_A, a);
	digest_of(H_B, b);
	assert_memory_equal(m.lines[0].digest, a, 32);
	assert_memory_equal(m.lines[1].digest, b, 32);
	assert_int_equal(m.lines[0].seen, 0);
	manifest_release(&m);
	assert_null(m.lines);
	assert_int_equal(m.count, 0);
}

static void parses_crlf_lines(void **state)
{
	struct manifest m;
	struct dossier_error err;
	(void)state;
	assert_int_equal(parse(H_A "  data/a.txt\r\n" H_B "  data/b.txt\r\n", &m, &err), DOSSIER_OK);
	assert_int_equal(m.count, 2);
	/* the CR belongs to the line ending, not to the path */
	assert_string_equal(m.lines[0].path, "data/a.txt");
	assert_string_equal(m.lines[1].path, "data/b.txt");
	manifest_release(&m);
}

static void accepts_other_linear_whitespace(void **state)
{
	struct manifest m;
	struct dossier_error err;
	(void)state;
	/* RFC 8493: one or more linear whitespace characters between checksum and path. */
	assert_int_equal(parse(H_A " data/one-space\n" H_B "\tdata/tab\n", &m, &err), DOSSIER_OK);
	assert_int_equal(m.count, 2);
	assert_string_equal(m.lines[0].path, "data/one-space");
	assert_string_equal(m.lines[1].path, "data/tab");
	manifest_release(&m);
}

static void accepts_uppercase_hex(void **state)
{
	struct manifest m;
	struct dossier_error err;
	char upper[65];
	uint8_t want[32];
	(void)state;
	for (int i = 0; i < 64; i++)
		upper[i] = (char)(H_A[i] >= 'a' ? H_A[i] - 32 : H_A[i]);
	upper[64] = '\0';
	char text[128];
	snprintf(text, sizeof text, "%s  data/x\n", upper);
	assert_int_equal(parse(text, &m, &err), DOSSIER_OK);
	digest_of(H_A, want);
	assert_memory_equal(m.lines[0].digest, want, 32);
	manifest_release(&m);
}

static void decodes_escaped_paths(void **state)
{
	struct manifest m;
	struct dossier_error err;
	(void)state;
	assert_int_equal(parse(H_A "  data/100%25 sure\n", &m, &err), DOSSIER_OK);
	assert_string_equal(m.lines[0].path, "data/100% sure");
	manifest_release(&m);
}

static void accepts_empty_manifest(void **state)
{
	struct manifest m;
	struct dossier_error err;
	(void)state;
	assert_int_equal(parse("", &m, &err), DOSSIER_OK);
	assert_int_equal(m.count, 0);
	assert_null(manifest_find(&m, "data/x"));
	manifest_release(&m);
}

static void rejects_short_lines(void **state)
{
	(void)state;
	expect_invalid("abc  data/x\n", "line 1: expected '<64 hex digits>  <path>'");
	expect_invalid(H_A "  data/ok\n\n", "line 2: expected");
	expect_invalid(H_A "\n", "line 1: expected");
	expect_invalid(H_A " \n", "line 1: expected");
	/* 63 hex digits: the separator lands where the last digit should be */
	expect_invalid("e88967d20cddfd34451f69847caba26b9eabdca77ddd7b3ccb37fb02dfe1409  data/x\n",
	    "line 1: checksum is not 64 hex digits");
}

static void rejects_missing_separator(void **state)
{
	(void)state;
	expect_invalid(H_A "data/x\n", "line 1: expected");
	expect_invalid(H_A "0  data/x\n", "line 1: expected"); /* 65 hex digits */
}

static void rejects_missing_path(void **state)
{
	(void)state;
	expect_invalid(H_A "  \n", "line 1: empty path");
	expect_invalid(H_A "   \t \n", "line 1: empty path");
}

static void rejects_non_hex_digests(void **state)
{
	(void)state;
	expect_invalid("g8967d20cddfd34451f69847caba26b9eabdca77ddd7b3ccb37fb02dfe1409e  data/x\n",
	    "line 1: checksum is not 64 hex digits");
	expect_invalid(H_A "  data/a\n"
	               "e88967d20cddfd34451f69847caba26b9eabdca77ddd7b3ccb37fb02dfe1409-  data/b\n",
	    "line 2: checksum is not 64 hex digits");
	expect_invalid("e88967d20cddfd34451f69847cab 26b9eabdca77ddd7b3ccb37fb02dfe1409e  data/x\n",
	    "line 1: checksum is not 64 hex digits");
}

static void rejects_duplicates(void **state)
{
	(void)state;
	expect_invalid(H_A "  data/a\n" H_B "  data/b\n" H_C "  data/a\n", "'data/a' is listed twice");
	/* the same path spelled once with CRLF and once with LF is still the same path */
	expect_invalid(H_A "  data/a\r\n" H_B "  data/a\n", "'data/a' is listed twice");
	/* and once encoded, once not: they decode to one path */
	expect_invalid(H_A "  data/%25x\n" H_B "  data/%25x\n", "'data/%x' is listed twice");
}

static void rejects_bad_paths(void **state)
{
	(void)state;
	expect_invalid(H_A "  ../../etc/passwd\n", "line 1: '.' or '..' in path");
	expect_invalid(H_A "  data/ok\n" H_B "  /etc/passwd\n", "line 2: absolute path");
	expect_invalid(H_A "  data\\x\n", "line 1: backslash in path");
	expect_invalid(H_A "  data//x\n", "line 1: empty path component");
	/* an escaped LF decodes to a control character, which no path may hold */
	expect_invalid(H_A "  data/a%0Ab\n", "line 1: control character in path");
	expect_invalid(H_A "  data/\xc0\xaf\n", "line 1: path is not valid UTF-8");
	expect_invalid(H_A "  C:/x\n", "line 1: drive letter in path");
}

static void rejects_missing_final_newline(void **state)
{
	(void)state;
	expect_invalid(H_A "  data/a\n" H_B "  data/b", "last line has no line ending");
	expect_invalid(H_A "  data/a\r", "last line has no line ending");
}

static void rejects_nul(void **state)
{
	struct manifest m;
	struct dossier_error err;
	static const char text[] = H_A "  data/a\0b\n";
	(void)state;
	memset(&err, 0, sizeof err);
	assert_int_equal(manifest_parse("tagmanifest-sha256.txt", text, sizeof text - 1, &m, &err),
	    DOSSIER_INVALID);
	assert_string_equal(err.message, "tagmanifest-sha256.txt: contains a NUL byte");
	assert_int_equal(m.count, 0);
}

static void find_looks_up_decoded_paths(void **state)
{
	struct manifest m;
	struct dossier_error err;
	uint8_t want[32];
	(void)state;
	assert_int_equal(parse(H_A "  data/a\n" H_B "  data/b%25c\n" H_C "  data/ab\n", &m, &err), DOSSIER_OK);
	struct manifest_line *l = manifest_find(&m, "data/b%c");
	assert_non_null(l);
	digest_of(H_B, want);
	assert_memory_equal(l->digest, want, 32);
	assert_null(manifest_find(&m, "data/b%25c"));
	assert_non_null(manifest_find(&m, "data/a"));
	assert_non_null(manifest_find(&m, "data/ab"));
	assert_null(manifest_find(&m, "data/"));
	assert_null(manifest_find(&m, "data/A"));
	assert_null(manifest_find(&m, "data/abc"));
	assert_null(manifest_find(&m, ""));
	/* the returned line is the caller's to mark */
	l->seen = 1;
	assert_int_equal(manifest_find(&m, "data/b%c")->seen, 1);
	manifest_release(&m);
}

static void find_in_large_unsorted_manifest(void **state)
{
	struct buf text = { 0 };
	struct manifest m;
	struct dossier_error err;
	uint8_t d[32];
	char path[64];
	(void)state;
	/* written in descending order, so parsing has to sort */
	for (int i = 999; i >= 0; i--) {
		memset(d, 0, sizeof d);
		d[0] = (uint8_t)(i >> 8);
		d[1] = (uint8_t)i;
		snprintf(path, sizeof path, "data/file-%04d.bin", i);
		assert_int_equal(manifest_append(&text, path, d), 0);
	}
	assert_int_equal(manifest_parse("m", text.data, text.len, &m, &err), DOSSIER_OK);
	assert_int_equal(m.count, 1000);
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof path, "data/file-%04d.bin", i);
		struct manifest_line *l = manifest_find(&m, path);
		if (l == NULL)
			fail_msg("%s not found", path);
		assert_int_equal(l->digest[0], (uint8_t)(i >> 8));
		assert_int_equal(l->digest[1], (uint8_t)i);
	}
	assert_null(manifest_find(&m, "data/file-1000.bin"));
	manifest_release(&m);
	buf_release(&text);
}

static void append_writes_exact_format(void **state)
{
	struct buf out = { 0 };
	uint8_t d[32];
	(void)state;
	digest_of(H_A, d);
	assert_int_equal(manifest_append(&out, "data/annex/cases.csv", d), 0);
	assert_string_equal(out.data, H_A "  data/annex/cases.csv\n");
	assert_int_equal(out.len, 64 + 2 + strlen("data/annex/cases.csv") + 1);
	digest_of(H_B, d);
	assert_int_equal(manifest_append(&out, "data/x", d), 0);
	assert_string_equal(out.data, H_A "  data/annex/cases.csv\n" H_B "  data/x\n");
	buf_release(&out);
}

static void append_encodes_paths(void **state)
{
	struct buf out = { 0 };
	uint8_t d[32];
	(void)state;
	digest_of(H_C, d);
	assert_int_equal(manifest_append(&out, "data/a\nb\rc%d", d), 0);
	assert_string_equal(out.data, H_C "  data/a%0Ab%0Dc%25d\n");
	buf_release(&out);
}

static void append_then_parse_round_trips(void **state)
{
	static const char *const paths[] = { "data/z", "data/a%0Ab", "data/100%", "bagit.txt",
		"data/K\xc3\xb6ster.txt" };
	struct buf out = { 0 };
	struct manifest m;
	struct dossier_error err;
	uint8_t d[32];
	(void)state;
	for (size_t i = 0; i < 5; i++) {
		memset(d, (int)i + 1, sizeof d);
		assert_int_equal(manifest_append(&out, paths[i], d), 0);
	}
	assert_int_equal(manifest_parse("m", out.data, out.len, &m, &err), DOSSIER_OK);
	assert_int_equal(m.count, 5);
	for (size_t i = 0; i < 5; i++) {
		struct manifest_line *l = manifest_find(&m, paths[i]);
		if (l == NULL)
			fail_msg("path %zu lost in the round trip", i);
		memset(d, (int)i + 1, sizeof d);
		assert_memory_equal(l->digest, d, 32);
	}
	manifest_release(&m);
	buf_release(&out);
}

/* Paths live in one arena sized by the text; NFC can make a path longer than its line
   (U+0958 becomes U+0915 U+093C, 3 bytes become 6), and then the arena moves as it grows
   and every path still holds. */
static void nfc_paths_that_grow_move_the_arena(void **state)
{
	(void)state;
	struct buf text = { 0 }, want = { 0 };
	for (int i = 0; i < 300; i++) {
		assert_int_equal(buf_printf(&text, "%s  data/%03d", H_C, i), 0);
		for (int k = 0; k < 40; k++)
			assert_int_equal(buf_append(&text, "\xe0\xa5\x98", 3), 0);
		assert_int_equal(buf_append(&text, "\n", 1), 0);
	}
	assert_int_equal(buf_append(&want, "data/299", 8), 0);
	for (int k = 0; k < 40; k++)
		assert_int_equal(buf_append(&want, "\xe0\xa4\x95\xe0\xa4\xbc", 6), 0);
	struct manifest m;
	struct dossier_error err;
	assert_int_equal(parse(text.data, &m, &err), DOSSIER_OK);
	assert_int_equal(m.count, 300);
	assert_non_null(manifest_find(&m, want.data));
	assert_string_equal(m.lines[299].path, want.data);
	manifest_release(&m);
	buf_release(&text);
	buf_release(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_two_space_lines),
		cmocka_unit_test(parses_crlf_lines),
		cmocka_unit_test(accepts_other_linear_whitespace),
		cmocka_unit_test(accepts_uppercase_hex),
		cmocka_unit_test(decodes_escaped_paths),
		cmocka_unit_test(accepts_empty_manifest),
		cmocka_unit_test(rejects_short_lines),
		cmocka_unit_test(rejects_missing_separator),
		cmocka_unit_test(rejects_missing_path),
		cmocka_unit_test(rejects_non_hex_digests),
		cmocka_unit_test(rejects_duplicates),
		cmocka_unit_test(rejects_bad_paths),
		cmocka_unit_test(rejects_missing_final_newline),
		cmocka_unit_test(rejects_nul),
		cmocka_unit_test(find_looks_up_decoded_paths),
		cmocka_unit_test(find_in_large_unsorted_manifest),
		cmocka_unit_test(nfc_paths_that_grow_move_the_arena),
		cmocka_unit_test(append_writes_exact_format),
		cmocka_unit_test(append_encodes_paths),
		cmocka_unit_test(append_then_parse_round_trips),
	};
	dossier_init();
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}

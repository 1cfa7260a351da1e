/* test_warc.c - the streaming WARC reader: digest encodings, record fields, any split of
   the bytes, and the reasons it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "warc.h"

/* A resource record of "hello" with digests as given (NULL: no field), header lines ending
   in eol. */
static void make_record(struct buf *out, const char *eol, const char *target, const char *block,
    const char *payload)
{
	buf_printf(out, "WARC/1.0%sWARC-Type: resource%sWARC-Record-ID: <urn:uuid:1>%s", eol, eol, eol);
	buf_printf(out, "WARC-Date: 2020-10-15T08:00:00Z%sWARC-Target-URI: %s%s", eol, target, eol);
	buf_printf(out, "Content-Type: text/plain%s", eol);
	if (block != NULL)
		buf_printf(out, "WARC-Block-Digest: %s%s", block, eol);
	if (payload != NULL)
		buf_printf(out, "WARC-Payload-Digest:%s  %s%s", eol, payload, eol); /* a folded line */
	buf_printf(out, "Content-Length: 5%s%shello\r\n\r\n", eol, eol);
}

struct got {
	int n;
	char uri[64], type[64];
	int block_checked, payload_checked;
};

static int on_record(void *ctx, const struct warc_record *rec)
{
	struct got *g = ctx;
	g->n++;
	snprintf(g->uri, sizeof g->uri, "%s", rec->target_uri);
	snprintf(g->type, sizeof g->type, "%s", rec->content_type);
	g->block_checked = rec->block_checked;
	g->payload_checked = rec->payload_checked;
	return 0;
}

/* Feeds text step bytes at a time (0: at once); the status, err filled. */
static enum dossier_status read_text(const char *text, size_t len, size_t step, struct got *g,
    struct dossier_error *err)
{
	struct warc_reader *w;
	enum dossier_status st = DOSSIER_OK;
	memset(g, 0, sizeof *g);
	assert_int_equal(warc_reader_new(&w, "t.warc", on_record, g), 0);
	for (size_t off = 0; off < len && st == DOSSIER_OK;) {
		size_t n = step == 0 || len - off < step ? len - off : step;
		st = warc_reader_update(w, text + off, n, err);
		off += n;
	}
	if (st == DOSSIER_OK)
		st = warc_reader_final(w, err);
	warc_reader_free(w);
	return st;
}

/* sha256("hello") and sha1("hello") in the encodings a WARC may use */
#define SHA256_HEX "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define SHA256_B32 "sha256:FTZE3OS7WCRQ4JXIHMVMLOPCTYNRMHS4D6TUEXTTAQZWFE4LTASA===="
#define SHA1_B32 "sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2N"
#define SHA1_HEX_UPPER "SHA1:AAF4C61DDCC5E8A2DABEDE0F3B482CD9AEA9434D"

static void accepts_every_digest_encoding(void **state)
{
	static const char *const digests[] = { SHA256_HEX, SHA256_B32, SHA1_B32, SHA1_HEX_UPPER,
		"sha256:ftze3os7wcrq4jxihmvmlopctynrmhs4d6tuexttaqzwfe4ltasa" };
	(void)state;
	for (size_t i = 0; i < sizeof digests / sizeof *digests; i++) {
		struct buf text = { 0 };
		struct got g;
		struct dossier_error err;
		make_record(&text, "\r\n", "<https://example.org/>", digests[i], digests[i]);
		if (read_text(text.data, text.len, 0, &g, &err) != DOSSIER_OK)
			fail_msg("%s: %s", digests[i], err.message);
		assert_int_equal(g.n, 1);
		assert_true(g.block_checked && g.payload_checked);
		assert_string_equal(g.uri, "https://example.org/"); /* <> of WARC/1.0 drafts removed */
		assert_string_equal(g.type, "text/plain");
		buf_release(&text);
	}
}

static void same_answer_for_any_split(void **state)
{
	struct buf text = { 0 };
	(void)state;
	make_record(&text, "\n", "https://example.org/", SHA1_B32, NULL); /* LF-only header lines */
	make_record(&text, "\r\n", "https://example.org/b", "md5:whatever", NULL);
	for (size_t step = 0; step < 40; step++) {
		struct got g;
		struct dossier_error err;
		if (read_text(text.data, text.len, step, &g, &err) != DOSSIER_OK)
			fail_msg("step %zu: %s", step, err.message);
		assert_int_equal(g.n, 2);
		assert_false(g.block_checked); /* md5 is not checked */
	}
	buf_release(&text);
}

static void refuses_with_the_reason(void **state)
{
	static const struct {
		const char *block, *want;
	} cases[] = {
		{ "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9825",
		    "t.warc: record 1 <urn:uuid:1>: WARC-Block-Digest mismatch (sha256 expected 2cf24dba5fb0" },
		{ "sha1:VL2MMHO4YXUKFWV63YHTWSBM3GXKSQ2M", "WARC-Block-Digest mismatch (sha1 expected aaf4c61ddcc5" },
		{ "sha256:2cf24d", "WARC-Block-Digest: 'sha256:2cf24d' is neither hex nor base32" },
		{ "sha1", "is not label:digest" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf text = { 0 };
		struct got g;
		struct dossier_error err;
		make_record(&text, "\r\n", "https://example.org/", cases[i].block, NULL);
		assert_int_equal(read_text(text.data, text.len, 7, &g, &err), DOSSIER_INVALID);
		assert_contains(err.message, cases[i].want);
		buf_release(&text);
	}
	struct got g;
	struct dossier_error err;
	assert_int_equal(read_text("", 0, 0, &g, &err), DOSSIER_INVALID);
	assert_contains(err.message, "t.warc: record 1: no WARC record in the file");
	assert_int_equal(read_text("WARC/1.1\r\nWARC-Type: x\r\n", 24, 0, &g, &err), DOSSIER_INVALID);
	assert_contains(err.message, "the file ends inside the record");
	assert_int_equal(read_text("HTTP/1.1 200 OK\r\n", 17, 0, &g, &err), DOSSIER_INVALID);
	assert_contains(err.message, "expected a WARC/1.0 or WARC/1.1 version line, found 'HTTP/1.1 200 OK'");
}

/* A resource record of "hello" with the header lines extra after the usual ones. */
static void make_record_with(struct buf *out, const char *extra)
{
	buf_printf(out, "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\n");
	buf_printf(out, "WARC-Date: 2020-10-15T08:00:00Z\r\nWARC-Target-URI: https://example.org/\r\n");
	buf_printf(out, "WARC-Payload-Digest: %s\r\n%sContent-Length: 5\r\n\r\nhello\r\n\r\n", SHA256_HEX, extra);
}

/* WARC 1.1 section 5.1: a named field other than WARC-Concurrent-To appears at most once,
   whatever the case of its name; otherwise which value counts depends on the reader. */
static void refuses_a_repeated_field(void **state)
{
	static const struct {
		const char *extra, *want; /* want NULL: accepted */
	} cases[] = {
		{ "warc-payload-digest: sha256:0000000000000000000000000000000000000000000000000000000000000000\r\n",
		    "t.warc: record 1 <urn:uuid:1>: WARC-Payload-Digest appears more than once" },
		{ "WARC-Target-URI: https://example.org/forged\r\n", "WARC-Target-URI appears more than once" },
		{ "Content-Length: 5\r\n", "Content-Length appears more than once" },
		{ "WARC-Date: 2020-10-15T08:00:00Z\r\n", "WARC-Date appears more than once" },
		{ "WARC-Concurrent-To: <urn:uuid:2>\r\nWARC-Concurrent-To: <urn:uuid:3>\r\n", NULL },
		{ "X-Note: one\r\nX-Note: two\r\n", NULL }, /* extension fields may repeat */
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf text = { 0 };
		struct got g;
		struct dossier_error err;
		make_record_with(&text, cases[i].extra);
		enum dossier_status st = read_text(text.data, text.len, 0, &g, &err);
		if (cases[i].want == NULL) {
			if (st != DOSSIER_OK)
				fail_msg("%s: %s", cases[i].extra, err.message);
			assert_true(g.payload_checked);
		} else {
			assert_int_equal(st, DOSSIER_INVALID);
			assert_contains(err.message, cases[i].want);
		}
		buf_release(&text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_every_digest_encoding),
		cmocka_unit_test(same_answer_for_any_split),
		cmocka_unit_test(refuses_with_the_reason),
		cmocka_unit_test(refuses_a_repeated_field),
	};
	dossier_init();
	return cmocka_run_group_tests_name("warc", tests, NULL, NULL);
}

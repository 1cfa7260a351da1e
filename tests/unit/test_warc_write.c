/* test_warc_write.c - WARC records as gzip members: one member each, fields, digests, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "warc_write.h"

/* Reads the whole of fd and inflates it member by member: the text and the member count. */
static char *inflate_members(int fd, int *members)
{
	static unsigned char in[1 << 16];
	static char out[1 << 16];
	ssize_t n = pread(fd, in, sizeof in, 0);
	size_t used = 0, outlen = 0;
	*members = 0;
	assert_true(n > 0);
	while (used < (size_t)n) {
		z_stream z;
		memset(&z, 0, sizeof z);
		assert_int_equal(inflateInit2(&z, 16 + 15), Z_OK);
		z.next_in = in + used;
		z.avail_in = (uInt)((size_t)n - used);
		z.next_out = (unsigned char *)out + outlen;
		z.avail_out = (uInt)(sizeof out - 1 - outlen);
		assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END); /* one member ends here */
		used = (size_t)n - z.avail_in;
		outlen = sizeof out - 1 - z.avail_out;
		inflateEnd(&z);
		(*members)++;
	}
	out[outlen] = '\0';
	return out;
}

static int temp_fd(void)
{
	char path[] = "/tmp/test_warc-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	return fd;
}

static void two_records_two_members(void **state)
{
	struct buf head = { 0 };
	struct dossier_error err;
	char id[WARC_ID_LEN], text[65], want[128];
	uint8_t digest[32];
	int members, fd = temp_fd();
	(void)state;
	warc_new_id(id);
	assert_int_equal(strlen(id), WARC_ID_LEN - 1);
	assert_memory_equal(id, "<urn:uuid:", 10);
	assert_int_equal(id[24], '4'); /* version 4 */
	buf_printf(&head, "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n");
	struct warc_out_record r = { .type = "request", .id = id, .date = "2020-10-16T00:00:00Z",
		.target_uri = "https://example.org/", .content_type = "application/http;msgtype=request",
		.head = &head, .body_fd = -1 };
	assert_int_equal(warc_write_record(fd, &r, "t.warc.gz", &err), DOSSIER_OK);
	assert_int_equal(warc_write_record(fd, &r, "t.warc.gz", &err), DOSSIER_OK);
	const char *out = inflate_members(fd, &members);
	assert_int_equal(members, 2);
	sha256_buf(head.data, head.len, digest);
	hex_encode(digest, 32, text);
	snprintf(want, sizeof want, "WARC-Block-Digest: sha256:%s\r\n", text);
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, "Content-Length: 37\r\n\r\nGET / HTTP/1.1"));
	assert_non_null(strstr(out, "Host: example.org\r\n\r\n\r\n\r\nWARC/1.1\r\n"));
	assert_null(strstr(out, "WARC-Payload-Digest"));
	buf_release(&head);
	close(fd);
}

static void a_line_break_in_a_field_is_refused(void **state)
{
	struct dossier_error err;
	int fd = temp_fd();
	(void)state;
	struct warc_out_record r = { .type = "response", .id = "<urn:uuid:x>", .date = "2020-10-16T00:00:00Z",
		.target_uri = "https://example.org/\r\nWARC-Type: forged", .content_type = "text/plain",
		.body_fd = -1 };
	assert_int_equal(warc_write_record(fd, &r, "t.warc.gz", &err), DOSSIER_INVALID);
	assert_non_null(strstr(err.message, "t.warc.gz: a response record field holds a line break"));
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_records_two_members),
		cmocka_unit_test(a_line_break_in_a_field_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_container.c - the canonical-layout check (container.h): what pack writes passes, and
   each way another reader could read the bytes otherwise is refused for its own reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <sys/mman.h>
#include <zlib.h>

#include "testutil.h"
#include "container.h"

struct bytes {
	unsigned char *p;
	size_t n;
};

static void bytes_append(struct bytes *b, const void *p, size_t n)
{
	b->p = realloc(b->p, b->n + n);
	assert_non_null(b->p);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static struct bytes read_back(int fd)
{
	struct bytes b = { 0 };
	char chunk[4096];
	ssize_t n;
	off_t at = 0;
	while ((n = pread(fd, chunk, sizeof chunk, at)) > 0) {
		bytes_append(&b, chunk, (size_t)n);
		at += n;
	}
	return b;
}

/* What pack's writer makes of top/a.txt, top/data/b.txt (and extra files, if any). */
static struct bytes build(enum archive_kind kind, const char *extra_path, const char *extra_data)
{
	struct bag_writer *w;
	struct dossier_error err;
	int fd = memfd_create("archive", 0);
	assert_true(fd >= 0);
	assert_int_equal(bag_writer_open(&w, fd, kind, "top", 1602806400, &err), DOSSIER_OK);
	assert_int_equal(bag_writer_add_mem(w, "a.txt", "hello\n", 6, &err), DOSSIER_OK);
	assert_int_equal(bag_writer_add_mem(w, "data/b.txt", "world\n", 6, &err), DOSSIER_OK);
	if (extra_path != NULL)
		assert_int_equal(bag_writer_add_mem(w, extra_path, extra_data, strlen(extra_data), &err), DOSSIER_OK);
	assert_int_equal(bag_writer_close(w, &err), DOSSIER_OK);
	bag_writer_free(w);
	struct bytes b = read_back(fd);
	close(fd);
	return b;
}

/* container_scan of b with limits lim (NULL: generous); the message in err. */
static enum dossier_status scan_lim(const struct bytes *b, const struct dossier_limits *lim,
    struct container_list *l, struct dossier_error *err)
{
	const struct dossier_limits big = { 1u << 30, 1000 };
	int fd = memfd_create("scan", 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->p, b->n), (ssize_t)b->n);
	enum dossier_status st = container_scan(fd, "b", lim ? lim : &big, l, err);
	close(fd);
	return st;
}

static void expect_refused(const struct bytes *b, const char *reason)
{
	struct container_list l;
	struct dossier_error err;
	assert_int_equal(scan_lim(b, NULL, &l, &err), DOSSIER_INVALID);
	assert_contains(err.message, reason);
	container_list_release(&l);
}

static void expect_accepted(const struct bytes *b)
{
	struct container_list l;
	struct dossier_error err = { 0 };
	enum dossier_status st = scan_lim(b, NULL, &l, &err);
	if (st != DOSSIER_OK)
		fail_msg("refused: %s", err.message);
	container_list_release(&l);
}

/* ---- tar: a block of ours, in pack's field style ---- */
static void checksum(unsigned char *h)
{
	unsigned sum = 0;
	memset(h + 148, ' ', 8);
	for (size_t i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
}

static void ustar(unsigned char *h, const char *name, char type, unsigned size, unsigned mode)
{
	memset(h, 0, 512);
	memcpy(h, name, strlen(name));
	snprintf((char *)h + 100, 8, "%06o ", mode);
	memcpy(h + 108, "000000 \0" "000000 \0", 16);
	snprintf((char *)h + 124, 13, "%011o ", size);
	snprintf((char *)h + 136, 13, "%011o ", 1602806400u);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar\0" "00", 8);
	memcpy(h + 329, "000000 \0" "000000 \0", 16);
	checksum(h);
}

/* b without its end marker, then blocks, then the marker again. */
static struct bytes tar_insert(const struct bytes *b, const void *blocks, size_t n)
{
	struct bytes out = { 0 };
	static const unsigned char zero[1024];
	bytes_append(&out, b->p, b->n - 1024);
	bytes_append(&out, blocks, n);
	bytes_append(&out, zero, sizeof zero);
	return out;
}

static void test_tar_as_packed(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_TAR, NULL, NULL);
	struct container_list l;
	struct dossier_error err;
	assert_int_equal(scan_lim(&b, NULL, &l, &err), DOSSIER_OK);
	assert_int_equal(l.kind, ARCHIVE_TAR);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].path, "top/");
	assert_true(l.v[0].is_dir);
	assert_string_equal(l.v[1].path, "top/a.txt");
	assert_int_equal(l.v[1].size, 6);
	assert_string_equal(l.v[3].path, "top/data/b.txt");
	container_list_release(&l);
	free(b.p);
}

static void test_each_kind_as_packed(void **state)
{
	(void)state;
	const enum archive_kind kinds[] = { ARCHIVE_TAR_GZ, ARCHIVE_TAR_ZST, ARCHIVE_ZIP };
	for (size_t i = 0; i < 3; i++) {
		/* a name ustar cannot hold gets a pax header; a zip marks it UTF-8 */
		struct bytes b = build(kinds[i], "data/caf\xc3\xa9-a-long-name-that-needs-more-than-one-hundred-bytes-"
		    "to-be-written-in-the-ustar-name-field-alone.txt", "x");
		struct container_list l;
		struct dossier_error err;
		assert_int_equal(scan_lim(&b, NULL, &l, &err), DOSSIER_OK);
		assert_int_equal(l.kind, kinds[i]);
		assert_int_equal(l.n, 5);
		container_list_release(&l);
		free(b.p);
	}
}

/* pack's sample with an extended header of type (records rec) and the entry it describes
   added before the end marker. */
static struct bytes with_extended(char type, const char *rec, const char *name, char etype,
    unsigned mode)
{
	unsigned char blocks[3 * 512];
	ustar(blocks, "PaxHeader/x", type, (unsigned)strlen(rec), mode);
	memset(blocks + 512, 0, 512);
	memcpy(blocks + 512, rec, strlen(rec));
	ustar(blocks + 1024, name, etype, 0, mode);
	struct bytes b = build(ARCHIVE_TAR, NULL, NULL), t = tar_insert(&b, blocks, sizeof blocks);
	free(b.p);
	return t;
}

static void test_tar_pax_size_before_directory(void **state)
{
	(void)state;
	/* libarchive skips a directory's pax size as data; GNU tar reads a header inside it */
	struct bytes t = with_extended('x', "12 size=512\n", "top/", '5', 0755);
	expect_refused(&t, "pax size");
	free(t.p);
}

static void test_tar_global_header(void **state)
{
	(void)state;
	struct bytes t = with_extended('g', "19 path=top/x.txt\n", "top/data/", '5', 0755);
	expect_refused(&t, "entry type other than file, directory or pax header");
	free(t.p);
}

static void test_tar_sparse_key(void **state)
{
	(void)state;
	struct bytes t = with_extended('x', "22 GNU.sparse.major=1\n", "top/s", '0', 0644);
	expect_refused(&t, "a key pack never writes");
	free(t.p);
}

static void test_tar_gnu_header_and_fields(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_TAR, NULL, NULL);
	unsigned char *second = b.p + 512; /* top/a.txt */
	memcpy(second + 257, "ustar  \0", 8);
	checksum(second);
	expect_refused(&b, "not a POSIX ustar header");
	memcpy(second + 257, "ustar\0" "00", 8);
	memcpy(second + 265, "root", 4); /* a user name */
	checksum(second);
	expect_refused(&b, "user name");
	memset(second + 265, 0, 4);
	memcpy(second + 100, "000600 ", 7);
	checksum(second);
	expect_refused(&b, "file mode other than 0644");
	memcpy(second + 100, "000644 ", 7);
	checksum(second);
	expect_accepted(&b);
	second[148] ^= 1; /* a checksum that is no sum */
	expect_refused(&b, "checksum");
	free(b.p);
}

static void test_tar_signed_checksum(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_TAR, NULL, NULL);
	unsigned char *h = b.p + 512;
	h[99] = 0;
	memcpy(h + 10, "\xc3\xa9", 2); /* a byte over 0x7f: signed and unsigned sums differ */
	int sum = 0;
	memset(h + 148, ' ', 8);
	for (size_t i = 0; i < 512; i++)
		sum += (signed char)h[i];
	snprintf((char *)h + 148, 8, "%06o", (unsigned)sum);
	h[155] = ' ';
	expect_refused(&b, "checksum is not the unsigned sum");
	free(b.p);
}

static void test_tar_raw_non_ascii_name(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_TAR, NULL, NULL);
	unsigned char *h = b.p + 512; /* top/a.txt as top/\xe9.txt, no pax path */
	memcpy(h + 4, "\xe9", 1);
	checksum(h);
	expect_refused(&b, "not ASCII without the pax path");
	free(b.p);
}

static void test_tar_directory_with_size(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_TAR, NULL, NULL);
	memcpy(b.p + 124, "00000001000 ", 12); /* top/ holds the next block */
	checksum(b.p);
	expect_refused(&b, "directory entry with a size");
	free(b.p);
}

static void test_tar_padding_and_tail(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_TAR, NULL, NULL);
	b.p[1024 + 6] = 'x'; /* in top/a.txt's padding */
	expect_refused(&b, "entry padding is not zero");
	b.p[1024 + 6] = 0;
	expect_accepted(&b);
	/* zeros to the end of the 10240-byte record are a tar record's padding */
	size_t packed = b.n;
	static const unsigned char zeros[20480];
	bytes_append(&b, zeros, 10240 - packed % 10240);
	expect_accepted(&b);
	bytes_append(&b, zeros, 512);
	expect_refused(&b, "data after the end-of-archive marker");
	b.n = packed;
	bytes_append(&b, "junk", 4);
	expect_refused(&b, "data after the end-of-archive marker");
	b.n = packed - 512; /* a lone zero block */
	expect_refused(&b, "a lone zero block");
	free(b.p);
}

static void test_tar_that_is_also_a_zip(void **state)
{
	(void)state;
	/* an end record in the last file's data whose comment runs to the end of the file */
	unsigned char eocd[23] = "PK\5\6";
	eocd[20] = (1024 + 490) & 0xff;
	eocd[21] = (1024 + 490) >> 8;
	eocd[22] = '\0';
	struct bytes b = build(ARCHIVE_TAR, "z.bin", "");
	unsigned char *h = b.p + b.n - 1024 - 512; /* top/z.bin, empty */
	memcpy(h + 124, "00000000026 ", 12);
	checksum(h);
	struct bytes t = { 0 };
	static const unsigned char zero[1024 + 490];
	bytes_append(&t, b.p, b.n - 1024);
	bytes_append(&t, eocd, 22);
	bytes_append(&t, zero, sizeof zero);
	expect_refused(&t, "also reads as a zip");
	free(b.p);
	free(t.p);
}

static void test_gzip_framing(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_TAR_GZ, NULL, NULL);
	size_t n = b.n;
	bytes_append(&b, "garbage", 7);
	expect_refused(&b, "follow the compressed stream");
	b.n = n;
	struct bytes twice = { 0 };
	bytes_append(&twice, b.p, n);
	bytes_append(&twice, b.p, n); /* a second member */
	expect_refused(&twice, "follow the compressed stream");
	b.p[3] = 0x08; /* FNAME: a name nobody checks */
	expect_refused(&b, "gzip header with a name");
	b.p[3] = 0;
	b.p[n - 5] ^= 1; /* the trailer's length */
	expect_refused(&b, "gzip stream is damaged");
	free(b.p);
	free(twice.p);
}

static void test_zstd_framing(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_TAR_ZST, NULL, NULL);
	struct bytes twice = { 0 };
	bytes_append(&twice, b.p, b.n);
	bytes_append(&twice, b.p, b.n);
	expect_refused(&twice, "follow the compressed stream");
	b.n -= 3;
	expect_refused(&b, "zstd stream");
	free(b.p);
	free(twice.p);
}

/* ---- zip ---- */
static void test_zip_comment_and_tail(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_ZIP, NULL, NULL);
	size_t n = b.n;
	b.p[n - 2] = 4;
	bytes_append(&b, "note", 4);
	expect_refused(&b, "one end record and no comment");
	b.p[n - 2] = 0;
	b.n = n;
	bytes_append(&b, "x", 1);
	expect_refused(&b, "one end record and no comment");
	free(b.p);
}

static void test_zip_local_header_differs(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_ZIP, NULL, NULL);
	/* the second entry, top/a.txt, starts after top/'s 30 + 4 + 24 bytes */
	unsigned char *local = b.p + 58;
	assert_memory_equal(local, "PK\3\4", 4);
	local[30 + 4] = 'A'; /* "top/A.txt" in the local header only */
	expect_refused(&b, "local header does not match");
	local[30 + 4] = 'a';
	expect_accepted(&b);
	local[6] |= 1; /* encrypted, locally */
	expect_refused(&b, "local header does not match");
	free(b.p);
}

static void test_zip_prepended_and_gaps(void **state)
{
	(void)state;
	struct bytes b = build(ARCHIVE_ZIP, NULL, NULL), f = build(ARCHIVE_ZIP, "forged.txt", "forged");
	/* a forged zip in front: the signed one's offsets point past it */
	struct bytes two = { 0 };
	bytes_append(&two, f.p, f.n);
	bytes_append(&two, b.p, b.n);
	expect_refused(&two, "zip");
	/* bytes between the last entry and the central directory */
	struct bytes gap = { 0 };
	size_t cd = (size_t)b.p[b.n - 6] | (size_t)b.p[b.n - 5] << 8;
	bytes_append(&gap, b.p, cd);
	bytes_append(&gap, "PK\3\4hidden", 10);
	bytes_append(&gap, b.p + cd, b.n - cd);
	expect_refused(&gap, "");
	free(b.p);
	free(f.p);
	free(two.p);
	free(gap.p);
}

static void test_zip_zip64_records_not_needed(void **state)
{
	(void)state;
	/* zip64 end records between the central directory and the standard end record that
	   nothing needs: readers differ on which one they follow */
	struct bytes b = build(ARCHIVE_ZIP, NULL, NULL);
	unsigned char z64[56 + 20] = { 0 };
	size_t eocd = b.n - 22;
	memcpy(z64, "PK\6\6", 4);
	z64[4] = 44;
	memcpy(z64 + 56, "PK\6\7", 4);
	struct bytes t = { 0 };
	bytes_append(&t, b.p, eocd);
	bytes_append(&t, z64, sizeof z64);
	bytes_append(&t, b.p + eocd, 22);
	expect_refused(&t, "bytes between the central directory and the end record");
	free(b.p);
	free(t.p);
}

static void test_limits(void **state)
{
	(void)state;
	struct container_list l;
	struct dossier_error err;
	struct bytes b = build(ARCHIVE_TAR_ZST, NULL, NULL);
	const struct dossier_limits small = { 1024, 1000 }, few = { 1u << 20, 2 };
	assert_int_equal(scan_lim(&b, &small, &l, &err), DOSSIER_INVALID);
	assert_contains(err.message, "more than 1024 bytes uncompressed");
	container_list_release(&l);
	assert_int_equal(scan_lim(&b, &few, &l, &err), DOSSIER_INVALID);
	assert_contains(err.message, "more than 2 entries");
	container_list_release(&l);
	free(b.p);
	b = build(ARCHIVE_ZIP, NULL, NULL);
	assert_int_equal(scan_lim(&b, &few, &l, &err), DOSSIER_INVALID);
	assert_contains(err.message, "more than 2 entries");
	container_list_release(&l);
	free(b.p);
}

int main(void)
{
	/* libarchive converts names through the locale, as the dossier command sets it */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tar_as_packed),
		cmocka_unit_test(test_each_kind_as_packed),
		cmocka_unit_test(test_tar_pax_size_before_directory),
		cmocka_unit_test(test_tar_global_header),
		cmocka_unit_test(test_tar_sparse_key),
		cmocka_unit_test(test_tar_gnu_header_and_fields),
		cmocka_unit_test(test_tar_signed_checksum),
		cmocka_unit_test(test_tar_raw_non_ascii_name),
		cmocka_unit_test(test_tar_directory_with_size),
		cmocka_unit_test(test_tar_padding_and_tail),
		cmocka_unit_test(test_tar_that_is_also_a_zip),
		cmocka_unit_test(test_gzip_framing),
		cmocka_unit_test(test_zstd_framing),
		cmocka_unit_test(test_zip_comment_and_tail),
		cmocka_unit_test(test_zip_local_header_differs),
		cmocka_unit_test(test_zip_prepended_and_gaps),
		cmocka_unit_test(test_zip_zip64_records_not_needed),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

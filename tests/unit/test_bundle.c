/* test_bundle.c - known-bad bundles, crafted entry by entry: each refused for its own reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <ftw.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "testutil.h"

#include "dossier.h"
#include "internal.h" /* sha256_buf, hex_encode */


struct fixture {
	char dir[64];
	char good[128]; /* a signed bundle of the bag "small" */
	char bad[128];  /* where each test writes its altered copy */
};

/* A fresh temp dir holding small/ (two payload files) packed and signed as small.tar. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct dossier_error err;
	struct dossier_seckey *key = NULL;
	char path[256];
	int already = 0;
	char keyid[17];
	if (f == NULL)
		return -1;
	strcpy(f->dir, "/tmp/dossier-test-bundle-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/small", f->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/small/sub", f->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/small/a.txt", f->dir);
	write_file(path, "hello\n", 6);
	snprintf(path, sizeof path, "%s/small/sub/b.csv", f->dir);
	write_file(path, "x,y\n1,2\n", 8);
	snprintf(f->good, sizeof f->good, "%s/small.tar", f->dir);
	snprintf(f->bad, sizeof f->bad, "%s/bad.tar", f->dir);
	struct dossier_pack_options opt = { .output = f->good, .epoch = 1602806400 };
	snprintf(path, sizeof path, "%s/small", f->dir);
	if (dossier_pack(path, &opt, &err) != DOSSIER_OK) {
		fprintf(stderr, "pack: %s\n", err.message);
		return -1;
	}
	snprintf(path, sizeof path, "%s/k.key", f->dir);
	write_file(path, vec_key, strlen(vec_key));
	if (dossier_seckey_load(path, &key, &err) != DOSSIER_OK ||
	    dossier_bundle_sign(f->good, key, NULL, &already, keyid, &err) != DOSSIER_OK) {
		fprintf(stderr, "sign: %s\n", err.message);
		dossier_seckey_free(key);
		return -1;
	}
	dossier_seckey_free(key);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* ---- rewriting an archive entry by entry ---- */

struct edit {
	const char *match;     /* entry path to act on, or NULL */
	const char *rename_to; /* new path for it */
	const char *data;      /* new content for it */
	int drop;              /* leave it out */
	const char *new_top;   /* every entry's first component replaced by this */
	/* extra entries appended at the end */
	const char *add_path;
	const char *add_data;
	const char *add_symlink; /* add_path becomes a symlink to this */
};

static void copy_with_edit(const char *from, const char *to, const struct edit *ed)
{
	struct archive *in = archive_read_new(), *out = archive_write_new();
	struct archive_entry *e;
	char buf[65536];
	archive_read_support_format_all(in);
	archive_read_support_filter_all(in);
	assert_int_equal(archive_read_open_filename(in, from, 10240), ARCHIVE_OK);
	archive_write_set_format_pax_restricted(out);
	assert_int_equal(archive_write_open_filename(out, to), ARCHIVE_OK);
	while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
		size_t n = 0;
		la_ssize_t got;
		while ((got = archive_read_data(in, buf + n, sizeof buf - n)) > 0)
			n += (size_t)got;
		int hit = ed->match != NULL && strcmp(archive_entry_pathname(e), ed->match) == 0;
		if (hit && ed->drop)
			continue;
		struct archive_entry *c = archive_entry_clone(e);
		const char *data = buf;
		if (hit && ed->rename_to != NULL)
			archive_entry_set_pathname(c, ed->rename_to);
		if (ed->new_top != NULL) {
			const char *rest = strchr(archive_entry_pathname(e), '/');
			char path[512];
			snprintf(path, sizeof path, "%s%s", ed->new_top, rest != NULL ? rest : "");
			archive_entry_set_pathname(c, path);
		}
		if (hit && ed->data != NULL) {
			data = ed->data;
			n = strlen(ed->data);
			archive_entry_set_size(c, (la_int64_t)n);
		}
		assert_int_equal(archive_write_header(out, c), ARCHIVE_OK);
		if (n > 0)
			assert_int_equal(archive_write_data(out, data, n), (la_ssize_t)n);
		archive_entry_free(c);
	}
	if (ed->add_path != NULL) {
		struct archive_entry *c = archive_entry_new();
		archive_entry_set_pathname(c, ed->add_path);
		archive_entry_set_mtime(c, 1602806400, 0);
		archive_entry_set_perm(c, 0644);
		if (ed->add_symlink != NULL) {
			archive_entry_set_filetype(c, AE_IFLNK);
			archive_entry_set_symlink(c, ed->add_symlink);
			archive_entry_set_size(c, 0);
			assert_int_equal(archive_write_header(out, c), ARCHIVE_OK);
		} else {
			size_t n = strlen(ed->add_data);
			archive_entry_set_filetype(c, AE_IFREG);
			archive_entry_set_size(c, (la_int64_t)n);
			assert_int_equal(archive_write_header(out, c), ARCHIVE_OK);
			assert_int_equal(archive_write_data(out, ed->add_data, n), (la_ssize_t)n);
		}
		archive_entry_free(c);
	}
	archive_read_free(in);
	assert_int_equal(archive_write_close(out), ARCHIVE_OK);
	archive_write_free(out);
}

/* ---- opening and verifying ---- */

static struct dossier_trust *trusted(void)
{
	struct dossier_trust *set = dossier_trust_new();
	struct dossier_pubkey pk;
	struct dossier_error err;
	assert_non_null(set);
	assert_int_equal(dossier_pubkey_parse(vec_pub, strlen(vec_pub), &pk, &err), DOSSIER_OK);
	assert_int_equal(dossier_trust_add_signer(set, &pk, "k.pub", &err), DOSSIER_OK);
	return set;
}

static struct dossier_report *verify_path(const char *path, int with_key)
{
	struct dossier_bundle *b = NULL;
	struct dossier_report *r = NULL;
	struct dossier_error err;
	struct dossier_trust *keys = with_key ? trusted() : NULL;
	if (dossier_bundle_open(path, &b, &err) != DOSSIER_OK)
		fail_msg("open %s: %s", path, err.message);
	assert_int_equal(dossier_bundle_verify(b, keys, &r, &err), DOSSIER_OK);
	dossier_bundle_free(b);
	dossier_trust_free(keys);
	return r;
}

/* The report has a finding with this code whose entry and message name what they should. */
static void assert_finding(const struct dossier_report *r, enum dossier_finding_kind kind,
    const char *code, const char *entry, const char *in_message)
{
	const struct dossier_finding *f;
	size_t n = dossier_report_findings(r, &f);
	for (size_t i = 0; i < n; i++)
		if (f[i].kind == kind && strcmp(f[i].code, code) == 0 && strcmp(f[i].entry, entry) == 0 &&
		    strstr(f[i].message, in_message) != NULL)
			return;
	for (size_t i = 0; i < n; i++)
		print_message("finding %zu: %s [%s] %s\n", i, f[i].code, f[i].entry, f[i].message);
	fail_msg("no finding %s for '%s' saying '%s'", code, entry, in_message);
}

static void expect_invalid(const struct fixture *f, const struct edit *ed, const char *code,
    const char *entry, const char *in_message)
{
	copy_with_edit(f->good, f->bad, ed);
	struct dossier_report *r = verify_path(f->bad, 1);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_INVALID);
	assert_finding(r, DOSSIER_FINDING_INVALID, code, entry, in_message);
	dossier_report_free(r);
}

static void good_bundle_is_valid(void **state)
{
	struct fixture *f = *state;
	const struct dossier_sig_info *sigs;
	const struct dossier_file_info *files;
	const struct dossier_finding *fi;
	struct dossier_report *r = verify_path(f->good, 1);
	size_t nf = dossier_report_findings(r, &fi);
	for (size_t i = 0; i < nf; i++)
		print_message("finding: %s %s\n", fi[i].code, fi[i].message);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_OK);
	assert_string_equal(dossier_report_bundle_name(r), "small");
	assert_int_equal(dossier_report_signatures(r, &sigs), 1);
	assert_string_equal(sigs[0].keyid, VEC_KEYID);
	assert_int_equal(sigs[0].status, DOSSIER_SIG_VALID);
	assert_int_equal(sigs[0].legacy, 0);
	assert_string_equal(sigs[0].key_source, "k.pub");
	assert_int_equal(dossier_report_files(r, &files), 2);
	assert_string_equal(files[0].path, "data/a.txt");
	assert_string_equal(files[1].path, "data/sub/b.csv");
	assert_int_equal(files[0].ok, 1);
	assert_int_equal(files[0].size, 6);
	/* sha256("hello\n") */
	assert_string_equal(files[0].sha256, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
	dossier_report_free(r);
	/* the same bytes copied entry by entry are still valid: the test's rewriter is neutral */
	struct edit none = { 0 };
	copy_with_edit(f->good, f->bad, &none);
	r = verify_path(f->bad, 1);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_OK);
	dossier_report_free(r);
}

static void unknown_key_is_untrusted(void **state)
{
	struct fixture *f = *state;
	const struct dossier_sig_info *sigs;
	struct dossier_report *r = verify_path(f->good, 0);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_UNTRUSTED);
	assert_finding(r, DOSSIER_FINDING_UNTRUSTED, "sig-unknown-key",
	    "signatures/" VEC_KEYID ".minisig", "unknown key " VEC_KEYID);
	assert_int_equal(dossier_report_signatures(r, &sigs), 1);
	assert_int_equal(sigs[0].status, DOSSIER_SIG_UNKNOWN_KEY);
	dossier_report_free(r);
}

static void changed_payload(void **state)
{
	struct edit ed = { .match = "small/data/a.txt", .data = "hellO\n" };
	expect_invalid(*state, &ed, "payload-mismatch", "data/a.txt", "data/a.txt: sha256 mismatch");
}

static void missing_and_extra_payload(void **state)
{
	struct edit drop = { .match = "small/data/sub/b.csv", .drop = 1 };
	expect_invalid(*state, &drop, "payload-missing", "data/sub/b.csv", "missing from the bundle");
	struct edit extra = { .add_path = "small/data/extra.txt", .add_data = "x" };
	expect_invalid(*state, &extra, "payload-extra", "data/extra.txt", "not listed in manifest-sha256.txt");
}

static void changed_tag_file(void **state)
{
	struct edit ed = { .match = "small/bag-info.txt",
		.data = "Payload-Oxum: 14.2\nExternal-Description: forged\n" };
	expect_invalid(*state, &ed, "tag-mismatch", "bag-info.txt", "bag-info.txt: sha256 mismatch");
}

static void forged_tagmanifest(void **state)
{
	/* an attacker rewrites the manifests consistently; only the signature stands in the way */
	struct edit ed = { .match = "small/tagmanifest-sha256.txt",
		.data = "0000000000000000000000000000000000000000000000000000000000000000  bagit.txt\n" };
	expect_invalid(*state, &ed, "sig-forged", "signatures/" VEC_KEYID ".minisig",
	    "does not match the signed bytes");
}

static void traversal_entries(void **state)
{
	struct edit dotdot = { .add_path = "small/../../etc/cron.d/evil", .add_data = "x" };
	expect_invalid(*state, &dotdot, "unsafe-path", "small/../../etc/cron.d/evil", "'.' or '..' in path");
	struct edit abs = { .add_path = "/etc/passwd", .add_data = "x" };
	expect_invalid(*state, &abs, "entry-outside-bag", "/etc/passwd", "outside the bundle's top directory");
	struct edit other = { .add_path = "other/data/x", .add_data = "x" };
	expect_invalid(*state, &other, "entry-outside-bag", "other/data/x", "outside the bundle's top directory 'small'");
	struct edit bs = { .add_path = "small/data/..\\..\\x", .add_data = "x" };
	expect_invalid(*state, &bs, "unsafe-path", "small/data/..\\..\\x", "backslash in path");
}

static void symlink_entry(void **state)
{
	/* a type pack never writes: the archive's form is refused before any entry is read */
	const struct fixture *f = *state;
	struct edit ed = { .add_path = "small/data/link", .add_symlink = "/etc/passwd" };
	struct dossier_bundle *b = (struct dossier_bundle *)1;
	struct dossier_error err;
	copy_with_edit(f->good, f->bad, &ed);
	assert_int_equal(dossier_bundle_open(f->bad, &b, &err), DOSSIER_INVALID);
	assert_null(b);
	assert_non_null(strstr(err.message, "not in the canonical form pack writes: "
	                                    "entry type other than file, directory or pax header"));
}

static void duplicate_and_colliding_entries(void **state)
{
	struct edit dup = { .add_path = "small/data/a.txt", .add_data = "second copy\n" };
	expect_invalid(*state, &dup, "duplicate-entry", "data/a.txt", "appears twice");
	struct edit cased = { .add_path = "small/data/A.txt", .add_data = "hello\n" };
	expect_invalid(*state, &cased, "case-collision", "data/A.txt", "collides with 'data/a.txt'");
}

static void unicode_spellings_collide(void **state)
{
	struct fixture *f = *state;
	char path[256];
	/* in an archive: libarchive hands out names in NFC, so the NFD spelling arrives as
	   "café" and collides with "Café" by case */
	struct edit ed = { .match = "small/data/a.txt", .rename_to = "small/data/Caf\xc3\xa9.txt",
		.add_path = "small/data/cafe\xcc\x81.txt", .add_data = "hello\n" };
	expect_invalid(*state, &ed, "case-collision", "data/caf\xc3\xa9.txt",
	    "collides with 'data/Caf\xc3\xa9.txt'");
	/* in a bag directory the names arrive as stored: NFC "é" and NFD "e + U+0301" are
	   one file on macOS */
	snprintf(path, sizeof path, "%s/dirbag", f->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/dirbag/data", f->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/dirbag/data/caf\xc3\xa9.txt", f->dir);
	write_file(path, "1", 1);
	snprintf(path, sizeof path, "%s/dirbag/data/cafe\xcc\x81.txt", f->dir);
	write_file(path, "2", 1);
	snprintf(path, sizeof path, "%s/dirbag", f->dir);
	struct dossier_report *r = verify_path(path, 0);
	assert_finding(r, DOSSIER_FINDING_INVALID, "case-collision", "data/caf\xc3\xa9.txt",
	    "collides with 'data/cafe\xcc\x81.txt'");
	dossier_report_free(r);
}

/* What dossier packs, dossier verifies: also a file whose name is in NFD, as macOS
   and many tools write them. */
static void packed_nfd_name_verifies(void **state)
{
	struct fixture *f = *state;
	struct dossier_error err;
	char dir[256], path[300], out[300];
	snprintf(dir, sizeof dir, "%s/nfd", f->dir);
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/cafe\xcc\x81.txt", dir);
	write_file(path, "hi\n", 3);
	snprintf(out, sizeof out, "%s/nfd.tar", f->dir);
	struct dossier_pack_options opt = { .output = out, .epoch = 1602806400 };
	if (dossier_pack(dir, &opt, &err) != DOSSIER_OK)
		fail_msg("pack: %s", err.message);
	struct dossier_report *r = verify_path(out, 0);
	const struct dossier_finding *fi;
	char why[600] = "";
	size_t n = dossier_report_findings(r, &fi);
	for (size_t i = 0; i < n && why[0] == '\0'; i++)
		if (fi[i].kind == DOSSIER_FINDING_INVALID)
			snprintf(why, sizeof why, "%s", fi[i].message);
	enum dossier_status verdict = dossier_report_verdict(r);
	dossier_report_free(r);
	if (why[0] != '\0')
		fail_msg("own bundle refused: %s", why);
	assert_int_equal(verdict, DOSSIER_UNTRUSTED); /* only unsigned */
}

static void misnamed_signature(void **state)
{
	struct fixture *f = *state;
	struct edit ed = { .match = "small/signatures/" VEC_KEYID ".minisig",
		.rename_to = "small/signatures/F442216EAC04CB63.minisig" };
	copy_with_edit(f->good, f->bad, &ed);
	struct dossier_report *r = verify_path(f->bad, 1);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_INVALID);
	assert_finding(r, DOSSIER_FINDING_INVALID, "sig-malformed", "signatures/F442216EAC04CB63.minisig",
	    "file is named for key F442216EAC04CB63 but the signature is by " VEC_KEYID);
	dossier_report_free(r);
	struct edit junk = { .add_path = "small/signatures/notes.txt", .add_data = "x" };
	expect_invalid(*state, &junk, "sig-malformed", "signatures/notes.txt", "expected <KEYID>.minisig");
}

static void fetch_txt_refused(void **state)
{
	struct edit ed = { .add_path = "small/fetch.txt", .add_data = "https://example.org/x 1 data/x\n" };
	expect_invalid(*state, &ed, "fetch-txt", "fetch.txt", "fetch.txt is refused");
}

/* The top directory is renamed, every signed byte unchanged: the name VERIFY.txt signs is
   the bundle's (FORMAT.md 2.3), so the archive is refused and the report keeps that name. */
static void renamed_top_directory(void **state)
{
	const struct fixture *f = *state;
	struct edit ed = { .new_top = "renamed" };
	expect_invalid(f, &ed, "top-renamed", "VERIFY.txt",
	    "'renamed': the top directory was renamed; the bundle is signed as 'small' (VERIFY.txt)");
	struct dossier_report *r = verify_path(f->bad, 1);
	assert_string_equal(dossier_report_bundle_name(r), "small");
	dossier_report_free(r);
	r = verify_path(f->good, 1);
	assert_string_equal(dossier_report_bundle_name(r), "small");
	assert_int_equal(dossier_report_verdict(r), DOSSIER_OK);
	dossier_report_free(r);
}

struct asked {
	int answer, calls;
	char tagmanifest_sha256[65];
};

static int answer(void *ctx, const struct dossier_report *r)
{
	struct asked *a = ctx;
	a->calls++;
	snprintf(a->tagmanifest_sha256, sizeof a->tagmanifest_sha256, "%s", dossier_report_tagmanifest_sha256(r));
	return a->answer;
}

/* The signer is asked about the bundle being signed: the report carries the SHA-256 of
   its tag manifest; no leaves the file as it was; yes signs; signed already asks nothing. */
static void sign_asks_first(void **state)
{
	const struct fixture *f = *state;
	struct dossier_seckey *key = NULL;
	struct dossier_error err;
	struct dossier_bundle *b = NULL;
	char path[256], keyid[17], hex[65];
	uint8_t d[32];
	size_t len;
	int already;
	struct dossier_pack_options opt = { .output = f->bad, .epoch = 1602806400 };
	snprintf(path, sizeof path, "%s/small", f->dir);
	assert_int_equal(dossier_pack(path, &opt, &err), DOSSIER_OK);
	assert_int_equal(dossier_bundle_open(f->bad, &b, &err), DOSSIER_OK);
	const char *tm = dossier_bundle_tagmanifest(b, &len);
	assert_int_equal(sha256_buf(tm, len, d), 0);
	hex_encode(d, sizeof d, hex);
	dossier_bundle_free(b);
	struct stat before, after;
	assert_int_equal(stat(f->bad, &before), 0);
	snprintf(path, sizeof path, "%s/k.key", f->dir);
	assert_int_equal(dossier_seckey_load(path, &key, &err), DOSSIER_OK);
	struct asked no = { 0, 0, "" }, yes = { 1, 0, "" }, again = { 1, 0, "" };
	assert_int_equal(dossier_bundle_sign_confirm(f->bad, key, NULL, answer, &no, &already, keyid, &err),
	    DOSSIER_USAGE);
	assert_contains(err.message, "not signed: declined");
	assert_int_equal(stat(f->bad, &after), 0);
	assert_true(after.st_ino == before.st_ino && after.st_size == before.st_size);
	assert_int_equal(no.calls, 1);
	assert_string_equal(no.tagmanifest_sha256, hex);
	assert_int_equal(dossier_bundle_sign_confirm(f->bad, key, NULL, answer, &yes, &already, keyid, &err),
	    DOSSIER_OK);
	assert_int_equal(yes.calls, 1);
	assert_false(already);
	assert_int_equal(dossier_bundle_sign_confirm(f->bad, key, NULL, answer, &again, &already, keyid, &err),
	    DOSSIER_OK);
	assert_int_equal(again.calls, 0);
	assert_true(already);
	dossier_seckey_free(key);
}

static void unreadable_archives(void **state)
{
	struct fixture *f = *state;
	struct dossier_bundle *b = (struct dossier_bundle *)1;
	struct dossier_error err;
	char buf[4096];
	/* not an archive at all: text is the wrong kind of file, not a damaged bundle */
	write_file(f->bad, "this is not a tar file\n", 23);
	assert_int_equal(dossier_bundle_open(f->bad, &b, &err), DOSSIER_DATAERR);
	assert_non_null(strstr(err.message, "not a bundle (a text file)"));
	assert_null(b);
	assert_non_null(strstr(err.message, f->bad));
	/* cut short inside the first member's data */
	int fd = open(f->good, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof buf), (ssize_t)sizeof buf);
	close(fd);
	write_file(f->bad, buf, 1000);
	enum dossier_status st = dossier_bundle_open(f->bad, &b, &err);
	if (st == DOSSIER_OK) {
		/* then the checks must find it incomplete */
		struct dossier_report *r = NULL;
		assert_int_equal(dossier_bundle_verify(b, NULL, &r, &err), DOSSIER_OK);
		assert_int_equal(dossier_report_verdict(r), DOSSIER_INVALID);
		dossier_report_free(r);
		dossier_bundle_free(b);
	} else {
		assert_int_equal(st, DOSSIER_INVALID);
		assert_null(b);
	}
	/* missing */
	assert_int_equal(dossier_bundle_open("/nonexistent/bundle.tar", &b, &err), DOSSIER_NOINPUT);
	assert_null(b);
}

/* The hex SHA-256 of len bytes, as sha256sum prints it. */
static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, data, len);
	sodium_bin2hex(out, 65, d, sizeof d);
}

/* The report names the file it was read from: its size and SHA-256 as the file's own
   bytes give them, and the tag manifest's SHA-256 (issue 16.5). */
static void report_names_the_file(void **state)
{
	struct fixture *f = *state;
	static char bytes[1 << 16];
	char want[65], want_tags[65];
	int fd = open(f->good, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t len = read(fd, bytes, sizeof bytes);
	close(fd);
	assert_true(len > 0 && len < (ssize_t)sizeof bytes);
	sha256_hex(bytes, (size_t)len, want);
	struct dossier_bundle *b = NULL;
	struct dossier_report *r = NULL;
	struct dossier_error err;
	size_t tlen = 0;
	assert_int_equal(dossier_bundle_open(f->good, &b, &err), DOSSIER_OK);
	const char *tags = dossier_bundle_tagmanifest(b, &tlen);
	assert_non_null(tags);
	sha256_hex(tags, tlen, want_tags);
	assert_int_equal(dossier_bundle_verify(b, NULL, &r, &err), DOSSIER_OK);
	const struct dossier_bundle_file *bf = dossier_report_bundle_file(r);
	assert_string_equal(bf->name, "small.tar");
	assert_string_equal(bf->kind, "file");
	assert_int_equal(bf->size, (uint64_t)len);
	assert_string_equal(bf->sha256, want);
	assert_string_equal(bf->tagmanifest_sha256, want_tags);
	dossier_report_free(r);
	dossier_bundle_free(b);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(good_bundle_is_valid),
		T(unknown_key_is_untrusted),
		T(changed_payload),
		T(missing_and_extra_payload),
		T(changed_tag_file),
		T(forged_tagmanifest),
		T(traversal_entries),
		T(symlink_entry),
		T(duplicate_and_colliding_entries),
		T(unicode_spellings_collide),
		T(packed_nfd_name_verifies),
		T(misnamed_signature),
		T(fetch_txt_refused),
		T(renamed_top_directory),
		T(sign_asks_first),
		T(unreadable_archives),
		T(report_names_the_file),
	};
	/* libarchive converts non-ASCII names through the locale (see dossier_pack) */
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		return 1;
	if (dossier_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("bundle", tests, NULL, NULL);
}

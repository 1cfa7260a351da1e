/* fuzz_baginfo.c - libFuzzer: bag-info.txt (Payload-Oxum) and bagit.txt as dossier_bundle_verify
   checks them.

   Those checks (check_oxum, check_bagit_txt in src/lib/verify.c) have no entry point of
   their own; they run on the tag files of an opened bundle. At start-up the harness packs
   a two-file bundle into a private temp dir, signs it with the test-only key of
   tests/vectors/minisign/ and opens it once. Each input then replaces, in memory, the
   content of one tag file, exactly as bundle.c would have read it from an archive
   (NUL-terminated buffer, any bytes, and its sha256), and verifies the bundle again.

   Input: the first byte picks the tag file (even: bag-info.txt, odd: bagit.txt), the
   rest is its content. Seeds: fuzz/corpus/baginfo/.

   What must hold: verify succeeds (only out of memory may fail it); the report renders
   as JSON; the same bytes as packed verify as valid, as at start-up; any other bytes
   make the bundle invalid, since the tag manifest, and through it the signature, pins
   both files. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/vectors/minisign/k.pub and k.key: TEST-ONLY keys, public knowledge. */
static const char vec_pub[] =
	"untrusted comment: minisign public key 273BD680E55BB29D\n"
	"RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n";
static const char vec_key[] =
	"untrusted comment: minisign encrypted secret key\n"
	"RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAnbJb5YDWOyeqz952vR0AMWRyo+gmfY+fRu1mNZY2s+wgnjMUR/0oYbA01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljkAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

static const char spec_json[] =
	"{\n"
	"  \"spec_version\": 1,\n"
	"  \"name\": \"baginfo-fuzz\",\n"
	"  \"title\": \"bag-info fuzz bundle\",\n"
	"  \"kind\": \"open-letter\",\n"
	"  \"date\": \"2020-10-16\",\n"
	"  \"from\": [ { \"name\": \"Helmut Scholz\", \"group\": \"GUE/NGL\" } ],\n"
	"  \"to\": [ { \"name\": \"H.E. Kassym-Jomart Tokayev\" } ],\n"
	"  \"files\": [\n"
	"    { \"source\": \"letter.txt\", \"role\": \"letter\" },\n"
	"    { \"source\": \"cases.csv\", \"role\": \"annex\" }\n"
	"  ]\n"
	"}\n";
/* 46 + 47 bytes: Payload-Oxum 93.2 */
static const char letter[] = "Open letter (bag-info fuzz payload)\n\nDear ...\n";
static const char cases[] = "case,name,status\n1,A. B.,detained\n2,C. D.,free\n";

static const char *const targets[2] = { "bag-info.txt", "bagit.txt" };

static char dir[64];
static struct dossier_bundle *bundle;
static struct dossier_trust *trusted;
static struct tag_entry *tag[2];
static struct buf original[2];
static uint8_t original_digest[2][32];

static void path_in(char *p, size_t n, const char *name)
{
	snprintf(p, n, "%s/%s", dir, name);
}

static void put(const char *name, const char *text)
{
	char p[160];
	path_in(p, sizeof p, name);
	FILE *f = fopen(p, "wb");
	if (f == NULL || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
		abort();
}

static void cleanup(void)
{
	static const char *const files[] = { "spec.json", "letter.txt", "cases.csv", "k.key", "bag.tar" };
	char p[160];
	/* between inputs the bundle holds its own tag contents again */
	dossier_bundle_free(bundle);
	dossier_trust_free(trusted);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		path_in(p, sizeof p, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static enum dossier_status verify_once(void)
{
	struct dossier_report *r = NULL;
	struct dossier_error err;
	char *json = NULL;
	if (dossier_bundle_verify(bundle, trusted, &r, &err) != DOSSIER_OK)
		abort(); /* only out of memory may fail here */
	enum dossier_status v = dossier_report_verdict(r);
	if (dossier_report_json(r, &json, &err) != DOSSIER_OK)
		abort();
	free(json);
	dossier_report_free(r);
	return v;
}

static void setup(void)
{
	char spec[160], key[160], bag[160];
	struct dossier_error err;
	struct dossier_pubkey pk;
	struct dossier_seckey *sk = NULL;
	char keyid[DOSSIER_KEYID_CHARS + 1];
	int already = 0;
	setenv("TZ", "UTC", 1);
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "");
	snprintf(dir, sizeof dir, "/tmp/fuzz-baginfo-XXXXXX");
	if (mkdtemp(dir) == NULL || dossier_init() != 0)
		abort();
	atexit(cleanup);
	put("spec.json", spec_json);
	put("letter.txt", letter);
	put("cases.csv", cases);
	put("k.key", vec_key);
	path_in(spec, sizeof spec, "spec.json");
	path_in(key, sizeof key, "k.key");
	path_in(bag, sizeof bag, "bag.tar");
	struct dossier_pack_options opt = { .output = bag, .epoch = -1 };
	trusted = dossier_trust_new();
	if (trusted == NULL || dossier_pubkey_parse(vec_pub, strlen(vec_pub), &pk, &err) != DOSSIER_OK ||
	    dossier_trust_add_signer(trusted, &pk, "k.pub", &err) != DOSSIER_OK ||
	    dossier_pack(spec, &opt, &err) != DOSSIER_OK ||
	    dossier_seckey_load(key, &sk, &err) != DOSSIER_OK ||
	    dossier_seckey_unlock(sk, NULL, &err) != DOSSIER_OK ||
	    dossier_bundle_sign(bag, sk, NULL, &already, keyid, &err) != DOSSIER_OK ||
	    dossier_bundle_open(bag, &bundle, &err) != DOSSIER_OK) {
		fprintf(stderr, "fuzz_baginfo setup: %s\n", err.message);
		abort();
	}
	dossier_seckey_free(sk);
	for (int i = 0; i < 2; i++) {
		/* bundle_tag hands out const; the harness owns the bundle and edits it */
		tag[i] = (struct tag_entry *)bundle_tag(bundle, targets[i]);
		if (tag[i] == NULL)
			abort();
		original[i] = tag[i]->content;
		memcpy(original_digest[i], tag[i]->digest, 32);
	}
	if (verify_once() != DOSSIER_OK) {
		fprintf(stderr, "fuzz_baginfo setup: the packed, signed bundle does not verify\n");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (dir[0] == '\0')
		setup();
	if (size == 0)
		return 0;
	int which = data[0] & 1;
	const char *content = (const char *)data + 1;
	size_t len = size - 1;
	struct buf b = { 0 };
	/* as bundle.c reads a tag file: NUL-terminated, whatever bytes it holds */
	if (buf_append(&b, "", 0) != 0 || (len > 0 && buf_append(&b, content, len) != 0))
		abort();
	struct tag_entry *t = tag[which];
	t->content = b;
	sha256_buf(b.data, b.len, t->digest);

	enum dossier_status v = verify_once();
	int same = len == original[which].len && memcmp(content, original[which].data, len) == 0;
	if (same ? v != DOSSIER_OK : v != DOSSIER_INVALID) {
		fprintf(stderr, "%s of %zu bytes (%s the packed one): verdict %s\n", targets[which], len,
		    same ? "same as" : "not", dossier_status_name(v));
		abort();
	}

	buf_release(&t->content);
	t->content = original[which];
	memcpy(t->digest, original_digest[which], 32);
	return 0;
}

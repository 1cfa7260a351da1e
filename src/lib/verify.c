/* verify.c - deciding whether a bundle read by bundle.c is intact, signed and trusted. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define INVALID DOSSIER_FINDING_INVALID
#define UNTRUSTED DOSSIER_FINDING_UNTRUSTED
#define NOTICE DOSSIER_FINDING_NOTICE

static const char *const required_tags[] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt",
	"tagmanifest-sha256.txt", "dossier.json" };

/* Tag files the tag manifest must not cover: they are added after signing. */
static int unsigned_tag(const char *path)
{
	return strcmp(path, "tagmanifest-sha256.txt") == 0 || strncmp(path, "signatures/", 11) == 0 ||
	    strncmp(path, "timestamps/", 11) == 0 || strcmp(path, "redactions.json") == 0;
}

static void check_bagit_txt(struct dossier_report *r, const struct tag_entry *t)
{
	static const char want[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	static const char want_crlf[] = "BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n";
	if (strcmp(t->content.data, want) != 0 && strcmp(t->content.data, want_crlf) != 0 &&
	    strcmp(t->content.data, "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n") != 0)
		report_add(r, INVALID, "bagit-txt", "bagit.txt",
		    "bagit.txt: must declare BagIt-Version 1.0 and Tag-File-Character-Encoding UTF-8");
}

/* A decimal number of at most 19 digits (so it fits), advancing *p past it. */
static int parse_count(const char **p, unsigned long long *out)
{
	size_t n = strspn(*p, "0123456789");
	if (n == 0 || n > 19)
		return -1;
	*out = 0;
	for (size_t i = 0; i < n; i++)
		*out = *out * 10 + (unsigned long long)((*p)[i] - '0');
	*p += n;
	return 0;
}

/* Payload-Oxum "octets.count" is checked, never used to size anything. Only a line
   that starts with the label counts: the same words inside another field's value
   (a title that quotes it) are not the field. */
static void check_oxum(struct dossier_report *r, const struct tag_entry *t,
    const struct dossier_bundle *b)
{
	static const char label[] = "Payload-Oxum:";
	const char *found = NULL;
	for (const char *line = t->content.data; line != NULL && *line;) {
		if (strncmp(line, label, sizeof label - 1) == 0) {
			if (found != NULL) {
				report_add(r, INVALID, "bag-info", "bag-info.txt", "bag-info.txt: Payload-Oxum appears twice");
				return;
			}
			found = line;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	if (found == NULL) {
		report_add(r, INVALID, "bag-info", "bag-info.txt", "bag-info.txt: no Payload-Oxum");
		return;
	}
	unsigned long long octets = 0, count = 0, have_octets = 0;
	const char *p = found + sizeof label - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	/* digits only: sscanf would take signs and overflow without a word */
	if (parse_count(&p, &octets) != 0 || *p++ != '.' || parse_count(&p, &count) != 0 ||
	    (*p != '\n' && *p != '\r')) {
		report_add(r, INVALID, "bag-info", "bag-info.txt", "bag-info.txt: malformed Payload-Oxum");
		return;
	}
	for (size_t i = 0; i < b->npayload; i++)
		have_octets += b->payload[i].size;
	if (octets != have_octets || count != b->npayload)
		report_add(r, INVALID, "oxum-mismatch", "bag-info.txt",
		    "bag-info.txt: Payload-Oxum says %llu bytes in %llu files, the payload has %llu bytes in %zu files",
		    octets, count, have_octets, b->npayload);
}

/* Parses one of the manifests; a missing one was reported already. */
static int load_manifest(struct dossier_report *r, const struct dossier_bundle *b, const char *name,
    const char *code, struct manifest *m)
{
	const struct tag_entry *t = bundle_tag(b, name);
	struct dossier_error err;
	if (t == NULL)
		return 0;
	if (manifest_parse(name, t->content.data, t->content.len, m, &err) != DOSSIER_OK) {
		report_add(r, INVALID, code, name, "%s", err.message);
		return 0;
	}
	return 1;
}

static void check_tags(struct dossier_report *r, const struct dossier_bundle *b)
{
	struct manifest m;
	if (!load_manifest(r, b, "tagmanifest-sha256.txt", "tagmanifest-malformed", &m))
		return;
	for (size_t i = 0; i < m.count; i++) {
		const struct manifest_line *l = &m.lines[i];
		const struct tag_entry *t = bundle_tag(b, l->path);
		if (strncmp(l->path, "data/", 5) == 0 || unsigned_tag(l->path))
			report_add(r, INVALID, "tagmanifest-malformed", "tagmanifest-sha256.txt",
			    "tagmanifest-sha256.txt: lists '%s', which is not a signed tag file", l->path);
		else if (t == NULL)
			report_add(r, INVALID, "tag-missing", l->path,
			    "%s: listed in tagmanifest-sha256.txt but missing from the bundle", l->path);
		else if (sodium_memcmp(t->digest, l->digest, 32) != 0) {
			char want[65], got[65];
			hex_encode(l->digest, 32, want);
			hex_encode(t->digest, 32, got);
			report_add(r, INVALID, "tag-mismatch", l->path, "%s: sha256 mismatch (expected %.12s…, got %.12s…)",
			    l->path, want, got);
		}
	}
	for (size_t i = 0; i < b->ntags; i++) {
		const char *p = b->tags[i].path;
		if (!unsigned_tag(p) && manifest_find(&m, p) == NULL)
			report_add(r, INVALID, "tag-uncovered", p,
			    "%s: tag file not covered by tagmanifest-sha256.txt (added after signing?)", p);
	}
	manifest_release(&m);
}

static int by_file_path(const void *a, const void *b)
{
	return strcmp(((const struct dossier_file_info *)a)->path, ((const struct dossier_file_info *)b)->path);
}

static void check_payload(struct dossier_report *r, const struct dossier_bundle *b)
{
	struct manifest m;
	if (!load_manifest(r, b, "manifest-sha256.txt", "manifest-malformed", &m))
		return;
	r->files = calloc(b->npayload ? b->npayload : 1, sizeof *r->files);
	if (r->files == NULL) {
		r->oom = 1;
		manifest_release(&m);
		return;
	}
	for (size_t i = 0; i < b->npayload; i++) {
		const struct payload_entry *p = &b->payload[i];
		struct manifest_line *l = manifest_find(&m, p->path);
		struct dossier_file_info *f = &r->files[r->nfiles++];
		f->path = report_str(r, p->path);
		f->size = p->size;
		hex_encode(p->digest, 32, f->sha256);
		f->role = f->media_type = ""; /* from dossier.json, below */
		if (l == NULL) {
			report_add(r, INVALID, "payload-extra", p->path,
			    "%s: payload file not listed in manifest-sha256.txt", p->path);
			continue;
		}
		l->seen = 1;
		if (sodium_memcmp(l->digest, p->digest, 32) != 0) {
			char want[65];
			hex_encode(l->digest, 32, want);
			report_add(r, INVALID, "payload-mismatch", p->path, "%s: sha256 mismatch (expected %.12s…, got %.12s…)",
			    p->path, want, f->sha256);
			continue;
		}
		f->ok = 1;
	}
	for (size_t i = 0; i < m.count; i++) {
		if (strncmp(m.lines[i].path, "data/", 5) != 0)
			report_add(r, INVALID, "manifest-malformed", "manifest-sha256.txt",
			    "manifest-sha256.txt: lists '%s', which is outside data/", m.lines[i].path);
		else if (!m.lines[i].seen)
			report_add(r, INVALID, "payload-missing", m.lines[i].path,
			    "%s: listed in manifest-sha256.txt but missing from the bundle", m.lines[i].path);
	}
	if (r->nfiles > 1)
		qsort(r->files, r->nfiles, sizeof *r->files, by_file_path);
	/* dossier.json describes files too; it must not disagree with the manifest. */
	const cJSON *files = r->meta ? cJSON_GetObjectItemCaseSensitive(r->meta, "files") : NULL;
	for (const cJSON *mf = files ? files->child : NULL; mf != NULL; mf = mf->next) {
		const char *path = cJSON_GetObjectItemCaseSensitive(mf, "path")->valuestring;
		const char *sha = cJSON_GetObjectItemCaseSensitive(mf, "sha256")->valuestring;
		uint8_t d[32];
		char *nfc = path_nfc(path); /* manifest paths are compared in NFC */
		const struct manifest_line *l = nfc ? manifest_find(&m, nfc) : NULL;
		struct dossier_file_info key = { .path = nfc };
		struct dossier_file_info *f = nfc && r->nfiles ? bsearch(&key, r->files, r->nfiles,
		    sizeof key, by_file_path) : NULL;
		free(nfc);
		if (f != NULL) {
			f->role = report_str(r, cJSON_GetObjectItemCaseSensitive(mf, "role")->valuestring);
			f->media_type = report_str(r, cJSON_GetObjectItemCaseSensitive(mf, "media_type")->valuestring);
		}
		if (l == NULL)
			report_add(r, INVALID, "dossier-json", "dossier.json",
			    "dossier.json: describes '%s', which manifest-sha256.txt does not list", path);
		else if (hex_decode_digest(sha, d) != 0 || sodium_memcmp(d, l->digest, 32) != 0)
			report_add(r, INVALID, "dossier-json", "dossier.json",
			    "dossier.json: sha256 of '%s' differs from manifest-sha256.txt", path);
	}
	manifest_release(&m);
}

static void check_dossier_json(struct dossier_report *r, const struct dossier_bundle *b)
{
	const struct tag_entry *t = bundle_tag(b, "dossier.json");
	struct dossier_error err;
	if (t == NULL)
		return;
	cJSON *doc = json_parse_strict("dossier.json", t->content.data, t->content.len, &err);
	if (doc != NULL && dossier_json_check("dossier.json", doc, &err) != DOSSIER_OK) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	if (doc == NULL) {
		report_add(r, INVALID, "dossier-json", "dossier.json", "%s", err.message);
		return;
	}
	r->meta = doc;
	report_collect_people(r);
}

static const cJSON *signatory(const cJSON *meta, const char *keyid)
{
	const cJSON *from = meta ? cJSON_GetObjectItemCaseSensitive(meta, "from") : NULL;
	for (const cJSON *p = from ? from->child : NULL; p != NULL; p = p->next) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(p, "keyid");
		if (cJSON_IsString(k) && strcmp(k->valuestring, keyid) == 0)
			return p;
	}
	return NULL;
}

/* "dossier-v1 bundle:<id> signer:<keyid> time:<t>": must name this bundle and this key. */
static const char *check_comment(const char *comment, const char *id, const char *keyid)
{
	char want_bundle[64], want_signer[32];
	if (strncmp(comment, "dossier-v1 ", 11) != 0)
		return NULL; /* stock minisign comments are accepted and shown as they are */
	snprintf(want_bundle, sizeof want_bundle, " bundle:%s ", id ? id : "");
	snprintf(want_signer, sizeof want_signer, " signer:%s ", keyid);
	if (id != NULL && strstr(comment, want_bundle) == NULL)
		return "trusted comment names another bundle";
	if (strstr(comment, want_signer) == NULL)
		return "trusted comment names another signer";
	return NULL;
}

static int is_sig_name(const char *path, char keyid[17])
{
	const char *name = path + strlen("signatures/");
	if (strlen(name) != 16 + strlen(".minisig") || strcmp(name + 16, ".minisig") != 0)
		return 0;
	memcpy(keyid, name, 16);
	keyid[16] = '\0';
	return strspn(keyid, "0123456789ABCDEF") == 16;
}

static void check_signatures(struct dossier_report *r, const struct dossier_bundle *b,
    const struct dossier_keyset *keys)
{
	size_t len = 0, valid = 0, nsig = 0;
	const char *msg = dossier_bundle_tagmanifest(b, &len);
	const char *id = dossier_report_meta(r, "id");
	for (size_t i = 0; i < b->ntags; i++)
		nsig += strncmp(b->tags[i].path, "signatures/", 11) == 0;
	r->sigs = calloc(nsig ? nsig : 1, sizeof *r->sigs);
	if (r->sigs == NULL) {
		r->oom = 1;
		return;
	}
	for (size_t i = 0; i < b->ntags; i++) {
		const struct tag_entry *t = &b->tags[i];
		char keyid[17];
		struct dossier_sig sig;
		struct dossier_error err;
		if (strncmp(t->path, "signatures/", 11) != 0)
			continue;
		if (!is_sig_name(t->path, keyid)) {
			report_add(r, INVALID, "sig-malformed", t->path,
			    "%s: unexpected file in signatures/ (expected <KEYID>.minisig)", t->path);
			continue;
		}
		struct dossier_sig_info *s = &r->sigs[r->nsigs++];
		memcpy(s->keyid, keyid, sizeof s->keyid);
		s->status = DOSSIER_SIG_BAD;
		s->trusted_comment = s->signer_name = s->signer_group = s->key_source = s->reason = "";
		if (dossier_sig_parse(t->content.data, t->content.len, &sig, &err) != DOSSIER_OK) {
			s->reason = report_str(r, err.message);
			report_add(r, INVALID, "sig-malformed", t->path, "%s: %s", t->path, err.message);
			continue;
		}
		s->legacy = sig.alg == DOSSIER_SIG_LEGACY;
		s->trusted_comment = report_str(r, sig.trusted_comment);
		const cJSON *who = signatory(r->meta, keyid);
		if (who != NULL) {
			const cJSON *g = cJSON_GetObjectItemCaseSensitive(who, "group");
			s->signer_name = report_str(r, cJSON_GetObjectItemCaseSensitive(who, "name")->valuestring);
			s->signer_group = report_str(r, g ? g->valuestring : "");
		}
		if (strcmp(sig.keyid, keyid) != 0) {
			s->reason = report_printf(r, "file is named for key %s but the signature is by %s", keyid, sig.keyid);
			report_add(r, INVALID, "sig-malformed", t->path, "%s: %s", t->path, s->reason);
			continue;
		}
		const char *source = "";
		const struct dossier_pubkey *key = dossier_keyset_find(keys, sig.keynum, &source);
		if (key == NULL) {
			s->status = DOSSIER_SIG_UNKNOWN_KEY;
			s->reason = report_printf(r, "no trusted public key with id %s", keyid);
			report_add(r, UNTRUSTED, "sig-unknown-key", t->path,
			    "%s: signed by unknown key %s%s%s; pass its public key with -p or add it to the keyring",
			    t->path, keyid, who ? " claimed by " : "", s->signer_name);
			continue;
		}
		s->key_source = report_str(r, source);
		if (s->signer_name[0] == '\0') {
			char name[256];
			dossier_pubkey_name(key, name, sizeof name);
			s->signer_name = report_str(r, name);
		}
		if (msg == NULL) {
			s->reason = "no tagmanifest-sha256.txt to check against";
			report_add(r, INVALID, "sig-forged", t->path, "%s: %s", t->path, s->reason);
			continue;
		}
		if (dossier_sig_verify(&sig, key, msg, len, &err) != DOSSIER_OK) {
			s->reason = report_str(r, err.message);
			report_add(r, INVALID, "sig-forged", t->path, "%s: %s", t->path, err.message);
			continue;
		}
		const char *why = check_comment(sig.trusted_comment, id, keyid);
		if (why != NULL) {
			s->reason = why;
			report_add(r, INVALID, "sig-comment", t->path, "%s: %s", t->path, why);
			continue;
		}
		s->status = DOSSIER_SIG_VALID;
		valid++;
	}
	if (nsig == 0)
		report_add(r, UNTRUSTED, "no-signature", "signatures/",
		    "bundle is not signed; sign it with 'dossier sign' or attach a signature");
	else if (valid == 0)
		report_add(r, UNTRUSTED, "no-trusted-signer", "signatures/", "no signature by a trusted key");
}

static void notice_unchecked(struct dossier_report *r, const struct dossier_bundle *b)
{
	int ts = 0, hist = 0;
	for (size_t i = 0; i < b->ntags; i++) {
		const char *p = b->tags[i].path;
		if (strcmp(p, "fetch.txt") == 0)
			report_add(r, INVALID, "fetch-txt", p, "fetch.txt: bundles must be complete offline; fetch.txt is refused");
		ts |= strncmp(p, "timestamps/", 11) == 0;
		hist |= strncmp(p, "history/", 8) == 0;
	}
	if (ts)
		report_add(r, NOTICE, "timestamps-unchecked", "timestamps/",
		    "timestamps/: RFC 3161 tokens are present but this version does not check them");
	if (hist)
		report_add(r, NOTICE, "history-unchecked", "history/",
		    "history/: earlier versions are covered by the tag manifest but not walked by this version");
}

enum dossier_status dossier_bundle_verify(const struct dossier_bundle *b,
    const struct dossier_keyset *keys, struct dossier_report **out, struct dossier_error *err)
{
	struct dossier_report *r = calloc(1, sizeof *r);
	*out = NULL;
	if (r == NULL || (r->bundle_name = utf8_sanitize(b->name ? b->name : "")) == NULL) {
		free(r);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	for (size_t i = 0; i < b->nproblems; i++)
		report_add(r, b->problems[i].kind, b->problems[i].code, b->problems[i].entry, "%s",
		    b->problems[i].message);
	for (size_t i = 0; i < sizeof required_tags / sizeof *required_tags; i++)
		if (bundle_tag(b, required_tags[i]) == NULL)
			report_add(r, INVALID, "tag-missing", required_tags[i], "%s: missing from the bundle",
			    required_tags[i]);
	const struct tag_entry *t;
	if ((t = bundle_tag(b, "bagit.txt")) != NULL)
		check_bagit_txt(r, t);
	if ((t = bundle_tag(b, "bag-info.txt")) != NULL)
		check_oxum(r, t, b);
	check_dossier_json(r, b);
	check_tags(r, b);
	check_payload(r, b);
	check_signatures(r, b, keys);
	notice_unchecked(r, b);
	if (r->oom) {
		dossier_report_free(r);
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	*out = r;
	return DOSSIER_OK;
}

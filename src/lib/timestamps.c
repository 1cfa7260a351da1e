/* timestamps.c - RFC 3161 tokens in a bundle: adding them (dossier timestamp) and
   checking them (verify).
   A token over SHA-256(tagmanifest-sha256.txt) proves the content existed at genTime.
   It does not prove when the signatures were made, which is what revocation and expiry
   need; so when a bundle already carries signatures, the token is taken over
   timestamps/<n>.txt instead: a sha256sum manifest naming tagmanifest-sha256.txt and
   every signature and earlier token, which `sha256sum -c` checks and
   `openssl ts -verify -data timestamps/<n>.txt` verifies with stock tools. */
#include <openssl/crypto.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "trust.h"
#include "tsa.h"

#define INVALID DOSSIER_FINDING_INVALID
#define NOTICE DOSSIER_FINDING_NOTICE

/* "<n>.tsr" or "<n>.txt" with n a decimal number without leading zeros: n, else 0. */
static long token_number(const char *path, const char **ext)
{
	const char *name = path + strlen("timestamps/");
	size_t digits = strspn(name, "0123456789");
	if (digits == 0 || digits > 6 || name[0] == '0')
		return 0;
	*ext = name + digits;
	if (strcmp(*ext, ".tsr") != 0 && strcmp(*ext, ".txt") != 0)
		return 0;
	return strtol(name, NULL, 10);
}

static void proven(struct dossier_report *r, const char *path, int64_t at)
{
	struct proof *n = array_grow(r->proofs, r->nproofs, &r->capproofs, sizeof *n);
	if (n == NULL) {
		r->oom = 1;
		return;
	}
	r->proofs = n;
	n[r->nproofs].path = report_str(r, path);
	n[r->nproofs++].at = at;
}

/* timestamps/<n>.txt: names this tagmanifest, and every other file it lists is present
   with the same bytes. NULL if so, else the reason. */
static const char *check_stamped_manifest(struct dossier_report *r, const struct dossier_bundle *b,
    const struct tag_entry *txt, const uint8_t tm_digest[32], struct manifest *m)
{
	struct dossier_error err;
	if (manifest_parse(txt->path, txt->content.data, txt->content.len, m, &err) != DOSSIER_OK)
		return report_str(r, err.message);
	const struct manifest_line *tm = manifest_find(m, "tagmanifest-sha256.txt");
	if (tm == NULL || sodium_memcmp(tm->digest, tm_digest, 32) != 0)
		return report_printf(r, "%s: names another tagmanifest-sha256.txt (a token of another bundle or version)",
		    txt->path);
	for (size_t i = 0; i < m->count; i++) {
		const char *p = m->lines[i].path;
		const struct tag_entry *t = bundle_tag(b, p);
		if (strcmp(p, "tagmanifest-sha256.txt") == 0)
			continue;
		if (strncmp(p, "signatures/", 11) != 0 && strncmp(p, "timestamps/", 11) != 0)
			return report_printf(r, "%s: lists '%s'; only signatures and timestamps are stamped this way", txt->path, p);
		if (t == NULL || sodium_memcmp(t->digest, m->lines[i].digest, 32) != 0)
			return report_printf(r, "%s: %s is %s since it was timestamped", txt->path, p, t ? "changed" : "missing");
	}
	return NULL;
}

static void check_token(struct dossier_report *r, const struct dossier_bundle *b, const struct dossier_trust *trust,
    const struct tag_entry *t, long n, const uint8_t tm_digest[32])
{
	struct dossier_timestamp_info *info = &r->ts[r->nts++];
	struct ts_token tok;
	struct dossier_error err;
	struct manifest m = { 0 };
	char txtpath[64], why[512];
	uint8_t want[32];
	const char *bad;
	enum dossier_status kind;
	info->entry = report_str(r, t->path);
	info->gen_time = info->tsa = info->reason = info->covers = "";
	if (ts_parse(t->path, (const uint8_t *)t->content.data, t->content.len, &tok, &err) != DOSSIER_OK) {
		info->reason = report_str(r, err.message);
		report_add(r, INVALID, "timestamp-malformed", t->path, "%s", err.message);
		return;
	}
	info->gen_time = report_str(r, tok.gen_time_s);
	info->tsa = report_str(r, tok.tsa);
	snprintf(txtpath, sizeof txtpath, "timestamps/%ld.txt", n);
	const struct tag_entry *txt = bundle_tag(b, txtpath);
	if (txt != NULL) {
		memcpy(want, txt->digest, 32);
		if (sodium_memcmp(tok.imprint, want, 32) != 0)
			bad = report_printf(r, "%s: the token is over other bytes than %s", t->path, txtpath);
		else
			bad = check_stamped_manifest(r, b, txt, tm_digest, &m);
	} else {
		memcpy(want, tm_digest, 32);
		bad = sodium_memcmp(tok.imprint, want, 32) != 0
		    ? report_printf(r, "%s: the token is over another imprint, not this bundle's tagmanifest-sha256.txt "
		                       "(a token of another bundle or version)", t->path)
		    : NULL;
	}
	if (bad != NULL) {
		info->reason = bad;
		report_add(r, INVALID, "timestamp-imprint", t->path, "%s", bad);
		manifest_release(&m);
		return;
	}
	size_t nsig = 0;
	for (size_t i = 0; i < m.count; i++)
		nsig += strncmp(m.lines[i].path, "signatures/", 11) == 0 && has_suffix(m.lines[i].path, ".minisig", 0) &&
		    !has_suffix(m.lines[i].path, ".card.json.minisig", 0);
	info->covers = txt ? report_printf(r, "tagmanifest-sha256.txt and %zu signature%s", nsig, nsig == 1 ? "" : "s")
	                   : "tagmanifest-sha256.txt";
	const char *const *cas = NULL;
	size_t nca = trust ? dossier_trust_tsa_files(trust, &cas) : 0;
	bad = ts_verify((const uint8_t *)t->content.data, t->content.len, want, NULL, cas, nca, tok.gen_time, why,
	    sizeof why, &kind);
	if (bad != NULL) {
		info->reason = report_str(r, bad);
		if (kind == DOSSIER_INVALID)
			report_add(r, INVALID, "timestamp-forged", t->path, "%s: %s", t->path, bad);
		else
			report_add(r, NOTICE, "timestamp-untrusted", t->path, "%s: not counted: %s", t->path, bad);
		manifest_release(&m);
		return;
	}
	info->trusted = 1;
	for (size_t i = 0; i < m.count; i++)
		proven(r, m.lines[i].path, tok.gen_time);
	manifest_release(&m);
}

void check_timestamps(struct dossier_report *r, const struct dossier_bundle *b, const struct dossier_trust *trust)
{
	size_t len, ntsr = 0;
	const char *msg = dossier_bundle_tagmanifest(b, &len);
	uint8_t tm_digest[32];
	for (size_t i = 0; i < b->ntags; i++)
		ntsr += strncmp(b->tags[i].path, "timestamps/", 11) == 0;
	if (ntsr == 0)
		return;
	if ((r->ts = calloc(ntsr, sizeof *r->ts)) == NULL) {
		r->oom = 1;
		return;
	}
	if (msg != NULL)
		sha256_buf(msg, len, tm_digest);
	for (size_t i = 0; i < b->ntags; i++) {
		const struct tag_entry *t = &b->tags[i];
		const char *ext;
		char other[64];
		if (strncmp(t->path, "timestamps/", 11) != 0)
			continue;
		long n = token_number(t->path, &ext);
		if (n == 0) {
			report_add(r, INVALID, "timestamp-malformed", t->path,
			    "%s: unexpected file in timestamps/ (expected <n>.tsr and its <n>.txt)", t->path);
			continue;
		}
		snprintf(other, sizeof other, "timestamps/%ld.tsr", n);
		if (strcmp(ext, ".txt") == 0 && bundle_tag(b, other) == NULL)
			report_add(r, INVALID, "timestamp-malformed", t->path, "%s: no %s beside it", t->path, other);
		else if (strcmp(ext, ".tsr") == 0 && msg != NULL)
			check_token(r, b, trust, t, n, tm_digest);
	}
}

int64_t report_proven_time(const struct dossier_report *r, const char *path)
{
	int64_t best = INT64_MIN;
	for (size_t i = 0; i < r->nproofs; i++)
		if (strcmp(r->proofs[i].path, path) == 0 && (best == INT64_MIN || r->proofs[i].at < best))
			best = r->proofs[i].at;
	return best;
}

/* ---- adding tokens ---- */

static int by_added_path(const void *a, const void *b)
{
	return strcmp(((const struct added_file *)a)->path, ((const struct added_file *)b)->path);
}

/* The next free token number: one past the largest in the bundle. */
static long next_number(const struct dossier_bundle *b)
{
	long max = 0;
	for (size_t i = 0; i < b->ntags; i++) {
		const char *ext;
		long n = strncmp(b->tags[i].path, "timestamps/", 11) == 0 ? token_number(b->tags[i].path, &ext) : 0;
		max = n > max ? n : max;
	}
	return max + 1;
}

/* What this stamp covers: the tagmanifest alone, or (with signatures present) the
   manifest of the tagmanifest, signatures and earlier tokens. */
static enum dossier_status stamped_bytes(const struct dossier_bundle *b, struct buf *txt, uint8_t digest[32],
    struct dossier_error *err)
{
	size_t len;
	const char *msg = dossier_bundle_tagmanifest(b, &len);
	uint8_t d[32];
	int signed_already = 0;
	for (size_t i = 0; i < b->ntags; i++)
		signed_already |= strncmp(b->tags[i].path, "signatures/", 11) == 0;
	sha256_buf(msg, len, digest);
	if (!signed_already)
		return DOSSIER_OK;
	if (manifest_append(txt, "tagmanifest-sha256.txt", digest) != 0)
		return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	for (size_t i = 0; i < b->ntags; i++) {
		const struct tag_entry *t = &b->tags[i];
		if ((strncmp(t->path, "signatures/", 11) == 0 || strncmp(t->path, "timestamps/", 11) == 0) &&
		    manifest_append(txt, t->path, t->digest) != 0)
			return dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
	}
	sha256_buf(txt->data, txt->len, d);
	memcpy(digest, d, 32);
	return DOSSIER_OK;
}

static enum dossier_status check_answer(const char *what, const struct buf *der, const uint8_t want[32],
    const uint64_t *nonce, const struct dossier_trust *trust, struct dossier_stamp *out, struct dossier_error *err)
{
	struct ts_token tok;
	char why[512];
	enum dossier_status kind;
	const char *const *cas = NULL;
	size_t nca = trust ? dossier_trust_tsa_files(trust, &cas) : 0;
	enum dossier_status st = ts_parse(what, (const uint8_t *)der->data, der->len, &tok, err);
	if (st != DOSSIER_OK)
		return st;
	if (sodium_memcmp(tok.imprint, want, 32) != 0)
		return dossier_fail(err, DOSSIER_INVALID, "%s: the token is over another imprint, not this bundle", what);
	const char *bad = ts_verify((const uint8_t *)der->data, der->len, want, nonce, cas, nca, tok.gen_time, why,
	    sizeof why, &kind);
	/* a chain that ends nowhere trusted is fixed by trusting its CA; nothing else is */
	int chain = bad != NULL && kind == DOSSIER_UNTRUSTED && (nca == 0 || strstr(bad, "Verify error") != NULL);
	if (bad != NULL)
		return dossier_fail(err, kind, "%s: %s%s", what, bad,
		    chain ? "; if you trust this TSA, add its CA certificate with 'dossier keyring add CA.pem' or --tsa-ca" : "");
	snprintf(out->gen_time, sizeof out->gen_time, "%s", tok.gen_time_s);
	snprintf(out->tsa, sizeof out->tsa, "%s", tok.tsa);
	return DOSSIER_OK;
}

enum dossier_status dossier_bundle_timestamp(const char *path, const struct dossier_timestamp_options *opt,
    struct dossier_stamp *out, struct dossier_error *err)
{
	struct dossier_bundle *b = NULL;
	struct buf txt = { 0 }, *answers = NULL;
	struct added_file *add = NULL;
	char id[64];
	uint8_t stamp_digest[32], tm_digest[32];
	size_t nadd = 0, total = opt->ntsa_urls + opt->ntokens;
	int lock;
	if (total == 0)
		return dossier_fail(err, DOSSIER_USAGE, "nothing to add: give --tsa URL or --token FILE");
	enum dossier_status st = bundle_lock(path, &lock, err);
	if (st != DOSSIER_OK)
		return st;
	if ((st = bundle_open_intact(path, "timestamp", &b, id, err)) != DOSSIER_OK) {
		bundle_unlock(lock);
		return st;
	}
	size_t tmlen;
	const char *tm = dossier_bundle_tagmanifest(b, &tmlen);
	sha256_buf(tm, tmlen, tm_digest);
	answers = calloc(total, sizeof *answers);
	add = calloc(2 * total, sizeof *add);
	/* path strings live in out[i].entry; .txt paths beside them */
	char (*txtpaths)[32] = calloc(total, sizeof *txtpaths);
	if (answers == NULL || add == NULL || txtpaths == NULL) {
		st = dossier_fail(err, DOSSIER_SOFTWARE, "out of memory");
		goto out;
	}
	if ((st = stamped_bytes(b, &txt, stamp_digest, err)) != DOSSIER_OK)
		goto out;
	int n = (int)next_number(b);
	if (n + (long)total > 999999) {
		st = dossier_fail(err, DOSSIER_USAGE, "%s: timestamps/ is full (numbers stop at 999999)", path);
		goto out;
	}
	for (size_t i = 0; i < total && st == DOSSIER_OK; i++, n++) {
		snprintf(out[i].entry, sizeof out[i].entry, "timestamps/%d.tsr", n);
		if (i < opt->ntsa_urls) {
			/* one TSA at a time, each answer checked before the next is asked */
			const char *url = opt->tsa_urls[i];
			uint8_t *der = NULL;
			size_t len = 0;
			uint64_t nonce;
			st = ts_request(stamp_digest, &der, &len, &nonce, err);
			if (st == DOSSIER_OK)
				st = http_post_tsq(url, der, len, opt->timeout > 0 ? opt->timeout : 30, &answers[i], err);
			OPENSSL_free(der);
			if (st == DOSSIER_OK)
				st = check_answer(url, &answers[i], stamp_digest, &nonce, opt->trust, &out[i], err);
			if (st == DOSSIER_OK && txt.len > 0) {
				snprintf(txtpaths[i], sizeof txtpaths[i], "timestamps/%d.txt", n);
				add[nadd++] = (struct added_file){ txtpaths[i], txt.data, txt.len };
			}
		} else {
			/* a token obtained elsewhere, e.g. openssl ts -query -data tagmanifest-sha256.txt */
			const char *file = opt->tokens[i - opt->ntsa_urls];
			st = read_small_file(file, 1u << 20, &answers[i], err);
			if (st == DOSSIER_OK)
				st = check_answer(file, &answers[i], tm_digest, NULL, opt->trust, &out[i], err);
		}
		if (st == DOSSIER_OK)
			add[nadd++] = (struct added_file){ out[i].entry, answers[i].data, answers[i].len };
	}
	if (st == DOSSIER_OK) {
		qsort(add, nadd, sizeof *add, by_added_path);
		st = bundle_rewrite(path, b, add, nadd, err);
	}
out:
	for (size_t i = 0; answers != NULL && i < total; i++)
		buf_release(&answers[i]);
	free(answers);
	free(add);
	free(txtpaths);
	buf_release(&txt);
	dossier_bundle_free(b);
	bundle_unlock(lock);
	return st;
}

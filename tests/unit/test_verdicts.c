/* test_verdicts.c - the trust decisions of verify, one behaviour per test, through the
   library at fixed verification times: a directly trusted key, key cards and their dates,
   revocations with and without a proven signing time, claimed times from the future,
   the policy's thresholds, every named signatory, one person and one key counted once.
   Each test gets a fresh bag directory (packed from a small spec, then extracted) and
   writes signatures and cards into its signatures/ itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "testutil.h"

#include "report.h"
#include "trust.h"

/* 2025-01-01T00:00:00Z and friends */
#define T2024 1704067200
#define T2025 1735689600
#define T2026 1767225600
#define T2027 1798761600
#define DAY 86400

struct key {
	struct dossier_pubkey pub;
	struct dossier_seckey *sec;
};

struct fx {
	char dir[64];
	char bag[128]; /* dir/mini: the bag directory verified */
	char id[64];   /* its dossier.json id */
	struct key ann, ann2, bo, auth;
	struct dossier_trust *trust;
	struct dossier_report *r;
};

static void must(enum dossier_status st, const struct dossier_error *err)
{
	if (st != DOSSIER_OK)
		fail_msg("%s", err->message);
}

static void make_key(struct fx *f, struct key *k, const char *file, const char *name)
{
	struct dossier_error err;
	char base[128], path[160], keyid[17];
	snprintf(base, sizeof base, "%s/%s", f->dir, file);
	must(dossier_keygen(base, name, NULL, 0, keyid, &err), &err);
	snprintf(path, sizeof path, "%s.pub", base);
	must(dossier_pubkey_load(path, &k->pub, &err), &err);
	/* the name the receiver gives a directly trusted key (keyring add --name); a key
	   file's own comment names nobody */
	snprintf(k->pub.name, sizeof k->pub.name, "%s", name);
	snprintf(path, sizeof path, "%s.key", base);
	must(dossier_seckey_load(path, &k->sec, &err), &err);
	must(dossier_seckey_unlock(k->sec, NULL, &err), &err);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = calloc(1, 1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, fp);
	fclose(fp);
	return buf;
}

/* "Ann Example" and "Bo Example" sign the letter; pack binds both key ids. */
static void pack_bag(struct fx *f)
{
	struct dossier_error err;
	char path[160], spec[160], tar[160];
	snprintf(path, sizeof path, "%s/letter.txt", f->dir);
	write_file(path, "Dear Sir,\n", 10);
	snprintf(spec, sizeof spec, "%s/spec.json", f->dir);
	const char *text = "{\"spec_version\": 1, \"name\": \"mini\", \"title\": \"Mini\", \"kind\": \"open-letter\","
	                   " \"date\": \"2020-10-16\", \"from\": [{\"name\": \"Ann Example\"}, {\"name\": \"Bo Example\"}],"
	                   " \"to\": [{\"name\": \"Cy Example\"}], \"files\": [{\"source\": \"letter.txt\", \"role\": \"letter\"}]}\n";
	write_file(spec, text, strlen(text));
	struct dossier_keyset *ks = dossier_keyset_new();
	must(dossier_keyset_add(ks, &f->ann.pub, "ann.pub", &err), &err);
	must(dossier_keyset_add(ks, &f->bo.pub, "bo.pub", &err), &err);
	snprintf(tar, sizeof tar, "%s/mini.tar", f->dir);
	struct dossier_pack_options po = { .output = tar, .epoch = 1602806400, .signers = ks };
	must(dossier_pack(spec, &po, &err), &err);
	dossier_keyset_free(ks);
	struct dossier_extract_options eo = { .allow_untrusted = 1 };
	snprintf(path, sizeof path, "%s/out", f->dir);
	must(dossier_bundle_extract(tar, path, &eo, NULL, &err), &err);
	snprintf(f->bag, sizeof f->bag, "%s/out/mini", f->dir);
	snprintf(path, sizeof path, "%s/signatures", f->bag);
	mkdir(path, 0755);
	size_t len;
	snprintf(path, sizeof path, "%s/dossier.json", f->bag);
	char *json = slurp(path, &len), *at = strstr(json, "\"id\":");
	assert_non_null(at);
	sscanf(strchr(at, ':') + 1, " \"%36[^\"]\"", f->id);
	free(json);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/dossier-test-verdicts-XXXXXX");
	if (f == NULL || mkdtemp(f->dir) == NULL)
		return -1;
	make_key(f, &f->ann, "ann", "Ann Example");
	make_key(f, &f->ann2, "ann2", "Ann Example");
	make_key(f, &f->bo, "bo", "Bo Example");
	make_key(f, &f->auth, "auth", "Authority");
	pack_bag(f);
	f->trust = dossier_trust_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	dossier_report_free(f->r);
	dossier_trust_free(f->trust);
	dossier_seckey_free(f->ann.sec);
	dossier_seckey_free(f->ann2.sec);
	dossier_seckey_free(f->bo.sec);
	dossier_seckey_free(f->auth.sec);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* Writes signatures/<keyid>.minisig: k's signature over the tag manifest with this
   trusted comment, filed under keyid (another key id than k's when asked to). */
static void sign_comment(struct fx *f, const struct key *k, const char *keyid, const char *comment)
{
	struct dossier_error err;
	char path[192], *sig = NULL;
	size_t len;
	snprintf(path, sizeof path, "%s/tagmanifest-sha256.txt", f->bag);
	char *msg = slurp(path, &len);
	must(dossier_sig_create(k->sec, msg, len, comment, &sig, &err), &err);
	free(msg);
	if (strcmp(keyid, k->pub.keyid) != 0) { /* the key number is not signed: refile it */
		char *line = strchr(sig, '\n') + 1, *end = strchr(line, '\n');
		uint8_t raw[74], keynum[8];
		size_t n;
		assert_int_equal(sodium_base642bin(raw, sizeof raw, line, (size_t)(end - line), NULL, &n, NULL,
		                     sodium_base64_VARIANT_ORIGINAL), 0);
		assert_int_equal(keyid_parse(keyid, keynum), 0);
		memcpy(raw + 2, keynum, 8);
		sodium_bin2base64(line, (size_t)(end - line) + 1, raw, sizeof raw, sodium_base64_VARIANT_ORIGINAL);
		*end = '\n';
	}
	snprintf(path, sizeof path, "%s/signatures/%s.minisig", f->bag, keyid);
	write_file(path, sig, strlen(sig));
	free(sig);
}

/* k signs, claiming time at (RFC 3339) in the dossier-v1 comment. */
static void sign_at(struct fx *f, const struct key *k, const char *at)
{
	char comment[256];
	snprintf(comment, sizeof comment, "dossier-v1 bundle:%s signer:%s time:%s", f->id, k->pub.keyid, at);
	sign_comment(f, k, k->pub.keyid, comment);
}

/* signatures/<KEYID>.card.json for `whose` key, named name, by the authority. */
static void card(struct fx *f, const struct key *whose, const char *filed_as, const char *name, int64_t from,
    int64_t until)
{
	struct dossier_error err;
	char path[192];
	struct dossier_card_request req = { .name = name, .affiliation = "EP", .role = "signatory", .issued = from,
		.valid_from = from, .valid_until = until };
	snprintf(path, sizeof path, "%s/signatures/%s.card.json", f->bag, filed_as);
	must(dossier_certify(&whose->pub, f->auth.sec, &req, path, 1, &err), &err);
}

static void trust_authority(struct fx *f)
{
	struct dossier_error err;
	must(dossier_trust_add_authority(f->trust, &f->auth.pub, "auth.pub", &err), &err);
}

static void trust_direct(struct fx *f, const struct dossier_pubkey *k)
{
	struct dossier_error err;
	must(dossier_trust_add_signer(f->trust, k, "direct.pub", &err), &err);
}

static void use_policy(struct fx *f, const char *json)
{
	struct dossier_error err;
	must(policy_parse("p.json", json, strlen(json), &f->trust->policy, &err), &err);
}

static void revoke_key(struct fx *f, const char *keyid, int64_t at)
{
	struct dossier_revocation rev = { .at = at };
	memcpy(rev.keyid, keyid, 17);
	memcpy(rev.authority, f->auth.pub.keyid, 17);
	format_rfc3339(at, rev.revoked_at);
	assert_int_equal(trust_add_revocation(f->trust, &rev, "key lost", "rev.json"), DOSSIER_OK);
}

/* Verifies the bag at time at; proven (or NO_PROOF) is what a trusted timestamp would
   prove of signatures/<proof_keyid>.minisig, given to the signature checks directly. */
#define NO_PROOF INT64_MIN
static const struct dossier_report *verify_proven(struct fx *f, int64_t at, const char *proof_keyid, int64_t proven)
{
	struct dossier_error err;
	struct dossier_bundle *b;
	must(dossier_bundle_open(f->bag, &b, &err), &err);
	if (proven == NO_PROOF) {
		const struct dossier_verify_options o = { .trust = f->trust, .at = at };
		must(dossier_bundle_verify_with(b, &o, &f->r, &err), &err);
	} else {
		f->r = calloc(1, sizeof *f->r);
		f->r->at = at;
		f->r->proofs = calloc(1, sizeof *f->r->proofs);
		f->r->proofs[0].path = report_printf(f->r, "signatures/%s.minisig", proof_keyid);
		f->r->proofs[0].at = proven;
		f->r->nproofs = f->r->capproofs = 1;
		check_signatures(f->r, b, f->trust);
	}
	dossier_bundle_free(b);
	return f->r;
}

static const struct dossier_report *verify_at(struct fx *f, int64_t at)
{
	return verify_proven(f, at, NULL, NO_PROOF);
}

static const struct dossier_sig_info *sig0(const struct dossier_report *r)
{
	const struct dossier_sig_info *s;
	assert_true(dossier_report_signatures(r, &s) >= 1);
	return s;
}

static void assert_untrusted(const struct dossier_report *r, const char *why)
{
	assert_int_equal(sig0(r)->status, DOSSIER_SIG_UNTRUSTED);
	assert_contains(sig0(r)->reason, why);
}

/* The first policy row not met, or NULL. */
static const char *unmet(const struct dossier_report *r)
{
	const struct dossier_policy_check *c;
	size_t n = dossier_report_policy(r, &c);
	for (size_t i = 0; i < n; i++)
		if (!c[i].met)
			return c[i].detail;
	return NULL;
}

static void direct_key(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	const struct dossier_sig_info *s = sig0(verify_at(f, T2025 + DAY));
	assert_int_equal(s->status, DOSSIER_SIG_VALID);
	assert_string_equal(s->trust, "keyring");
	assert_string_equal(s->identity, "Ann Example");
}

static void unknown_key(void **state)
{
	struct fx *f = *state;
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_int_equal(sig0(verify_at(f, T2025 + DAY))->status, DOSSIER_SIG_UNKNOWN_KEY);
}

static void card_valid(void **state)
{
	struct fx *f = *state;
	trust_authority(f);
	card(f, &f->ann, f->ann.pub.keyid, "Ann Example", T2024, T2027);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	const struct dossier_sig_info *s = sig0(verify_at(f, T2025 + DAY));
	assert_int_equal(s->status, DOSSIER_SIG_VALID);
	assert_string_equal(s->trust, "card");
	assert_string_equal(s->identity, "Ann Example");
}

static void card_expired(void **state)
{
	struct fx *f = *state;
	trust_authority(f);
	card(f, &f->ann, f->ann.pub.keyid, "Ann Example", T2024, T2026);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_untrusted(verify_at(f, T2027), "expired on");
}

static void card_not_yet_valid(void **state)
{
	struct fx *f = *state;
	trust_authority(f);
	card(f, &f->ann, f->ann.pub.keyid, "Ann Example", T2026, T2027);
	sign_at(f, &f->ann, "2026-01-01T00:00:00Z");
	assert_untrusted(verify_at(f, T2026 - DAY), "not valid before");
}

static void card_of_another_key(void **state)
{
	struct fx *f = *state;
	trust_authority(f);
	card(f, &f->bo, f->ann.pub.keyid, "Bo Example", T2024, T2027); /* Bo's card filed as Ann's */
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	const struct dossier_report *r = verify_at(f, T2025 + DAY);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_INVALID);
	assert_int_not_equal(sig0(r)->status, DOSSIER_SIG_VALID);
}

static void revoked_before_signing(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	revoke_key(f, f->ann.pub.keyid, T2024);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_untrusted(verify_at(f, T2025 + DAY), "the signature says it was made at");
}

static void revoked_after_signing_unproven(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	revoke_key(f, f->ann.pub.keyid, T2026);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_untrusted(verify_at(f, T2027), "no trusted timestamp proves");
}

static void revoked_after_signing_proven(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	revoke_key(f, f->ann.pub.keyid, T2026);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_int_equal(sig0(verify_proven(f, T2027, f->ann.pub.keyid, T2025 + DAY))->status, DOSSIER_SIG_VALID);
}

static void revoked_before_proven_time(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	revoke_key(f, f->ann.pub.keyid, T2025);
	sign_comment(f, &f->ann, f->ann.pub.keyid, "no time claimed");
	assert_untrusted(verify_proven(f, T2027, f->ann.pub.keyid, T2026), "before the trusted timestamp");
}

static void revoked_after_verification_time(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	revoke_key(f, f->ann.pub.keyid, T2026);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_int_equal(sig0(verify_at(f, T2025 + DAY))->status, DOSSIER_SIG_VALID);
}

static void proof_after_verification_time_ignored(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	revoke_key(f, f->ann.pub.keyid, T2025 + 2 * DAY);
	sign_comment(f, &f->ann, f->ann.pub.keyid, "no time claimed");
	/* a token of 2026 did not exist at 2025-01-05: it proves nothing then */
	assert_untrusted(verify_proven(f, T2025 + 4 * DAY, f->ann.pub.keyid, T2026), "no trusted timestamp proves");
}

static void claimed_time_within_skew(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_int_equal(sig0(verify_at(f, T2025 - 9 * 60))->status, DOSSIER_SIG_VALID);
}

static void claimed_time_in_future(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_untrusted(verify_at(f, T2025 - 11 * 60), "later than the verification time");
}

static void future_claim_fails_max_age(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	use_policy(f, "{\"dossier_policy\":1,\"all_signatories\":false,\"max_age_days\":30}");
	sign_at(f, &f->ann, "2099-01-01T00:00:00Z");
	const struct dossier_report *r = verify_at(f, T2025);
	assert_int_equal(sig0(r)->status, DOSSIER_SIG_UNTRUSTED);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_UNTRUSTED);
}

static void every_signatory_by_default(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	const struct dossier_report *r = verify_at(f, T2025 + DAY);
	const struct dossier_signatory_info *p;
	assert_int_equal(dossier_report_signatories(r, &p), 2);
	assert_true(p[0].has_signed);
	assert_false(p[1].has_signed);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_UNTRUSTED);
	assert_string_equal(unmet(r), "1 of 2 named signatories did not sign: Bo Example");
}

static void every_signatory_signed(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	trust_direct(f, &f->bo.pub);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	sign_at(f, &f->bo, "2025-01-01T00:00:00Z");
	assert_int_equal(dossier_report_verdict(verify_at(f, T2025 + DAY)), DOSSIER_OK);
}

static void threshold_met(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	use_policy(f, "{\"dossier_policy\":1,\"thresholds\":[{\"at_least\":1,\"of\":[\"Ann Example\",\"Bo Example\"]}]}");
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	assert_int_equal(dossier_report_verdict(verify_at(f, T2025 + DAY)), DOSSIER_OK);
}

static void threshold_missed(void **state)
{
	struct fx *f = *state;
	trust_direct(f, &f->ann.pub);
	use_policy(f, "{\"dossier_policy\":1,\"thresholds\":[{\"at_least\":2,\"of\":[\"Ann Example\",\"Bo Example\"]}]}");
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	const struct dossier_report *r = verify_at(f, T2025 + DAY);
	assert_int_equal(dossier_report_verdict(r), DOSSIER_UNTRUSTED);
	assert_contains(unmet(r), "1 distinct signer counted");
}

static void person_counted_once(void **state)
{
	struct fx *f = *state;
	trust_authority(f);
	use_policy(f, "{\"dossier_policy\":1,\"min_signers\":2}");
	card(f, &f->ann, f->ann.pub.keyid, "Ann Example", T2024, T2027);
	card(f, &f->ann2, f->ann2.pub.keyid, "Ann Example", T2024, T2027);
	sign_at(f, &f->ann, "2025-01-01T00:00:00Z");
	sign_at(f, &f->ann2, "2025-01-01T00:00:00Z");
	const struct dossier_report *r = verify_at(f, T2025 + DAY);
	const struct dossier_sig_info *s;
	assert_int_equal(dossier_report_signatures(r, &s), 2);
	assert_true(s[0].status == DOSSIER_SIG_VALID && s[1].status == DOSSIER_SIG_VALID);
	assert_string_equal(s[1].same_person_as, s[0].keyid);
	assert_contains(unmet(r), "1 counted");
}

static void key_counted_once(void **state)
{
	struct fx *f = *state;
	struct dossier_pubkey one = f->ann.pub, other = f->ann.pub;
	other.comment[0] = '\0'; /* "Ann Example" and unnamed: only the key bytes tell they are one */
	other.keynum[0] ^= 0x5A;
	keyid_format(other.keynum, other.keyid);
	trust_direct(f, &one);
	trust_direct(f, &other);
	use_policy(f, "{\"dossier_policy\":1,\"min_signers\":2}");
	sign_comment(f, &f->ann, one.keyid, "timestamp:1735689600");
	sign_comment(f, &f->ann, other.keyid, "timestamp:1735689600");
	const struct dossier_report *r = verify_at(f, T2025 + DAY);
	const struct dossier_sig_info *s;
	assert_int_equal(dossier_report_signatures(r, &s), 2);
	assert_true(s[0].status == DOSSIER_SIG_VALID && s[1].status == DOSSIER_SIG_VALID);
	assert_string_equal(s[1].same_key_as, s[0].keyid);
	assert_contains(unmet(r), "1 counted");
}

int main(void)
{
	if (dossier_init() != 0)
		return 1;
	setenv("TZ", "UTC", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(direct_key, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_key, setup, teardown),
		cmocka_unit_test_setup_teardown(card_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(card_expired, setup, teardown),
		cmocka_unit_test_setup_teardown(card_not_yet_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(card_of_another_key, setup, teardown),
		cmocka_unit_test_setup_teardown(revoked_before_signing, setup, teardown),
		cmocka_unit_test_setup_teardown(revoked_after_signing_unproven, setup, teardown),
		cmocka_unit_test_setup_teardown(revoked_after_signing_proven, setup, teardown),
		cmocka_unit_test_setup_teardown(revoked_before_proven_time, setup, teardown),
		cmocka_unit_test_setup_teardown(revoked_after_verification_time, setup, teardown),
		cmocka_unit_test_setup_teardown(proof_after_verification_time_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(claimed_time_within_skew, setup, teardown),
		cmocka_unit_test_setup_teardown(claimed_time_in_future, setup, teardown),
		cmocka_unit_test_setup_teardown(future_claim_fails_max_age, setup, teardown),
		cmocka_unit_test_setup_teardown(every_signatory_by_default, setup, teardown),
		cmocka_unit_test_setup_teardown(every_signatory_signed, setup, teardown),
		cmocka_unit_test_setup_teardown(threshold_met, setup, teardown),
		cmocka_unit_test_setup_teardown(threshold_missed, setup, teardown),
		cmocka_unit_test_setup_teardown(person_counted_once, setup, teardown),
		cmocka_unit_test_setup_teardown(key_counted_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_trust.c - key cards, revocation lists and policies: the exact forms they must have,
   and how policy members match signers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "trust.h"

#define VEC_PUB_B64 "RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk"

/* A card for the minisign test vector key (273BD680E55BB29D), in canonical form. */
static const char card[] =
	"{\"affiliation\":\"European Parliament\",\"authority\":\"F442216EAC04CB63\",\"dossier_card\":1,"
	"\"issued\":\"2026-01-01T00:00:00Z\",\"keyid\":\"273BD680E55BB29D\",\"name\":\"Helmut Scholz\","
	"\"public_key\":\"" VEC_PUB_B64 "\",\"role\":\"signatory\",\"valid_from\":\"2020-01-01T00:00:00Z\","
	"\"valid_until\":\"2030-12-31T23:59:59Z\"}\n";

static void card_bad(const char *text, const char *reason)
{
	struct dossier_card c;
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(dossier_card_parse("k.card.json", text, strlen(text), &c, &err), DOSSIER_INVALID);
	assert_contains(err.message, "k.card.json: ");
	assert_contains(err.message, reason);
}

/* card with the first occurrence of from replaced by to */
static char *card_with(const char *from, const char *to)
{
	const char *at = strstr(card, from);
	assert_non_null(at);
	char *out = malloc(sizeof card + strlen(to));
	assert_non_null(out);
	sprintf(out, "%.*s%s%s", (int)(at - card), card, to, at + strlen(from));
	return out;
}

static void card_parses(void **state)
{
	(void)state;
	struct dossier_card c;
	struct dossier_error err;
	assert_int_equal(dossier_card_parse("k.card.json", card, strlen(card), &c, &err), DOSSIER_OK);
	assert_string_equal(c.keyid, "273BD680E55BB29D");
	assert_string_equal(c.key.keyid, "273BD680E55BB29D");
	assert_string_equal(c.authority, "F442216EAC04CB63");
	assert_string_equal(c.name, "Helmut Scholz");
	assert_string_equal(c.email, "");
	assert_true(c.not_before == 1577836800);
	assert_true(c.not_after == 1924991999);
	char *again = card_render(&c);
	assert_string_equal(again, card);
	free(again);
}

static void card_must_be_canonical(void **state)
{
	(void)state;
	char *t;
	card_bad((t = card_with("\"name\":", "\"name\": ")), "not in canonical form");
	free(t);
	card_bad((t = card_with("}\n", "}")), "not in canonical form");
	free(t);
	card_bad((t = card_with("}\n", "}\n\n")), "not in canonical form");
	free(t);
	card_bad((t = card_with("\"Helmut Scholz\"", "\"Helmut\\u0020Scholz\"")), "not in canonical form");
	free(t);
	/* the same fields in another order */
	const char *swapped = "{\"authority\":\"F442216EAC04CB63\",\"affiliation\":\"European Parliament\",\"dossier_card\":1,"
	                      "\"issued\":\"2026-01-01T00:00:00Z\",\"keyid\":\"273BD680E55BB29D\",\"name\":\"Helmut Scholz\","
	                      "\"public_key\":\"" VEC_PUB_B64 "\",\"role\":\"signatory\",\"valid_from\":\"2020-01-01T00:00:00Z\","
	                      "\"valid_until\":\"2030-12-31T23:59:59Z\"}\n";
	card_bad(swapped, "not in canonical form");
}

static void card_rejects_bad_fields(void **state)
{
	(void)state;
	char *t;
	card_bad((t = card_with("\"keyid\":\"273BD680E55BB29D\"", "\"keyid\":\"F442216EAC04CB63\"")),
	    "the card says key F442216EAC04CB63 but its public key has id 273BD680E55BB29D");
	free(t);
	card_bad((t = card_with("\"dossier_card\":1", "\"dossier_card\":2")), "unsupported version (dossier_card must be 1)");
	free(t);
	card_bad((t = card_with("\"valid_from\":\"2020-01-01T00:00:00Z\"", "\"valid_from\":\"2031-01-01T00:00:00Z\"")),
	    "valid_until is before valid_from");
	free(t);
	card_bad((t = card_with("\"role\":", "\"rank\":\"x\",\"role\":")), "unknown field \"rank\"");
	free(t);
	card_bad((t = card_with("\"name\":\"Helmut Scholz\",", "")), "missing required field \"name\"");
	free(t);
	card_bad((t = card_with("2030-12-31T23:59:59Z", "2030-12-31")), "\"valid_until\": not an RFC 3339 UTC time");
	free(t);
	card_bad((t = card_with(VEC_PUB_B64, "RWSdslvlgNY7Jw==")), "\"public_key\"");
	free(t);
	card_bad("[]\n", "not a JSON object");
}

static enum dossier_status revocations(const char *text, struct dossier_error *err)
{
	struct revocation_list l;
	enum dossier_status st = revocation_parse("r.json", text, strlen(text), &l, err);
	if (st == DOSSIER_OK) {
		assert_int_equal(l.count, 2);
		assert_string_equal(l.items[0].keyid, "273BD680E55BB29D");
		assert_string_equal(l.items[0].reason, "key lost");
		assert_string_equal(l.items[1].reason, "");
		assert_true(l.items[1].at == 1609459200);
		revocation_release(&l);
	}
	return st;
}

static void revocation_lists(void **state)
{
	(void)state;
	struct dossier_error err;
	const char *good = "{\"authority\":\"F442216EAC04CB63\",\"dossier_revocations\":1,\"issued\":\"2026-01-01T00:00:00Z\","
	                   "\"revoked\":[{\"keyid\":\"273BD680E55BB29D\",\"reason\":\"key lost\",\"revoked_at\":\"2021-01-01T00:00:00Z\"},"
	                   "{\"keyid\":\"F442216EAC04CB63\",\"revoked_at\":\"2021-01-01T00:00:00Z\"}]}\n";
	assert_int_equal(revocations(good, &err), DOSSIER_OK);
	const char *unsorted = "{\"authority\":\"F442216EAC04CB63\",\"dossier_revocations\":1,\"issued\":\"2026-01-01T00:00:00Z\","
	                       "\"revoked\":[{\"keyid\":\"F442216EAC04CB63\",\"revoked_at\":\"2021-01-01T00:00:00Z\"},"
	                       "{\"keyid\":\"273BD680E55BB29D\",\"revoked_at\":\"2021-01-01T00:00:00Z\"}]}\n";
	assert_int_equal(revocations(unsorted, &err), DOSSIER_INVALID);
	assert_contains(err.message, "key 273BD680E55BB29D is out of order or listed twice");
	const char *twice = "{\"authority\":\"F442216EAC04CB63\",\"dossier_revocations\":1,\"issued\":\"2026-01-01T00:00:00Z\","
	                    "\"revoked\":[{\"keyid\":\"273BD680E55BB29D\",\"revoked_at\":\"2021-01-01T00:00:00Z\"},"
	                    "{\"keyid\":\"273BD680E55BB29D\",\"revoked_at\":\"2022-01-01T00:00:00Z\"}]}\n";
	assert_int_equal(revocations(twice, &err), DOSSIER_INVALID);
	assert_contains(err.message, "listed twice");
	const char *lowercase = "{\"authority\":\"f442216eac04cb63\",\"dossier_revocations\":1,\"issued\":\"2026-01-01T00:00:00Z\","
	                        "\"revoked\":[]}\n";
	assert_int_equal(revocations(lowercase, &err), DOSSIER_INVALID);
	assert_contains(err.message, "not a key id");
}

static enum dossier_status policy(const char *text, struct policy *p, struct dossier_error *err)
{
	policy_default(p);
	return policy_parse("p.json", text, strlen(text), p, err);
}

static void policies(void **state)
{
	(void)state;
	struct policy p;
	struct dossier_error err;
	assert_int_equal(policy("{\"dossier_policy\":1,\"min_signers\":2,\"required\":[\"Helmut Scholz\"],"
	                        "\"thresholds\":[{\"at_least\":2,\"of\":[\"A\",\"B\",\"273BD680E55BB29D\"]}],"
	                        "\"require_timestamp\":true,\"max_age_days\":30}",
	                     &p, &err),
	    DOSSIER_OK);
	assert_int_equal(p.min_signers, 2);
	assert_int_equal(p.all_trusted, 1);
	assert_int_equal(p.min_timestamps, 1);
	assert_int_equal(p.nrules, 6);
	assert_string_equal(p.rules[3], "at least 2 of 3: A, B, 273BD680E55BB29D");
	policy_release(&p);

	static const struct {
		const char *text, *reason;
	} bad[] = {
		{ "{\"dossier_policy\":2}", "unsupported version" },
		{ "{\"min_signers\":1}", "missing required field \"dossier_policy\"" },
		{ "{\"dossier_policy\":1,\"min_signers\":-1}", "\"min_signers\" must be an integer >= 0" },
		{ "{\"dossier_policy\":1,\"all_signatures_trusted\":1}", "must be true or false" },
		{ "{\"dossier_policy\":1,\"required\":[\"\"]}", "must not be empty" },
		{ "{\"dossier_policy\":1,\"required\":\"Helmut\"}", "must be an array of strings" },
		{ "{\"dossier_policy\":1,\"thresholds\":[{\"at_least\":3,\"of\":[\"a\",\"A\",\"b\"]}]}", "a set of 2 distinct signers" },
		{ "{\"dossier_policy\":1,\"thresholds\":[{\"at_least\":0,\"of\":[\"a\"]}]}", "\"at_least\" must be an integer >= 1" },
		{ "{\"dossier_policy\":1,\"require_timestamp\":true,\"min_timestamps\":0}", "min_timestamps is 0" },
		{ "{\"dossier_policy\":1,\"max_age_days\":0}", "\"max_age_days\" must be an integer >= 1" },
		{ "{\"dossier_policy\":1,\"allow_everything\":true}", "unknown field" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(policy(bad[i].text, &p, &err), DOSSIER_INVALID);
		assert_contains(err.message, bad[i].reason);
		/* a policy that does not parse leaves the one in force unchanged */
		assert_null(p.source);
		assert_int_equal(p.min_signers, 1);
		assert_int_equal(p.all_trusted, 1);
		policy_release(&p);
	}
}

static void member_matching(void **state)
{
	(void)state;
	assert_true(policy_member_matches("273BD680E55BB29D", "273BD680E55BB29D", ""));
	assert_false(policy_member_matches("273BD680E55BB29D", "F442216EAC04CB63", "273BD680E55BB29D"));
	assert_true(policy_member_matches("HELMUT SCHOLZ", "F442216EAC04CB63", "Helmut Scholz"));
	/* NFD in the policy, NFC in the card: one name */
	assert_true(policy_member_matches("Jordi Sole\xcc\x81", "F442216EAC04CB63", "Jordi Sol\xc3\xa9"));
	assert_true(policy_member_matches("Niklas NIENASS", "F442216EAC04CB63", "Niklas Nienaß"));
	assert_false(policy_member_matches("Helmut Scholz", "F442216EAC04CB63", ""));
	assert_false(policy_member_matches("Helmut Scholz", "F442216EAC04CB63", "Helmut Geuking"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(card_parses),
		cmocka_unit_test(card_must_be_canonical),
		cmocka_unit_test(card_rejects_bad_fields),
		cmocka_unit_test(revocation_lists),
		cmocka_unit_test(policies),
		cmocka_unit_test(member_matching),
	};
	dossier_init();
	return cmocka_run_group_tests_name("trust", tests, NULL, NULL);
}

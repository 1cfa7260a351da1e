/* test_checks.c - findings summed up per check: which code fails which check, and when a
   check is indeterminate rather than passed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "report.h"

static struct dossier_report *report_new(void)
{
	struct dossier_report *r = calloc(1, sizeof *r);
	assert_non_null(r);
	return r;
}

/* "code=verdict ..." of every check, in order, for a short comparison */
static char *summary(const struct dossier_report *r)
{
	cJSON *arr = report_checks_json(r), *c;
	static char line[1024];
	line[0] = '\0';
	assert_int_equal(cJSON_GetArraySize(arr), 9);
	cJSON_ArrayForEach(c, arr) {
		strcat(line, cJSON_GetObjectItem(c, "code")->valuestring);
		strcat(line, "=");
		strcat(line, cJSON_GetObjectItem(c, "verdict")->valuestring);
		strcat(line, " ");
	}
	cJSON_Delete(arr);
	return line;
}

/* the detail of one check */
static void assert_detail(const struct dossier_report *r, const char *code, const char *want)
{
	cJSON *arr = report_checks_json(r), *c;
	int found = 0;
	cJSON_ArrayForEach(c, arr)
		if (strcmp(cJSON_GetObjectItem(c, "code")->valuestring, code) == 0) {
			assert_contains(cJSON_GetObjectItem(c, "detail")->valuestring, want);
			found = 1;
		}
	cJSON_Delete(arr);
	assert_true(found);
}

static void nothing_examined(void **state)
{
	(void)state;
	struct dossier_report *r = report_new();
	assert_string_equal(summary(r), "structure=passed payload=passed tags=passed metadata=passed "
	                                "signatures=indeterminate trust=indeterminate policy=indeterminate "
	                                "timestamps=indeterminate history=indeterminate ");
	dossier_report_free(r);
}

static void each_code_fails_its_check(void **state)
{
	(void)state;
	struct dossier_report *r = report_new();
	report_add(r, DOSSIER_FINDING_INVALID, "oxum-mismatch", "bag-info.txt", "bag-info.txt: oxum");
	report_add(r, DOSSIER_FINDING_INVALID, "payload-mismatch", "data/a", "data/a: sha256 mismatch");
	report_add(r, DOSSIER_FINDING_INVALID, "payload-extra", "data/b", "data/b: extra");
	report_add(r, DOSSIER_FINDING_INVALID, "tag-missing", "keys/X.card.json", "keys/X.card.json: listed but missing");
	report_add(r, DOSSIER_FINDING_INVALID, "dossier-json", "dossier.json", "dossier.json: bad");
	report_add(r, DOSSIER_FINDING_INVALID, "timestamp-forged", "timestamps/1.tsr", "timestamps/1.tsr: forged");
	assert_string_equal(summary(r), "structure=failed payload=failed tags=failed metadata=failed "
	                                "signatures=indeterminate trust=indeterminate policy=indeterminate "
	                                "timestamps=failed history=indeterminate ");
	assert_detail(r, "payload", "data/a: sha256 mismatch (and 1 more)");
	assert_detail(r, "tags", "keys/X.card.json: listed but missing");
	dossier_report_free(r);
}

static void required_tag_missing_is_structure(void **state)
{
	(void)state;
	struct dossier_report *r = report_new();
	report_add(r, DOSSIER_FINDING_INVALID, "tag-missing", "manifest-sha256.txt", "manifest-sha256.txt: missing");
	assert_string_equal(summary(r), "structure=failed payload=indeterminate tags=passed metadata=passed "
	                                "signatures=indeterminate trust=indeterminate policy=indeterminate "
	                                "timestamps=indeterminate history=indeterminate ");
	dossier_report_free(r);
}

static void history_and_unknown_codes(void **state)
{
	(void)state;
	struct dossier_report *r = report_new();
	/* a forged signature of an earlier version is history's failure, not signatures' */
	report_add(r, DOSSIER_FINDING_INVALID, "sig-forged", "history/", "history/1/signatures/X.minisig: forged");
	/* a code this version does not know still fails a check */
	report_add(r, DOSSIER_FINDING_INVALID, "some-new-code", "data/x", "data/x: new problem");
	/* notices fail nothing */
	report_add(r, DOSSIER_FINDING_NOTICE, "timestamp-untrusted", "timestamps/1.tsr", "timestamps/1.tsr: not counted");
	assert_string_equal(summary(r), "structure=failed payload=passed tags=passed metadata=passed "
	                                "signatures=indeterminate trust=indeterminate policy=indeterminate "
	                                "timestamps=indeterminate history=failed ");
	dossier_report_free(r);
}

static void unsigned_bundle_fails_policy(void **state)
{
	(void)state;
	struct dossier_report *r = report_new();
	report_add(r, DOSSIER_FINDING_UNTRUSTED, "no-signature", "signatures/", "bundle is not signed");
	assert_string_equal(summary(r), "structure=passed payload=passed tags=passed metadata=passed "
	                                "signatures=indeterminate trust=indeterminate policy=failed "
	                                "timestamps=indeterminate history=indeterminate ");
	dossier_report_free(r);
}

/* a WARC record that fails, or a redacted copy that lies, is about the payload's bytes */
static void snapshot_and_redaction_codes_are_payload(void **state)
{
	(void)state;
	const char *codes[] = { "snapshot-digest", "snapshot-malformed", "snapshot-url", "redaction-malformed",
		"redaction-present", "redaction-mismatch", "redaction-not-redactable", "disclosed-mismatch" };
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		struct dossier_report *r = report_new();
		report_add(r, DOSSIER_FINDING_INVALID, codes[i], "data/x", "data/x: %s", codes[i]);
		assert_string_equal(summary(r), "structure=passed payload=failed tags=passed metadata=passed "
		                                "signatures=indeterminate trust=indeterminate policy=indeterminate "
		                                "timestamps=indeterminate history=indeterminate ");
		assert_detail(r, "payload", codes[i]);
		dossier_report_free(r);
	}
}

/* Past DOSSIER_FINDINGS_KEPT only the first of each code, severity and scope is kept; the
   rest are counted, and the verdict and the checks count them too. */
static void findings_past_the_cap_are_counted(void **state)
{
	(void)state;
	struct dossier_report *r = report_new();
	for (int i = 0; i < DOSSIER_FINDINGS_KEPT + 500; i++)
		report_add(r, DOSSIER_FINDING_INVALID, "payload-missing", "data/x", "data/x%d: missing", i);
	report_add(r, DOSSIER_FINDING_UNTRUSTED, "sig-unknown-key", "signatures/A.minisig", "first unknown");
	report_add(r, DOSSIER_FINDING_UNTRUSTED, "sig-unknown-key", "signatures/B.minisig", "second unknown");
	report_add(r, DOSSIER_FINDING_INVALID, "sig-forged", "history/", "history/1/forged");
	report_add(r, DOSSIER_FINDING_INVALID, "sig-forged", "history/", "history/1/forged again");
	const struct dossier_finding *f;
	assert_int_equal(dossier_report_findings(r, &f), DOSSIER_FINDINGS_KEPT + 2);
	assert_string_equal(f[DOSSIER_FINDINGS_KEPT].message, "first unknown");
	assert_string_equal(f[DOSSIER_FINDINGS_KEPT + 1].message, "history/1/forged");
	assert_int_equal(dossier_report_omitted_count(r, 0), 502);
	assert_int_equal(dossier_report_omitted_count(r, DOSSIER_FINDING_UNTRUSTED), 1);
	const struct dossier_omitted *o;
	assert_int_equal(dossier_report_omitted(r, &o), 3);
	assert_int_equal(o[2].history, 1);
	assert_int_equal(report_worst(r), DOSSIER_INVALID);
	assert_detail(r, "payload", "(and 1499 more)");
	assert_detail(r, "history", "history/1/forged (and 1 more)");
	assert_detail(r, "trust", "first unknown (and 1 more)");
	dossier_report_free(r);
}

/* A policy that allows unknown keys makes the counted findings notices as well. */
static void relaxed_findings_include_the_counted(void **state)
{
	(void)state;
	struct dossier_report *r = report_new();
	for (int i = 0; i < DOSSIER_FINDINGS_KEPT + 10; i++)
		report_add(r, DOSSIER_FINDING_UNTRUSTED, "sig-unknown-key", "signatures/", "unknown %d", i);
	report_omit(r, DOSSIER_FINDING_NOTICE, "sig-unknown-key", 0, 5);
	assert_int_equal(report_worst(r), DOSSIER_UNTRUSTED);
	report_relax(r, "sig-unknown-key");
	assert_int_equal(report_worst(r), DOSSIER_OK);
	const struct dossier_omitted *o;
	assert_int_equal(dossier_report_omitted(r, &o), 1);
	assert_int_equal(o[0].kind, DOSSIER_FINDING_NOTICE);
	assert_int_equal(o[0].count, 15);
	assert_string_equal(summary(r), "structure=passed payload=passed tags=passed metadata=passed "
	                                "signatures=indeterminate trust=indeterminate policy=indeterminate "
	                                "timestamps=indeterminate history=indeterminate ");
	dossier_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_examined),
		cmocka_unit_test(each_code_fails_its_check),
		cmocka_unit_test(required_tag_missing_is_structure),
		cmocka_unit_test(history_and_unknown_codes),
		cmocka_unit_test(unsigned_bundle_fails_policy),
		cmocka_unit_test(snapshot_and_redaction_codes_are_payload),
		cmocka_unit_test(findings_past_the_cap_are_counted),
		cmocka_unit_test(relaxed_findings_include_the_counted),
	};
	dossier_init();
	return cmocka_run_group_tests_name("checks", tests, NULL, NULL);
}

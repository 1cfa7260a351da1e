/* test_strset.c - the string set that catches duplicate and case-colliding bag entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dossier.h"
#include "strset.h"

static void empty_set_has_nothing(void **state)
{
	struct strset s = { 0 };
	(void)state;
	assert_null(strset_get(&s, "data/x"));
	assert_null(strset_get(&s, ""));
	strset_release(&s); /* releasing an unused set is fine */
	assert_int_equal(s.count, 0);
}

static void put_then_get(void **state)
{
	struct strset s = { 0 };
	char key[32], value[32];
	(void)state;
	strcpy(key, "data/annex/cases.csv");
	strcpy(value, "Data/Annex/Cases.csv");
	assert_int_equal(strset_put(&s, key, value), 0);
	/* the set keeps copies, not the caller's buffers */
	memset(key, 'x', sizeof key - 1);
	memset(value, 'y', sizeof value - 1);
	assert_string_equal(strset_get(&s, "data/annex/cases.csv"), "Data/Annex/Cases.csv");
	assert_null(strset_get(&s, "data/annex/cases.cs"));
	assert_null(strset_get(&s, "data/annex/cases.csv2"));
	assert_int_equal(s.count, 1);
	strset_release(&s);
}

static void duplicate_keeps_first_value(void **state)
{
	struct strset s = { 0 };
	(void)state;
	assert_int_equal(strset_put(&s, "k", "first"), 0);
	assert_int_equal(strset_put(&s, "k", "second"), 1);
	assert_string_equal(strset_get(&s, "k"), "first");
	assert_int_equal(s.count, 1);
	strset_release(&s);
}

static void null_value_is_empty_string(void **state)
{
	struct strset s = { 0 };
	(void)state;
	assert_int_equal(strset_put(&s, "k", NULL), 0);
	const char *v = strset_get(&s, "k");
	assert_non_null(v);
	assert_string_equal(v, "");
	strset_release(&s);
}

static void keys_are_case_and_byte_exact(void **state)
{
	struct strset s = { 0 };
	(void)state;
	assert_int_equal(strset_put(&s, "README", "upper"), 0);
	assert_int_equal(strset_put(&s, "readme", "lower"), 0);
	assert_int_equal(strset_put(&s, "", "empty"), 0);
	assert_int_equal(strset_put(&s, "K\xc3\xb6ster", "utf8"), 0);
	assert_string_equal(strset_get(&s, "README"), "upper");
	assert_string_equal(strset_get(&s, "readme"), "lower");
	assert_string_equal(strset_get(&s, ""), "empty");
	assert_string_equal(strset_get(&s, "K\xc3\xb6ster"), "utf8");
	assert_null(strset_get(&s, "Koster"));
	assert_int_equal(s.count, 4);
	strset_release(&s);
}

static void grows_to_100000_keys(void **state)
{
	struct strset s = { 0 };
	char key[64], value[64];
	(void)state;
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "data/dir-%d/file-%d.txt", i % 97, i);
		snprintf(value, sizeof value, "v%d", i);
		if (strset_put(&s, key, value) != 0)
			fail_msg("put of key %d failed", i);
	}
	assert_int_equal(s.count, 100000);
	/* open addressing needs free slots: the table stays at most half full */
	assert_true(s.cap >= 2 * s.count);
	assert_int_equal(s.cap & (s.cap - 1), 0);
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof key, "data/dir-%d/file-%d.txt", i % 97, i);
		snprintf(value, sizeof value, "v%d", i);
		const char *got = strset_get(&s, key);
		if (got == NULL || strcmp(got, value) != 0)
			fail_msg("key %d: got %s, want %s", i, got ? got : "(none)", value);
	}
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "data/dir-%d/file-%d.txt", (i + 1) % 97, i);
		assert_null(strset_get(&s, key));
	}
	/* a second put of every key changes nothing */
	for (int i = 0; i < 100000; i += 7) {
		snprintf(key, sizeof key, "data/dir-%d/file-%d.txt", i % 97, i);
		assert_int_equal(strset_put(&s, key, "other"), 1);
	}
	assert_int_equal(s.count, 100000);
	strset_release(&s);
	assert_null(s.slots);
	assert_int_equal(s.cap, 0);
}

static void reusable_after_release(void **state)
{
	struct strset s = { 0 };
	(void)state;
	assert_int_equal(strset_put(&s, "a", "1"), 0);
	strset_release(&s);
	assert_null(strset_get(&s, "a"));
	assert_int_equal(strset_put(&s, "a", "2"), 0);
	assert_string_equal(strset_get(&s, "a"), "2");
	strset_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_set_has_nothing),
		cmocka_unit_test(put_then_get),
		cmocka_unit_test(duplicate_keeps_first_value),
		cmocka_unit_test(null_value_is_empty_string),
		cmocka_unit_test(keys_are_case_and_byte_exact),
		cmocka_unit_test(grows_to_100000_keys),
		cmocka_unit_test(reusable_after_release),
	};
	dossier_init();
	return cmocka_run_group_tests_name("strset", tests, NULL, NULL);
}

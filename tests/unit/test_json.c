/* test_json.c - strict JSON parsing (limits a hostile bundle needs) and the dossier.json rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "testutil.h"

#include "internal.h"


/* The smallest dossier.json the schema accepts. */
static const char minimal[] =
	"{\n"
	"  \"dossier_version\": 1,\n"
	"  \"id\": \"7efb18fe-826f-8c11-b378-98a9273fd886\",\n"
	"  \"title\": \"Open letter\",\n"
	"  \"kind\": \"open-letter\",\n"
	"  \"date\": \"2020-10-16\",\n"
	"  \"from\": [{ \"name\": \"Helmut Scholz\" }],\n"
	"  \"files\": [{\n"
	"    \"path\": \"data/letter/letter.txt\",\n"
	"    \"role\": \"letter\",\n"
	"    \"media_type\": \"text/plain; charset=utf-8\",\n"
	"    \"size\": 8741,\n"
	"    \"sha256\": \"cadd264d618f7495596e5d469391bc3554c5c6d781aa23d2eaeab7e40014d4f4\"\n"
	"  }],\n"
	"  \"created\": \"2020-10-16T00:00:00Z\"\n"
	"}\n";

static cJSON *parse_ok(const char *text)
{
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	cJSON *j = json_parse_strict("t.json", text, strlen(text), &err);
	if (j == NULL)
		fail_msg("refused valid JSON: %s", err.message);
	return j;
}

static void parse_bad(const char *text, size_t len, const char *reason)
{
	struct dossier_error err;
	memset(&err, 0, sizeof err);
	cJSON *j = json_parse_strict("t.json", text, len, &err);
	if (j != NULL) {
		cJSON_Delete(j);
		fail_msg("accepted bad JSON (want \"%s\"): %.200s", reason, text);
	}
	assert_int_equal(err.code, DOSSIER_INVALID);
	assert_contains(err.message, "t.json: ");
	assert_contains(err.message, reason);
}

#define PARSE_BAD(lit, reason) parse_bad((lit), sizeof(lit) - 1, (reason))

/* minimal, with one change applied by edit; the checker's verdict and message. */
static enum dossier_status check_edited(void (*edit)(cJSON *doc, const void *arg), const void *arg,
    struct dossier_error *err)
{
	cJSON *doc = parse_ok(minimal);
	if (edit != NULL)
		edit(doc, arg);
	memset(err, 0, sizeof *err);
	enum dossier_status st = dossier_json_check("dossier.json", doc, err);
	cJSON_Delete(doc);
	return st;
}

struct set_arg {
	const char *path[3]; /* "key" or "files", "0", "key" */
	const char *json;    /* the new value, as JSON text; NULL deletes */
};

static void set_field(cJSON *doc, const void *varg)
{
	const struct set_arg *a = varg;
	cJSON *obj = doc;
	size_t depth = 0;
	while (depth + 1 < 3 && a->path[depth + 1] != NULL) {
		const char *k = a->path[depth];
		obj = cJSON_IsArray(obj) ? cJSON_GetArrayItem(obj, atoi(k))
		                         : cJSON_GetObjectItemCaseSensitive(obj, k);
		assert_non_null(obj);
		depth++;
	}
	const char *key = a->path[depth];
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	if (a->json != NULL) {
		cJSON *v = cJSON_Parse(a->json);
		assert_non_null(v);
		cJSON_AddItemToObject(obj, key, v);
	}
}

/* Sets one field (or deletes it) and expects the checker to refuse with reason. */
static void expect_refused(const char *k1, const char *k2, const char *k3, const char *json,
    const char *reason)
{
	struct set_arg a = { { k1, k2, k3 }, json };
	struct dossier_error err;
	enum dossier_status st = check_edited(set_field, &a, &err);
	if (st != DOSSIER_INVALID)
		fail_msg("accepted %s%s%s%s%s = %s (want \"%s\")", k1, k2 ? "." : "", k2 ? k2 : "",
		    k3 ? "." : "", k3 ? k3 : "", json ? json : "(deleted)", reason);
	assert_contains(err.message, "dossier.json");
	assert_contains(err.message, reason);
}

static void expect_accepted(const char *k1, const char *k2, const char *k3, const char *json)
{
	struct set_arg a = { { k1, k2, k3 }, json };
	struct dossier_error err;
	if (check_edited(set_field, &a, &err) != DOSSIER_OK)
		fail_msg("refused %s = %s: %s", k1, json ? json : "(deleted)", err.message);
}

/* ---- json_parse_strict ---- */

static void accepts_ordinary_json(void **state)
{
	(void)state;
	cJSON *j = parse_ok("{\"a\": [1, 2.5, true, null, \"x\"], \"b\": {\"c\": \"caf\\u00e9\"}}\r\n\t ");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "b"), "c");
	assert_string_equal(c->valuestring, "caf\xc3\xa9");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "a")), 5);
	cJSON_Delete(j);
	j = parse_ok("[]");
	assert_true(cJSON_IsArray(j));
	cJSON_Delete(j);
	j = parse_ok(minimal);
	cJSON_Delete(j);
}

static void rejects_duplicate_keys(void **state)
{
	(void)state;
	PARSE_BAD("{\"a\": 1, \"a\": 2}", "duplicate key");
	PARSE_BAD("{\"a\": 1, \"b\": 2, \"c\": 3, \"b\": 4}", "duplicate key");
	PARSE_BAD("{\"x\": [{\"id\": 1, \"id\": 1}]}", "duplicate key");
	PARSE_BAD("{\"x\": {\"y\": {\"z\": 1, \"z\": 1}}}", "duplicate key");
	/* "\u0061" is "a": cJSON decodes escapes, so the duplicate is still seen */
	PARSE_BAD("{\"a\": 1, \"\\u0061\": 2}", "duplicate key");
}

static void same_key_in_sibling_objects_is_fine(void **state)
{
	(void)state;
	cJSON *j = parse_ok("{\"from\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"name\": \"c\"}");
	cJSON_Delete(j);
	/* keys differ by case: two keys */
	j = parse_ok("{\"Name\": 1, \"name\": 2}");
	cJSON_Delete(j);
}

static void rejects_trailing_data(void **state)
{
	(void)state;
	PARSE_BAD("{} x", "trailing data after the JSON value");
	PARSE_BAD("{}{}", "trailing data after the JSON value");
	PARSE_BAD("[1] ,", "trailing data after the JSON value");
	PARSE_BAD("{}\n\f", "trailing data after the JSON value");
}

static char *nested(int levels, const char *inner)
{
	char *s = malloc((size_t)levels * 2 + strlen(inner) + 1);
	char *p = s;
	assert_non_null(s);
	for (int i = 0; i < levels; i++)
		*p++ = '[';
	p += sprintf(p, "%s", inner);
	for (int i = 0; i < levels; i++)
		*p++ = ']';
	*p = '\0';
	return s;
}

static void depth_limit(void **state)
{
	(void)state;
	char *s = nested(LIMIT_JSON_DEPTH, "1");
	cJSON *j = parse_ok(s);
	cJSON_Delete(j);
	free(s);
	s = nested(LIMIT_JSON_DEPTH + 1, "1");
	parse_bad(s, strlen(s), "nested too deeply");
	free(s);
	s = nested(200, "");
	parse_bad(s, strlen(s), "nested too deeply");
	free(s);
	/* objects count like arrays */
	struct buf b = { 0 };
	for (int i = 0; i < LIMIT_JSON_DEPTH + 2; i++)
		assert_int_equal(buf_append(&b, "{\"k\":", 5), 0);
	assert_int_equal(buf_append(&b, "1", 1), 0);
	for (int i = 0; i < LIMIT_JSON_DEPTH + 2; i++)
		assert_int_equal(buf_append(&b, "}", 1), 0);
	parse_bad(b.data, b.len, "nested too deeply");
	buf_release(&b);
}

static void rejects_escaped_nul(void **state)
{
	(void)state;
	PARSE_BAD("{\"title\": \"a\\u0000b\"}", "string contains \\u0000");
	PARSE_BAD("{\"a\\u0000\": 1}", "string contains \\u0000");
	PARSE_BAD("[\"\\u0000\"]", "string contains \\u0000");
	/* an escaped backslash followed by the text u0000 is no NUL */
	cJSON *j = parse_ok("[\"\\\\u0000\"]");
	assert_string_equal(cJSON_GetArrayItem(j, 0)->valuestring, "\\u0000");
	cJSON_Delete(j);
	j = parse_ok("[\"\\u0001\"]");
	cJSON_Delete(j);
}

static void rejects_raw_nul(void **state)
{
	(void)state;
	PARSE_BAD("{\"a\": \"x\0y\"}", "contains a NUL byte");
	PARSE_BAD("{}\0", "contains a NUL byte");
}

static void size_limit(void **state)
{
	(void)state;
	/* ["xxxx...x"] of exactly LIMIT_TAGFILE bytes parses; one byte more does not */
	size_t n = LIMIT_TAGFILE;
	char *s = malloc(n + 2);
	assert_non_null(s);
	s[0] = '[';
	s[1] = '"';
	memset(s + 2, 'x', n - 4);
	s[n - 2] = '"';
	s[n - 1] = ']';
	s[n] = '\0';
	struct dossier_error err;
	cJSON *j = json_parse_strict("t.json", s, n, &err);
	if (j == NULL)
		fail_msg("refused %zu bytes: %s", n, err.message);
	cJSON_Delete(j);
	s[n] = ' ';
	s[n + 1] = '\0';
	parse_bad(s, n + 1, "JSON larger than 1048576 bytes");
	free(s);
}

static void rejects_malformed_json(void **state)
{
	(void)state;
	PARSE_BAD("", "not valid JSON");
	PARSE_BAD("   ", "not valid JSON");
	PARSE_BAD("{\"a\": }", "not valid JSON");
	PARSE_BAD("{\"a\": 1,}", "not valid JSON");
	PARSE_BAD("{'a': 1}", "not valid JSON");
	PARSE_BAD("[1, 2", "not valid JSON");
	PARSE_BAD("{\"a\": \"unterminated}", "not valid JSON");
}

/* ---- dossier_json_check ---- */

static void accepts_minimal_dossier_json(void **state)
{
	struct dossier_error err;
	(void)state;
	if (check_edited(NULL, NULL, &err) != DOSSIER_OK)
		fail_msg("minimal dossier.json refused: %s", err.message);
}

static void accepts_optional_fields(void **state)
{
	(void)state;
	expect_accepted("place", NULL, NULL, "\"Brussels\"");
	expect_accepted("language", NULL, NULL, "\"fr-BE\"");
	expect_accepted("to", NULL, NULL, "[{\"name\": \"H.E. X\", \"role\": \"President\"}]");
	expect_accepted("notes", NULL, NULL, "\"line one\\nline two\"");
	expect_accepted("references", NULL, NULL,
	    "[{\"footnote\": 1, \"url\": \"https://example.org/a\"}, {\"footnote\": 2, \"url\": \"http://example.org/b\"}]");
	expect_accepted("date", NULL, NULL, "\"2020-02-29\"");
	expect_accepted("supersedes", NULL, NULL,
	    "{\"id\": \"7efb18fe-826f-8c11-b378-98a9273fd886\", \"tagmanifest_sha256\": "
	    "\"cadd264d618f7495596e5d469391bc3554c5c6d781aa23d2eaeab7e40014d4f4\"}");
}

static void rejects_non_object(void **state)
{
	struct dossier_error err;
	(void)state;
	cJSON *doc = parse_ok("[1]");
	assert_int_equal(dossier_json_check("dossier.json", doc, &err), DOSSIER_INVALID);
	assert_string_equal(err.message, "dossier.json: must be a JSON object");
	cJSON_Delete(doc);
}

static void rejects_unknown_fields(void **state)
{
	(void)state;
	expect_refused("colour", NULL, NULL, "\"red\"", "unknown field \"colour\"");
	/* field names are case-sensitive */
	expect_refused("Title", NULL, NULL, "\"x\"", "unknown field \"Title\"");
	expect_refused("files", "0", "source", "\"../x\"", "files[0]: unknown field \"source\"");
	expect_refused("from", "0", "phone", "\"123\"", "from[0]: unknown field \"phone\"");
}

static void rejects_bad_uuid(void **state)
{
	(void)state;
	expect_refused("id", NULL, NULL, "\"7EFB18FE-826F-8C11-B378-98A9273FD886\"", "\"id\": not a lowercase UUID");
	expect_refused("id", NULL, NULL, "\"7efb18fe826f8c11b37898a9273fd886\"", "\"id\": not a UUID");
	expect_refused("id", NULL, NULL, "\"7efb18fe-826f-8c11-b378-98a9273fd88\"", "\"id\": not a UUID");
	expect_refused("id", NULL, NULL, "\"7efb18fe-826f-8c11-b378_98a9273fd886\"", "\"id\": not a lowercase UUID");
	expect_refused("id", NULL, NULL, "\"g efb18fe-826f-8c11-b378-98a9273fd88\"", "\"id\": not a");
	expect_refused("id", NULL, NULL, "42", "\"id\" must be a string");
}

static void rejects_bad_dates(void **state)
{
	(void)state;
	expect_refused("date", NULL, NULL, "\"2020-02-30\"", "\"date\": not a date YYYY-MM-DD");
	expect_refused("date", NULL, NULL, "\"2019-02-29\"", "\"date\": not a date");
	expect_refused("date", NULL, NULL, "\"2020-13-01\"", "\"date\": not a date");
	expect_refused("date", NULL, NULL, "\"2020-10-16T00:00:00Z\"", "\"date\": not a date");
	expect_refused("date", NULL, NULL, "\"16.10.2020\"", "\"date\": not a date");
	expect_refused("date", NULL, NULL, "\"2020-1-016\"", "\"date\": not a date");
	/* years 1000 to 9999 (manifests/schema/dossier.schema.json) */
	expect_refused("date", NULL, NULL, "\"0999-12-31\"", "\"date\": not a date");
	expect_accepted("date", NULL, NULL, "\"1000-01-01\"");
	expect_accepted("date", NULL, NULL, "\"9999-12-31\"");
	expect_refused("created", NULL, NULL, "\"2020-10-16 00:00:00Z\"", "\"created\": not an RFC 3339 UTC time");
	expect_refused("created", NULL, NULL, "\"2020-10-16T24:00:00Z\"", "\"created\": not an RFC 3339 UTC time");
	expect_refused("created", NULL, NULL, "\"2020-10-16T00:00:00+02:00\"", "\"created\": not an RFC 3339");
}

static void rejects_bad_sha256(void **state)
{
	(void)state;
	expect_refused("files", "0", "sha256",
	    "\"CADD264D618F7495596E5D469391BC3554C5C6D781AA23D2EAEAB7E40014D4F4\"",
	    "files[0]: \"sha256\": not 64 lowercase hex digits");
	expect_refused("files", "0", "sha256",
	    "\"cadd264d618f7495596e5d469391bc3554c5c6d781aa23d2eaeab7e40014d4f\"",
	    "\"sha256\": not 64 lowercase hex digits");
	expect_refused("files", "0", "sha256",
	    "\"cadd264d618f7495596e5d469391bc3554c5c6d781aa23d2eaeab7e40014d4f4 \"",
	    "\"sha256\": not 64 lowercase hex digits");
	expect_refused("files", "0", "sha256", "\"\"", "\"sha256\" must not be empty");
}

static void rejects_missing_required_fields(void **state)
{
	static const char *const top[] = { "dossier_version", "id", "title", "kind", "date", "from",
		"files", "created" };
	static const char *const file[] = { "path", "role", "media_type", "size", "sha256" };
	char want[64];
	(void)state;
	for (size_t i = 0; i < sizeof top / sizeof *top; i++) {
		snprintf(want, sizeof want, "missing required field \"%s\"", top[i]);
		expect_refused(top[i], NULL, NULL, NULL, want);
	}
	for (size_t i = 0; i < sizeof file / sizeof *file; i++) {
		snprintf(want, sizeof want, "files[0]: missing required field \"%s\"", file[i]);
		expect_refused("files", "0", file[i], NULL, want);
	}
	expect_refused("from", "0", "name", NULL, "from[0]: missing required field \"name\"");
}

static void rejects_bad_paths_in_files(void **state)
{
	(void)state;
	expect_refused("files", "0", "path", "\"letter.txt\"", "\"path\": not a path under data/");
	expect_refused("files", "0", "path", "\"data/../bagit.txt\"", "\"path\": '.' or '..' in path");
	expect_refused("files", "0", "path", "\"data//x\"", "\"path\": empty path component");
	expect_refused("files", "0", "role", "\"appendix\"", "\"role\": not one of letter, annex");
	expect_refused("files", "0", "media_type", "\"text\"", "\"media_type\": not a media type");
}

static void rejects_bad_numbers(void **state)
{
	(void)state;
	expect_refused("dossier_version", NULL, NULL, "2", "unsupported \"dossier_version\"");
	expect_refused("dossier_version", NULL, NULL, "0", "\"dossier_version\" must be an integer >= 1");
	expect_refused("dossier_version", NULL, NULL, "1.5", "\"dossier_version\" must be an integer");
	expect_refused("dossier_version", NULL, NULL, "\"1\"", "\"dossier_version\" must be an integer");
	expect_refused("files", "0", "size", "-1", "\"size\" must be an integer >= 0");
	expect_refused("files", "0", "size", "9007199254740992", "\"size\" must be an integer");
	/* far beyond any integer type: must be refused, not converted (undefined behaviour) */
	expect_refused("files", "0", "size", "1e300", "\"size\" must be an integer");
	expect_refused("files", "0", "size", "-1e300", "\"size\" must be an integer");
}

static void rejects_multiline_and_wrong_types(void **state)
{
	(void)state;
	expect_refused("title", NULL, NULL, "\"two\\nlines\"", "\"title\" must be one line");
	expect_refused("title", NULL, NULL, "\"\"", "\"title\" must not be empty");
	expect_refused("title", NULL, NULL, "[\"x\"]", "\"title\" must be a string");
	expect_refused("from", NULL, NULL, "{\"name\": \"x\"}", "\"from\" must be an array");
	expect_refused("from", NULL, NULL, "[\"Helmut Scholz\"]", "from[0] must be an object");
	expect_refused("kind", NULL, NULL, "\"Open Letter\"", "\"kind\": not a lowercase slug");
	expect_refused("language", NULL, NULL, "\"english language\"", "\"language\": not a language tag");
}

static void cross_checks(void **state)
{
	(void)state;
	expect_refused("from", NULL, NULL, "[]", "\"from\" needs at least one signatory");
	expect_refused("files", NULL, NULL, "[]", "\"files\" needs at least one file");
	expect_refused("from", NULL, NULL,
	    "[{\"name\": \"a\", \"keyid\": \"273BD680E55BB29D\"}, {\"name\": \"b\", \"keyid\": \"273BD680E55BB29D\"}]",
	    "key id 273BD680E55BB29D is given to two signatories");
	expect_refused("from", NULL, NULL, "[{\"name\": \"a\", \"keyid\": \"273bd680e55bb29d\"}]",
	    "\"keyid\": not a key id");
	expect_refused("references", NULL, NULL,
	    "[{\"footnote\": 3, \"url\": \"https://a.example\"}, {\"footnote\": 3, \"url\": \"https://b.example\"}]",
	    "footnote 3 is listed twice in \"references\"");
	expect_refused("references", NULL, NULL, "[{\"footnote\": 1, \"url\": \"ftp://a.example\"}]",
	    "\"url\": not an http(s) URL");
	expect_refused("files", "0", "role", "\"snapshot\"", "a snapshot file needs \"url\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_ordinary_json),
		cmocka_unit_test(rejects_duplicate_keys),
		cmocka_unit_test(same_key_in_sibling_objects_is_fine),
		cmocka_unit_test(rejects_trailing_data),
		cmocka_unit_test(depth_limit),
		cmocka_unit_test(rejects_escaped_nul),
		cmocka_unit_test(rejects_raw_nul),
		cmocka_unit_test(size_limit),
		cmocka_unit_test(rejects_malformed_json),
		cmocka_unit_test(accepts_minimal_dossier_json),
		cmocka_unit_test(accepts_optional_fields),
		cmocka_unit_test(rejects_non_object),
		cmocka_unit_test(rejects_unknown_fields),
		cmocka_unit_test(rejects_bad_uuid),
		cmocka_unit_test(rejects_bad_dates),
		cmocka_unit_test(rejects_bad_sha256),
		cmocka_unit_test(rejects_missing_required_fields),
		cmocka_unit_test(rejects_bad_paths_in_files),
		cmocka_unit_test(rejects_bad_numbers),
		cmocka_unit_test(rejects_multiline_and_wrong_types),
		cmocka_unit_test(cross_checks),
	};
	dossier_init();
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}

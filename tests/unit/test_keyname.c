/* test_keyname.c - the name a receiver gives a directly trusted key (keyring add --name,
   NAME.name.json beside the key): the only name such a key has, bound to its key id;
   the .pub's comment names nobody, and a comment naming another key id is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"

#include "trust.h"

#define VEC_KEYID "273BD680E55BB29D"
#define VEC_B64 "RWSdslvlgNY7J7A01bUflIXnvL0dUWb0JmBYF0z89slZryerW93W5ljk\n"
/* the comment a key handed over as Ana's would carry */
#define ANA_PUB "untrusted comment: dossier public key " VEC_KEYID " Ana Lopez\n" VEC_B64

static char *path_in(void **state, const char *name)
{
	static char buf[4][512];
	static int next;
	char *p = buf[next++ % 4];
	snprintf(p, sizeof buf[0], "%s/%s", (const char *)*state, name);
	return p;
}

static void put(void **state, const char *name, const char *text)
{
	write_file_mode(path_in(state, name), text, strlen(text), 0644);
}

/* Loads the keyring at dir: the signers' count, the first one's name, the
   number of fatal problems and the first problem's message. */
struct loaded {
	size_t signers, fatal;
	char name[DOSSIER_TEXT_MAX + 1];
	char problem[512];
};

static void load(const char *dir, struct loaded *out)
{
	struct dossier_trust *t = dossier_trust_new();
	struct dossier_error err;
	const struct dossier_trust_problem *p;
	memset(out, 0, sizeof *out);
	assert_non_null(t);
	assert_int_equal(dossier_trust_load_keyring(t, dir, &err), DOSSIER_OK);
	out->signers = dossier_keyset_count(dossier_trust_signers(t));
	if (out->signers > 0)
		dossier_pubkey_name(dossier_keyset_get(dossier_trust_signers(t), 0, NULL), out->name, sizeof out->name);
	size_t n = dossier_trust_problems(t, &p);
	for (size_t i = 0; i < n; i++)
		out->fatal += p[i].fatal;
	if (n > 0)
		snprintf(out->problem, sizeof out->problem, "%s", p[0].message);
	dossier_trust_free(t);
}

static void comment_names_nobody(void **state)
{
	struct loaded l;
	assert_int_equal(mkdir(path_in(state, "signers"), 0700), 0);
	put(state, "signers/ana.pub", ANA_PUB);
	load(*state, &l);
	assert_int_equal(l.signers, 1);
	assert_int_equal(l.fatal, 0);
	assert_string_equal(l.name, ""); /* known by its key id only */
}

static void name_file_names_the_key(void **state)
{
	struct loaded l;
	char *text = keyname_render(VEC_KEYID, "Ana Lopez");
	assert_non_null(text);
	assert_int_equal(mkdir(path_in(state, "signers"), 0700), 0);
	put(state, "signers/ana.pub", "untrusted comment: minisign public key " VEC_KEYID "\n" VEC_B64);
	put(state, "signers/ana.name.json", text);
	free(text);
	load(*state, &l);
	assert_int_equal(l.signers, 1);
	assert_string_equal(l.name, "Ana Lopez");
}

static void name_file_of_another_key_is_a_problem(void **state)
{
	struct loaded l;
	char *text = keyname_render("259280FF8E0873B8", "Ana Lopez");
	assert_non_null(text);
	put(state, "ana.pub", ANA_PUB); /* at the top level: a signer too */
	put(state, "ana.name.json", text);
	free(text);
	load(*state, &l);
	assert_int_equal(l.signers, 0);
	assert_int_equal(l.fatal, 1);
	assert_contains(l.problem, "ana.name.json: names key 259280FF8E0873B8, but the key beside it is " VEC_KEYID);
}

static void malformed_name_files_are_problems(void **state)
{
	static const char *const bad[] = {
		"{\"dossier_key_name\":1,\"keyid\":\"" VEC_KEYID "\"}\n",
		"{\"dossier_key_name\":2,\"keyid\":\"" VEC_KEYID "\",\"name\":\"Ana\"}\n",
		"{\"dossier_key_name\":1,\"keyid\":\"" VEC_KEYID "\",\"name\":\"Ana\",\"role\":\"x\"}\n",
		"{\"dossier_key_name\":1,\"keyid\":\"" VEC_KEYID "\",\"name\":\"Ana\\nLopez\"}\n",
		"{\"dossier_key_name\":1,\"keyid\":\"" VEC_KEYID "\",\"name\":\"\"}\n",
		"not json\n",
	};
	struct loaded l;
	put(state, "ana.pub", ANA_PUB);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		put(state, "ana.name.json", bad[i]);
		load(*state, &l);
		if (l.signers != 0 || l.fatal != 1)
			fail_msg("accepted name file %s", bad[i]);
		assert_contains(l.problem, "ana.name.json");
	}
}

static void comment_with_another_keyid_is_refused(void **state)
{
	struct loaded l;
	put(state, "ana.pub", "untrusted comment: dossier public key 259280FF8E0873B8 Ana Lopez\n" VEC_B64);
	load(*state, &l);
	assert_int_equal(l.signers, 0);
	assert_int_equal(l.fatal, 1);
	assert_contains(l.problem, "its comment names key id 259280FF8E0873B8");
}

static void keyring_add_records_the_name(void **state)
{
	struct dossier_keyring_added a;
	struct dossier_error err;
	struct loaded l;
	char *ring = strdup(path_in(state, "ring"));
	assert_non_null(ring);
	put(state, "ana.pub", ANA_PUB);
	assert_int_equal(dossier_keyring_add(ring, path_in(state, "ana.pub"), NULL, 0, 0, &a, &err), DOSSIER_OK);
	assert_true(a.is_key);
	assert_string_equal(a.key.keyid, VEC_KEYID);
	assert_string_equal(a.key.name, ""); /* not the comment's "Ana Lopez" */
	assert_int_equal(dossier_keyring_add(ring, path_in(state, "ana.pub"), "Ana Lopez", 0, 0, &a, &err), DOSSIER_OK);
	assert_false(a.already);
	assert_string_equal(a.key.name, "Ana Lopez");
	assert_int_equal(dossier_keyring_add(ring, path_in(state, "ana.pub"), NULL, 0, 0, &a, &err), DOSSIER_OK);
	assert_true(a.already);
	assert_string_equal(a.key.name, "Ana Lopez");
	assert_int_equal(dossier_keyring_add(ring, path_in(state, "ana.pub"), "Ana L.", 0, 0, &a, &err),
	    DOSSIER_CANTCREAT);
	assert_contains(err.message, "already trusted as \"Ana Lopez\"");
	assert_int_equal(dossier_keyring_add(ring, path_in(state, "ana.pub"), "A\tB", 0, 1, &a, &err), DOSSIER_USAGE);
	load(ring, &l);
	assert_int_equal(l.signers, 1);
	assert_string_equal(l.name, "Ana Lopez");
	free(ring);
}

#define T(f) cmocka_unit_test_setup_teardown(f, make_tmpdir, remove_tmpdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(comment_names_nobody),
		T(name_file_names_the_key),
		T(name_file_of_another_key_is_a_problem),
		T(malformed_name_files_are_problems),
		T(comment_with_another_keyid_is_refused),
		T(keyring_add_records_the_name),
	};
	if (dossier_init() != 0)
		return 1;
	return cmocka_run_group_tests_name("keyname", tests, NULL, NULL);
}

/* cmd_keyring.c - dossier keyring add|list|remove: the verifier's trusted keys,
   revocation lists, TSA certificates and policy. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int keyring_dir(const char *given, char *buf, size_t len, const char **dir)
{
	*dir = keyring_path(given, buf, len);
	if (*dir == NULL)
		return fail(64, "no keyring: pass -K DIR (neither XDG_CONFIG_HOME nor HOME is set)");
	return 0;
}

static void list_keys(const char *title, const struct dossier_keyset *set)
{
	printf("%s\n", title);
	if (dossier_keyset_count(set) == 0)
		printf("  none\n");
	for (size_t i = 0; i < dossier_keyset_count(set); i++) {
		const char *source;
		const struct dossier_pubkey *k = dossier_keyset_get(set, i, &source);
		printf("  %s  ", k->keyid);
		fputs_safe(stdout, k->name[0] ? k->name : "(no name: shown by its key id)");
		printf("  %s\n", source);
	}
}

static int list(const char *dir)
{
	struct dossier_trust *t = dossier_trust_new();
	struct dossier_error err;
	if (t == NULL)
		return fail(70, "out of memory");
	if (dossier_trust_load_keyring(t, dir, &err) != DOSSIER_OK) {
		dossier_trust_free(t);
		return report_error(&err);
	}
	printf("keyring %s\n\n", dir);
	list_keys("authorities (vouch for signers through key cards)", dossier_trust_authorities(t));
	list_keys("\nsigners (trusted directly)", dossier_trust_signers(t));
	const struct dossier_revocation *rev;
	size_t n = dossier_trust_revocations(t, &rev);
	printf("\nrevoked keys\n");
	if (n == 0)
		printf("  none\n");
	for (size_t i = 0; i < n; i++) {
		printf("  %s  since %s by authority %s: ", rev[i].keyid, rev[i].revoked_at, rev[i].authority);
		fputs_safe(stdout, rev[i].reason[0] ? rev[i].reason : "no reason given");
		printf("  %s\n", rev[i].source);
	}
	const char *const *tsa;
	n = dossier_trust_tsa_files(t, &tsa);
	printf("\ntimestamp authorities (TSA certificates)\n");
	if (n == 0)
		printf("  none\n");
	for (size_t i = 0; i < n; i++)
		printf("  %s\n", tsa[i]);
	const char *const *rules;
	n = dossier_trust_policy_rules(t, &rules);
	printf("\npolicy (%s)\n", dossier_trust_policy_source(t));
	for (size_t i = 0; i < n; i++) {
		fputs("  ", stdout);
		fputs_safe(stdout, rules[i]);
		fputc('\n', stdout);
	}
	const struct dossier_trust_problem *p;
	size_t np = dossier_trust_problems(t, &p), fatal = 0;
	for (size_t i = 0; i < np; i++) {
		fatal += p[i].fatal;
		if (p[i].fatal)
			print_problem(p[i].message);
		else
			note("dossier: notice: %s", p[i].message);
	}
	dossier_trust_free(t);
	if (fflush(stdout) != 0)
		return fail(74, "cannot write to stdout");
	return fatal ? 1 : 0;
}

/* What was added, and for a key the name it is trusted under, for the receiver to
   confirm; a name the key's comment suggests is only a hint. */
static void say_added(const char *arg, const struct dossier_keyring_added *a)
{
	if (!a->is_key) {
		note(a->already ? "%s: already in the keyring as %s" : "added %s as %s", arg, a->dest);
		return;
	}
	if (a->key.name[0])
		note("%s %s as %s: key %s, trusted as \"%s\"", a->already ? "already in the keyring:" : "added", arg,
		    a->dest, a->key.keyid, a->key.name);
	else
		note("%s %s as %s: key %s, with no name (reports show its key id; give one with --name)",
		    a->already ? "already in the keyring:" : "added", arg, a->dest, a->key.keyid);
	char claimed[256];
	dossier_pubkey_comment_name(&a->key, claimed, sizeof claimed);
	if (claimed[0] && a->key.name[0] == '\0')
		note("dossier: notice: the key file's comment says \"%s\", which anyone could have written; "
		     "to trust a name, check key %s with its owner, then run: dossier keyring add --name NAME %s",
		    claimed, a->key.keyid, arg);
}

static int add(const char *dir, char **files, int nfiles, const char *name, int authority, int force, int quiet)
{
	if (name != NULL && nfiles > 1)
		return fail(64, "--name gives one key its name: add one key at a time");
	for (int i = 0; i < nfiles; i++) {
		struct dossier_error err;
		struct dossier_keyring_added added;
		if (dossier_keyring_add(dir, files[i], name, authority, force, &added, &err) != DOSSIER_OK)
			return report_error(&err);
		if (!quiet)
			say_added(files[i], &added);
	}
	return 0;
}

int cmd_keyring(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keyring", required_argument, NULL, 'K' },
		{ "authority", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *given = NULL, *dir, *name = NULL;
	int c, authority = 0, force = 0, quiet = 0, rc;
	char buf[4096];
	while ((c = getopt_long(argc, argv, "K:afn:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'K': given = optarg; break;
		case 'n': name = optarg; break;
		case 'a': authority = 1; break;
		case 'f': force = 1; break;
		case 'q': quiet = 1; break;
		case 'h': return help("keyring");
		default: return usage("keyring");
		}
	}
	if (optind >= argc)
		return usage("keyring");
	const char *action = argv[optind++];
	if ((rc = keyring_dir(given, buf, sizeof buf, &dir)) != 0)
		return rc;
	if (strcmp(action, "list") == 0) {
		if (optind != argc || authority || force || name)
			return usage("keyring");
		return list(dir);
	}
	if (strcmp(action, "add") != 0 && strcmp(action, "remove") != 0)
		return fail(64, "keyring: unknown action '%s' (add, list or remove)", action);
	if (optind >= argc || (strcmp(action, "remove") == 0 && (authority || force || name)))
		return usage("keyring");
	if (strcmp(action, "add") == 0)
		return add(dir, argv + optind, argc - optind, name, authority, force, quiet);
	for (; optind < argc; optind++) {
		struct dossier_error err;
		size_t removed = 0;
		if (dossier_keyring_remove(dir, argv[optind], &removed, &err) != DOSSIER_OK)
			return report_error(&err);
		if (!quiet)
			note("removed %zu file(s) for %s from %s", removed, argv[optind], dir);
	}
	return 0;
}

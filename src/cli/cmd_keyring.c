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
		char name[256];
		dossier_pubkey_name(k, name, sizeof name);
		printf("  %s  ", k->keyid);
		fputs_safe(stdout, name[0] ? name : "(no name)");
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

int cmd_keyring(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keyring", required_argument, NULL, 'K' },
		{ "authority", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *given = NULL, *dir;
	int c, authority = 0, force = 0, quiet = 0, rc;
	char buf[4096];
	while ((c = getopt_long(argc, argv, "K:afqh", opts, NULL)) != -1) {
		switch (c) {
		case 'K': given = optarg; break;
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
		if (optind != argc || authority || force)
			return usage("keyring");
		return list(dir);
	}
	if (strcmp(action, "add") != 0 && strcmp(action, "remove") != 0)
		return fail(64, "keyring: unknown action '%s' (add, list or remove)", action);
	if (optind >= argc || (strcmp(action, "remove") == 0 && (authority || force)))
		return usage("keyring");
	for (; optind < argc; optind++) {
		struct dossier_error err;
		const char *arg = argv[optind];
		if (strcmp(action, "add") == 0) {
			char dest[4096];
			int already = 0;
			if (dossier_keyring_add(dir, arg, authority, force, dest, sizeof dest, &already, &err) != DOSSIER_OK)
				return report_error(&err);
			if (!quiet)
				note(already ? "%s: already in the keyring as %s" : "added %s as %s", arg, dest);
		} else {
			size_t removed = 0;
			if (dossier_keyring_remove(dir, arg, &removed, &err) != DOSSIER_OK)
				return report_error(&err);
			if (!quiet)
				note("removed %zu file(s) for %s from %s", removed, arg, dir);
		}
	}
	return 0;
}

/* util.c - errors, usage lines and colour for every subcommand. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int usage(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			fprintf(stderr, "usage: %s\n", c->usage);
	return 64;
}

int help(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			printf("usage: %s\n%s\n", c->usage, c->summary);
	return 0;
}

int report_error(const struct dossier_error *err)
{
	fprintf(stderr, "dossier: %s\n", err->message);
	return (int)err->code;
}

int fail(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("dossier: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int use_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	return (nc == NULL || *nc == '\0') && isatty(fileno(f));
}

int is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int load_keys(struct dossier_keyset *keys, char **pubs, size_t npubs, const char *keyring)
{
	struct dossier_error err;
	for (size_t i = 0; i < npubs; i++)
		if (dossier_keyset_add_file(keys, pubs[i], &err) != DOSSIER_OK)
			return report_error(&err);
	if (keyring != NULL) {
		if (dossier_keyset_add_dir(keys, keyring, &err) != DOSSIER_OK)
			return report_error(&err);
		return 0;
	}
	/* The default keyring is used only when it exists. */
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[4096];
	if (xdg != NULL && *xdg)
		snprintf(path, sizeof path, "%s/dossier/keyring", xdg);
	else if (home != NULL && *home)
		snprintf(path, sizeof path, "%s/.config/dossier/keyring", home);
	else
		return 0;
	if (access(path, F_OK) == 0 && dossier_keyset_add_dir(keys, path, &err) != DOSSIER_OK)
		return report_error(&err);
	return 0;
}

/* help.c - renders the help tables of help_text.c: a command's --help, `dossier help TOPIC`,
   man pages in roff (`dossier help --man NAME`, run by make) and the bash completion
   (`dossier help --completion`). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "help.h"

static const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static const struct command_doc *doc_find(const char *name)
{
	for (const struct command_doc *d = command_docs; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static const struct help_topic *topic_find(const char *name)
{
	for (const struct help_topic *t = help_topics; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* ---- the terminal ---- */

static void print_topic_body(FILE *out, const struct help_topic *t)
{
	if (strcmp(t->name, "exit-codes") == 0) {
		fputs("The same in every command:\n\n", out);
		for (const struct exit_doc *e = exit_docs; e->code >= 0; e++)
			fprintf(out, "  %3d  %s\n", e->code, e->meaning);
	} else if (strcmp(t->name, "environment") == 0) {
		for (const struct env_doc *e = env_docs; e->name; e++)
			fprintf(out, "  %s\n      %s\n", e->name, e->text);
	} else if (strcmp(t->name, "files") == 0) {
		fprintf(out, "%s\n\nManage it with dossier keyring add, list and remove (man dossier-keyring).\n", files_doc);
	} else {
		fprintf(out, "%s\n", t->text);
	}
}

void print_overview(FILE *out)
{
	fprintf(out, "dossier %s - pack, sign and verify offline-verifiable evidence bundles\n\n", DOSSIER_VERSION);
	fprintf(out, "usage: dossier COMMAND [OPTIONS]\n\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->summary);
	fprintf(out, "\nhelp topics (dossier help TOPIC):\n\n");
	for (const struct help_topic *t = help_topics; t->name; t++)
		fprintf(out, "  %-11s %s\n", t->name, t->summary);
	fprintf(out, "\nRun 'dossier COMMAND --help' for a command's options, 'man dossier-COMMAND' for more.\n"
	             "Exit codes: 0 ok, 1 tampered/forged/malformed, 2 untrusted or policy unmet,\n"
	             "64 usage, 65 bad data, 66 cannot open input, 70 internal, 73 cannot create output,\n"
	             "74 i/o error (dossier help exit-codes).\n");
}

/* Prints text from column col (the cursor is there already), folded at 79 columns onto
   lines indented by indent. */
static void wrap(const char *text, size_t indent, size_t col)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, " ");
		if (col + 1 + n > 79 && col > indent) {
			printf("\n%*s", (int)indent, "");
			col = indent;
		}
		printf(" %.*s", (int)n, p);
		col += 1 + n;
		p += n;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
}

int help(const char *name)
{
	const struct command *c = command_find(name);
	const struct command_doc *d = doc_find(name);
	if (c == NULL)
		return 0;
	printf("usage: %s\n%s\n", c->usage, c->summary);
	if (d == NULL)
		return 0;
	printf("\n%s\n\noptions:\n", d->description);
	for (const struct option_doc *o = d->options; o->flags; o++) {
			printf("  %-28s", o->flags);
		wrap(o->text, 30, strlen(o->flags) > 28 ? 80 : 30);
	}
	if (d->examples)
		printf("\nexamples:\n%s\n", d->examples);
	printf("\nExit codes: dossier help exit-codes. More: man dossier-%s.\n", name);
	return 0;
}

/* ---- roff ---- */

/* Text into roff: backslashes and hyphens escaped, no line starting with a control
   character. */
static void roff_text(FILE *out, const char *s, size_t n)
{
	int bol = 1;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (bol && (ch == '.' || ch == '\''))
			fputs("\\&", out);
		if (ch == '\\')
			fputs("\\e", out);
		else if (ch == '-')
			fputs("\\-", out);
		else
			fputc(ch, out);
		bol = ch == '\n';
	}
}

static void roff_str(FILE *out, const char *s)
{
	roff_text(out, s, strlen(s));
}

/* Paragraphs a blank line apart; verbatim ones (two spaces in front) unfilled. */
static void roff_paragraphs(FILE *out, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n >= 2 && p[0] == ' ' && p[1] == ' ') {
			fputs(".PP\n.RS 4\n.nf\n", out);
			for (const char *l = p; l < p + n;) {
				const char *nl = memchr(l, '\n', (size_t)(p + n - l));
				size_t ln = nl ? (size_t)(nl - l) : (size_t)(p + n - l);
				size_t skip = ln >= 2 && l[0] == ' ' && l[1] == ' ' ? 2 : 0;
				roff_text(out, l + skip, ln - skip);
				fputc('\n', out);
				l += ln + (nl != NULL);
			}
			fputs(".fi\n.RE\n", out);
		} else {
			fputs(".PP\n", out);
			roff_text(out, p, n);
			fputc('\n', out);
		}
		p += n;
		while (*p == '\n')
			p++;
	}
}

/* "-o, --output FILE": option words bold, the argument italic. */
static void roff_flags(FILE *out, const char *flags)
{
	const char *p = flags;
	while (*p) {
		size_t n = strcspn(p, " ");
		int opt = p[0] == '-';
		fputs(opt ? "\\fB" : "\\fI", out);
		roff_text(out, p, n - (opt && n > 0 && p[n - 1] == ','));
		fputs("\\fR", out);
		if (opt && n > 0 && p[n - 1] == ',')
			fputc(',', out);
		p += n;
		if (*p == ' ') {
			fputc(' ', out);
			p++;
		}
	}
	fputc('\n', out);
}

static void roff_common(FILE *out)
{
	fputs(".SH EXIT STATUS\nThe same in every command:\n", out);
	for (const struct exit_doc *e = exit_docs; e->code >= 0; e++) {
		fprintf(out, ".TP\n.B %d\n", e->code);
		roff_str(out, e->meaning);
		fputc('\n', out);
	}
	fputs(".SH ENVIRONMENT\n", out);
	for (const struct env_doc *e = env_docs; e->name; e++) {
		fputs(".TP\n.B ", out);
		roff_str(out, e->name);
		fputc('\n', out);
		roff_str(out, e->text);
		fputc('\n', out);
	}
	fputs(".SH FILES\n", out);
	roff_paragraphs(out, files_doc);
}

static void roff_header(FILE *out, const char *page, const char *summary)
{
	char upper[64];
	size_t i = 0;
	for (; page[i] && i + 1 < sizeof upper; i++)
		upper[i] = page[i] >= 'a' && page[i] <= 'z' ? (char)(page[i] - 32) : page[i];
	upper[i] = '\0';
	fprintf(out, ".\\\" generated by `dossier help --man` from src/cli/help_text.c: edit that, not this\n");
	/* no date: the page is the same whenever it is built; no hyphenation of option names */
	fprintf(out, ".TH %s 1 \"\" \"dossier %s\" \"dossier manual\"\n.nh\n.ad l\n.SH NAME\n", upper, DOSSIER_VERSION);
	roff_str(out, page);
	fputs(" \\- ", out);
	roff_str(out, summary);
	fputc('\n', out);
}

static void man_command(FILE *out, const struct command *c, const struct command_doc *d)
{
	char page[64];
	snprintf(page, sizeof page, "dossier-%s", c->name);
	roff_header(out, page, c->summary);
	fputs(".SH SYNOPSIS\n", out);
	roff_str(out, c->usage);
	fputs("\n.SH DESCRIPTION\n", out);
	roff_paragraphs(out, d != NULL ? d->description : c->summary);
	fputs(".SH OPTIONS\n", out);
	if (d == NULL)
		fprintf(out, "See \\fBdossier %s \\-\\-help\\fR.\n", c->name);
	for (const struct option_doc *o = d != NULL ? d->options : NULL; o != NULL && o->flags; o++) {
		fputs(".TP\n", out);
		roff_flags(out, o->flags);
		roff_str(out, o->text);
		fputc('\n', out);
	}
	roff_common(out);
	if (d != NULL && d->examples) {
		fputs(".SH EXAMPLES\n", out);
		roff_paragraphs(out, d->examples);
	}
	fputs(".SH SEE ALSO\n.BR dossier (1)", out);
	for (const char *p = d != NULL ? d->see_also : NULL; p && *p;) {
		size_t n = strcspn(p, " ");
		fputs(",\n.BR ", out);
		roff_text(out, p, n);
		fputs(" (1)", out);
		p += n + (p[n] == ' ');
	}
	fputs("\n", out);
}

static void man_overview(FILE *out)
{
	roff_header(out, "dossier", "pack, sign and verify offline-verifiable evidence bundles");
	fputs(".SH SYNOPSIS\n.nf\n\\fBdossier\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n"
	      "\\fBdossier help\\fR [\\fICOMMAND\\fR|\\fITOPIC\\fR]\n\\fBdossier \\-\\-version\\fR\n.fi\n", out);
	roff_paragraphs(out,
	    "dossier packs a letter, its annex, snapshots of the sources it cites and its metadata\n"
	    "into one archive with a signed manifest, and verifies such an archive offline: every\n"
	    "byte intact, every signature valid, every signer's key trusted.\n"
	    "\n"
	    "Results go to stdout, diagnostics to stderr, one line each: dossier: ENTRY: REASON.\n"
	    "Outputs are written atomically and never replaced without --force. -q makes a command\n"
	    "quiet (errors are still printed); verify -v lists every check. Colour only on a\n"
	    "terminal, never with NO_COLOR.");
	fputs(".SH COMMANDS\n", out);
	for (const struct command *c = commands; c->name; c++) {
		fputs(".TP\n", out);
		fprintf(out, ".BR dossier\\-%s (1)\n", c->name);
		roff_str(out, c->summary);
		fputc('\n', out);
	}
	fputs(".SH TOPICS\nAlso printed by \\fBdossier help\\fR \\fITOPIC\\fR.\n", out);
	for (const struct help_topic *t = help_topics; t->name; t++) {
		if (t->text == NULL)
			continue; /* exit codes, environment, files: sections of their own */
		fputs(".SS ", out);
		roff_str(out, t->name);
		fputc('\n', out);
		roff_paragraphs(out, t->text);
	}
	roff_common(out);
	fputs(".SH EXAMPLES\n", out);
	roff_paragraphs(out,
	    "  dossier keygen -o ana --name \"Ana Lopez\"\n"
	    "  dossier init letter.txt -o spec.json\n"
	    "  dossier pack spec.json -o letter.tar -p ana.pub\n"
	    "  dossier sign letter.tar -k ana.key\n"
	    "  dossier verify letter.tar -p ana.pub");
	fputs(".SH SEE ALSO\n", out);
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, ".BR dossier\\-%s (1),\n", c->name);
	fputs(".BR minisign (1)\n", out);
}

static int man(const char *name)
{
	if (strcmp(name, "dossier") == 0) {
		man_overview(stdout);
		return 0;
	}
	const struct command *c = command_find(name);
	/* a command without its help_text.c entry still gets a page from its usage line */
	const struct command_doc *d = doc_find(name);
	if (c == NULL)
		return fail(64, "no man page for '%s' (commands: dossier help --commands)", name);
	man_command(stdout, c, d);
	return 0;
}

/* ---- bash completion ---- */

/* The option words of a flags string ("-o, --output FILE" gives "-o --output"). */
static void option_words(FILE *out, const char *flags)
{
	for (const char *p = flags; *p;) {
		size_t n = strcspn(p, " ");
		if (p[0] == '-')
			fprintf(out, " %.*s", (int)(n - (p[n - 1] == ',')), p);
		p += n + (p[n] == ' ');
	}
}

/* The argument an option takes ("FILE"), or "" for none. */
static const char *option_arg(const char *flags)
{
	const char *last = strrchr(flags, ' ');
	return last != NULL && last[1] != '-' ? last + 1 : "";
}

static void completion_prev(FILE *out, const struct command_doc *d)
{
	fputs("\t\tcase $prev in\n", out);
	for (const struct option_doc *o = d->options; o->flags; o++) {
		const char *arg = option_arg(o->flags);
		const char *ext = strrchr(arg, '.');
		if (*arg == '\0')
			continue;
		fputs("\t\t", out);
		int first = 1;
		for (const char *p = o->flags; *p;) {
			size_t n = strcspn(p, " ");
			if (p[0] == '-') {
				fprintf(out, "%s%.*s", first ? "" : "|", (int)(n - (p[n - 1] == ',')), p);
				first = 0;
			}
			p += n + (p[n] == ' ');
		}
		if (strcmp(arg, "DIR") == 0)
			fputs(") _dossier_dirs; return ;;\n", out);
		else if (ext != NULL && (strcmp(ext, ".pub") == 0 || strcmp(ext, ".key") == 0 ||
		                         strcmp(ext, ".json") == 0 || strcmp(ext, ".pem") == 0 ||
		                         strcmp(ext, ".tsr") == 0 || strcmp(ext, ".minisig") == 0))
			fprintf(out, ") _dossier_files '%s'; return ;;\n", ext);
		else if (strstr(arg, "FILE") != NULL || strcmp(arg, "BUNDLE") == 0 || strcmp(arg, "NEW") == 0 ||
		         strcmp(arg, "NAME") == 0)
			fputs(") _dossier_files; return ;;\n", out);
		else
			fputs(") return ;;\n", out); /* a name, date or URL: nothing to offer */
	}
	fputs("\t\tesac\n", out);
}

static void completion(FILE *out)
{
	fputs("# bash completion for dossier: generated by `dossier help --completion` from\n"
	      "# src/cli/help_text.c (edit that, not this). Installed as\n"
	      "# share/bash-completion/completions/dossier.\n\n"
	      "_dossier_files()\n{\n"
	      "\tlocal IFS=$'\\n'\n"
	      "\tif [ -n \"${1:-}\" ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -f -X \"!*$1\" -- \"$cur\") $(compgen -d -- \"$cur\"))\n"
	      "\telse\n"
	      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "\tfi\n"
	      "\tcompopt -o filenames 2>/dev/null\n}\n\n"
	      "_dossier_dirs()\n{\n"
	      "\tlocal IFS=$'\\n'\n"
	      "\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n"
	      "\tcompopt -o filenames 2>/dev/null\n}\n\n"
	      "_dossier()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tCOMPREPLY=()\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"", out);
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "%s ", c->name);
	fputs("help --version --help\" -- \"$cur\"))\n\t\treturn\n\tfi\n"
	      "\tcase ${COMP_WORDS[1]} in\n"
	      "\thelp)\n\t\tCOMPREPLY=($(compgen -W \"", out);
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "%s ", c->name);
	for (const struct help_topic *t = help_topics; t->name; t++)
		fprintf(out, "%s ", t->name);
	fputs("\" -- \"$cur\"))\n\t\treturn ;;\n", out);
	for (const struct command_doc *d = command_docs; d->name; d++) {
		fprintf(out, "\t%s)\n", d->name);
		if (strcmp(d->name, "keyring") == 0)
			fputs("\t\tif [ \"$COMP_CWORD\" -eq 2 ]; then\n"
			      "\t\t\tCOMPREPLY=($(compgen -W \"add list remove\" -- \"$cur\"))\n"
			      "\t\t\treturn\n\t\tfi\n", out);
		completion_prev(out, d);
		fputs("\t\tif [[ $cur == -* ]]; then\n\t\t\tCOMPREPLY=($(compgen -W \"", out);
		for (const struct option_doc *o = d->options; o->flags; o++)
			option_words(out, o->flags);
		fputs("\" -- \"$cur\"))\n\t\t\treturn\n\t\tfi ;;\n", out);
	}
	fputs("\tesac\n"
	      "\t# operands: bundles, keys, specs, letters, signatures are all files\n"
	      "\t_dossier_files\n}\n"
	      "complete -F _dossier dossier\n", out);
}

int help_main(int argc, char **argv)
{
	if (argc < 2) {
		print_overview(stdout);
		return 0;
	}
	const char *what = argv[1];
	if (strcmp(what, "--man") == 0)
		return argc == 3 ? man(argv[2]) : fail(64, "usage: dossier help --man dossier|COMMAND");
	if (strcmp(what, "--commands") == 0) {
		for (const struct command *c = commands; c->name; c++)
			printf("%s\n", c->name);
		return 0;
	}
	if (strcmp(what, "--completion") == 0) {
		completion(stdout);
		return 0;
	}
	if (command_find(what) != NULL)
		return help(what);
	const struct help_topic *t = topic_find(what);
	if (t != NULL) {
		print_topic_body(stdout, t);
		return 0;
	}
	fail(64, "no command or help topic '%s'; run 'dossier help' for the list", what);
	return 64;
}

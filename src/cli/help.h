/* help.h - the help tables (help_text.c) and what renders them (help.c): --help, help
   topics, man pages and the bash completion. */
#ifndef DOSSIER_HELP_H
#define DOSSIER_HELP_H

#include <stdio.h>

struct option_doc {
	const char *flags; /* "-o, --output FILE": the option words, then its argument */
	const char *text;
};

struct command_doc {
	const char *name;
	const char *description;       /* paragraphs a blank line apart */
	struct option_doc options[20]; /* ends with { NULL, NULL } */
	const char *examples;          /* command lines, two spaces in front */
	const char *see_also;          /* "dossier-sign dossier-verify" */
};

struct exit_doc {
	int code; /* -1 ends the table */
	const char *meaning;
};

struct env_doc {
	const char *name;
	const char *text;
};

/* A topic for `dossier help TOPIC`; text NULL: made from the tables (exit codes,
   environment, files). */
struct help_topic {
	const char *name;
	const char *summary;
	const char *text;
};

extern const struct command_doc command_docs[];
extern const struct exit_doc exit_docs[];
extern const struct env_doc env_docs[];
extern const struct help_topic help_topics[];
extern const char files_doc[];

/* `dossier help [COMMAND|TOPIC|--man NAME|--commands|--completion]`. */
int help_main(int argc, char **argv);
/* The list of commands and topics, for `dossier` and `dossier --help`. */
void print_overview(FILE *out);

#endif

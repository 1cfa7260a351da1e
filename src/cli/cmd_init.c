/* cmd_init.c - dossier init: a draft spec from a letter (text, or PDF through pdftotext). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

#define LETTER_MAX (16u << 20) /* far more than any letter's text */

/* Appends what fd gives, up to LETTER_MAX: 0, or an exit code after the message. */
static int read_fd(int fd, const char *name, char **text, size_t *len)
{
	size_t cap = 0;
	for (;;) {
		if (*len + 65536 > cap) {
			if (cap >= LETTER_MAX)
				return fail(65, "%s: over %u MiB of text; is this a letter?", name, LETTER_MAX >> 20);
			cap = cap ? cap * 2 : 65536;
			char *n = realloc(*text, cap + 1);
			if (n == NULL)
				return fail(70, "out of memory");
			*text = n;
		}
		ssize_t r = read(fd, *text + *len, cap - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(74, "%s: cannot read: %s", name, strerror(errno));
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	(*text)[*len] = '\0';
	return 0;
}

/* The text of a PDF from pdftotext (poppler-utils), run with an argv and no shell. */
static int pdf_text(const char *path, char **text, size_t *len)
{
	int pipefd[2];
	posix_spawn_file_actions_t fa;
	pid_t pid;
	char *argv[] = { "pdftotext", "-enc", "UTF-8", "-q", (char *)path, "-", NULL };
	if (pipe(pipefd) != 0)
		return fail(70, "cannot make a pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	int e = posix_spawnp(&pid, "pdftotext", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (e != 0) {
		close(pipefd[0]);
		if (e == ENOENT)
			return fail(66, "%s: a PDF needs pdftotext to read its text, and it is not installed; "
			    "install poppler-utils (apt-get install poppler-utils) or give the letter as text", path);
		return fail(70, "cannot run pdftotext: %s", strerror(e));
	}
	int rc = read_fd(pipefd[0], path, text, len);
	close(pipefd[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		rc = fail(65, "%s: pdftotext could not read the PDF (exit %d); is it damaged or encrypted?", path,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return rc;
}

static int letter_text(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return fail(66, "%s: %s; check the letter's path", path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(66, "%s: is a directory; give the letter's file", path);
	}
	int rc = read_fd(fd, path, text, len);
	close(fd);
	if (rc == 0 && *len >= 5 && memcmp(*text, "%PDF-", 5) == 0) {
		*len = 0;
		rc = pdf_text(path, text, len);
	}
	return rc;
}

/* Where the spec finds the letter: beside the spec its bare name, else its full path;
   on stdout, the path as given (relative to where the spec will likely be saved). */
static char *letter_source(const char *letter, const char *output)
{
	if (output == NULL)
		return strdup(letter);
	char *l = realpath(letter, NULL), *o = strdup(output), *od = NULL, *ld = NULL;
	char *out = NULL;
	if (l == NULL || o == NULL)
		goto done;
	od = realpath(dirname(o), NULL);
	ld = strdup(l);
	if (ld != NULL && od != NULL && strcmp(dirname(ld), od) == 0)
		out = strdup(strrchr(l, '/') + 1);
	else
		out = strdup(l);
done:
	free(l);
	free(o);
	free(od);
	free(ld);
	return out;
}

/* The bundle name: the letter file's name without its extension. */
static char *stem(const char *path)
{
	const char *base = strrchr(path, '/');
	char *s = strdup(base ? base + 1 : path);
	char *dot = s ? strrchr(s, '.') : NULL;
	if (dot != NULL && dot != s)
		*dot = '\0';
	return s;
}

static void summary(const struct dossier_letter *l)
{
	size_t urls = 0;
	for (size_t i = 0; i < l->nfootnotes; i++)
		urls += l->footnotes[i].url != NULL;
	note("found %zu references (%zu footnotes), %zu signatories, date %s, place %s, %zu addressees, %zu in copy",
	    urls, l->nfootnotes, l->nfrom, l->date[0] ? l->date : "none", l->place ? l->place : "none", l->nto, l->ncc);
	if (!l->date[0])
		note("no date line found: add \"date\" (YYYY-MM-DD)");
	if (l->nfrom == 0)
		note("no signatories found: add them to \"from\"");
	if (l->nto == 0)
		note("no addressee found: add \"to\"");
	if (l->title == NULL)
		note("no subject line: the title is made up, change it");
	note("check 'to' and 'cc', then add each signatory's key id (or pack with -p KEY.pub)");
}

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL;
	int c, force = 0, quiet = 0, rc;
	struct dossier_letter *letter = NULL;
	struct dossier_error err;
	char *text = NULL, *json = NULL, *source = NULL, *name = NULL;
	size_t len = 0;
	while ((c = getopt_long(argc, argv, "o:fqh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'f': force = 1; break;
		case 'q': quiet = 1; break;
		case 'h': return help("init");
		default: return usage("init");
		}
	}
	if (optind + 1 != argc)
		return usage("init");
	const char *path = argv[optind];
	if (output != NULL && strcmp(output, "-") == 0)
		output = NULL;
	/* refuse before any work, so a long PDF is not read for nothing */
	struct stat st;
	if (output != NULL && !force && lstat(output, &st) == 0)
		return fail(73, "%s: already exists; refusing to overwrite (use --force)", output);
	if ((rc = letter_text(path, &text, &len)) != 0)
		goto out;
	if (dossier_letter_scan(path, text, len, &letter, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	source = letter_source(path, output);
	name = stem(path);
	if (source == NULL || name == NULL) {
		rc = fail(70, "out of memory");
		goto out;
	}
	if (dossier_letter_spec(letter, name, source, &json, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	if (output == NULL) {
		fputs(json, stdout);
		if (fflush(stdout) != 0) {
			rc = fail(74, "cannot write to stdout");
			goto out;
		}
	} else if (dossier_write_file(output, json, strlen(json), force, &err) != DOSSIER_OK) {
		rc = report_error(&err);
		goto out;
	}
	if (!quiet) {
		summary(letter);
		if (output != NULL)
			note("wrote %s; next: dossier pack %s --capture -o BUNDLE.tar (or give each reference a snapshot or a \"not_captured\" reason)", output, output);
	}
out:
	dossier_letter_free(letter);
	free(text);
	free(json);
	free(source);
	free(name);
	return rc;
}

/* passphrase.c - reading a passphrase from a file or the terminal, never from argv. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

#define PASS_MAX 1024

static int read_line(int fd, char *out, size_t max)
{
	size_t n = 0;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0 || c == '\n')
			break;
		if (n + 1 >= max)
			return -1;
		out[n++] = c;
	}
	if (n > 0 && out[n - 1] == '\r')
		n--;
	out[n] = '\0';
	return 0;
}

static int prompt(int fd, const char *text, char *out)
{
	struct termios old, quiet;
	if (write(fd, text, strlen(text)) < 0)
		return -1;
	int have_term = tcgetattr(fd, &old) == 0;
	if (have_term) {
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	int rc = read_line(fd, out, PASS_MAX);
	if (have_term)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		rc = -1;
	return rc;
}

char *passphrase_get(const char *file, const char *text, int confirm, int *code)
{
	char *pass = sodium_malloc(PASS_MAX);
	if (pass == NULL) {
		*code = fail(70, "out of memory");
		return NULL;
	}
	if (file != NULL) {
		int fd = strcmp(file, "-") == 0 ? 0 : open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || read_line(fd, pass, PASS_MAX) != 0) {
			*code = fail(66, "%s: cannot read the passphrase", file);
			if (fd > 0)
				close(fd);
			sodium_free(pass);
			return NULL;
		}
		if (fd > 0)
			close(fd);
		return pass;
	}
	int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (tty < 0) {
		*code = fail(64, "no terminal to ask for a passphrase; use --passphrase-file");
		sodium_free(pass);
		return NULL;
	}
	int rc = prompt(tty, text, pass);
	if (rc != 0) {
		*code = fail(74, "cannot read the passphrase from the terminal");
	} else if (confirm) {
		char *again = sodium_malloc(PASS_MAX);
		if (again == NULL || prompt(tty, "Passphrase (again): ", again) != 0) {
			rc = -1;
			*code = fail(74, "cannot read the passphrase from the terminal");
		} else if (strcmp(pass, again) != 0) {
			rc = -1;
			*code = fail(64, "passphrases do not match");
		}
		if (again != NULL)
			sodium_free(again);
	}
	close(tty);
	if (rc != 0) {
		sodium_free(pass);
		return NULL;
	}
	return pass;
}

void passphrase_free(char *p)
{
	if (p != NULL)
		sodium_free(p);
}

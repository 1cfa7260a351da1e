/* extract_guard.c - an extract that a signal cannot leave half done: a child process
   extracts, this one waits and removes what the child leaves if it dies before the end. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

/*
 * Why a watching parent, and not a handler in the extracting process: a signal can come
 * while the extract is blocked in a read of a pipe or FIFO that libarchive restarts after
 * EINTR, so a flag would not be seen until more bytes come, maybe never; and a handler
 * may only make async-signal-safe calls, which cannot walk a directory tree. So the work
 * runs in a child that keeps the default action of these signals (it dies at once,
 * blocked read or not), and the parent, which does nothing but wait, learns the staging
 * directory through a pipe and removes it once the child is gone, outside any handler,
 * with nothing left running that could write into the tree meanwhile. A SIGKILL, a
 * crash or an out-of-memory kill of the child is cleaned up the same way. The library
 * stays signal-free: it only says where it stages (dossier_extract_options.staged).
 */
static const int guarded[] = { SIGINT, SIGTERM, SIGHUP };
#define NGUARDED (sizeof guarded / sizeof *guarded)

static volatile sig_atomic_t caught;
static volatile pid_t child;

/* The parent passes a signal on to the child (kill is async-signal-safe) and
   remembers it, to die of it once the child's leftovers are removed. */
static void on_signal(int sig)
{
	caught = sig;
	if (child > 0)
		kill(child, sig);
}

static void guarded_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < NGUARDED; i++)
		sigaddset(set, guarded[i]);
}

/* Only signals that are not ignored: under nohup a hangup stays ignored, in both. */
static void catch_signals(void)
{
	for (size_t i = 0; i < NGUARDED; i++) {
		struct sigaction sa, was;
		if (sigaction(guarded[i], NULL, &was) != 0 || was.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(guarded[i], &sa, NULL);
	}
}

/* The child's record: '0' or '1' (made DIR) and the staging path; "" if none came. */
static void read_record(int fd, char *buf, size_t len)
{
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
}

/* Dies of sig as the default action would have it, after everything is cleaned up. */
static int die_of(int sig)
{
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	return 128 + sig; /* not reached for the guarded signals */
}

static int watch(pid_t pid, int fd, const char *dir, const sigset_t *old)
{
	int status = 0;
	char record[8192];
	child = pid;
	catch_signals();
	sigprocmask(SIG_SETMASK, old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail(70, "extract: lost its worker process");
	child = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status); /* the library cleaned up whatever it did not finish */
	read_record(fd, record, sizeof record);
	if (record[0] != '\0')
		dossier_extract_discard(record + 1, dir, record[0] == '1');
	if (caught != 0)
		return die_of(caught);
	int sig = WTERMSIG(status);
	for (size_t i = 0; i < NGUARDED; i++)
		if (sig == guarded[i])
			return die_of(sig); /* sent to the child alone */
	return fail(128 + sig, "extract: stopped by signal %d; its staging directory was removed", sig);
}

int extract_guard_fork(struct extract_guard *g, const char *dir, int *rc)
{
	sigset_t set;
	int p[2];
	g->fd = -1;
	fflush(stdout);
	fflush(stderr);
	if (pipe2(p, O_CLOEXEC) != 0)
		return 1; /* no guard to be had: extract all the same, as before */
	guarded_set(&set);
	/* blocked until the child has said where it stages: it cannot die before that */
	sigprocmask(SIG_BLOCK, &set, &g->old);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		g->fd = p[1];
		return 1;
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		sigprocmask(SIG_SETMASK, &g->old, NULL);
		return 1;
	}
	*rc = watch(pid, p[0], dir, &g->old);
	close(p[0]);
	return 0;
}

void extract_guard_staged(void *ctx, const char *staging, int made_dir)
{
	struct extract_guard *g = ctx;
	if (g->fd < 0)
		return;
	size_t len = strlen(staging);
	char record[8192];
	if (len + 2 <= sizeof record) {
		/* into an empty pipe (64 KiB) at once, the guarded signals still blocked: the
		   child cannot die with the record half written */
		record[0] = made_dir ? '1' : '0';
		memcpy(record + 1, staging, len + 1);
		ssize_t n = write(g->fd, record, len + 1);
		(void)n; /* a failed write leaves the parent nothing to clean up after a signal */
	}
	extract_guard_done(g);
}

void extract_guard_done(struct extract_guard *g)
{
	if (g->fd < 0)
		return;
	close(g->fd);
	g->fd = -1;
	sigprocmask(SIG_SETMASK, &g->old, NULL);
}

/* progress.c - bytes done, rate and time left of a long pack, verify or extract, on a terminal. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The library calls every few MiB; a terminal line redrawn four times a second is
   plenty. Small inputs draw nothing unless they take more than half a second (a slow
   disk); large ones show at once. */
#define REDRAW_NS 250000000LL
#define QUIET_NS 500000000LL
#define LARGE (64ull << 20)

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void human(double bytes, char *out, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;
	while (bytes >= 1024 && u + 1 < sizeof units / sizeof *units) {
		bytes /= 1024;
		u++;
	}
	snprintf(out, len, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

static void draw(void *ctx, uint64_t done, uint64_t total)
{
	struct cli_progress *p = ctx;
	long long t = now_ns();
	int last = total != 0 && done >= total;
	if (!p->shown && total < LARGE && t - p->start < QUIET_NS)
		return;
	if (p->shown && !last && t - p->drawn < REDRAW_NS)
		return;
	p->drawn = t;
	double secs = (double)(t - p->start) / 1e9;
	double rate = secs > 0 ? (double)done / secs : 0;
	char d[32], whole[32], r[32];
	human((double)done, d, sizeof d);
	human(rate, r, sizeof r);
	if (total != 0) {
		human((double)total, whole, sizeof whole);
		long left = rate > 0 && total > done ? (long)((double)(total - done) / rate + 0.5) : 0;
		fprintf(stderr, "\r%s: %s of %s (%d%%), %s/s, %ld:%02ld left\033[K", p->what, d, whole,
		    (int)(done * 100 / total), r, left / 60, left % 60);
	} else {
		fprintf(stderr, "\r%s: %s, %s/s\033[K", p->what, d, r);
	}
	p->shown = 1;
}

const struct dossier_progress *progress_start(struct cli_progress *p, const char *what, int quiet)
{
	p->what = what;
	p->start = p->drawn = now_ns();
	p->shown = 0;
	p->cb.fn = draw;
	p->cb.ctx = p;
	/* only for a person watching: never into a log, a pipe or a test's capture */
	if (quiet || !isatty(STDERR_FILENO))
		return NULL;
	return &p->cb;
}

void progress_stop(struct cli_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr); /* the line goes: results and messages follow clean */
	p->shown = 0;
}

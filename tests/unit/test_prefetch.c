/* test_prefetch.c - pack's read-ahead thread: every input comes back whole and in order,
   with a right digest whichever thread made it, through the arena's wrap-around, past a
   full ring, and with the errors of a file that is missing or too large to read ahead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "prefetch.h"

/* More inputs than the ring's 512 slots, and more bytes than its 4 MiB arena. */
#define NFILES 700
#define MISSING 17 /* this input's file is never made */
#define LARGE 40   /* this one is larger than the thread reads */
#define SALTED 41  /* and this one is redactable: the writer hashes it */

struct corpus {
	char dir[64];
	struct pack_input in[NFILES];
	char *bytes[NFILES];
};

/* File i: a size that cycles from 1 byte to 240 KiB, so the arena wraps several times at
   odd offsets; its bytes depend on i. */
static size_t size_of(size_t i)
{
	if (i == LARGE)
		return PREFETCH_MAX_FILE + 4096;
	return 1 + (i * 7919u) % (240u << 10);
}

static struct corpus *make_corpus(void)
{
	struct corpus *c = calloc(1, sizeof *c);
	assert_non_null(c);
	strcpy(c->dir, "/tmp/test_prefetch-XXXXXX");
	assert_non_null(mkdtemp(c->dir));
	for (size_t i = 0; i < NFILES; i++) {
		size_t n = size_of(i);
		char path[128];
		snprintf(path, sizeof path, "%s/f%04zu", c->dir, i);
		c->bytes[i] = malloc(n);
		assert_non_null(c->bytes[i]);
		for (size_t k = 0; k < n; k++)
			c->bytes[i][k] = (char)((k * 31 + i * 17) & 0xff);
		if (i != MISSING) {
			FILE *f = fopen(path, "wb");
			assert_non_null(f);
			assert_int_equal(fwrite(c->bytes[i], 1, n, f), n);
			assert_int_equal(fclose(f), 0);
		}
		c->in[i].source = strdup(path);
		c->in[i].dest = strdup(path + strlen(c->dir) + 1);
		c->in[i].size = n;
		c->in[i].stated = 1;
		c->in[i].salted = i == SALTED;
	}
	return c;
}

static void free_corpus(struct corpus *c)
{
	for (size_t i = 0; i < NFILES; i++) {
		unlink(c->in[i].source);
		free(c->in[i].source);
		free(c->in[i].dest);
		free(c->bytes[i]);
	}
	rmdir(c->dir);
	free(c);
}

/* Takes inputs [0, upto) and checks each; returns how many the thread had hashed.
   settle_first: let the thread fill its ring and hash ahead before the first take. */
static size_t take_all(struct corpus *c, struct prefetch *pf, size_t upto, int settle_first)
{
	size_t by_thread = 0;
	for (size_t i = 0; i < upto; i++) {
		struct prefetched p;
		if (i == 0 && settle_first)
			prefetch_settle(pf);
		prefetch_take(pf, i, &p);
		if (i == MISSING) {
			assert_int_equal(p.state, PREFETCH_NOT_OPENED);
		} else if (i == LARGE) {
			assert_int_equal(p.state, PREFETCH_SKIPPED); /* the caller streams it */
		} else {
			assert_int_equal(p.state, PREFETCH_LOADED);
			assert_int_equal(p.len, size_of(i));
			assert_memory_equal(p.data, c->bytes[i], size_of(i));
			if (p.hashed == PREFETCH_HASHING)
				prefetch_wait_digest(pf, i, &p);
			if (i == SALTED)
				assert_int_equal(p.hashed, PREFETCH_HASH_IT); /* its salt line is the writer's */
			if (p.hashed == PREFETCH_HASHED) {
				uint8_t want[32];
				assert_int_equal(sha256_buf(c->bytes[i], size_of(i), want), 0);
				assert_memory_equal(p.digest, want, 32);
				by_thread++;
			}
		}
		prefetch_give_back(pf, &p);
	}
	return by_thread;
}

/* One pass over a fresh corpus: the thread started, upto inputs taken, stopped (the
   leak checkers of make asan and make valgrind see what it read ahead and never gave).
   Returns how many digests the thread made. */
static size_t pass(size_t upto, int settle_first)
{
	struct corpus *c = make_corpus();
	struct prefetch *pf;
	assert_int_equal(prefetch_start(&pf, c->in, NFILES), 0);
	assert_non_null(pf);
	size_t by_thread = take_all(c, pf, upto, settle_first);
	prefetch_stop(pf);
	free_corpus(c);
	return by_thread;
}

static void a_writer_that_keeps_up_gets_every_file_whole(void **state)
{
	(void)state;
	pass(NFILES, 0);
}

static void a_slow_writer_finds_files_hashed_ahead(void **state)
{
	(void)state;
	/* with a full ring and nothing to read, the thread hashes what is ahead: every
	   file it read before the first take except that one, the salted one and those
	   not loaded */
	assert_true(pass(NFILES, 1) > 10);
}

static void stopping_halfway_frees_what_was_read_ahead(void **state)
{
	(void)state;
	pass(NFILES / 3, 1);
}

static void too_few_small_files_start_no_thread(void **state)
{
	struct corpus *c = make_corpus();
	struct prefetch *pf = (struct prefetch *)1;
	(void)state;
	assert_int_equal(prefetch_start(&pf, c->in, PREFETCH_MIN_FILES - 1), 0);
	assert_null(pf);
	free_corpus(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_writer_that_keeps_up_gets_every_file_whole),
		cmocka_unit_test(a_slow_writer_finds_files_hashed_ahead),
		cmocka_unit_test(stopping_halfway_frees_what_was_read_ahead),
		cmocka_unit_test(too_few_small_files_start_no_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

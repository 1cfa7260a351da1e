/* prefetch.h - reading pack's small inputs ahead on a second thread (prefetch.c). */
#ifndef DOSSIER_PREFETCH_H
#define DOSSIER_PREFETCH_H

#include "plan.h"

/* Inputs up to this size are read whole by the thread; larger ones by the caller. */
#define PREFETCH_MAX_FILE (256u << 10)
/* Fewer small inputs than this are not worth a thread. */
#define PREFETCH_MIN_FILES 64

enum prefetch_state {
	PREFETCH_SKIPPED,    /* too large: the caller opens and reads it */
	PREFETCH_LOADED,     /* data[len] is the whole file, len == the planned size */
	PREFETCH_NOT_OPENED, /* open failed or not a regular file: errnum */
	PREFETCH_READ_ERROR, /* errnum */
	PREFETCH_GREW,       /* more bytes than planned */
	PREFETCH_SHRANK,     /* fewer bytes than planned */
};

/* Who makes a loaded input's digest. The thread hashes ahead of the writer when it has
   nothing left to read (its ring is full); what it has not reached, the writer hashes,
   so the two share the work whichever side is the slower. */
enum prefetch_digest {
	PREFETCH_HASH_IT, /* the caller hashes it (always so for a salted input, whose salt
	                     line the writer makes) */
	PREFETCH_HASHED,  /* digest is the SHA-256 of data */
	PREFETCH_HASHING, /* the thread is at it: prefetch_wait_digest */
};

struct prefetched {
	enum prefetch_state state;
	int errnum;
	char *data;
	uint64_t len;
	enum prefetch_digest hashed; /* for PREFETCH_LOADED */
	uint8_t digest[32];
};

struct prefetch;
/* Starts reading inputs[0..n) in order; *out stays NULL (and 0 is returned) when there
   are too few small inputs to bother. -1: out of memory or no thread. */
int prefetch_start(struct prefetch **out, const struct pack_input *inputs, size_t n);
/* Waits for input i; inputs are taken in order, each given back before the next. */
void prefetch_take(struct prefetch *pf, size_t i, struct prefetched *out);
/* For p->hashed == PREFETCH_HASHING: waits for the thread's digest of input i, after
   which p->hashed is PREFETCH_HASHED (or PREFETCH_HASH_IT, should the thread fail). */
void prefetch_wait_digest(struct prefetch *pf, size_t i, struct prefetched *p);
void prefetch_give_back(struct prefetch *pf, struct prefetched *p);
/* Waits until the thread can do nothing more before the caller gives an input back:
   its ring is full and it has hashed every input ahead that it may, or it has read
   every input. For tests, which need to know what the thread did. */
void prefetch_settle(struct prefetch *pf);
/* Stops the thread and frees what it read ahead; pf may be NULL. */
void prefetch_stop(struct prefetch *pf);

#endif

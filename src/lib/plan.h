/* plan.h - what pack will write: inputs with their destinations, and the metadata. */
#ifndef DOSSIER_PLAN_H
#define DOSSIER_PLAN_H

#include <cjson/cJSON.h>

#include "internal.h"

struct pack_input {
	char *source; /* file system path to read */
	char *dest;   /* path in the bag: data/... */
	uint64_t size;
	int stated;   /* size and type known already (a directory walk): no second stat */
	int salted;   /* redactable: stored behind a salt line (size is the file's own) */
	cJSON *info;  /* its entry for dossier.json "files", without size and sha256 */
};

/* A tag file written as it is and covered by the tag manifest: key cards under keys/,
   earlier versions under history/. */
struct pack_tag {
	char *path;
	struct buf data;
};

struct pack_plan {
	char *name;  /* top directory of the bag */
	cJSON *meta; /* dossier.json without "files" and "created" */
	struct pack_input *inputs;
	size_t ninputs, capinputs;
	int64_t epoch;
	uint8_t id_seed[32]; /* the bundle id is derived from this */
	struct pack_tag *tags; /* sorted by path before writing */
	size_t ntags, captags;
	char *scratch; /* pack --capture's private directory, removed with the plan */
};

enum dossier_status plan_from_spec(const char *spec_path, const struct dossier_pack_options *opt,
    struct pack_plan *plan, struct dossier_error *err);
enum dossier_status plan_from_dir(const char *dir, const struct dossier_pack_options *opt,
    struct pack_plan *plan, struct dossier_error *err);
/* Sorts inputs by destination, refuses two at one path, stats every source. */
enum dossier_status plan_finish(struct pack_plan *plan, struct dossier_error *err);
enum dossier_status plan_add_input(struct pack_plan *plan, const char *source, const char *dest,
    cJSON *info, struct dossier_error *err);
void plan_release(struct pack_plan *plan);
/* pack --capture: each reference of the spec with no snapshot file of its footnote is
   captured and added as data/snapshots/fn<N>-<name>.warc.gz. */
enum dossier_status plan_capture_references(struct pack_plan *plan, const cJSON *spec,
    const struct dossier_capture_options *opt, struct dossier_error *err);
/* Reads the --card files, checks each, and binds its key id to the signatory the card
   names (a spec's "from"), as -p does for keys. */
enum dossier_status plan_add_cards(struct pack_plan *plan, const struct dossier_pack_options *opt,
    struct dossier_error *err);
/* Adds a tag file (a copy of data); -1 when out of memory. */
int plan_add_tag(struct pack_plan *plan, const char *path, const void *data, size_t len);
const struct pack_tag *plan_find_tag(const struct pack_plan *plan, const char *path);
/* The bundle id the plan will get. */
void plan_uuid(const struct pack_plan *plan, char out[37]);
/* Writes the plan to output ("-": stdout), atomically, tags sorted; progress may be NULL. */
enum dossier_status plan_write(struct pack_plan *plan, const char *output, int force,
    const struct dossier_progress *progress, struct dossier_error *err);
const char *media_type_guess(const char *path);

#endif

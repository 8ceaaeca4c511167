/*
 * ingest: the glue between the parser/scorer and the store. Turns a parsed
 * document and its scores into store rows (one savepoint per document,
 * batched commits), and rescores stored documents without re-parsing
 * them. Analyst overrides are applied on the read side (core/model.h).
 *
 * Ownership: an ingest session (ingest_new) borrows its store, which must
 * outlive it, and owns the rubrics it loaded; free it with ingest_free,
 * which commits nothing: call ingest_finish first.
 */
#ifndef CYBERWELL_CORE_INGEST_H
#define CYBERWELL_CORE_INGEST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/doc.h"
#include "store/store.h"
#include "util/diag.h"
#include "util/strbuf.h"

#define INGEST_BATCH_DEFAULT 500 /* documents per commit */
#define INGEST_MAX_RUBRICS   64
/* Documents ingest_files and ingest_rescore_all hold at once: at most
 * INGEST_WINDOW, and about INGEST_WINDOW_BYTES of text (one always). */
#define INGEST_WINDOW       16
#define INGEST_WINDOW_BYTES ((size_t)4 << 20)

enum ingest_outcome {
    INGEST_STORED,      /* a new country's first document */
    INGEST_NEW_VERSION, /* a changed document for a known country */
    INGEST_UNCHANGED    /* the same content was already stored */
};

/* "stored", "new version", "unchanged". */
const char *ingest_outcome_name(enum ingest_outcome o);

struct ingest;

enum ingest_flags {
    INGEST_NO_STORED_RUBRICS = 1 << 0 /* score only under rubrics added */
};

/*
 * A session on s: loads the current registration of every registered
 * rubric name from its stored content (unless INGEST_NO_STORED_RUBRICS)
 * and the country aliases. Returns an owned session or NULL after filling
 * err. batch is the number of documents per commit (0: the default).
 */
struct ingest *ingest_new(struct store *s, size_t batch, unsigned flags,
                          struct cw_error *err);
void ingest_free(struct ingest *in);

/*
 * Register the rubric file at path (if its content is new), make it the
 * current registration of its name (store_rubric_select) and score
 * every later document under it, instead of the session's rubric of the
 * same name. A name and version already registered with other content
 * is refused (CW_ERR_PARSE: the message shows both short hashes and
 * says to bump the version), unless variants are allowed: it is then
 * registered as version "VERSION+HASH" (MODEL_SHORT_HASH digits). Errors of the
 * rubric itself go to errs (file:line:col); a store failure fills errs->e[0].
 * *is_new (may be NULL) tells whether it was newly registered; *index
 * (may be NULL) gets its index for ingest_rubric_info.
 */
int ingest_add_rubric(struct ingest *in, const char *path, bool *is_new,
                      size_t *index, struct cw_errors *errs);
/* Allow (is_ok) later ingest_add_rubric calls to register a changed
 * rubric whose name and version are taken as a variant. */
void ingest_allow_variants(struct ingest *in, bool is_ok);
/* Number of rubrics the session scores under. */
size_t ingest_n_rubrics(const struct ingest *in);
/* Name, version as registered and hash of session rubric i (borrowed
 * from the session). */
void ingest_rubric_info(const struct ingest *in, size_t i, const char **name,
                        const char **version, const char **sha256);

/*
 * Parse, identify, score and store the document at path, inside a
 * savepoint of the current batch (a transaction is begun when none is
 * open and committed every `batch` documents). iso3 (may be NULL) forces
 * the country; else the title must match one (CW_ERR_PARSE naming the
 * title). On failure nothing of the document remains and err says why
 * (a document fault carries file:line:col). Fills *outcome and iso3_out
 * (may be NULL).
 */
int ingest_file(struct ingest *in, const char *path, const char *iso3,
                enum ingest_outcome *outcome, char iso3_out[4],
                struct cw_error *err);
/* The same from a buffer; path is used for messages and stored. */
int ingest_buffer(struct ingest *in, const char *path, const char *data,
                  size_t len, const char *iso3, enum ingest_outcome *outcome,
                  char iso3_out[4], struct cw_error *err);

/* How later documents are read (encoding, PDFs): o is borrowed and must
 * outlive the session; NULL (the default) detects encodings and refuses
 * PDFs. Stored documents are rescored from their stored UTF-8 text. */
void ingest_set_read_opts(struct ingest *in, const struct doc_read_opts *o);

/* One document's outcome in ingest_files, reported in path order. */
struct ingest_report {
    size_t index;                   /* into the paths given */
    const char *path;               /* paths[index] */
    int status;                     /* CW_OK, or the document's error */
    enum ingest_outcome outcome;    /* when status is CW_OK */
    char iso3[4];                   /* its country, "" when not known */
    char title_iso3[4];             /* when iso3 was forced: the other
                                       country its title names, else "" */
    const char *title;              /* the title, when title_iso3 is set;
                                       borrowed for the call */
    const struct cw_error *err;     /* when status is not CW_OK; borrowed for
                                       the call */
    const struct decode_info *read; /* how its bytes were read, when they
                                       were parsed (not for content stored
                                       before); borrowed for the call */
    bool is_pdf;                    /* its text came from a PDF */
};

/* Return CW_OK to go on, or a status to stop ingest_files with. */
typedef int (*ingest_report_fn)(void *ctx, const struct ingest_report *r);

/*
 * ingest_file for each of paths[0..n) in turn (iso3 as there), calling fn
 * after each document, in order. While one document is stored, the next
 * ones (INGEST_WINDOW) are read, hashed, parsed and scored on a second
 * thread, and a third copies the write-ahead log into the database after
 * each commit; what is stored and reported is what ingest_file would give
 * one by one. Content stored when the call began is not parsed again. A
 * document's failure is reported and the next goes on, unless fn returns
 * a status: then nothing more is stored and that status is returned (the
 * open batch is the caller's to commit or roll back). Returns CW_OK after
 * the last document.
 */
int ingest_files(struct ingest *in, char *const *paths, size_t n,
                 const char *iso3, ingest_report_fn fn, void *ctx);

/*
 * Re-score the stored document doc_id under every rubric of the session:
 * its stored text is parsed again (a document stored before schema 2 is
 * rebuilt from its stored sections and units). Part of the current batch.
 * A stored text the parser now refuses is that parser error.
 */
int ingest_rescore(struct ingest *in, int64_t doc_id, struct cw_error *err);

/* ingest_rescore for each of ids[0..n), with the parsing and scoring on
 * a second thread as in ingest_files; stops at the first failure. */
int ingest_rescore_all(struct ingest *in, const int64_t *ids, size_t n,
                       struct cw_error *err);

/* A reference assessment: a country's section statuses given, not read
 * (data/reference/profiles.csv, through core/import.h). Strings and
 * sections are borrowed for the call. */
struct ingest_ref {
    const char *iso3;           /* a stored country */
    const char *key;            /* the SHA-256 (hex) of its rows as imported:
                                   its identity */
    const char *profile_sha256; /* of the profile assessed */
    const char *path;           /* where the profile is published */
    const char *edition_date;   /* the profile's date, ISO */
    const struct store_ref_section *sections;
    size_t n_sections;
};

/*
 * Store ref as a document without text (source_kind 'reference') and its
 * results under every session rubric, computed from the statuses with
 * score_states (each rubric indicator takes the status of its section
 * number; a section not given is not stated). The evidence of each
 * indicator is the deciding line, no cue, and a reason naming the origin.
 * A stored assessment of the country with the same key: INGEST_UNCHANGED,
 * nothing written. Else the country's earlier assessments are deleted and
 * this one stored: INGEST_NEW_VERSION when there were any, else
 * INGEST_STORED. Part of the current batch, in a savepoint. Reference
 * assessments are never found by the content lookup of ingest_file (a
 * profile's text is stored beside the assessment of it) and, on the same
 * date, a document read from text is a country's latest (store.h).
 * ingest_rescore scores a stored assessment from its stored statuses.
 */
int ingest_reference(struct ingest *in, const struct ingest_ref *ref,
                     enum ingest_outcome *outcome, struct cw_error *err);

/* Commit the open batch, if any. */
int ingest_commit(struct ingest *in, struct cw_error *err);
/* Documents whose commit has completed, since ingest_new. */
size_t ingest_n_committed(const struct ingest *in);
/* Called after each commit with the running committed count (may be
 * NULL); for progress and commit notices. */
void ingest_set_commit_hook(struct ingest *in,
                            void (*fn)(void *ctx, size_t n_committed),
                            void *ctx);

/*
 * The edition date of a document: last_updated when set, else the latest
 * of the background figures' source dates, else NULL. Returns one of its
 * (borrowed) arguments.
 */
const char *ingest_edition_date(const char *last_updated,
                                const char *population_date,
                                const char *internet_date);

#endif

/*
 * forget: remove documents ingested by mistake, with everything stored of
 * them (their text, sections, and results under every rubric), in one
 * transaction. What goes is chosen and shown first (forget_plan), then
 * deleted (forget_apply). Analyst overrides belong to a country, not to a
 * document: they are kept, and apply to whichever document of the
 * country is then the latest (or again when one is ingested).
 *
 * Ownership: a plan owns its arrays (forget_plan_release).
 */
#ifndef CYBERWELL_CORE_FORGET_H
#define CYBERWELL_CORE_FORGET_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/diag.h"

/* Hex digits a --document hash prefix needs at least. */
#define FORGET_MIN_PREFIX 6

struct forget_plan {
    char iso3[4];
    struct store_doc_rows docs; /* every document of iso3, latest first */
    bool *is_gone;              /* owned: per docs item, whether it goes */
    size_t n_gone;
    long n_results;   /* results of the documents that go */
    long n_overrides; /* overrides of iso3 (kept) */
};

/*
 * Choose what goes: with document NULL and is_all false, iso3's latest
 * document (the one read commands show); with document, the one whose
 * SHA-256 starts with it (FORGET_MIN_PREFIX hex digits or more) or whose
 * stored path is it; with is_all, every document of iso3. Fills out
 * (release it even on failure). Errors: CW_ERR_NOTFOUND (no document of
 * iso3, none matches document), CW_ERR_USAGE (a prefix matching several
 * documents, or too short), the store's.
 */
int forget_plan(struct store *s, const char *iso3, const char *document,
                bool is_all, struct forget_plan *out, struct cw_error *err);
void forget_plan_release(struct forget_plan *p);

/*
 * Delete what p chose, in one transaction that checks first that the
 * documents are still stored as planned (else CW_ERR_NOTFOUND, nothing
 * deleted). On any error nothing is deleted.
 */
int forget_apply(struct store *s, const struct forget_plan *p,
                 struct cw_error *err);

#endif

/*
 * country: country identity. Folds names into match keys and maps a
 * profile's title ("THE NETHERLANDS", "SUDAN (REPUBLIC OF)") to an ISO 3166
 * alpha-3 code through the names and aliases of data/countries.csv, and
 * loads that file and data/groups.csv into the store when they change.
 */
#ifndef CYBERWELL_CORE_COUNTRY_H
#define CYBERWELL_CORE_COUNTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/diag.h"

#define COUNTRY_KEY_MAX 256 /* bytes in a folded key, with the NUL */

/*
 * Fold a name into a match key (fills out, cap bytes): ASCII letters upper
 * case, Latin-1 letters to their ASCII base ("Türkiye" -> "TURKIYE"), '&'
 * becomes " AND ", every run of other ASCII characters (space,
 * punctuation) one space, trimmed; other UTF-8 sequences are kept.
 * "St. Kitts & Nevis" -> "ST KITTS AND NEVIS". Truncates at cap.
 */
void country_key(const char *name, char *out, size_t cap);

/*
 * Match a title against aliases (from store_aliases_get). Tries, in
 * order: the whole folded title; the title without a leading "THE" and
 * formal wrappers ("REPUBLIC OF", "KINGDOM OF", "(STATE OF)", ...); then
 * any name or alias found as whole words inside the title, the longest
 * winning. Fills iso3 and returns true, or false when nothing matches.
 */
bool country_match(const struct store_aliases *a, const char *title,
                   char iso3[4]);

/*
 * Make the store's countries, aliases and groups those of the CSV files
 * countries_csv ("iso3,name,region,aliases", aliases separated by '|')
 * and groups_csv ("group,iso3"), unless their SHA-256 (kept in the meta
 * table) is unchanged. Runs its own transaction (BEGIN IMMEDIATE) unless
 * one is open. Errors: CW_ERR_IO (unreadable file), CW_ERR_PARSE with
 * file:line:col (bad header, code, duplicate alias of two countries, a
 * group member that is no country), CW_ERR_DB/CW_ERR_BUSY.
 * *is_changed (may be NULL) tells whether anything was loaded.
 */
int country_sync(struct store *s, const char *countries_csv,
                 const char *groups_csv, bool *is_changed,
                 struct cw_error *err);

/*
 * Whether the store's countries are those of the two files (their SHA-256
 * is the one country_sync kept); reads, never writes, so it works on a
 * read-only store. Fills *is_current. Errors: CW_ERR_IO (unreadable file),
 * CW_ERR_DB.
 */
int country_check(struct store *s, const char *countries_csv,
                  const char *groups_csv, bool *is_current,
                  struct cw_error *err);

/*
 * An index over aliases for matching many titles fast (exact keys by
 * binary search). Borrows a, which must outlive it; owned, free with
 * country_index_free.
 */
struct country_index;
struct country_index *country_index_new(const struct store_aliases *a);
void country_index_free(struct country_index *ix);
/* country_match through the index. */
bool country_index_match(const struct country_index *ix, const char *title,
                         char iso3[4]);
/* True when iso3 (upper case) is a country of the index. */
bool country_index_has(const struct country_index *ix, const char *iso3);

/* True when s is three ASCII letters (any case); fills up (upper case). */
bool country_iso3_norm(const char *s, char up[4]);

#endif

# What the read commands show does not depend on how ingest stored it.
# Runs rank, explain, compare, export, chart and report (CSV tables, data
# files, gnuplot scripts and index.html) and compares every output byte
# for byte with the goldens in tests/fixtures/readback/, which the code
# before ingest changed its storage wrote (commit f18d01a, main before the
# merge of ingest; first written at 9227995 on the ingest branch):
#  fresh/  a database built now from the bundled profiles, report and
#          store fixtures and 12 generated profiles under two rubrics,
#          with overrides and published scores;
#  v1/     tests/fixtures/store/v1.sql, a schema-1 database that cyberwell
#          9227995 wrote (sentences stored as rows), migrated by the first
#          command that stores.
# After `rescore`, which re-reads every stored document (from its text, or
# from its sentence rows for a schema-1 document), every output must still
# be the same.
# Times (ISO 8601 UTC) and this run's folder are replaced by <TIME> and
# <TMP> before comparing; PNG and SVG files are not compared.
# -DUPDATE=1 writes the goldens instead, only when a change of the parser
# or scorer is meant to change what is shown (v1/ then shows the stored
# results as they are, before any rescore). Without gnuplot, the chart and
# report outputs are skipped and the rest is still compared.
cmake_minimum_required(VERSION 3.18)
foreach(v PROG SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "readback.cmake needs -D${v}=")
  endif()
endforeach()
set(GOLDEN "${SRC}/tests/fixtures/readback")
set(TMP "${BIN}/case-tmp/e2e.readback")
set(TOOL "${BIN}/tests/tools/cwtool")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}/out")
unset(ENV{CYBERWELL_GNUPLOT})
find_program(GNUPLOT NAMES gnuplot)

# Run cyberwell ARGN in the source tree; fail unless it exits 0. Its
# standard output goes to out/OUT when OUT is given.
function(cw)
  cmake_parse_arguments(A "" "OUT" "" ${ARGN})
  execute_process(COMMAND ${PROG} ${A_UNPARSED_ARGUMENTS}
    WORKING_DIRECTORY "${SRC}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cyberwell ${A_UNPARSED_ARGUMENTS} exited ${rc}\n"
      "${out}\n${err}")
  endif()
  if(A_OUT)
    file(WRITE "${TMP}/out/${A_OUT}" "${out}")
  endif()
endfunction()

# The read commands of set SET; the outputs go under out/SET-PASS/ (by way
# of out/run/, so that the folder named in outputs is the same).
function(read_all set pass)
  set(o run)
  file(REMOVE_RECURSE "${TMP}/out/${o}")
  file(MAKE_DIRECTORY "${TMP}/out/${o}")
  if(set STREQUAL "fresh")
    cw(rank OUT ${o}/rank.txt)
    cw(rank --format json OUT ${o}/rank.json)
    cw(rank --format csv --ties competition --decimals 2 OUT ${o}/rank.csv)
    cw(rank --rubric binary-equal OUT ${o}/rank-binary.txt)
    cw(rank --group EU --no-overrides OUT ${o}/rank-eu.txt)
    cw(rank --as-of 2014 --format json OUT ${o}/rank-2014.json)
    cw(explain BEL --vs NLD OUT ${o}/explain.txt)
    cw(explain BEL --vs NLD --format json OUT ${o}/explain.json)
    cw(explain LUX --vs POL --format csv --no-overrides OUT ${o}/explain.csv)
    cw(compare BEL OUT ${o}/compare.txt)
    cw(compare BEL --format json OUT ${o}/compare.json)
    cw(compare NLD --peers BEL,LUX,ITA --format csv --unstated-as-absent
       OUT ${o}/compare.csv)
    cw(compare JPN --rubric binary-equal --format json
       OUT ${o}/compare-binary.json)
    cw(export --csv "${TMP}/out/${o}/export")
    cw(export --csv "${TMP}/out/${o}/export-all" --all-versions)
    if(GNUPLOT)
      cw(report BEL --out "${TMP}/out/${o}/report-bel")
      cw(report NLD --group EU --out "${TMP}/out/${o}/report-nld")
      cw(chart heatmap ITA --out "${TMP}/out/${o}/chart-ita")
    endif()
  else()
    cw(rank --format json OUT ${o}/rank.json)
    cw(explain BEL --vs NLD --format json OUT ${o}/explain.json)
    cw(compare BEL --peers NLD --format json OUT ${o}/compare.json)
    cw(export --csv "${TMP}/out/${o}/export-all" --all-versions)
    if(GNUPLOT)
      cw(report BEL --peers NLD --out "${TMP}/out/${o}/report-bel")
    endif()
  endif()
  file(GLOB_RECURSE files LIST_DIRECTORIES false "${TMP}/out/${o}/*")
  foreach(f ${files})
    if(f MATCHES "\\.(png|svg)$")
      file(REMOVE "${f}")
      continue()
    endif()
    file(READ "${f}" text)
    string(REGEX REPLACE
      "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z"
      "<TIME>" text "${text}")
    string(REPLACE "${TMP}" "<TMP>" text "${text}")
    file(WRITE "${f}" "${text}")
  endforeach()
  file(RENAME "${TMP}/out/${o}" "${TMP}/out/${set}-${pass}")
endfunction()

# Compare out/SET-PASS/ with the goldens of SET, file by file, both ways;
# appends what differs to `fail` in the caller.
function(check set pass)
  set(got_dir "${TMP}/out/${set}-${pass}")
  set(want_dir "${GOLDEN}/${set}")
  file(GLOB_RECURSE got RELATIVE "${got_dir}" "${got_dir}/*")
  file(GLOB_RECURSE want RELATIVE "${want_dir}" "${want_dir}/*")
  if(NOT GNUPLOT)
    list(FILTER want EXCLUDE REGEX "^(report|chart)-")
  endif()
  foreach(f ${want})
    if(NOT EXISTS "${got_dir}/${f}")
      string(APPEND fail "${set}-${pass}: missing output ${f}\n")
    else()
      execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
        "${want_dir}/${f}" "${got_dir}/${f}" RESULT_VARIABLE rc)
      if(NOT rc EQUAL 0)
        string(APPEND fail "${set}-${pass}: ${f} differs: diff "
          "${want_dir}/${f} ${got_dir}/${f}\n")
      endif()
    endif()
  endforeach()
  foreach(f ${got})
    if(NOT EXISTS "${want_dir}/${f}")
      string(APPEND fail "${set}-${pass}: output ${f} has no golden\n")
    endif()
  endforeach()
  set(fail "${fail}" PARENT_SCOPE)
endfunction()

# fresh: the inputs, including generated profiles (one per real country
# name in turn: new versions, collapsed layouts and bullets).
set(ENV{CYBERWELL_DB} "${TMP}/fresh.sqlite")
execute_process(COMMAND ${BIN}/genprofiles --seed 7 12 "${TMP}/gen"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "genprofiles failed")
endif()
cw(ingest -q --rubric rubric/binary-equal.csv data/profiles/bel.txt tests/fixtures/profiles)
cw(ingest -q tests/fixtures/report/bel-2013.txt
   tests/fixtures/store/bel-2016.txt)
cw(ingest -q "${TMP}/gen")
cw(import --csv tests/fixtures/store/overrides.csv)
cw(import --csv data/reference/gci-published.csv)
read_all(fresh ingested)

# v1: the schema-1 database, read as it is stored.
set(ENV{CYBERWELL_DB} "${TMP}/v1.sqlite")
execute_process(COMMAND ${TOOL} load "${TMP}/v1.sqlite"
  "${SRC}/tests/fixtures/store/v1.sql" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cwtool load failed")
endif()
# A read command neither creates nor upgrades a database: a command that
# stores upgrades it, here by ingesting a profile it already holds
# (unchanged: the document count below stays 5).
cw(ingest -q data/profiles/bel.txt)
read_all(v1 stored)

if(UPDATE)
  if(NOT GNUPLOT)
    message(FATAL_ERROR "-DUPDATE=1 needs gnuplot (the report goldens)")
  endif()
  foreach(set fresh v1)
    file(REMOVE_RECURSE "${GOLDEN}/${set}")
  endforeach()
  file(RENAME "${TMP}/out/fresh-ingested" "${GOLDEN}/fresh")
  file(RENAME "${TMP}/out/v1-stored" "${GOLDEN}/v1")
  message(STATUS "goldens written to ${GOLDEN}")
  return()
endif()

set(fail "")
check(fresh ingested)
check(v1 stored)
# The schema-1 database was migrated, its documents kept, and it is sound.
execute_process(COMMAND ${TOOL} query "${TMP}/v1.sqlite"
  "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM documents), (SELECT integrity_check FROM pragma_integrity_check)"
  OUTPUT_VARIABLE v1_state)
if(NOT v1_state STREQUAL "2|5|ok\n")
  string(APPEND fail "v1: version, documents, integrity: ${v1_state}")
endif()

# Rescoring re-reads every document; nothing shown may change.
set(ENV{CYBERWELL_DB} "${TMP}/fresh.sqlite")
cw(rescore -q)
read_all(fresh rescored)
check(fresh rescored)
set(ENV{CYBERWELL_DB} "${TMP}/v1.sqlite")
cw(rescore -q)
read_all(v1 rescored)
check(v1 rescored)

# A migrated database takes new documents beside the old ones.
cw(ingest -q tests/fixtures/store/bel-2016.txt)
cw(rescore -q)
cw(export --csv "${TMP}/out/v1-more")
file(READ "${TMP}/out/v1-more/scores.csv" text)
if(NOT text MATCHES "\"tests/fixtures/store/bel-2016.txt\",\"2016-03-03\"")
  string(APPEND fail "v1: the new document is not BEL's latest:\n${text}\n")
endif()

if(fail)
  message(FATAL_ERROR "${fail}")
endif()
if(NOT GNUPLOT)
  message(STATUS "note: gnuplot missing, chart and report outputs skipped")
endif()
message(STATUS "ok: every output equals its golden, after ingest, after a "
  "migration and after rescore")

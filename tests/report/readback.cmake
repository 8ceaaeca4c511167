# What the read commands show does not depend on how ingest stored it.
# Builds a database from the bundled profiles, report and store fixtures
# and 12 generated profiles under two rubrics, with overrides and
# published scores, then runs rank, explain, compare, export, chart and
# report (CSV tables, data files, gnuplot scripts and index.html) and
# compares every output byte for byte with tests/fixtures/readback/: the
# outputs of the code before ingest changed its storage (commit 1be89ea).
# Then `rescore` (which re-reads the stored documents) must leave every
# output the same.
# Times (ISO 8601 UTC) and this run's folder are replaced by <TIME> and
# <TMP> before comparing; PNG and SVG files are not compared.
# -DUPDATE=1 writes the goldens instead (only when a change of the parser
# or scorer is meant to change what is shown). Without gnuplot, the chart
# and report outputs are skipped and the rest is still compared.
cmake_minimum_required(VERSION 3.18)
foreach(v PROG SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "readback.cmake needs -D${v}=")
  endif()
endforeach()
set(GOLDEN "${SRC}/tests/fixtures/readback")
set(TMP "${BIN}/case-tmp/e2e.readback")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}/out")
set(ENV{CYBERWELL_DB} "${TMP}/db.sqlite")
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

# The inputs: the bundled profiles, an earlier and a later Belgian
# edition, and generated profiles (one per real country name in turn, so
# new versions, collapsed layouts and bullets).
execute_process(COMMAND ${BIN}/genprofiles --seed 7 12 "${TMP}/gen"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "genprofiles failed")
endif()
cw(ingest -q --rubric rubric/binary-equal.csv data/profiles)
cw(ingest -q tests/fixtures/report/bel-2013.txt
   tests/fixtures/store/bel-2016.txt)
cw(ingest -q "${TMP}/gen")
cw(import --csv tests/fixtures/store/overrides.csv)
cw(import --csv data/reference/gci-published.csv)

# The read commands; each pass writes its outputs under out/PASS/ (by way
# of out/run/, so that the folder named in outputs is the same).
function(read_all pass)
  set(o run)
  file(REMOVE_RECURSE "${TMP}/out/${o}")
  file(MAKE_DIRECTORY "${TMP}/out/${o}")
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
  # Normalise: times and this run's folder.
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
  file(RENAME "${TMP}/out/${o}" "${TMP}/out/${pass}")
endfunction()

# Compare out/PASS/ with the goldens, file by file, both ways.
function(check pass)
  set(fail "")
  file(GLOB_RECURSE got RELATIVE "${TMP}/out/${pass}" "${TMP}/out/${pass}/*")
  file(GLOB_RECURSE want RELATIVE "${GOLDEN}" "${GOLDEN}/*")
  list(REMOVE_ITEM want README.md)
  if(NOT GNUPLOT)
    list(FILTER want EXCLUDE REGEX "^(report|chart)-")
  endif()
  foreach(f ${want})
    if(NOT EXISTS "${TMP}/out/${pass}/${f}")
      string(APPEND fail "${pass}: missing output ${f}\n")
      continue()
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files
      "${GOLDEN}/${f}" "${TMP}/out/${pass}/${f}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      string(APPEND fail "${pass}: ${f} differs: diff "
        "${GOLDEN}/${f} ${TMP}/out/${pass}/${f}\n")
    endif()
  endforeach()
  foreach(f ${got})
    if(NOT EXISTS "${GOLDEN}/${f}")
      string(APPEND fail "${pass}: output ${f} has no golden\n")
    endif()
  endforeach()
  set(fail "${fail}" PARENT_SCOPE)
endfunction()

read_all(ingested)
if(UPDATE)
  if(NOT GNUPLOT)
    message(FATAL_ERROR "-DUPDATE=1 needs gnuplot (the report goldens)")
  endif()
  file(REMOVE_RECURSE "${GOLDEN}")
  file(COPY "${TMP}/out/ingested/" DESTINATION "${GOLDEN}")
  file(WRITE "${GOLDEN}/README.md"
    "# Goldens of tests/report/readback.cmake\n\n"
    "What the read commands print and write for the inputs that script\n"
    "ingests, times and folders normalised. Regenerate only when a change\n"
    "of the parser or scorer is meant to change what is shown:\n"
    "`cmake -DPROG=build/cyberwell -DSRC=. -DBIN=build -DUPDATE=1 -P "
    "tests/report/readback.cmake`\n")
  message(STATUS "goldens written to ${GOLDEN}")
  return()
endif()
check(ingested)
set(all_fail "${fail}")
cw(rescore -q)
read_all(rescored)
check(rescored)
string(APPEND all_fail "${fail}")
if(all_fail)
  message(FATAL_ERROR "${all_fail}")
endif()
if(NOT GNUPLOT)
  message(STATUS "note: gnuplot missing, chart and report outputs skipped")
endif()
message(STATUS "ok: every output equals its golden, after ingest and after "
  "rescore")

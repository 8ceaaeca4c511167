# Document text cannot execute in a spreadsheet through CSV. A profile
# whose title and sentences start with = + - @, and analyst overrides
# whose reason and author start with = + - @, TAB and CR, are ingested and
# imported; then every CSV cyberwell writes (export, the report card's
# tables, and --format csv of rank, compare, explain and score) is read
# cell by cell (cwtool csvcheck): no text cell may start with one of
# those characters, and the hostile cells must be there, neutralised
# with a leading '. Exported files are readable by others (0644).
cmake_minimum_required(VERSION 3.18)
foreach(v PROG TOOL SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "spreadsheet.cmake needs -D${v}=")
  endif()
endforeach()
set(TMP "${BIN}/case-tmp/injection.spreadsheet")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}")
set(ENV{CYBERWELL_DB} "${TMP}/db.sqlite")
set(ENV{CYBERWELL_GNUPLOT} "/bin/true") # no charts: the tables matter

file(READ "${SRC}/data/profiles/bel.txt" doc)
string(REPLACE "CYBERWELLNESS PROFILE BELGIUM"
  "CYBERWELLNESS PROFILE =HYPERLINK(\"http://example.invalid/\",\"x\")"
  doc "${doc}")
string(REPLACE "Specific legislation on cybercrime has been"
  "=cmd|' /C calc'!A0 specific legislation on cybercrime has been" doc "${doc}")
string(REPLACE "There is no information about any framework"
  "+1+2 there is no information about any framework" doc "${doc}")
string(REPLACE "Belgium has an officially recognized national cybersecurity strategy"
  "-1-2 Belgium has an officially recognized national cybersecurity strategy"
  doc "${doc}")
string(REPLACE "Belgium does not have any national benchmarking"
  "@SUM(1+1) Belgium does not have any national benchmarking" doc "${doc}")
file(WRITE "${TMP}/hostile.txt" "${doc}")
file(WRITE "${TMP}/overrides.csv"
  "kind,iso3,indicator,status,reason,author,date\n"
  "override,BEL,1.4.1,present,=1+1,\"@analyst\",2016-03-01\n"
  "override,BEL,1.2.3,partial,+cmd,\"-x\",2016-03-02\n"
  "override,NLD,1.2.3,partial,\"\tTAB first\",\"\rCR first\",2016-03-03\n"
  "override,NLD,1.4.1,present,-2+3,=A1,2016-03-04\n")

function(cw out_file)
  execute_process(COMMAND ${PROG} ${ARGN} WORKING_DIRECTORY "${SRC}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cyberwell ${ARGN} exited ${rc}\n${out}\n${err}")
  endif()
  if(out_file)
    file(WRITE "${out_file}" "${out}")
  endif()
endfunction()
cw("" ingest -q data/profiles/bel.txt tests/fixtures/profiles)
cw("" ingest -q --country BEL "${TMP}/hostile.txt")
cw("" import --csv "${TMP}/overrides.csv")
cw("" export --csv "${TMP}/export")
# The card's tables are written even when gnuplot fails (exit 5).
execute_process(COMMAND ${PROG} report BEL --out "${TMP}/card"
  WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 5)
  message(FATAL_ERROR "cyberwell report exited ${rc}, expected 5\n${err}")
endif()
cw("${TMP}/rank.csv" rank --format csv)
cw("${TMP}/compare.csv" compare BEL --format csv)
cw("${TMP}/explain.csv" explain BEL --vs NLD --format csv)
cw("${TMP}/score.csv" score --format csv "${TMP}/hostile.txt")

file(GLOB csvs "${TMP}/export/*.csv" "${TMP}/card/*.csv" "${TMP}/*.csv")
list(REMOVE_ITEM csvs "${TMP}/overrides.csv") # the input
execute_process(COMMAND ${TOOL} csvcheck ${csvs}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
set(fail "")
if(NOT rc EQUAL 0)
  string(APPEND fail "formula cells in the CSV output (see above)\n${err}\n")
endif()
# The hostile cells are there, neutralised.
file(READ "${TMP}/export/overrides.csv" ov)
file(READ "${TMP}/export/scores.csv" sc)
file(READ "${TMP}/export/indicators.csv" ind)
foreach(want "\"'=1+1\"" "\"'@analyst\"" "\"'+cmd\"" "\"'-x\"" "\"'\tTAB first\""
             "\"'\rCR first\"" "\"'-2+3\"" "\"'=A1\"")
  string(FIND "${ov}" "${want}" pos)
  if(pos EQUAL -1)
    string(APPEND fail "export/overrides.csv lacks ${want}\n")
  endif()
endforeach()
string(FIND "${sc}" "\"'=HYPERLINK(\"\"http://example.invalid/\"\",\"\"x\"\")\"" pos)
if(pos EQUAL -1)
  string(APPEND fail "export/scores.csv lacks the neutralised title\n")
endif()
# (A line starting with '-' is a bullet to the parser: "-1-2 Belgium" is
# read as the bullet "1-2 Belgium"; '-' reaches a cell through import.)
foreach(want "\"'=cmd|' /C calc'!A0" "\"'+1+2 there" "\"1-2 Belgium" "\"'@SUM(1+1)")
  string(FIND "${ind}" "${want}" pos)
  if(pos EQUAL -1)
    string(APPEND fail "export/indicators.csv lacks ${want}\n")
  endif()
endforeach()
# Exported files are ordinary files (once 0600, as mkstemp makes them).
find_program(STAT NAMES stat)
if(STAT)
  execute_process(COMMAND ${STAT} -c %a "${TMP}/export/scores.csv"
    OUTPUT_VARIABLE mode OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT mode STREQUAL "644")
    string(APPEND fail "export/scores.csv has mode ${mode}, expected 644\n")
  endif()
endif()
if(fail)
  message(FATAL_ERROR "${fail}")
endif()
message(STATUS "ok: no formula cell; the hostile cells are neutralised")

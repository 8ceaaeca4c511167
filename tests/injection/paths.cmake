# Document and reference text cannot write outside the output folder. A
# country whose name (data/countries.csv of a project folder made here)
# and whose profile title carry '../' and '/', and a group named with
# them: report (default folder and --out), chart and export write only
# inside their folders, whose names come from the ISO3 code or the
# options, never from the text. --out given with '..' lands where it
# points. Runs without gnuplot too (charts then fail with exit 5, after
# their scripts, data and tables are written).
cmake_minimum_required(VERSION 3.18)
foreach(v PROG TOOL SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "paths.cmake needs -D${v}=")
  endif()
endforeach()
set(TOP "${BIN}/case-tmp/injection.paths")
set(TMP "${TOP}/work")
set(HOME "${TMP}/home")
file(REMOVE_RECURSE "${TOP}")
file(MAKE_DIRECTORY "${HOME}")
file(COPY "${SRC}/data" "${SRC}/rubric" DESTINATION "${HOME}")
set(ENV{CYBERWELL_HOME} "${HOME}")
set(ENV{CYBERWELL_DB} "${TMP}/db.sqlite")
find_program(GNUPLOT NAMES gnuplot)
set(ok_codes 0)
if(NOT GNUPLOT)
  set(ok_codes 0 5)
endif()

file(APPEND "${HOME}/data/countries.csv"
  "EVL,../../../escape/evil/../x,Europe,\n"
  "DOT,../../dots/..,Europe,\n")
file(APPEND "${HOME}/data/groups.csv"
  "../../escape-group,EVL\n../../escape-group,BEL\n../../escape-group,NLD\n")
file(READ "${SRC}/data/profiles/bel.txt" doc)
string(REPLACE "CYBERWELLNESS PROFILE BELGIUM"
  "CYBERWELLNESS PROFILE ../../ESCAPE/../../X" doc "${doc}")
file(WRITE "${TMP}/evil.txt" "${doc}")
string(REPLACE "../../ESCAPE/../../X" "../.." doc "${doc}")
file(WRITE "${TMP}/dots.txt" "${doc}")

function(cw)
  execute_process(COMMAND ${PROG} ${ARGN} WORKING_DIRECTORY "${HOME}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  list(FIND ok_codes "${rc}" i)
  if(i EQUAL -1)
    message(FATAL_ERROR "cyberwell ${ARGN} exited ${rc}\n${out}\n${err}")
  endif()
endfunction()
cw(ingest -q data/profiles/bel.txt "${SRC}/tests/fixtures/profiles")
cw(ingest -q --country EVL "${TMP}/evil.txt")
cw(ingest -q --country DOT "${TMP}/dots.txt")
cw(report EVL --peers BEL,NLD)
cw(report DOT --peers BEL)
cw(report EVL --group ../../escape-group --out "${TMP}/card")
cw(report EVL --peers BEL --out "${TMP}/sub/../card2")
cw(chart radar EVL --peers BEL --out "${TMP}/chart")
cw(export --csv "${TMP}/export")

set(fail "")
# Nothing beside the work folder, and nothing in it but what was asked.
file(GLOB top RELATIVE "${TOP}" "${TOP}/*")
if(NOT top STREQUAL "work")
  string(APPEND fail "outside the work folder: ${top}\n")
endif()
foreach(p "${BIN}/case-tmp/escape" "${BIN}/escape" "${TOP}/escape"
          "${TOP}/x" "${HOME}/escape" "${HOME}/x" "${TMP}/escape")
  if(EXISTS "${p}")
    string(APPEND fail "written outside its folder: ${p}\n")
  endif()
endforeach()
file(GLOB_RECURSE files RELATIVE "${TMP}" "${TMP}/*")
foreach(f IN LISTS files)
  if(NOT f MATCHES "^(home/data/|home/rubric/|home/reports/(EVL|DOT)/[a-z]+\\.[a-z]+$|card/|card2/|chart/|export/|db\\.sqlite|(evil|dots)\\.txt$)")
    string(APPEND fail "unexpected file: ${f}\n")
  endif()
endforeach()
file(GLOB reports RELATIVE "${HOME}/reports" "${HOME}/reports/*")
list(SORT reports)
if(NOT reports STREQUAL "DOT;EVL")
  string(APPEND fail "home/reports holds: ${reports} (expected DOT;EVL)\n")
endif()
foreach(f home/reports/EVL/index.html home/reports/DOT/index.html
          card/index.html card2/index.html chart/radar.gp export/scores.csv)
  if(NOT EXISTS "${TMP}/${f}")
    string(APPEND fail "missing: ${f}\n")
  endif()
endforeach()
if(fail)
  message(FATAL_ERROR "${fail}")
endif()
message(STATUS "ok: every file inside its output folder")

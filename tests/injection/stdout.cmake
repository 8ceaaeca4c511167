# Every command that writes to standard output fails when it cannot:
# each command (and --help, --version, 'CMD --help') is run with stdout
# on /dev/full (every write fails with ENOSPC) and with stdout closed (as
# the shell's >&-); each must exit non-zero saying "cannot write to
# standard output" (once 'rank --format json > /dev/full', 'compare
# --format json >&-', --help and --version exited 0 having written
# nothing).
cmake_minimum_required(VERSION 3.18)
foreach(v PROG TOOL SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "stdout.cmake needs -D${v}=")
  endif()
endforeach()
set(TMP "${BIN}/case-tmp/injection.stdout")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}")
set(ENV{CYBERWELL_HOME} "${SRC}")
set(ENV{CYBERWELL_DB} "${TMP}/db.sqlite")
execute_process(COMMAND ${PROG} ingest -q data/profiles/bel.txt
  tests/fixtures/profiles/nld.txt tests/fixtures/profiles/lux.txt WORKING_DIRECTORY "${SRC}"
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "set-up failed: ${err}")
endif()

# One run per entry, its arguments separated by '|'.
set(runs
  "--help" "--version" "help|rank" "rank|--help" "report|--help"
  "parse|data/profiles/bel.txt"
  "score|data/profiles/bel.txt"
  "score|--format|json|data/profiles/bel.txt"
  "ingest|tests/fixtures/profiles/gbr.txt"
  "import|--csv|data/reference/gci-published.csv"
  "rescore"
  "rank" "rank|--format|json" "rank|--format|csv"
  "compare|BEL" "compare|BEL|--format|json"
  "explain|BEL|--vs|NLD" "explain|BEL|--vs|NLD|--format|json"
  "export|--csv|${TMP}/export"
  "chart|radar|BEL|--out|${TMP}/chart"
  "report|BEL|--out|${TMP}/card")
set(fail "")
set(n 0)
foreach(mode full closed)
  foreach(entry IN LISTS runs)
    string(REPLACE "|" ";" run "${entry}")
    if(mode STREQUAL "full")
      execute_process(COMMAND ${PROG} ${run} WORKING_DIRECTORY "${SRC}"
        OUTPUT_FILE /dev/full RESULT_VARIABLE rc ERROR_VARIABLE err)
    else()
      execute_process(COMMAND ${TOOL} run --close-stdout -- ${PROG} ${run}
        WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc ERROR_VARIABLE err)
    endif()
    math(EXPR n "${n} + 1")
    string(FIND "${err}" "cannot write to standard output" at)
    if(rc EQUAL 0 OR at EQUAL -1)
      string(REPLACE "|" " " shown "${entry}")
      string(APPEND fail "stdout ${mode}: '${shown}' exited ${rc}: ${err}\n")
    endif()
  endforeach()
endforeach()
if(fail)
  message(FATAL_ERROR "${fail}")
endif()
message(STATUS "ok: ${n} runs failed with a message when stdout could not be written")

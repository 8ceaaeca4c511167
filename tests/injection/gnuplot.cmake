# Document and reference text cannot run commands through gnuplot. A
# country name and a group name (data/countries.csv, data/groups.csv of a
# project folder made here) and a profile's title and sentences carry
# backquotes, system("touch ..."), '!' commands, quotes, @macros and
# newlines aimed at @TMP@/pwned. 'cyberwell report' and 'cyberwell chart'
# must render every chart and create nothing there.
# Prints "SKIP: ..." (ctest: skipped) without gnuplot.
cmake_minimum_required(VERSION 3.18)
foreach(v PROG TOOL SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "gnuplot.cmake needs -D${v}=")
  endif()
endforeach()
find_program(GNUPLOT NAMES gnuplot)
if(NOT GNUPLOT)
  message("SKIP: gnuplot is not installed (apt-get install -y gnuplot-nox)")
  return()
endif()
set(TMP "${BIN}/case-tmp/injection.gnuplot")
set(HOME "${TMP}/home")
set(PWNED "${TMP}/pwned")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${HOME}")
file(COPY "${SRC}/data" "${SRC}/rubric" DESTINATION "${HOME}")
unset(ENV{CYBERWELL_GNUPLOT})
set(ENV{CYBERWELL_HOME} "${HOME}")

# Every way into a gnuplot command line: backquotes, system(), a '!'
# line, a quote to close a string, a newline to start a new command.
set(evil "Evil`touch ${PWNED}` 'q' \"dq\" system(\"touch ${PWNED}\") @x")
set(evil_nl "${evil}\n!touch ${PWNED}\nset output '${PWNED}'\nsystem('touch ${PWNED}')")
string(REPLACE "\"" "\"\"" evil_csv "${evil_nl}")
file(APPEND "${HOME}/data/countries.csv" "EVL,\"${evil_csv}\",Europe,\n")
file(APPEND "${HOME}/data/groups.csv"
  "\"G`touch ${PWNED}`'\"\"\",EVL\n\"G`touch ${PWNED}`'\"\"\",BEL\n"
  "\"G`touch ${PWNED}`'\"\"\",NLD\n")
set(group "G`touch ${PWNED}`'\"")
# A profile whose title and first sentence carry the same.
file(READ "${SRC}/data/profiles/bel.txt" doc)
string(REPLACE "CYBERWELLNESS PROFILE BELGIUM"
  "CYBERWELLNESS PROFILE EVIL`touch ${PWNED}` 'Q' \"DQ\" SYSTEM(\"touch ${PWNED}\")"
  doc "${doc}")
string(REPLACE "Specific legislation on cybercrime has been enacted"
  "Specific legislation `touch ${PWNED}` system(\"touch ${PWNED}\") '; !touch ${PWNED} has been enacted"
  doc "${doc}")
file(WRITE "${TMP}/evil.txt" "${doc}")

function(cw)
  execute_process(COMMAND ${PROG} --db "${TMP}/db.sqlite" ${ARGN}
    WORKING_DIRECTORY "${HOME}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cyberwell ${ARGN} exited ${rc}\n${out}\n${err}")
  endif()
endfunction()
cw(ingest -q data/profiles/bel.txt "${SRC}/tests/fixtures/profiles")
cw(ingest -q --country EVL "${TMP}/evil.txt")
cw(report EVL --peers BEL,NLD --out "${TMP}/card")
cw(report EVL --group "${group}" --out "${TMP}/card-group")
cw(chart ranking EVL --group "${group}" --out "${TMP}/chart")

set(fail "")
# Control: the payload does run when pasted into gnuplot unescaped.
execute_process(COMMAND ${GNUPLOT} -e "set title \"`touch ${TMP}/control`\""
  RESULT_VARIABLE grc OUTPUT_QUIET ERROR_QUIET)
if(NOT EXISTS "${TMP}/control")
  string(APPEND fail "control: gnuplot did not run a backquoted command\n")
endif()
if(EXISTS "${PWNED}")
  string(APPEND fail "a command ran: ${PWNED} exists\n")
endif()
foreach(stem radar ranking pillars heatmap)
  foreach(dir card card-group)
    foreach(ext png svg)
      if(NOT EXISTS "${TMP}/${dir}/${stem}.${ext}")
        string(APPEND fail "not rendered: ${dir}/${stem}.${ext}\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(NOT EXISTS "${TMP}/chart/ranking.png")
  string(APPEND fail "not rendered: chart/ranking.png\n")
endif()
# The hostile name did reach gnuplot (through its data file).
file(READ "${TMP}/card/ranking.dat" dat)
string(FIND "${dat}" "Evil`touch ${PWNED}`" pos)
if(pos EQUAL -1)
  string(APPEND fail "card/ranking.dat lacks the hostile country name\n")
endif()
# gnuplot reported no error (a string broken open by a quote or a
# newline would leave one); layout warnings about the long name are fine.
foreach(dir card card-group chart)
  if(EXISTS "${TMP}/${dir}/gnuplot.log")
    file(READ "${TMP}/${dir}/gnuplot.log" log)
    string(TOLOWER "${log}" log_lc)
    string(FIND "${log_lc}" "error" pos)
    if(NOT pos EQUAL -1)
      string(APPEND fail "${dir}/gnuplot.log reports an error:\n${log}\n")
    endif()
  endif()
endforeach()
if(fail)
  message(FATAL_ERROR "${fail}")
endif()
message(STATUS "ok: no command ran; every chart rendered")

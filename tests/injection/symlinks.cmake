# No output follows a symbolic link. In the folders that chart, report and
# export write into, every file they write (scripts, data, images, CSV
# tables, index.html, gnuplot.log) is first planted as a symbolic link to
# a victim file; each must be replaced by a regular file and the victim
# left as it was (once 'chart' emptied it through gnuplot.log). Runs
# without gnuplot too (charts then fail with exit 5, after their scripts,
# data and log are written).
cmake_minimum_required(VERSION 3.18)
foreach(v PROG TOOL SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "symlinks.cmake needs -D${v}=")
  endif()
endforeach()
set(TMP "${BIN}/case-tmp/injection.symlinks")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}")
set(ENV{CYBERWELL_HOME} "${SRC}")
set(ENV{CYBERWELL_DB} "${TMP}/db.sqlite")
set(VICTIM "${TMP}/victim")
file(WRITE "${VICTIM}" "precious\n")
find_program(GNUPLOT NAMES gnuplot)
set(ok_codes 0)
if(NOT GNUPLOT)
  set(ok_codes 0 5)
endif()

function(cw)
  execute_process(COMMAND ${PROG} ${ARGN} WORKING_DIRECTORY "${SRC}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  list(FIND ok_codes "${rc}" i)
  if(i EQUAL -1)
    message(FATAL_ERROR "cyberwell ${ARGN} exited ${rc}\n${out}\n${err}")
  endif()
endfunction()

# Plant DIR/NAME -> victim for each name.
function(plant dir)
  file(MAKE_DIRECTORY "${dir}")
  foreach(name ${ARGN})
    file(CREATE_LINK "${VICTIM}" "${dir}/${name}" SYMBOLIC)
  endforeach()
endfunction()

set(chart_files radar.gp radar.dat radar.png radar.svg gnuplot.log)
set(report_files index.html scores.csv pillars.csv indicators.csv
    findings.csv gnuplot.log radar.gp radar.dat pillars.gp pillars.dat
    ranking.gp ranking.dat heatmap.gp heatmap.dat radar.png heatmap.svg)
set(export_files scores.csv pillars.csv indicators.csv ranks.csv
    overrides.csv reference.csv)
cw(ingest -q data/profiles/bel.txt tests/fixtures/profiles)
plant("${TMP}/chart" ${chart_files})
plant("${TMP}/report" ${report_files})
plant("${TMP}/export" ${export_files})
cw(chart radar BEL --out "${TMP}/chart")
cw(report BEL --out "${TMP}/report")
cw(export --csv "${TMP}/export")

set(fail "")
file(READ "${VICTIM}" got)
if(NOT got STREQUAL "precious\n")
  string(APPEND fail "the victim was written through a link: '${got}'\n")
endif()
# Every planted name is now a regular file, or gone (an image that
# could not be drawn without gnuplot).
foreach(pair "chart;${chart_files}" "report;${report_files}"
             "export;${export_files}")
  list(POP_FRONT pair sub)
  foreach(name ${pair})
    set(p "${TMP}/${sub}/${name}")
    if(IS_SYMLINK "${p}")
      string(APPEND fail "still a link (written through?): ${sub}/${name}\n")
    elseif(NOT EXISTS "${p}" AND NOT name MATCHES "\\.(png|svg)$")
      string(APPEND fail "missing: ${sub}/${name}\n")
    endif()
  endforeach()
endforeach()
if(fail)
  message(FATAL_ERROR "${fail}")
endif()
message(STATUS "ok: no output followed a symbolic link")

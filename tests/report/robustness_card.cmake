# The rank-interval chart and sentence on the report card (issue 12):
# the sentence is the one 'cyberwell robustness --vs' prints for the same
# draws, the card records draws, seed and the uncertainty file's hash, the
# same seed gives the same chart and table, another seed is recorded, and
# --draws 0 leaves the chart out. Three countries from the fixtures
# (Belgium's profile, its 2013 edition as LUX, the hostile one as NLD).
# Prints "SKIP: ..." (ctest: skipped) without gnuplot.
cmake_minimum_required(VERSION 3.18)
foreach(v PROG SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "robustness_card.cmake needs -D${v}=")
  endif()
endforeach()
find_program(GNUPLOT NAMES gnuplot)
if(NOT GNUPLOT)
  message("SKIP: gnuplot is not installed (apt-get install -y gnuplot-nox)")
  return()
endif()

set(TMP "${BIN}/case-tmp/e2e.robustness_card")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}")
set(ENV{CYBERWELL_DB} "${TMP}/db.sqlite")
unset(ENV{CYBERWELL_GNUPLOT})

# Run cyberwell with ARGN; its standard output goes into the variable out.
function(cw out)
  execute_process(COMMAND ${PROG} ${ARGN} WORKING_DIRECTORY "${SRC}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cyberwell ${ARGN} exited ${rc}\n${o}\n${e}")
  endif()
  set(${out} "${o}" PARENT_SCOPE)
endfunction()
cw(o ingest -q data/profiles/bel.txt)
cw(o ingest -q --country LUX tests/fixtures/report/bel-2013.txt)
cw(o ingest -q --country NLD tests/fixtures/report/hostile-bel.txt)
set(common BEL --include-incomplete --peers LUX,NLD)
cw(o report ${common} --out "${TMP}/a")
cw(o report ${common} --out "${TMP}/b")
cw(o report ${common} --seed 7 --out "${TMP}/seed7")
cw(o report ${common} --draws 0 --out "${TMP}/off")
cw(text robustness --vs BEL --include-incomplete --peers LUX,NLD
        --draws 2000 --seed 1)

set(fail "")
file(READ "${TMP}/a/index.html" page)
file(SHA256 "${SRC}/rubric/gci2014-uncertainty.csv" hash)

# 1. The sentence is robustness's, HTML-escaped, on the card.
string(REGEX MATCH "BEL \\(Belgium\\): ([^\n]*)" line "${text}")
set(sentence "${CMAKE_MATCH_1}")
if(NOT sentence MATCHES "^Belgium's rank (is [0-9]+ in all|stays between [0-9]+ and [0-9]+ in [0-9]+ % of) 2,000 draws")
  string(APPEND fail "robustness printed no sentence for BEL: '${line}'\n")
endif()
string(REPLACE "'" "&#39;" escaped "${sentence}")
string(FIND "${page}" "<p class=\"lead\">${escaped}</p>" pos)
if(pos EQUAL -1)
  string(APPEND fail "the card lacks the sentence '${escaped}'\n")
endif()

# 2. Draws, seed and the uncertainty file's hash are recorded.
foreach(want "2,000 draws, seed 1, uncertainty file"
             "(SHA-256 ${hash})" "<img src=\"robustness.svg\""
             "robustness.csv")
  string(FIND "${page}" "${want}" pos)
  if(pos EQUAL -1)
    string(APPEND fail "the card lacks: ${want}\n")
  endif()
endforeach()
file(READ "${TMP}/seed7/index.html" page7)
string(FIND "${page7}" "2,000 draws, seed 7, uncertainty file" pos)
if(pos EQUAL -1)
  string(APPEND fail "the card with --seed 7 does not record seed 7\n")
endif()

# 3. The same seed draws the same chart and table.
foreach(f robustness.dat robustness.gp robustness.csv)
  file(SHA256 "${TMP}/a/${f}" ha)
  file(SHA256 "${TMP}/b/${f}" hb)
  if(NOT ha STREQUAL hb)
    string(APPEND fail "${f} differs between two runs with seed 1\n")
  endif()
endforeach()
file(STRINGS "${TMP}/a/robustness.csv" rows)
list(LENGTH rows n_rows)
if(NOT n_rows EQUAL 4)
  string(APPEND fail "robustness.csv has ${n_rows} lines, not 4\n")
endif()
file(STRINGS "${TMP}/a/robustness.csv" focus REGEX "^\"BEL\",\"country\",")
file(STRINGS "${TMP}/a/robustness.csv" peers REGEX "^\"(LUX|NLD)\",\"peer\",")
list(LENGTH peers n_peers)
if(NOT focus OR NOT n_peers EQUAL 2)
  string(APPEND fail "robustness.csv does not mark BEL and its 2 peers\n")
endif()

# 4. --draws 0: no chart, no sentence, and the card says so.
if(EXISTS "${TMP}/off/robustness.gp")
  string(APPEND fail "--draws 0 still wrote robustness.gp\n")
endif()
file(READ "${TMP}/off/index.html" off)
string(FIND "${off}" "not run (--draws 0)" pos)
string(FIND "${off}" "class=\"lead\"" lead)
if(pos EQUAL -1 OR NOT lead EQUAL -1)
  string(APPEND fail "the card with --draws 0 does not say it is off\n")
endif()

# 5. Chart text fit for a national report (issue 13): no legend titled
#    "series", no command-line flag in a title (the peers are --peers).
file(GLOB scripts "${TMP}/a/*.gp")
foreach(gp ${scripts})
  file(STRINGS "${gp}" titles REGEX "^set title |title 'series'")
  foreach(t ${titles})
    if(t MATCHES "title 'series'" OR t MATCHES "\\(--")
      string(APPEND fail "${gp}: ${t}\n")
    endif()
  endforeach()
endforeach()
string(FIND "${page}" "from --peers" pos)
if(NOT pos EQUAL -1)
  string(APPEND fail "the card names a flag: 'from --peers'\n")
endif()

if(fail)
  message(FATAL_ERROR "${fail}")
endif()
message(STATUS "ok: rank-interval chart and sentence on the card")

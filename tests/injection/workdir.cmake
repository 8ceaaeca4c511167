# gnuplot is never handed a path: it starts in the chart folder. From a
# working folder whose name holds a control character ("c\x01d") a
# relative --out renders in that folder, and never runs the script of the
# folder the name would become once cleaned ("c d", which holds a hostile
# radar.gp); from a Latin-1 folder name (an invalid UTF-8 byte) a
# relative report works (once both failed with exit 5, the first after
# running the hostile script). A stand-in gnuplot records where it ran
# and what it was given; the real one is tried too when installed.
cmake_minimum_required(VERSION 3.18)
foreach(v PROG TOOL SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "workdir.cmake needs -D${v}=")
  endif()
endforeach()
set(TMP "${BIN}/case-tmp/injection.workdir")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}")
set(ENV{CYBERWELL_HOME} "${SRC}")
set(ENV{CYBERWELL_DB} "${TMP}/db.sqlite")
string(ASCII 1 ctl)
string(ASCII 233 e_acute) # one byte 0xE9 (Latin-1), not UTF-8
set(CTL_DIR "${TMP}/c${ctl}d")
set(CLEAN_DIR "${TMP}/c d")
set(LATIN_DIR "${TMP}/caf${e_acute}")
set(PWNED "${TMP}/pwned")
file(MAKE_DIRECTORY "${CTL_DIR}" "${CLEAN_DIR}/out" "${LATIN_DIR}")
file(WRITE "${CLEAN_DIR}/out/radar.gp" "system('touch ${PWNED}')\n")

# The stand-in: writes where it runs and its arguments to fake.log (in
# the folder it runs in), and draws each image as one line of text.
set(FAKE "${TMP}/fake-gnuplot")
file(WRITE "${FAKE}" "#!/bin/sh
pwd > fake.log
for a in \"$@\"; do
  echo \"arg $a\" >> fake.log
  case $a in *.gp) echo x > \"\${a%.gp}.png\"; echo x > \"\${a%.gp}.svg\" ;; esac
done
")
file(CHMOD "${FAKE}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)

function(cw dir want)
  execute_process(COMMAND ${PROG} ${ARGN} WORKING_DIRECTORY "${dir}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL want)
    message(FATAL_ERROR "cyberwell ${ARGN} exited ${rc}, expected ${want}\n${out}\n${err}")
  endif()
endfunction()

cw("${SRC}" 0 ingest -q data/profiles/bel.txt tests/fixtures/profiles)
set(fail "")
# The stand-in: it runs in the folder itself and is given script names.
cw("${CTL_DIR}" 0 chart radar BEL --out out --gnuplot "${FAKE}")
if(EXISTS "${CTL_DIR}/out/fake.log")
  file(READ "${CTL_DIR}/out/fake.log" log)
  if(NOT log STREQUAL "${CTL_DIR}/out\narg radar.gp\n")
    string(APPEND fail "the stand-in ran as:\n${log}\n")
  endif()
else()
  string(APPEND fail "the stand-in did not run in ${CTL_DIR}/out\n")
endif()
# A relative program name is found from the working folder, not from the
# chart folder.
cw("${CTL_DIR}" 0 chart radar BEL --out out2 --gnuplot ../fake-gnuplot)
if(NOT EXISTS "${CTL_DIR}/out2/fake.log")
  string(APPEND fail "../fake-gnuplot was not found from ${CTL_DIR}\n")
endif()
cw("${LATIN_DIR}" 0 report BEL --out card --gnuplot "${FAKE}")
foreach(f index.html radar.png fake.log)
  if(NOT EXISTS "${LATIN_DIR}/card/${f}")
    string(APPEND fail "missing in the Latin-1 folder: card/${f}\n")
  endif()
endforeach()

find_program(GNUPLOT NAMES gnuplot)
if(GNUPLOT)
  unset(ENV{CYBERWELL_GNUPLOT})
  cw("${CTL_DIR}" 0 chart radar BEL --out out3)
  cw("${LATIN_DIR}" 0 chart radar BEL --out out3)
  foreach(d "${CTL_DIR}" "${LATIN_DIR}")
    if(NOT EXISTS "${d}/out3/radar.png")
      string(APPEND fail "gnuplot did not draw ${d}/out3/radar.png\n")
    endif()
  endforeach()
else()
  message(STATUS "gnuplot is not installed: only the stand-in was run")
endif()
if(EXISTS "${PWNED}")
  string(APPEND fail "the hostile script of '${CLEAN_DIR}/out' ran\n")
endif()
if(fail)
  message(FATAL_ERROR "${fail}")
endif()
message(STATUS "ok: gnuplot ran in the chart folder, from any folder name")

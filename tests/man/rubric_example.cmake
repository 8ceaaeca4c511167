# man.rubric_example: the example rubric of man/cyberwell-rubric.5 (its
# first .EX block under EXAMPLES) loads and scores Belgium, so that the
# page never shows a rubric cyberwell refuses.
# Usage: cmake -DPROG=cyberwell -DSRC=... -DBIN=... -P rubric_example.cmake
cmake_minimum_required(VERSION 3.18)
file(READ "${SRC}/man/cyberwell-rubric.5" page)
string(FIND "${page}" "\n.SH EXAMPLES\n" at)
if(at EQUAL -1)
  message(FATAL_ERROR "man/cyberwell-rubric.5 has no EXAMPLES section")
endif()
string(SUBSTRING "${page}" ${at} -1 page)
string(FIND "${page}" "\n.EX\n" from)
string(FIND "${page}" "\n.EE\n" to)
if(from EQUAL -1 OR to LESS from)
  message(FATAL_ERROR "no .EX ... .EE block under EXAMPLES")
endif()
math(EXPR from "${from} + 5")
math(EXPR len "${to} - ${from} + 1")
string(SUBSTRING "${page}" ${from} ${len} rubric)
string(REPLACE "\\-" "-" rubric "${rubric}")
string(REPLACE "\\e" "\\" rubric "${rubric}")
set(tmp "${BIN}/case-tmp/man.rubric_example")
file(MAKE_DIRECTORY "${tmp}")
file(WRITE "${tmp}/example.csv"
  "kind,id,name,target,weight,match,scope,note\n${rubric}")
execute_process(COMMAND ${PROG} score --rubric ${tmp}/example.csv
                        ${SRC}/data/profiles/bel.txt
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT out MATCHES "rubric example 1.0.0")
  message(FATAL_ERROR "the example rubric of cyberwell-rubric(5) "
    "(${tmp}/example.csv) does not score: exit ${rc}\n${out}${err}")
endif()
message(STATUS "the example rubric of cyberwell-rubric(5) loads and scores")

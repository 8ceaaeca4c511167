# e2e.install: 'cmake --install' into a temporary prefix, then the
# installed binary, run from a folder outside the source tree with
# CYBERWELL_HOME, CYBERWELL_DB and XDG_DATA_HOME unset, finds its rubric
# and data under PREFIX/share/cyberwell (also after the prefix is moved),
# scores Belgium, keeps its database under $HOME/.local/share/cyberwell,
# creates no database for a read command, lets XDG_DATA_HOME,
# CYBERWELL_DB and --db choose another, and its man pages render without
# a warning and are found by man.
# Usage: cmake -DPROG=... -DSRC=... -DBIN=... -P install.cmake
cmake_minimum_required(VERSION 3.18)
foreach(v PROG SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "install.cmake needs -D${v}=")
  endif()
endforeach()
# The prefix and the working folder lie outside the source tree (build
# folders often lie inside it), so that no path the installed binary
# prints or reads can come from the source tree by accident.
if(DEFINED ENV{TMPDIR} AND IS_DIRECTORY "$ENV{TMPDIR}")
  set(tmp_root "$ENV{TMPDIR}")
else()
  set(tmp_root "/tmp")
endif()
string(RANDOM LENGTH 8 tag)
set(TMP "${tmp_root}/cyberwell-e2e-install-${tag}")
string(FIND "${TMP}/" "${SRC}/" inside)
if(inside EQUAL 0)
  message(FATAL_ERROR "the temporary folder ${TMP} is inside the source tree")
endif()
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}/work" "${TMP}/home")
set(P "${TMP}/prefix")

execute_process(COMMAND ${CMAKE_COMMAND} --install "${BIN}" --prefix "${P}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}${err}")
endif()
foreach(f bin/cyberwell share/man/man1/cyberwell.1
    share/man/man5/cyberwell-rubric.5 share/man/man5/cyberwell-db.5
    share/bash-completion/completions/cyberwell
    share/cyberwell/rubric/gci2014.csv share/cyberwell/rubric/binary-equal.csv
    share/cyberwell/rubric/gci2014-uncertainty.csv
    share/cyberwell/data/countries.csv share/cyberwell/data/groups.csv
    share/cyberwell/data/reference/gci-published.csv)
  if(NOT EXISTS "${P}/${f}")
    message(FATAL_ERROR "cmake --install did not install ${f}")
  endif()
endforeach()

file(COPY "${SRC}/data/profiles/bel.txt" DESTINATION "${TMP}/work")
set(HOMEDIR "${TMP}/home")
set(clean_env ${CMAKE_COMMAND} -E env --unset=CYBERWELL_HOME
  --unset=CYBERWELL_DB --unset=XDG_DATA_HOME HOME=${HOMEDIR})

# run(<exit> <out-var> [ENV NAME=VALUE...] -- args...): the installed
# binary in TMP/work; fails unless it exits <exit>.
function(run want outvar)
  set(envs "")
  set(args ${ARGN})
  list(FIND args "--" sep)
  if(sep GREATER -1)
    list(SUBLIST args 0 ${sep} envs)
    math(EXPR from "${sep} + 1")
    list(SUBLIST args ${from} -1 args)
  endif()
  execute_process(COMMAND ${clean_env} ${envs} ${BIN_UNDER_TEST} ${args}
    WORKING_DIRECTORY "${TMP}/work"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL want)
    message(FATAL_ERROR "'cyberwell ${args}' exited ${rc}, not ${want}:\n${out}${err}")
  endif()
  set(${outvar} "${out}${err}" PARENT_SCOPE)
endfunction()
function(expect text what)
  string(FIND "${text}" "${what}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected '${what}' in:\n${text}")
  endif()
endfunction()

set(BIN_UNDER_TEST "${P}/bin/cyberwell")
set(DEFAULT_DB "${HOMEDIR}/.local/share/cyberwell/cyberwell.db")
run(0 out --version)
expect("${out}" "data ${P}/share/cyberwell\n")
expect("${out}" "database ${DEFAULT_DB}\n")

# Belgium from the installed rubric; nothing printed names the source tree.
run(0 out score bel.txt)
expect("${out}" "rubric gci2014 ")
expect("${out}" "(${P}/share/cyberwell/rubric/gci2014.csv)")
expect("${out}" "overall 0.706  (24 of 34 points)")
string(FIND "${out}" "${SRC}" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "the installed binary used the source tree:\n${out}")
endif()

# A read command creates no database; ingest creates the default one.
run(1 out rank)
if(EXISTS "${DEFAULT_DB}" OR EXISTS "${HOMEDIR}/.local")
  message(FATAL_ERROR "'rank' created ${DEFAULT_DB}")
endif()
run(0 out ingest bel.txt)
expect("${out}" "stored      BEL bel.txt")
if(NOT EXISTS "${DEFAULT_DB}")
  message(FATAL_ERROR "'ingest' did not store into ${DEFAULT_DB}")
endif()
run(0 out rank)
expect("${out}" "BEL   Belgium")
# Countries and groups come from the installed data folder too.
run(0 out rank --group Benelux)
expect("${out}" "group Benelux")

# XDG_DATA_HOME, then CYBERWELL_DB, then --db choose the database.
run(0 out XDG_DATA_HOME=${TMP}/xdg -- --version)
expect("${out}" "database ${TMP}/xdg/cyberwell/cyberwell.db\n")
run(0 out XDG_DATA_HOME=relative -- --version)
expect("${out}" "database ${DEFAULT_DB}\n")
run(0 out XDG_DATA_HOME=${TMP}/xdg -- ingest -q bel.txt)
if(NOT EXISTS "${TMP}/xdg/cyberwell/cyberwell.db")
  message(FATAL_ERROR "ingest did not create the XDG_DATA_HOME database")
endif()
run(0 out CYBERWELL_DB=${TMP}/env.db -- ingest -q bel.txt)
run(0 out CYBERWELL_DB=${TMP}/env.db -- --db ${TMP}/opt.db ingest -q bel.txt)
if(NOT EXISTS "${TMP}/env.db" OR NOT EXISTS "${TMP}/opt.db")
  message(FATAL_ERROR "CYBERWELL_DB or --db was not used")
endif()
# CYBERWELL_HOME still overrides the data folder.
run(0 out CYBERWELL_HOME=${SRC} -- --version)
expect("${out}" "data ${SRC}\n")

# A moved prefix still finds its data.
file(RENAME "${P}" "${TMP}/moved")
set(BIN_UNDER_TEST "${TMP}/moved/bin/cyberwell")
run(0 out --version)
expect("${out}" "data ${TMP}/moved/share/cyberwell\n")
run(0 out score bel.txt)
expect("${out}" "(${TMP}/moved/share/cyberwell/rubric/gci2014.csv)")

# The man pages: no groff warning, and man finds them under the prefix.
find_program(GROFF groff)
find_program(MAN man)
if(GROFF)
  foreach(page man1/cyberwell.1 man5/cyberwell-rubric.5 man5/cyberwell-db.5)
    execute_process(COMMAND ${GROFF} -man -Tutf8 -ww -z
      "${TMP}/moved/share/man/${page}"
      RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
      message(FATAL_ERROR "groff on ${page}: ${rc}\n${err}")
    endif()
  endforeach()
else()
  message(STATUS "groff not found: the pages' rendering is not checked")
endif()
if(MAN)
  foreach(page cyberwell cyberwell-rubric cyberwell-db)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env
      MANPATH=${TMP}/moved/share/man MANWIDTH=80 ${MAN} ${page}
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "'man ${page}' under the prefix: ${rc}\n${err}")
    endif()
    expect("${out}" "NAME")
  endforeach()
  expect("${out}" "cyberwell-db")
else()
  message(STATUS "man not found: 'man cyberwell' is not checked")
endif()
file(REMOVE_RECURSE "${TMP}")
message(STATUS "installed, relocated and ran in ${TMP} (removed)")

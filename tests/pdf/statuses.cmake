# PDFs read to the statuses of their text. Every own-words profile of
# data/profiles/ and a sample of the real profiles of SHARED (one of each
# layout and encoding kind; generated into the build folder at test time,
# never kept) is laid out as ITU's PDFs are -- two-column bullet lists --
# by profile2html, printed to PDF by headless Chromium, and scored: every
# section's status must equal that of the text. Belgium's PDF is also
# checked for its hash, its two-column list and its evidence lines, which
# must point into the text 'parse --text' shows. Prints "SKIP: ..."
# without chromium or pdftotext.
# Run by ctest as: cmake -DPROG=cyberwell -DHTML=profile2html -DSRC=...
#                        -DBIN=... [-DSHARED=...] -P THIS
cmake_minimum_required(VERSION 3.19) # string(JSON)
foreach(v PROG HTML SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "statuses.cmake needs -D${v}=")
  endif()
endforeach()
find_program(CHROMIUM NAMES chromium chromium-browser google-chrome-stable
                            google-chrome)
if(NOT CHROMIUM)
  message("SKIP: chromium is not installed (apt-get install -y chromium)")
  return()
endif()
find_program(PDFTOTEXT NAMES pdftotext)
if(NOT PDFTOTEXT)
  message("SKIP: pdftotext is not installed (apt-get install -y poppler-utils)")
  return()
endif()

set(TMP "${BIN}/case-tmp/e2e.pdf.statuses")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}")
unset(ENV{CYBERWELL_PDFTOTEXT})

set(flags --headless --no-sandbox --disable-gpu --disable-quic
  --no-first-run --disable-background-networking --disable-component-update
  --disable-sync --disable-default-apps --disable-extensions
  --user-data-dir=${TMP}/chromium --no-pdf-header-footer)

# Print html to pdf. Headless Chromium sometimes hangs on a loaded machine
# (see tests/report/card_browser.cmake): a run that times out after 60 s is
# tried again, up to three times in all.
function(print_pdf html pdf)
  foreach(try 1 2 3)
    execute_process(COMMAND ${CHROMIUM} ${flags} --print-to-pdf=${pdf}
                            "file://${html}"
      RESULT_VARIABLE r OUTPUT_QUIET ERROR_VARIABLE e TIMEOUT 60)
    if(NOT r MATCHES "timeout")
      break()
    endif()
    message(STATUS "chromium timed out (try ${try} of 3)")
  endforeach()
  if(NOT r EQUAL 0 OR NOT EXISTS "${pdf}")
    message(FATAL_ERROR "chromium --print-to-pdf ${html} exited ${r}\n${e}")
  endif()
endfunction()

function(cw out)
  execute_process(COMMAND ${PROG} ${ARGN} WORKING_DIRECTORY "${SRC}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cyberwell ${ARGN} exited ${rc}\n${o}\n${e}")
  endif()
  set(${out} "${o}" PARENT_SCOPE)
endfunction()

# "1.1.1=present;1.1.2=present;..." of a document.
function(statuses file out)
  cw(csv score --format csv "${file}")
  string(REGEX MATCHALL ",\"indicator\",\"[^\"]+\",\"[^\"]*\",\"[a-z ]+\""
         rows "${csv}")
  set(list "")
  foreach(row IN LISTS rows)
    string(REGEX REPLACE ",\"indicator\",\"([^\"]+)\",\"[^\"]*\",\"([a-z ]+)\""
           "\\1=\\2" pair "${row}")
    list(APPEND list "${pair}")
  endforeach()
  set(${out} "${list}" PARENT_SCOPE)
endfunction()

file(GLOB profiles "${SRC}/data/profiles/*.txt"
     "${SRC}/tests/fixtures/profiles/*.txt")
if(DEFINED SHARED AND EXISTS "${SHARED}/data/itu-profiles/bel.txt")
  # UTF-8 with a mark, CR CR LF and page markers; ASCII with a flag address
  # in the title; UTF-8 with "-1.5.2"; Windows-1252; GBK; no 1.3.3; wrapped
  # two-column bullets; six bullets on a line.
  foreach(c bel are cze esp usa est bra aut)
    list(APPEND profiles "${SHARED}/data/itu-profiles/${c}.txt")
  endforeach()
else()
  message(STATUS "the real profiles are absent (${SHARED}): own words only")
endif()

set(fail "")
set(n 0)
set(n_sections 0)
foreach(src IN LISTS profiles)
  get_filename_component(stem "${src}" NAME_WE)
  if(src MATCHES "itu-profiles")
    set(stem "real-${stem}")
  endif()
  execute_process(COMMAND ${HTML} "${src}" "${TMP}/${stem}.html"
    RESULT_VARIABLE rc ERROR_VARIABLE e)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "profile2html ${src} exited ${rc}\n${e}")
  endif()
  print_pdf("${TMP}/${stem}.html" "${TMP}/${stem}.pdf")
  statuses("${src}" want)
  statuses("${TMP}/${stem}.pdf" got)
  list(LENGTH want k)
  math(EXPR n_sections "${n_sections} + ${k}")
  math(EXPR n "${n} + 1")
  if(k LESS 17 OR NOT got STREQUAL want)
    string(APPEND fail "${stem}: text ${want}\n${stem}: PDF  ${got}\n")
  endif()
endforeach()

# Belgium's PDF: its hash, its source, its two-column list, its lines.
set(pdf "${TMP}/bel.pdf")
file(READ "${TMP}/bel.html" html)
if(NOT html MATCHES "<ul class=\"two\">")
  string(APPEND fail "bel.html has no two-column list\n")
endif()
file(SHA256 "${pdf}" sha)
cw(json score --format json "${pdf}")
string(JSON doc_sha GET "${json}" 0 sha256)
string(JSON source GET "${json}" 0 source)
if(NOT doc_sha STREQUAL sha OR NOT source STREQUAL "pdf")
  string(APPEND fail "bel.pdf: sha256 ${doc_sha} source ${source}, "
                     "expected ${sha} pdf\n")
endif()
cw(parsed parse --format json "${pdf}")
string(JSON n_sec LENGTH "${parsed}" 0 sections)
math(EXPR last "${n_sec} - 1")
foreach(i RANGE ${last})
  string(JSON number GET "${parsed}" 0 sections ${i} number)
  if(number STREQUAL "1.1.2")
    string(JSON n_units LENGTH "${parsed}" 0 sections ${i} units)
    if(NOT n_units EQUAL 5) # the lead-in and the four bullets
      string(APPEND fail "bel.pdf: 1.1.2 has ${n_units} units, expected 5\n")
    endif()
  endif()
endforeach()
cw(text parse --text "${pdf}")
string(REPLACE ";" "," text "${text}")
string(REPLACE "\n" ";" lines "${text}")
string(JSON n_ind LENGTH "${json}" 0 indicators)
math(EXPR last "${n_ind} - 1")
set(n_lines 0)
foreach(i RANGE ${last})
  string(JSON line GET "${json}" 0 indicators ${i} line)
  string(JSON evidence GET "${json}" 0 indicators ${i} evidence)
  if(line STREQUAL "null" OR line STREQUAL "")
    continue()
  endif()
  # The evidence starts on its line: its first three words are there.
  string(REGEX MATCH "^[^ ]+ [^ ]+ [^ ]+" head "${evidence}")
  string(REPLACE ";" "," head "${head}")
  math(EXPR at "${line} - 1")
  list(GET lines ${at} printed)
  string(FIND "${printed}" "${head}" found)
  if(found LESS 0)
    string(APPEND fail "bel.pdf: line ${line} is '${printed}', "
                       "the evidence starts '${head}'\n")
  endif()
  math(EXPR n_lines "${n_lines} + 1")
endforeach()

if(fail)
  message(FATAL_ERROR "PDFs that do not read as their text:\n${fail}")
endif()
message(STATUS "${n} PDFs read to the statuses of their text "
               "(${n_sections} sections); ${n_lines} evidence lines of "
               "bel.pdf point into its extracted text")

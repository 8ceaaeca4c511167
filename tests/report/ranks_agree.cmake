# One rank per country, whichever command shows it: rank, compare, report
# (scores.csv) and export (ranks.csv) must give every country the same rank
# and joint rank range, on a rubric with an awkward weight (1.2.2 Standards
# weighs 1.001, which once split four tied countries between 6th in `rank`
# and 7th in ranks.csv) and with analyst overrides applied; then on the
# world reference set (data/reference/profiles.csv, 193 countries; compare
# is run for the first 40 of the ranking, each run taking a while).
cmake_minimum_required(VERSION 3.18)
foreach(v PROG SRC BIN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "ranks_agree.cmake needs -D${v}=")
  endif()
endforeach()
set(TMP "${BIN}/case-tmp/e2e.ranks_agree")
file(REMOVE_RECURSE "${TMP}")
file(MAKE_DIRECTORY "${TMP}")
set(ENV{CYBERWELL_DB} "${TMP}/db.sqlite")

# The awkward rubric: gci2014 under another name, one weight 1.001.
file(READ "${SRC}/rubric/gci2014.csv" rubric)
string(REPLACE "meta,name,gci2014," "meta,name,awkward," rubric "${rubric}")
string(REPLACE "indicator,1.2.2,Standards,technical,1,"
               "indicator,1.2.2,Standards,technical,1.001," rubric "${rubric}")
string(FIND "${rubric}" "technical,1.001," pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "could not set the weight of 1.2.2 in gci2014.csv")
endif()
file(WRITE "${TMP}/awkward.csv" "${rubric}")

function(cw out_var)
  execute_process(COMMAND ${PROG} ${ARGN} WORKING_DIRECTORY "${SRC}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cyberwell ${ARGN} exited ${rc}\n${out}\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

set(common --rubric awkward --include-incomplete)
cw(ignored ingest -q --rubric "${TMP}/awkward.csv" data/profiles/bel.txt tests/fixtures/profiles)
cw(ignored import --csv tests/fixtures/compare/overrides-bel.csv)

# Fill <prefix>_<ISO3> with "rank best worst" from CSV text whose header
# names the columns.
function(read_ranks csv iso_col rank_col best_col worst_col prefix)
  # A comma inside a quoted field ("Hong Kong, China") is not a separator.
  string(REGEX REPLACE "\"([^\"\n,]+),([^\"\n]+)\"" "\"\\1<comma>\\2\""
         csv "${csv}")
  string(REPLACE "\"" "" csv "${csv}")
  string(REPLACE "\n" ";" lines "${csv}")
  list(POP_FRONT lines header)
  string(REPLACE "," ";" cols "${header}")
  foreach(name iso rank best worst)
    list(FIND cols "${${name}_col}" ${name}_at)
    if(${name}_at EQUAL -1)
      message(FATAL_ERROR "no column ${${name}_col} in: ${header}")
    endif()
  endforeach()
  set(seen "")
  foreach(line IN LISTS lines)
    if(line STREQUAL "")
      continue()
    endif()
    string(REPLACE "," ";" f "${line}")
    list(GET f ${iso_at} iso3)
    list(GET f ${rank_at} r)
    list(GET f ${best_at} b)
    list(GET f ${worst_at} w)
    set(${prefix}_${iso3} "${r} ${b} ${w}" PARENT_SCOPE)
    list(APPEND seen ${iso3})
  endforeach()
  set(${prefix}_countries "${seen}" PARENT_SCOPE)
endfunction()

# Compare the ranks of rank, export, report (scores.csv) and compare for
# every country (compare: the first max_compare of rank's list) in the
# database of CYBERWELL_DB; append what differs to fail.
macro(check_ranks label n_expected max_compare)
cw(rank_csv rank ${common} --format csv)
read_ranks("${rank_csv}" iso3 rank rank_best rank_worst rank)
cw(ignored export ${common} --csv "${TMP}/export-${label}")
file(READ "${TMP}/export-${label}/ranks.csv" export_csv)
read_ranks("${export_csv}" iso3 rank rank_best rank_worst export)
# The card's tables are written even when gnuplot cannot draw.
execute_process(COMMAND ${PROG} report BEL ${common} --out "${TMP}/card-${label}"
                        --gnuplot "${TMP}/no-gnuplot"
  WORKING_DIRECTORY "${SRC}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 0 AND NOT rc EQUAL 5)
  message(FATAL_ERROR "cyberwell report exited ${rc}")
endif()
file(READ "${TMP}/card-${label}/scores.csv" card_csv)
read_ranks("${card_csv}" iso3 rank rank_best rank_worst card)

list(LENGTH rank_countries n)
if(NOT n EQUAL ${n_expected})
  message(FATAL_ERROR "${label}: rank lists ${n} countries, expected ${n_expected}")
endif()
set(n_compared 0)
foreach(iso3 IN LISTS rank_countries)
  set(want "${rank_${iso3}}")
  if(NOT "${export_${iso3}}" STREQUAL "${want}")
    string(APPEND fail "${label} ${iso3}: rank '${want}', export '${export_${iso3}}'\n")
  endif()
  if(NOT "${card_${iso3}}" STREQUAL "${want}")
    string(APPEND fail "${label} ${iso3}: rank '${want}', report '${card_${iso3}}'\n")
  endif()
  # compare ISO3: the country's rank among all ranked countries
  set(peer BEL)
  if(iso3 STREQUAL "BEL")
    set(peer NLD)
  endif()
  if(n_compared LESS ${max_compare})
  math(EXPR n_compared "${n_compared} + 1")
  cw(json compare ${iso3} ${common} --peers ${peer} --format json)
  string(REGEX MATCH "\"among_all\":{\"rank\":([0-9]+),\"range\":.([0-9]+),([0-9]+)"
         m "${json}")
  set(got "${CMAKE_MATCH_1} ${CMAKE_MATCH_2} ${CMAKE_MATCH_3}")
  if(NOT m OR NOT "${got}" STREQUAL "${want}")
    string(APPEND fail "${label} ${iso3}: rank '${want}', compare '${got}'\n")
  endif()
  endif()
endforeach()
endmacro()

set(fail "")
check_ranks(peers 22 1000)
# The four countries that tie at 0.353 whatever the 1.001 weight share a
# rank, and Belgium's override shows in every table.
foreach(iso3 LUX NLD POL)
  string(REPLACE " " ";" a "${rank_IRN}")
  string(REPLACE " " ";" b "${rank_${iso3}}")
  list(GET a 0 ra)
  list(GET b 0 rb)
  if(NOT ra EQUAL rb)
    string(APPEND fail "IRN (${ra}) and ${iso3} (${rb}) do not tie\n")
  endif()
endforeach()
foreach(csv rank_csv export_csv card_csv)
  string(REGEX MATCH "\"BEL\",\"Belgium\",[^\n]*,16,17,\"yes\"" m
         "${${csv}}")
  if(NOT m)
    string(APPEND fail "${csv}: Belgium's override is not marked\n")
  endif()
endforeach()

# The same on the world reference set (issue 11): 193 reference
# assessments and Belgium's text, ranked under the awkward rubric too.
set(ENV{CYBERWELL_DB} "${TMP}/world.sqlite")
cw(ignored ingest -q --rubric "${TMP}/awkward.csv" data/profiles/bel.txt)
cw(ignored import --csv data/reference/profiles.csv)
check_ranks(world 193 40)
if(fail)
  message(FATAL_ERROR "${fail}")
endif()

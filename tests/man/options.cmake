# man.options: every option that 'cyberwell --help' and 'cyberwell CMD
# --help' list is in man/cyberwell.1 (global ones under GLOBAL OPTIONS, a
# command's under its ".SS CMD", each in a .TP tag line), and every option
# the page lists there is in that help. Every command has its .SS and
# every .SS is a command. The help is read from the binary, so a new
# option or command fails here until the page has it.
# Usage: cmake -DPROG=cyberwell -DMAN=man/cyberwell.1 -P options.cmake
cmake_minimum_required(VERSION 3.18)
foreach(v PROG MAN)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "options.cmake needs -D${v}=")
  endif()
endforeach()

# Text as a CMake list of lines, with the characters a list cannot hold
# (';', '[', ']') replaced.
function(text_lines text out)
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "[" "(" text "${text}")
  string(REPLACE "]" ")" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The options a help text lists: lines "  --long ..." or "  -x, --long".
function(help_options cmd out)
  if(cmd STREQUAL "")
    execute_process(COMMAND ${PROG} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  else()
    execute_process(COMMAND ${PROG} ${cmd} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "'cyberwell ${cmd} --help' exited ${rc}")
  endif()
  text_lines("${help}" lines)
  set(opts "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^  (-[A-Za-z]), (--[a-z0-9][a-z0-9-]*)")
      list(APPEND opts "${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}")
    elseif(line MATCHES "^  (--[a-z0-9][a-z0-9-]*)")
      list(APPEND opts "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES opts)
  set(${out} "${opts}" PARENT_SCOPE)
endfunction()

# The commands 'cyberwell --help' lists.
execute_process(COMMAND ${PROG} --help OUTPUT_VARIABLE main_help)
text_lines("${main_help}" lines)
set(commands "")
set(in_commands FALSE)
foreach(line IN LISTS lines)
  if(line STREQUAL "commands:")
    set(in_commands TRUE)
  elseif(in_commands AND line MATCHES "^  ([a-z][a-z0-9-]*) ")
    list(APPEND commands "${CMAKE_MATCH_1}")
  elseif(in_commands AND line STREQUAL "")
    set(in_commands FALSE)
  endif()
endforeach()
if(NOT commands)
  message(FATAL_ERROR "no commands found in 'cyberwell --help'")
endif()

# The man page: options of each .TP tag line, by section. A section key is
# "global" (.SH GLOBAL OPTIONS) or the command name (.SS CMD under
# .SH COMMANDS); other sections are not checked.
file(READ "${MAN}" man)
text_lines("${man}" lines)
set(sh "")
set(key "")
set(is_tag FALSE)
set(sections "")
foreach(line IN LISTS lines)
  if(line MATCHES "^\\.SH +\"?([^\"]*)\"?")
    set(sh "${CMAKE_MATCH_1}")
    set(key "")
    if(sh STREQUAL "GLOBAL OPTIONS")
      set(key "global")
    endif()
  elseif(line MATCHES "^\\.SS +\"?([^\" ]*)\"?" AND sh STREQUAL "COMMANDS")
    set(key "${CMAKE_MATCH_1}")
    list(APPEND sections "${key}")
    set(man_${key} "")
  elseif(line STREQUAL ".TP")
    set(is_tag TRUE)
  elseif(is_tag)
    set(is_tag FALSE)
    if(NOT key STREQUAL "")
      string(REPLACE "\\-" "-" tag " ${line} ")
      string(REGEX REPLACE "\\\\f[BIRP]" "" tag "${tag}")
      string(REGEX MATCHALL "--[a-z0-9][a-z0-9-]*" longs "${tag}")
      string(REGEX MATCHALL "[ \"]-[A-Za-z][ \",]" shorts "${tag}")
      foreach(s IN LISTS shorts)
        string(REGEX REPLACE "^[ \"](-[A-Za-z]).*" "\\1" s "${s}")
        list(APPEND man_${key} "${s}")
      endforeach()
      list(APPEND man_${key} ${longs})
    endif()
  endif()
endforeach()

set(failures "")
foreach(cmd IN LISTS commands)
  if(NOT cmd IN_LIST sections)
    string(APPEND failures
      "man/cyberwell.1: command '${cmd}' (in 'cyberwell --help') has no "
      "section: add '.SS ${cmd}' under '.SH COMMANDS' with its synopsis "
      "and a .TP entry per option of 'cyberwell ${cmd} --help'\n")
  endif()
endforeach()
foreach(s IN LISTS sections)
  if(NOT s IN_LIST commands)
    string(APPEND failures
      "man/cyberwell.1: '.SS ${s}' is not a command of 'cyberwell --help': "
      "remove the section or add the command\n")
  endif()
endforeach()

foreach(key global ${commands})
  if(key STREQUAL "global")
    help_options("" help)
    set(where "'.SH GLOBAL OPTIONS'")
    set(what "'cyberwell --help' (global options)")
  else()
    help_options("${key}" help)
    set(where "'.SS ${key}'")
    set(what "'cyberwell ${key} --help'")
  endif()
  if(NOT key IN_LIST sections AND NOT key STREQUAL "global")
    continue()
  endif()
  foreach(o IN LISTS help)
    if(NOT o IN_LIST man_${key})
      string(REPLACE "-" "\\-" esc "${o}")
      string(APPEND failures
        "man/cyberwell.1: option '${o}' of ${what} is missing under "
        "${where}: add '.TP' then '.B ${esc}' (or '.BI ${esc} \" ARG\"') "
        "and a line saying what it does\n")
    endif()
  endforeach()
  foreach(o IN LISTS man_${key})
    if(NOT o IN_LIST help)
      string(APPEND failures
        "man/cyberwell.1: option '${o}' is listed under ${where} but "
        "${what} does not list it: remove it from the page, or add it "
        "to the command's help\n")
    endif()
  endforeach()
endforeach()

if(failures)
  message(FATAL_ERROR "the man page and --help disagree:\n${failures}")
endif()
list(LENGTH commands n)
message(STATUS "man/cyberwell.1 lists every option of the ${n} commands' --help, and no other")

# Find libcsv (Debian: libcsv-dev), which ships no pkg-config or CMake file.
# Defines LibCSV_FOUND, LibCSV_VERSION and the imported target LibCSV::LibCSV.
find_path(LibCSV_INCLUDE_DIR NAMES csv.h)
find_library(LibCSV_LIBRARY NAMES csv)
if(LibCSV_INCLUDE_DIR AND EXISTS "${LibCSV_INCLUDE_DIR}/csv.h")
  file(STRINGS "${LibCSV_INCLUDE_DIR}/csv.h" _csv_ver REGEX "#define CSV_(MAJOR|MINOR|RELEASE) ")
  foreach(_part MAJOR MINOR RELEASE)
    string(REGEX MATCH "CSV_${_part} ([0-9]+)" _m "${_csv_ver}")
    set(_csv_${_part} "${CMAKE_MATCH_1}")
  endforeach()
  set(LibCSV_VERSION "${_csv_MAJOR}.${_csv_MINOR}.${_csv_RELEASE}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibCSV
  REQUIRED_VARS LibCSV_LIBRARY LibCSV_INCLUDE_DIR
  VERSION_VAR LibCSV_VERSION)
if(LibCSV_FOUND AND NOT TARGET LibCSV::LibCSV)
  add_library(LibCSV::LibCSV UNKNOWN IMPORTED)
  set_target_properties(LibCSV::LibCSV PROPERTIES
    IMPORTED_LOCATION "${LibCSV_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LibCSV_INCLUDE_DIR}")
endif()
mark_as_advanced(LibCSV_INCLUDE_DIR LibCSV_LIBRARY)

# Find libuchardet (Debian: libuchardet-dev), the encoding detector of
# engine/io/decode.c. Uses pkg-config when it is installed (for the
# version), else searches the usual places. Defines Uchardet_FOUND,
# Uchardet_VERSION and the imported target Uchardet::Uchardet.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_UCHARDET QUIET uchardet)
endif()
find_path(Uchardet_INCLUDE_DIR NAMES uchardet.h
  HINTS ${PC_UCHARDET_INCLUDE_DIRS} PATH_SUFFIXES uchardet)
find_library(Uchardet_LIBRARY NAMES uchardet HINTS ${PC_UCHARDET_LIBRARY_DIRS})
set(Uchardet_VERSION "${PC_UCHARDET_VERSION}")
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Uchardet
  REQUIRED_VARS Uchardet_LIBRARY Uchardet_INCLUDE_DIR
  VERSION_VAR Uchardet_VERSION)
if(Uchardet_FOUND AND NOT TARGET Uchardet::Uchardet)
  add_library(Uchardet::Uchardet UNKNOWN IMPORTED)
  set_target_properties(Uchardet::Uchardet PROPERTIES
    IMPORTED_LOCATION "${Uchardet_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Uchardet_INCLUDE_DIR}")
endif()
mark_as_advanced(Uchardet_INCLUDE_DIR Uchardet_LIBRARY)

# Header-only dependencies, found the same way natively and under emcmake.
#
# Why not find_package(Eigen3)/find_package(xsimd)? Under emcmake the find root
# is Emscripten's sysroot, and Debian's xsimd target both links a missing `xtl`
# and exposes `/usr/include`, whose glibc headers break em++. So we find the
# headers explicitly and expose folders that hold *only* those libraries.

set(TINYDIFF_THIRD_PARTY_INCLUDE "${CMAKE_BINARY_DIR}/third_party_include")
file(MAKE_DIRECTORY "${TINYDIFF_THIRD_PARTY_INCLUDE}")

# tinydiff_header_library(NAME FOLDER HEADER PACKAGE): an interface target
# tinydiff::NAME whose include path is a private folder holding one link, to
# the system's FOLDER (found by FOLDER/HEADER): never all of /usr/include.
function(tinydiff_header_library name folder header package)
  find_path(TINYDIFF_${name}_PARENT "${folder}/${header}"
    PATHS /usr/include /usr/local/include
    NO_CMAKE_FIND_ROOT_PATH)
  if(NOT TINYDIFF_${name}_PARENT)
    message(FATAL_ERROR "${folder}/${header} not found: install ${package} (scripts/setup.sh does)")
  endif()
  if(NOT EXISTS "${TINYDIFF_THIRD_PARTY_INCLUDE}/${folder}")
    file(CREATE_LINK "${TINYDIFF_${name}_PARENT}/${folder}" "${TINYDIFF_THIRD_PARTY_INCLUDE}/${folder}" SYMBOLIC)
  endif()
  add_library(tinydiff_${name} INTERFACE)
  target_include_directories(tinydiff_${name} SYSTEM INTERFACE "${TINYDIFF_THIRD_PARTY_INCLUDE}")
  add_library(tinydiff::${name} ALIAS tinydiff_${name})
endfunction()

tinydiff_header_library(xsimd xsimd xsimd.hpp libxsimd-dev)
tinydiff_header_library(json nlohmann json.hpp nlohmann-json3-dev)

# Eigen's own folder (/usr/include/eigen3) holds nothing else: use it directly.
find_path(TINYDIFF_EIGEN_DIR Eigen/Core
  PATHS /usr/include/eigen3 /usr/local/include/eigen3
  NO_CMAKE_FIND_ROOT_PATH)
if(NOT TINYDIFF_EIGEN_DIR)
  message(FATAL_ERROR "Eigen 3 headers not found: install libeigen3-dev (scripts/setup.sh does)")
endif()
add_library(tinydiff_eigen INTERFACE)
target_include_directories(tinydiff_eigen SYSTEM INTERFACE "${TINYDIFF_EIGEN_DIR}")
# MPL2-only: Eigen's LGPL parts stay out of the build.
target_compile_definitions(tinydiff_eigen INTERFACE EIGEN_MPL2_ONLY)
add_library(tinydiff::eigen ALIAS tinydiff_eigen)

# Header-only maths dependencies, found the same way natively and under emcmake.
#
# Why not find_package(Eigen3)/find_package(xsimd)? Under emcmake the find root
# is Emscripten's sysroot, and Debian's xsimd target both links a missing `xtl`
# and exposes `/usr/include`, whose glibc headers break em++. So we find the
# headers explicitly and expose a folder that holds *only* those libraries.

find_path(TINYDIFF_EIGEN_DIR Eigen/Core
  PATHS /usr/include/eigen3 /usr/local/include/eigen3
  NO_CMAKE_FIND_ROOT_PATH)
find_path(TINYDIFF_XSIMD_PARENT xsimd/xsimd.hpp
  PATHS /usr/include /usr/local/include
  NO_CMAKE_FIND_ROOT_PATH)
if(NOT TINYDIFF_EIGEN_DIR)
  message(FATAL_ERROR "Eigen 3 headers not found: install libeigen3-dev (scripts/setup.sh does)")
endif()
if(NOT TINYDIFF_XSIMD_PARENT)
  message(FATAL_ERROR "xsimd headers not found: install libxsimd-dev (scripts/setup.sh does)")
endif()

# A private include folder with just a link to xsimd/ (never all of /usr/include).
set(TINYDIFF_THIRD_PARTY_INCLUDE "${CMAKE_BINARY_DIR}/third_party_include")
file(MAKE_DIRECTORY "${TINYDIFF_THIRD_PARTY_INCLUDE}")
if(NOT EXISTS "${TINYDIFF_THIRD_PARTY_INCLUDE}/xsimd")
  file(CREATE_LINK "${TINYDIFF_XSIMD_PARENT}/xsimd" "${TINYDIFF_THIRD_PARTY_INCLUDE}/xsimd" SYMBOLIC)
endif()

add_library(tinydiff_eigen INTERFACE)
target_include_directories(tinydiff_eigen SYSTEM INTERFACE "${TINYDIFF_EIGEN_DIR}")
# Eigen may not allocate behind our back in the hot loop; we own every buffer.
target_compile_definitions(tinydiff_eigen INTERFACE EIGEN_MPL2_ONLY)
add_library(tinydiff::eigen ALIAS tinydiff_eigen)

add_library(tinydiff_xsimd INTERFACE)
target_include_directories(tinydiff_xsimd SYSTEM INTERFACE "${TINYDIFF_THIRD_PARTY_INCLUDE}")
add_library(tinydiff::xsimd ALIAS tinydiff_xsimd)

# nlohmann/json (header-only) the same way: only its own folder is exposed.
find_path(TINYDIFF_JSON_PARENT nlohmann/json.hpp
  PATHS /usr/include /usr/local/include
  NO_CMAKE_FIND_ROOT_PATH)
if(NOT TINYDIFF_JSON_PARENT)
  message(FATAL_ERROR "nlohmann/json not found: install nlohmann-json3-dev (scripts/setup.sh does)")
endif()
if(NOT EXISTS "${TINYDIFF_THIRD_PARTY_INCLUDE}/nlohmann")
  file(CREATE_LINK "${TINYDIFF_JSON_PARENT}/nlohmann" "${TINYDIFF_THIRD_PARTY_INCLUDE}/nlohmann" SYMBOLIC)
endif()
add_library(tinydiff_json INTERFACE)
target_include_directories(tinydiff_json SYSTEM INTERFACE "${TINYDIFF_THIRD_PARTY_INCLUDE}")
add_library(tinydiff::json ALIAS tinydiff_json)

# Lists every header the header-only consumer includes (the compiler's -M) and fails when one is
# not dskill's own or the standard library's (C++ and C): no fmt, yaml-cpp, Boost, TBB, libsodium,
# zlib, nlohmann or Eigen. Run by CTest: cmake -DCXX=... -DINCLUDE_DIR=... -DSOURCE=... -P this.
execute_process(COMMAND ${CXX} -std=c++20 -DDSKILL_HEADER_ONLY -I${INCLUDE_DIR} -M ${SOURCE}
                OUTPUT_VARIABLE deps RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the compiler could not list the includes of ${SOURCE}")
endif()
string(REPLACE "\\\n" " " deps "${deps}")
string(REGEX REPLACE "[ \t\r\n]+" ";" deps "${deps}")
set(count 0)
foreach(dep ${deps})
  if(dep MATCHES "(fmt|yaml-cpp|boost|tbb|oneapi|sodium|nlohmann|eigen3|Eigen)/" OR dep MATCHES "(zlib|sodium)\\.h$")
    message(SEND_ERROR "header-only dskill includes ${dep}")
  endif()
  if(dep MATCHES "dskill/")
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(count LESS 5)
  message(FATAL_ERROR "expected dskill's headers among the includes, found ${count}")
endif()
message(STATUS "${count} dskill headers, nothing outside dskill and the standard library")

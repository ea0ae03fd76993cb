# Runs one file of tests/data/hostile/ through pkrisk and checks what its
# header promises:
#   # expect-exit: N
#   # expect-message: <fragment of stdout or stderr>
#   # command: <pkrisk arguments; {file}: the file's path, {dir}: its folder>
#              (default: validate {file})
# A run longer than TIMEOUT seconds fails: a hostile input must be refused or
# finish, never run away.
#   cmake -DPKRISK=... -DINPUT=... -DWORKDIR=... [-DTIMEOUT=20] -P hostile.cmake
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 20)
endif()
file(STRINGS "${INPUT}" header REGEX "^# (expect-exit|expect-message|command):" LIMIT_COUNT 10)
set(expect_exit "")
set(expect_message "")
set(command "validate {file}")
foreach(line IN LISTS header)
  if(line MATCHES "^# expect-exit: *([0-9]+) *$")
    set(expect_exit "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^# expect-message: *(.*[^ ]) *$")
    set(expect_message "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^# command: *(.*[^ ]) *$")
    set(command "${CMAKE_MATCH_1}")
  endif()
endforeach()
if(expect_exit STREQUAL "" OR expect_message STREQUAL "")
  message(FATAL_ERROR "${INPUT}: needs '# expect-exit: N' and '# expect-message: ...' lines")
endif()
get_filename_component(folder "${INPUT}" DIRECTORY)
string(REPLACE "{file}" "${INPUT}" command "${command}")
string(REPLACE "{dir}" "${folder}" command "${command}")
separate_arguments(args UNIX_COMMAND "${command}")
# A fresh working folder: commands that write (run --out ...) write there.
file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")
execute_process(COMMAND "${PKRISK}" ${args}
  WORKING_DIRECTORY "${WORKDIR}"
  RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err
  TIMEOUT ${TIMEOUT})
if(NOT code MATCHES "^[0-9]+$")
  message(FATAL_ERROR "pkrisk ${command}: ${code} (limit ${TIMEOUT} s)\n${err}")
endif()
if(NOT code EQUAL expect_exit)
  message(FATAL_ERROR "pkrisk ${command}: exit ${code}, expected ${expect_exit}\nstdout:\n${out}\nstderr:\n${err}")
endif()
string(FIND "${out}${err}" "${expect_message}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "pkrisk ${command}: no '${expect_message}' in the output\nstdout:\n${out}\nstderr:\n${err}")
endif()

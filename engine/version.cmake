# Writes pk_version.hpp with the current git hash, at build time (not only at
# configure time), rewriting it only when it changes.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SRC}
  OUTPUT_VARIABLE hash OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SRC}
  OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT hash)
  set(hash "unknown")
elseif(dirty)
  set(hash "${hash}-dirty")
endif()
set(text "#pragma once\nnamespace pk {\ninline constexpr const char* kVersion = \"${VERSION}\";\ninline constexpr const char* kGitHash = \"${hash}\";\n}  // namespace pk\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()

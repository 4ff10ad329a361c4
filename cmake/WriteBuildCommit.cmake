# cmake -DSOURCE_DIR=... -DOUTPUT=... -P WriteBuildCommit.cmake: writes OUTPUT, a C++ file that
# defines clusterscope::kBuildCommit, the commit the sources are at ("9581cac", with "-modified"
# when files differ from it; "" without git). Run at every build (engine/CMakeLists.txt), it
# rewrites the file only when the text changes, so one small file recompiles after a commit and
# the run records never name a stale one.
execute_process(COMMAND git describe --always --dirty=-modified --abbrev=7
  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET RESULT_VARIABLE failed)
if(failed)
  set(commit "")
endif()
set(text "// Written by cmake/WriteBuildCommit.cmake at build time.\nnamespace clusterscope\n{\nextern const char* const kBuildCommit;\nconst char* const kBuildCommit = \"${commit}\";\n} // namespace clusterscope\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUTPUT} "${text}")
endif()

# Builds the site: the program outputs from real runs, the exercise pages,
# then the English and the Korean Doxygen builds. Any Doxygen warning fails
# it (WARN_AS_ERROR). Run by the docs target and the docs-build test:
#   cmake -DSOURCE_DIR=.. -DBUILD_DIR=.. -DDOCS_DIR=.. -DDOXYGEN=.. -P build-site.cmake
foreach(step
    "scripts/docs-outputs.sh;${BUILD_DIR};${DOCS_DIR}/outputs"
    "scripts/docs-exercise-pages.sh;${DOCS_DIR}/pages")
  list(POP_FRONT step script)
  execute_process(COMMAND bash ${SOURCE_DIR}/${script} ${step}
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${script} failed (${status})")
  endif()
endforeach()

file(REMOVE_RECURSE ${DOCS_DIR}/html)
foreach(doxyfile Doxyfile Doxyfile.ko)
  execute_process(COMMAND ${DOXYGEN} ${DOCS_DIR}/${doxyfile}
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "doxygen ${doxyfile}: warnings or errors (${status})")
  endif()
endforeach()
message(STATUS "The site: ${DOCS_DIR}/html/index.html (한국어: ${DOCS_DIR}/html/ko/index.html)")

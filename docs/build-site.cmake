# Builds the site: the program outputs from real runs, the exercise pages,
# then the English and the Korean Doxygen builds, then the course pages in
# their search index. Any Doxygen warning fails it (WARN_AS_ERROR). Run by
# the docs target and the docs-build test:
#   cmake -DSOURCE_DIR=.. -DBUILD_DIR=.. -DDOCS_DIR=.. -DDOXYGEN=.. -DPYTHON=..
#         -P build-site.cmake
foreach(step
    "${PYTHON};docs/record-outputs.py;${BUILD_DIR};${DOCS_DIR}/outputs"
    "${PYTHON};docs/exercise-pages.py;${DOCS_DIR}/pages")
  list(GET step 1 script)
  execute_process(COMMAND ${step}
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

# Doxygen's search finds pages by title only: add the course pages under
# each code name their prose cites, so that `dataReceived` finds them too.
foreach(site ${DOCS_DIR}/html ${DOCS_DIR}/html/ko)
  execute_process(COMMAND ${PYTHON} ${SOURCE_DIR}/docs/search_course.py ${site}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "search_course.py ${site} failed (${status})")
  endif()
endforeach()
message(STATUS "The site: ${DOCS_DIR}/html/index.html (한국어: ${DOCS_DIR}/html/ko/index.html)")

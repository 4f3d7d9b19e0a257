# Reads stages.json, the one list of the workbook's stages and exercises
# (./workbook reads the same file), into two lists of folder names:
#   WORKBOOK_STAGES     part04-client1 part04-client1-stack ...
#   WORKBOOK_EXERCISES  01-survive-refusal 02-client1-timeout ...
# Editing stages.json reconfigures the build.
set(_manifest ${PROJECT_SOURCE_DIR}/stages.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_manifest})
file(READ ${_manifest} _json)

# _workbook_folders(KEY OUT): the "folder" of each entry of the array KEY.
function(_workbook_folders key out)
  string(JSON _count LENGTH "${_json}" ${key})
  math(EXPR _last "${_count} - 1")
  set(_folders "")
  foreach(_i RANGE ${_last})
    string(JSON _folder GET "${_json}" ${key} ${_i} folder)
    list(APPEND _folders ${_folder})
  endforeach()
  set(${out} ${_folders} PARENT_SCOPE)
endfunction()

_workbook_folders(stages WORKBOOK_STAGES)
_workbook_folders(exercises WORKBOOK_EXERCISES)

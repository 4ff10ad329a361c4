# The architecture check (a CTest test): the engine's link graph, its sources and
# docs/architecture.md must say the same thing, and the layers must keep their promises.
#   cmake -DSOURCE_DIR=... -DGRAPH=.../engine_graph.txt -P check_architecture.cmake
# Fails when an engine part includes the headers of a part it does not link, when engine/
# includes Qt or VTK, when widgets/ or app/ include <torch/torch.h> or <ATen/ATen.h>, when the
# headless app/session/ includes Qt Widgets, Qt Gui or VTK, when app/history/ includes Qt, or when the graph in
# docs/architecture.md differs from the one CMake built.

cmake_minimum_required(VERSION 3.25)
set(failures "")
macro(fail message)
  string(APPEND failures "  ${message}\n")
endmacro()

# The graph CMake built: "part: dep dep ..." per line.
file(STRINGS "${GRAPH}" graph_lines)
set(parts "")
foreach(line IN LISTS graph_lines)
  string(REGEX MATCH "^([a-z_]+):(.*)$" _ "${line}")
  set(part "${CMAKE_MATCH_1}")
  string(STRIP "${CMAKE_MATCH_2}" deps)
  string(REPLACE " " ";" deps "${deps}")
  list(APPEND parts ${part})
  set(allowed_${part} ${part} ${deps})
endforeach()

# 1. Every include of another part's headers is a declared link.
foreach(part IN LISTS parts)
  file(GLOB_RECURSE files "${SOURCE_DIR}/engine/${part}/*.h" "${SOURCE_DIR}/engine/${part}/*.cpp")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" includes REGEX "^#include <clusterscope/[a-z_]+/")
    foreach(inc IN LISTS includes)
      string(REGEX MATCH "<clusterscope/([a-z_]+)/" _ "${inc}")
      if(NOT CMAKE_MATCH_1 IN_LIST allowed_${part})
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
        fail("${rel}: ${part}/ includes ${CMAKE_MATCH_1}/, which it does not link (${inc})")
      endif()
    endforeach()
  endforeach()
endforeach()

# 2. The layers' promises.
function(forbid dir regex what)
  file(GLOB_RECURSE files "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cpp")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" hits REGEX "${regex}")
    if(hits)
      file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
      list(GET hits 0 first)
      set(failures "${failures}  ${rel}: ${what} (${first})\n" PARENT_SCOPE)
    endif()
  endforeach()
endfunction()
forbid(engine "^#include <(Q[A-Za-z]+|vtk[A-Za-z]+)" "engine/ includes Qt or VTK")
forbid(widgets "^#include <(torch/|ATen/ATen.h)" "widgets/ includes LibTorch's full headers")
forbid(app "^#include <(torch/|ATen/ATen.h)" "app/ includes LibTorch's full headers")
forbid(app/history "^#include <(Q[A-Za-z]+|vtk[A-Za-z]+)"
       "app/history/ (the CLI's too) includes Qt or VTK")
forbid(app/session "^#include <(QtWidgets|QtGui|QWidget|QApplication|QMainWindow|QDialog|QImage|QPainter|QPixmap|QColor|vtk)"
       "app/session/ (QtCore only) includes widgets, Gui or VTK")
file(GLOB_RECURSE public_headers "${SOURCE_DIR}/engine/*/include/*.h")
foreach(f IN LISTS public_headers)
  file(STRINGS "${f}" hits REGEX "^#include <(torch/|ATen/ATen.h)")
  if(hits)
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
    fail("${rel}: a public header includes LibTorch's full headers")
  endif()
endforeach()

# 3. Every engine folder is a part, and docs/architecture.md draws the graph CMake built.
file(GLOB children LIST_DIRECTORIES true "${SOURCE_DIR}/engine/*")
foreach(child IN LISTS children)
  if(IS_DIRECTORY "${child}")
    get_filename_component(name "${child}" NAME)
    if(NOT name IN_LIST parts)
      fail("engine/${name}/ is not a CMake part of the engine")
    endif()
  endif()
endforeach()
file(READ "${SOURCE_DIR}/docs/architecture.md" doc)
string(REGEX MATCH "<!-- engine-graph -->\n```\n([^`]*)```" _ "${doc}")
string(STRIP "${CMAKE_MATCH_1}" doc_graph)
list(JOIN graph_lines "\n" built_graph)
string(STRIP "${built_graph}" built_graph)
if(NOT doc_graph STREQUAL built_graph)
  fail("docs/architecture.md's engine graph differs from CMake's:\n--- docs\n${doc_graph}\n--- CMake\n${built_graph}")
endif()

if(failures)
  message(FATAL_ERROR "architecture check failed:\n${failures}")
endif()
message(STATUS "architecture check: ${parts} agree with their links and docs/architecture.md")

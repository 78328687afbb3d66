# Warnings and sanitizers go on dskill's own targets only, never globally.
function(dskill_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    # GCC 12 warns on designated initialisers that omit members (intended here) and gives a
    # known false -Wrestrict inside std::string (GCC PR105329).
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers
                           $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
    if(DSKILL_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

if(DSKILL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(DSKILL_SANITIZE_THREAD)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# dskill_layer(NAME DIRS dir... [FILES src/x.cpp...] [EXCLUDE name.cpp...] [PUBLIC deps...]
# [PRIVATE deps...]): the library dskill_NAME (alias dskill::NAME) from src/<dir>/*.cpp of each
# dir, globbed, less the EXCLUDE file names, plus FILES; hidden visibility (the public namespace
# is exported by DSKILL_API, config.hpp). Appends to DSKILL_LAYER_TARGETS.
function(dskill_layer name)
  cmake_parse_arguments(L "" "" "DIRS;FILES;EXCLUDE;PUBLIC;PRIVATE" ${ARGN})
  set(globs)
  foreach(dir ${L_DIRS})
    list(APPEND globs ${PROJECT_SOURCE_DIR}/src/${dir}/*.cpp)
  endforeach()
  file(GLOB sources CONFIGURE_DEPENDS ${globs})
  foreach(excluded ${L_EXCLUDE})
    list(FILTER sources EXCLUDE REGEX "/${excluded}$")
  endforeach()
  foreach(file ${L_FILES})
    list(APPEND sources ${PROJECT_SOURCE_DIR}/${file})
  endforeach()
  set(target dskill_${name})
  add_library(${target} ${sources})
  add_library(dskill::${name} ALIAS ${target})
  target_link_libraries(${target} PUBLIC ${L_PUBLIC} PRIVATE ${L_PRIVATE})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} VERSION ${PROJECT_VERSION}
                        SOVERSION ${PROJECT_VERSION_MAJOR} CXX_VISIBILITY_PRESET hidden
                        VISIBILITY_INLINES_HIDDEN ON)
  target_compile_definitions(${target} PRIVATE DSKILL_BUILDING_LIBRARY)
  dskill_set_warnings(${target})
  # We never enable floating-point traps, so telling the compiler lets it if-convert and
  # vectorise the hot loops (item information, EAP sweeps). Results are unchanged.
  target_compile_options(${target} PRIVATE $<$<CXX_COMPILER_ID:GNU,Clang>:-fno-trapping-math>)
  set(DSKILL_LAYER_TARGETS ${DSKILL_LAYER_TARGETS} ${target} PARENT_SCOPE)
endfunction()

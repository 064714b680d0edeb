# Strict warnings for the project's own targets, as one interface target to link against.
add_library(pinlink_warnings INTERFACE)
add_library(pinlink::warnings ALIAS pinlink_warnings)
target_compile_options(pinlink_warnings INTERFACE
  # -Wnull-dereference is left out: GCC 12 reports false positives through inlined
  # libstdc++ code at -O2 (seen in CLI11 headers).
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${PINLINK_WERROR}>:-Werror>)

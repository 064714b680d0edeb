# PINLINK_SANITIZE=address,undefined or thread: applied to every target in the build.
if(PINLINK_SANITIZE)
  message(STATUS "pinlink: sanitizers ${PINLINK_SANITIZE}")
  add_compile_options(-fsanitize=${PINLINK_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${PINLINK_SANITIZE})
endif()

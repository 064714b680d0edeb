// GL entry-point loader (see gl_functions.hpp).
#include "render/gl/gl_functions.hpp"

#include <SDL_video.h>

#include <cstring>

namespace pinlink::render {

namespace {

// Function and object pointers may not be converted by a cast in ISO C++; copying the bits is
// well defined on every platform SDL supports (POSIX requires it of dlsym).
template <typename Fn>
bool load_one(Fn& out, const char* name) {
    void* address = SDL_GL_GetProcAddress(name);
    static_assert(sizeof(Fn) == sizeof(address));
    std::memcpy(&out, &address, sizeof out);
    return address != nullptr;
}

}  // namespace

std::string GlFunctions::load() {
#define PINLINK_GL_LOAD(type, name) \
    if (!load_one(name, "gl" #name)) return "gl" #name;
    PINLINK_GL_FUNCTIONS(PINLINK_GL_LOAD)
#undef PINLINK_GL_LOAD
#define PINLINK_GL_LOAD_OPTIONAL(type, name) load_one(name, "gl" #name);
    PINLINK_GL_OPTIONAL_FUNCTIONS(PINLINK_GL_LOAD_OPTIONAL)
#undef PINLINK_GL_LOAD_OPTIONAL
    return {};
}

}  // namespace pinlink::render

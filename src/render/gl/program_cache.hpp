// Linked GL programs kept on disk (glGetProgramBinary, glProgramBinary), so that later starts
// skip the GLSL compiler. On Mesa the compiler's first use costs 50-70 ms and about 8 MiB that
// stay allocated for the life of the context, even when Mesa's own shader cache defers the
// compile; loading the same program as a binary costs about 2 ms and under 1 MiB
// (docs/performance.md, peak RSS). Best effort throughout: a missing, stale, corrupt or
// unwritable cache only means compiling as before.
#pragma once

#include <string>
#include <string_view>

#include "render/gl/gl_functions.hpp"

namespace pinlink::render {

class ProgramCache {
  public:
    // Needs the context current. `dir` empty, or a driver without program binaries: a cache
    // that never hits and stores nothing. The folder is made (0700) on the first store.
    ProgramCache(const GlFunctions& gl, std::string dir);

    bool usable() const { return usable_; }
    // The program `name` linked from `sources` (everything that went into it, e.g. the
    // #version line and both stages) as stored for this driver, or 0.
    GLuint load(std::string_view name, std::string_view sources) const;
    // Keeps `program` (linked from `sources`) for the next start. Replaces atomically.
    void store(std::string_view name, std::string_view sources, GLuint program) const;

  private:
    std::string path(std::string_view name, std::string_view sources) const;

    const GlFunctions& gl_;
    std::string dir_;
    std::string driver_;  // GL_VENDOR, GL_RENDERER and GL_VERSION: part of every key
    bool usable_ = false;
};

}  // namespace pinlink::render

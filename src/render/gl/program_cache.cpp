// Program binary cache (see program_cache.hpp).
#include "render/gl/program_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

namespace pinlink::render {

namespace {

// File layout: magic, binary format, blob length (both little-endian 32-bit), blob.
constexpr std::array<char, 8> kMagic{'P', 'L', 'G', 'L', 'P', 'B', '1', '\n'};
constexpr std::size_t kHeader = kMagic.size() + 8;
// Mesa's binaries of pinlink's programs are ~5 KiB; anything this large is not one of ours.
constexpr std::size_t kMaxBlob = 4u << 20;

// FNV-1a, 64 bits, of the driver strings and the sources: names the file, so a changed shader
// or driver looks for another file. A blob from another driver build that lands on the same
// name anyway fails the driver's own check (Mesa: its build id and a CRC) and is compiled over.
std::uint64_t fnv1a(std::string_view a, std::string_view b) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const std::string_view s : {a, std::string_view("\0", 1), b}) {
        for (const char c : s) {
            h ^= static_cast<unsigned char>(c);
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

void put_u32(char* out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<char>((v >> (8 * i)) & 0xFFu);
}

std::uint32_t get_u32(const char* in) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
    return v;
}

// mkdir -p with mode 0700 for the folders it makes (XDG asks that of ~/.cache).
bool make_dirs(const std::string& dir) {
    for (std::size_t i = 1; i <= dir.size(); ++i) {
        if (i < dir.size() && dir[i] != '/') continue;
        const std::string part = dir.substr(0, i);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
    struct stat st {};
    return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// Takes queued errors off (they are not ours to report). Bounded: a lost context may keep
// answering GL_CONTEXT_LOST.
void drain_errors(const GlFunctions& gl) {
    for (int i = 0; i < 16 && gl.GetError() != GL_NO_ERROR; ++i) {
    }
}

bool read_all(int fd, char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

ProgramCache::ProgramCache(const GlFunctions& gl, std::string dir) : gl_(gl), dir_(std::move(dir)) {
    if (dir_.empty() || gl.ProgramBinary == nullptr || gl.GetProgramBinary == nullptr ||
        gl.ProgramParameteri == nullptr) {
        return;
    }
    // GL 4.1, GLES 3.0 or ARB_get_program_binary. Elsewhere the query is an invalid enum:
    // the count stays 0 and the error is taken off the queue here.
    GLint formats = 0;
    gl.GetIntegerv(GL_NUM_PROGRAM_BINARY_FORMATS, &formats);
    drain_errors(gl);
    if (formats <= 0) return;
    for (const GLenum name : std::array<GLenum, 3>{GL_VENDOR, GL_RENDERER, GL_VERSION}) {
        const auto* text = reinterpret_cast<const char*>(gl.GetString(name));
        driver_ += text != nullptr ? text : "?";
        driver_ += '\n';
    }
    usable_ = true;
}

std::string ProgramCache::path(std::string_view name, std::string_view sources) const {
    std::array<char, 17> hex{};
    std::snprintf(hex.data(), hex.size(), "%016llx",
                  static_cast<unsigned long long>(fnv1a(driver_, sources)));
    return dir_ + "/" + std::string(name) + "-" + hex.data() + ".glbin";
}

GLuint ProgramCache::load(std::string_view name, std::string_view sources) const {
    if (!usable_) return 0;
    const int fd = ::open(path(name, sources).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st {};
    std::vector<char> data;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<std::size_t>(st.st_size) >= kHeader &&
        static_cast<std::size_t>(st.st_size) <= kHeader + kMaxBlob) {
        data.resize(static_cast<std::size_t>(st.st_size));
        if (!read_all(fd, data.data(), data.size())) data.clear();
    }
    ::close(fd);
    if (data.empty() || std::memcmp(data.data(), kMagic.data(), kMagic.size()) != 0) return 0;
    const std::uint32_t format = get_u32(data.data() + kMagic.size());
    const std::uint32_t length = get_u32(data.data() + kMagic.size() + 4);
    if (length == 0 || data.size() != kHeader + length) return 0;

    const GLuint program = gl_.CreateProgram();
    gl_.ProgramBinary(program, format, data.data() + kHeader, static_cast<GLsizei>(length));
    GLint ok = GL_FALSE;
    gl_.GetProgramiv(program, GL_LINK_STATUS, &ok);
    // A rejected binary (another driver build) may leave an error queued; it is not ours.
    drain_errors(gl_);
    if (ok == GL_FALSE) {
        gl_.DeleteProgram(program);
        return 0;
    }
    return program;
}

void ProgramCache::store(std::string_view name, std::string_view sources, GLuint program) const {
    if (!usable_ || program == 0) return;
    GLint length = 0;
    gl_.GetProgramiv(program, GL_PROGRAM_BINARY_LENGTH, &length);
    if (length <= 0 || static_cast<std::size_t>(length) > kMaxBlob) return;
    std::vector<char> data(kHeader + static_cast<std::size_t>(length));
    GLsizei written = 0;
    GLenum format = 0;
    gl_.GetProgramBinary(program, length, &written, &format, data.data() + kHeader);
    drain_errors(gl_);
    if (written <= 0 || written > length) return;
    data.resize(kHeader + static_cast<std::size_t>(written));
    std::memcpy(data.data(), kMagic.data(), kMagic.size());
    put_u32(data.data() + kMagic.size(), format);
    put_u32(data.data() + kMagic.size() + 4, static_cast<std::uint32_t>(written));

    if (!make_dirs(dir_)) return;
    // Written beside the final name and renamed over it: a reader sees a whole file or none.
    std::string temp = dir_ + "/." + std::string(name) + "-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return;
    const bool ok = write_all(fd, data.data(), data.size());
    if (::close(fd) != 0 || !ok || ::rename(temp.c_str(), path(name, sources).c_str()) != 0) {
        ::unlink(temp.c_str());
    }
}

}  // namespace pinlink::render

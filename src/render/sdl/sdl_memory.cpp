// SDL's memory functions: large blocks in huge pages, the rest through malloc (sdl_memory.hpp).
#include "render/sdl/sdl_memory.hpp"

#include <SDL.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace pinlink::render {
namespace sdl_memory {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

// Before every block. 16 bytes keeps the block as aligned as malloc's.
struct Header {
    std::size_t mapped;  // the mapping's length, or 0 for a malloc block
    std::size_t size;    // what was asked for
};
static_assert(sizeof(Header) == 16);

Header* header_of(void* block) {
    return static_cast<Header*>(block) - 1;
}
const Header* header_of(const void* block) {
    return static_cast<const Header*>(block) - 1;
}

void* from_malloc(std::size_t size, bool zeroed) {
    if (size > std::numeric_limits<std::size_t>::max() - sizeof(Header)) return nullptr;
    void* raw = zeroed ? std::calloc(1, sizeof(Header) + size) : std::malloc(sizeof(Header) + size);
    if (!raw) return nullptr;
    auto* h = static_cast<Header*>(raw);
    h->mapped = 0;
    h->size = size;
    return h + 1;
}

// A mapping of its own that starts on a 2 MiB boundary, so every 2 MiB of it can be one huge
// page. Anonymous mappings are zero-filled. Null if the kernel refuses (the caller then uses
// malloc).
void* from_mapping(std::size_t size) {
    if (size > std::numeric_limits<std::size_t>::max() - sizeof(Header) - 2 * kHugePage) {
        return nullptr;
    }
    const std::size_t length = (sizeof(Header) + size + kHugePage - 1) / kHugePage * kHugePage;
    // Over-map by one huge page and trim, since mmap only promises page alignment.
    void* raw = mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > start) munmap(raw, aligned - start);
    const std::uintptr_t tail = aligned + length;
    const std::uintptr_t end = start + length + kHugePage;
    if (end > tail) munmap(reinterpret_cast<void*>(tail), end - tail);
    auto* base = reinterpret_cast<void*>(aligned);
    // Advice only: a kernel without transparent huge pages says EINVAL and the block still
    // works in small pages.
    madvise(base, length, MADV_HUGEPAGE);
    auto* h = static_cast<Header*>(base);
    h->mapped = length;
    h->size = size;
    return h + 1;
}

void* make(std::size_t size, bool zeroed) {
    if (size >= kLargeBlock) {
        if (void* block = from_mapping(size)) return block;
    }
    return from_malloc(size, zeroed);
}

}  // namespace

void* allocate(std::size_t size) {
    return make(size, false);
}

void* allocate_zeroed(std::size_t count, std::size_t size) {
    if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size) return nullptr;
    return make(count * size, true);
}

void* reallocate(void* block, std::size_t size) {
    if (!block) return allocate(size);
    Header* h = header_of(block);
    if (h->mapped == 0 && size < kLargeBlock) {
        if (size > std::numeric_limits<std::size_t>::max() - sizeof(Header)) return nullptr;
        auto* moved = static_cast<Header*>(std::realloc(h, sizeof(Header) + size));
        if (!moved) return nullptr;
        moved->size = size;
        return moved + 1;
    }
    // A block crossing the line either way, or a mapped one: move it. On failure the old block
    // stays valid, as realloc promises.
    void* fresh = allocate(size);
    if (!fresh) return nullptr;
    std::memcpy(fresh, block, h->size < size ? h->size : size);
    release(block);
    return fresh;
}

void release(void* block) {
    if (!block) return;
    Header* h = header_of(block);
    if (h->mapped != 0) {
        munmap(h, h->mapped);
    } else {
        std::free(h);
    }
}

bool is_mapped(const void* block) {
    return block && header_of(block)->mapped != 0;
}

}  // namespace sdl_memory

bool install_sdl_memory() {
    return SDL_SetMemoryFunctions(&sdl_memory::allocate, &sdl_memory::allocate_zeroed,
                                  &sdl_memory::reallocate, &sdl_memory::release) == 0;
}

}  // namespace pinlink::render

// SDL's memory functions with its large blocks in transparent huge pages.
//
// A software window's surface is one block of width × height × 4 bytes (8 MiB at 1080p, 32 MiB
// at 2160p) that SDL zeroes as it makes the renderer. In 4 KiB pages that is 2,000 to 8,000
// page faults before the first frame, each a trap into the kernel (and, in a virtual machine,
// often out to the host). Blocks of at least kLargeBlock bytes get a mapping of their own,
// aligned to 2 MiB and marked MADV_HUGEPAGE, so the same block faults in 2 MiB at a time where
// the kernel allows it (transparent_hugepage "madvise" or "always"); elsewhere it behaves like
// malloc. Smaller blocks go to malloc. docs/performance.md has the measurement.
#pragma once

#include <cstddef>

namespace pinlink::render {

// Makes SDL allocate through the functions below. Call it before any other SDL function, in
// main: SDL frees each block through the functions current when it frees it, so a block SDL
// allocated earlier would reach the wrong free. Returns false (and changes nothing) if SDL
// refuses.
bool install_sdl_memory();

namespace sdl_memory {

// Blocks this large or larger are mapped on their own, in huge pages where the kernel allows.
inline constexpr std::size_t kLargeBlock = std::size_t{2} << 20;

// malloc, calloc, realloc and free with SDL's signatures. Every block carries a 16-byte header
// that says how it was made, so any of them can be freed or resized by the others.
void* allocate(std::size_t size);
void* allocate_zeroed(std::size_t count, std::size_t size);
void* reallocate(void* block, std::size_t size);
void release(void* block);

// True for a block that has a mapping of its own (for tests).
bool is_mapped(const void* block);

}  // namespace sdl_memory
}  // namespace pinlink::render

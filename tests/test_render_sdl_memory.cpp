// SDL's memory functions (render/sdl/sdl_memory.hpp): small blocks through malloc, large ones in
// a 2 MiB-aligned mapping marked for huge pages, each freeable and resizable by the others, and
// SDL's software window surface in such a mapping once they are installed. The SDL test must
// stay the only one in this executable that touches SDL: the functions are installed first.
#include <SDL.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "render/sdl/native_framebuffer.hpp"
#include "render/sdl/sdl_memory.hpp"

namespace pinlink::render {
namespace {

using sdl_memory::allocate;
using sdl_memory::allocate_zeroed;
using sdl_memory::is_mapped;
using sdl_memory::kLargeBlock;
using sdl_memory::reallocate;
using sdl_memory::release;

constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;

bool kernel_has_huge_pages() {
    return std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled");
}

// The VmFlags line of the mapping that holds `address`, from /proc/self/smaps ("" if none).
std::string vm_flags_of(const void* address) {
    const auto a = reinterpret_cast<std::uintptr_t>(address);
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        std::uintptr_t lo = 0;
        std::uintptr_t hi = 0;
        char dash = 0;
        std::istringstream range(line);
        if (range >> std::hex >> lo >> dash >> hi && dash == '-') {
            inside = lo <= a && a < hi;
        } else if (inside && line.rfind("VmFlags:", 0) == 0) {
            return line;
        }
    }
    return "";
}

bool marked_for_huge_pages(const void* address) {
    return vm_flags_of(address).find(" hg") != std::string::npos;
}

void fill(unsigned char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
        p[i] = static_cast<unsigned char>(i * 7 + 3);
}

bool holds_fill(const unsigned char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] != static_cast<unsigned char>(i * 7 + 3)) return false;
    }
    return true;
}

TEST(SdlMemory, SmallBlocksComeFromMallocAndKeepTheirBytesWhenResized) {
    auto* p = static_cast<unsigned char*>(allocate(100));
    ASSERT_NE(p, nullptr);
    EXPECT_FALSE(is_mapped(p));
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 16, 0u);
    fill(p, 100);
    p = static_cast<unsigned char*>(reallocate(p, 100000));
    ASSERT_NE(p, nullptr);
    EXPECT_FALSE(is_mapped(p));
    EXPECT_TRUE(holds_fill(p, 100));
    release(p);

    auto* z = static_cast<unsigned char*>(allocate_zeroed(37, 11));
    ASSERT_NE(z, nullptr);
    for (std::size_t i = 0; i < 37 * 11; ++i)
        ASSERT_EQ(z[i], 0) << i;
    release(z);
    release(nullptr);  // nothing, as free(nullptr)
}

TEST(SdlMemory, LargeBlocksHaveAnAlignedMappingMarkedForHugePages) {
    auto* p = static_cast<unsigned char*>(allocate_zeroed(1, kLargeBlock + 12345));
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(is_mapped(p));
    // The 16-byte header starts the mapping, on a huge-page boundary.
    EXPECT_EQ((reinterpret_cast<std::uintptr_t>(p) - 16) % kHugePage, 0u);
    for (std::size_t i = 0; i < kLargeBlock + 12345; i += 4096)
        ASSERT_EQ(p[i], 0) << i;
    fill(p, kLargeBlock + 12345);  // every byte is writable
    if (kernel_has_huge_pages()) {
        EXPECT_TRUE(marked_for_huge_pages(p)) << vm_flags_of(p);
    }
    release(p);

    // Just under the line stays with malloc.
    void* q = allocate(kLargeBlock - 1);
    ASSERT_NE(q, nullptr);
    EXPECT_FALSE(is_mapped(q));
    release(q);
}

TEST(SdlMemory, ResizingAcrossTheLineKeepsTheBytesBothWays) {
    auto* p = static_cast<unsigned char*>(allocate(4000));
    ASSERT_NE(p, nullptr);
    fill(p, 4000);
    p = static_cast<unsigned char*>(reallocate(p, 3 * kLargeBlock));
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(is_mapped(p));
    EXPECT_TRUE(holds_fill(p, 4000));
    fill(p, 3 * kLargeBlock);
    p = static_cast<unsigned char*>(reallocate(p, 2 * kLargeBlock));  // mapped to mapped
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(is_mapped(p));
    EXPECT_TRUE(holds_fill(p, 2 * kLargeBlock));
    p = static_cast<unsigned char*>(reallocate(p, 500));
    ASSERT_NE(p, nullptr);
    EXPECT_FALSE(is_mapped(p));
    EXPECT_TRUE(holds_fill(p, 500));
    release(p);
}

TEST(SdlMemory, ImpossibleSizesAreRefusedNotWrapped) {
    constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
    EXPECT_EQ(allocate_zeroed(kMax / 2, 4), nullptr);
    EXPECT_EQ(allocate(kMax - 8), nullptr);
    void* p = allocate(64);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reallocate(p, kMax - 8), nullptr);
    release(p);  // still valid after the refused resize
}

// Installed first thing, SDL's software window surface (1920×1080×4 bytes, zeroed as the
// renderer is made) lies in a mapping marked for huge pages, and the whole renderer works.
TEST(SdlMemory, SdlSoftwareWindowSurfaceIsInHugePages) {
    ASSERT_TRUE(install_sdl_memory());
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    ASSERT_EQ(SDL_Init(SDL_INIT_VIDEO), 0) << SDL_GetError();
    SDL_Window* window = SDL_CreateWindow("sdl_memory", 0, 0, 1920, 1080, SDL_WINDOW_HIDDEN);
    ASSERT_NE(window, nullptr) << SDL_GetError();
    prefer_native_framebuffer();
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    ASSERT_NE(renderer, nullptr) << SDL_GetError();
    SDL_Surface* surface = SDL_GetWindowSurface(window);
    ASSERT_NE(surface, nullptr) << SDL_GetError();
    if (kernel_has_huge_pages()) {
        EXPECT_TRUE(marked_for_huge_pages(surface->pixels)) << vm_flags_of(surface->pixels);
    }

    // SDL's own blocks all come and go through these functions: a texture filled and drawn, a
    // filled rectangle, a present, and both read back.
    SDL_Texture* texture =
        SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, 64, 64);
    ASSERT_NE(texture, nullptr) << SDL_GetError();
    const std::vector<Uint32> blue(64 * 64, 0xFF0000FFu);
    ASSERT_EQ(SDL_UpdateTexture(texture, nullptr, blue.data(), 64 * 4), 0) << SDL_GetError();
    SDL_SetRenderDrawColor(renderer, 10, 200, 30, 255);
    SDL_RenderClear(renderer);
    const SDL_Rect rect{100, 100, 64, 64};
    SDL_SetRenderDrawColor(renderer, 250, 5, 5, 255);
    SDL_RenderFillRect(renderer, &rect);
    const SDL_Rect spot{300, 300, 64, 64};
    ASSERT_EQ(SDL_RenderCopy(renderer, texture, nullptr, &spot), 0) << SDL_GetError();
    SDL_RenderPresent(renderer);
    const auto pixel_at = [renderer](int x, int y) {
        Uint32 pixel = 0;
        const SDL_Rect one{x, y, 1, 1};
        EXPECT_EQ(SDL_RenderReadPixels(renderer, &one, SDL_PIXELFORMAT_ARGB8888, &pixel, 4), 0)
            << SDL_GetError();
        return pixel;
    };
    EXPECT_EQ(pixel_at(120, 120), 0xFFFA0505u);
    EXPECT_EQ(pixel_at(320, 320), 0xFF0000FFu);
    EXPECT_EQ(pixel_at(10, 10), 0xFF0AC81Eu);
    SDL_DestroyTexture(texture);
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    SDL_Quit();
}

}  // namespace
}  // namespace pinlink::render

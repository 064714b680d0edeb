// pinlink_render_screens: writes a PNG of every link-screen state (see screen_gallery.hpp) for
// the docs and for reviewing the look. Headless: SDL's offscreen video driver, no display.
//   pinlink_render_screens OUT_DIR [--size WxH] [--renderer gl|software]
// Exit codes: 0 written, 1 rendering failed, 2 usage.
#include <SDL.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "screen_gallery.hpp"

namespace {

constexpr std::string_view usage =
    "usage: pinlink_render_screens OUT_DIR [--size WxH] [--renderer gl|software]\n"
    "Renders every state of the pinlink link screen to OUT_DIR/*.png (created if missing).\n"
    "  --size WxH        drawable size in pixels (default 1920x1080)\n"
    "  --renderer NAME   gl (OpenGL 3.3 / GLES 3, default) or software (SDL_Renderer)\n";

// "1920x1080" -> {1920, 1080}; nullopt for anything else.
std::optional<std::pair<int, int>> parse_size(std::string_view text) {
    const auto x = text.find('x');
    if (x == std::string_view::npos) return std::nullopt;
    const auto number = [](std::string_view s) -> std::optional<int> {
        if (s.empty() || s.size() > 5) return std::nullopt;
        int v = 0;
        for (const char c : s) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + (c - '0');
        }
        return v;
    };
    const auto w = number(text.substr(0, x)), h = number(text.substr(x + 1));
    if (!w || !h) return std::nullopt;
    return std::pair{*w, *h};
}

int usage_error(const std::string& message) {
    std::fprintf(stderr, "pinlink_render_screens: %s\n%.*s", message.c_str(),
                 static_cast<int>(usage.size()), usage.data());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    using pinlink::tools::GalleryOptions;
    GalleryOptions options;
    bool have_dir = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> std::optional<std::string_view> {
            if (i + 1 >= argc) return std::nullopt;
            return std::string_view(argv[++i]);
        };
        if (arg == "--help" || arg == "-h") {
            std::fwrite(usage.data(), 1, usage.size(), stdout);
            return 0;
        } else if (arg == "--size") {
            const auto v = value();
            const auto size = v ? parse_size(*v) : std::nullopt;
            if (!size) return usage_error("--size wants WxH, e.g. 1280x720");
            options.width = size->first;
            options.height = size->second;
        } else if (arg == "--renderer") {
            const auto v = value();
            const auto r = v ? pinlink::tools::parse_renderer(*v) : std::nullopt;
            if (!r) return usage_error("--renderer wants gl or software");
            options.renderer = *r;
        } else if (!arg.empty() && arg[0] == '-') {
            return usage_error("unknown option " + std::string(arg));
        } else if (!have_dir) {
            options.out_dir = std::string(arg);
            have_dir = true;
        } else {
            return usage_error("one output folder only");
        }
    }
    if (!have_dir) return usage_error("no output folder given");
    std::error_code ec;
    std::filesystem::create_directories(options.out_dir, ec);
    if (ec || !std::filesystem::is_directory(options.out_dir)) {
        std::fprintf(stderr, "pinlink_render_screens: cannot make %s: %s\n",
                     options.out_dir.c_str(), ec.message().c_str());
        return 1;
    }

    // Headless on every machine: no display is needed or used.
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        std::fprintf(stderr, "pinlink_render_screens: SDL video: %s\n", SDL_GetError());
        return 1;
    }
    const pinlink::tools::GalleryResult result = pinlink::tools::render_screens(options);
    SDL_Quit();
    for (const auto& path : result.written)
        std::printf("%s\n", path.c_str());
    if (!result) {
        std::fprintf(stderr, "pinlink_render_screens: %s\n", result.error.c_str());
        return 1;
    }
    return 0;
}

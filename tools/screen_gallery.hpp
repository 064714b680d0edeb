// The screen gallery: drives a real ui::Screen through every state a person can meet and
// renders each one with a real backend (GL or SDL_Renderer software) to a PNG. Used by
// pinlink_render_screens (docs/screenshots, scripts/screenshots) and by its test, which scans
// the QR codes back. Time is simulated: every input and frame gets an explicit `now`, so the
// pictures are the same on every run and nothing sleeps.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinlink::tools {

enum class Renderer : std::uint8_t {
    gl,       // render::GlWindow + render::GlBackend, as `pinlink --renderer gl`
    software  // render::SdlBackend on SDL's software renderer, as `--renderer software`
};

std::string_view to_string(Renderer r);
std::optional<Renderer> parse_renderer(std::string_view text);

// The request tokens shown: the shape of X's (42 characters), so the address wraps as it will.
inline constexpr std::string_view authorize_url =
    "https://api.x.com/oauth/authorize?oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik";
// A rejected PIN brings a fresh code, so that screen shows another token.
inline constexpr std::string_view fresh_authorize_url =
    "https://api.x.com/oauth/authorize?oauth_token=q7Tb1rXwNcE0GmVh5LkP2sJd8YuA4fZoKiW3eHn6Ry";

struct ShotInfo {
    std::string_view file;     // "code.png", inside the output folder
    std::string_view caption;  // one line: which state, which device, what happened before
    std::string_view qr_url;   // what its QR code scans to; empty when none is meant to be scanned
};

// Every picture render_screens() writes, in the order it writes them.
const std::vector<ShotInfo>& shots();

struct GalleryOptions {
    std::filesystem::path out_dir;  // must exist
    int width = 1920, height = 1080;
    Renderer renderer = Renderer::gl;
};

struct GalleryResult {
    std::vector<std::filesystem::path> written;  // in shots() order
    std::string error;  // what failed (window, backend, font, PNG, a screen that never settled)

    explicit operator bool() const { return error.empty(); }
};

// Renders every shot. SDL video must be initialised by the caller (the tool selects the
// offscreen driver first); GL needs an EGL/GL driver, software needs nothing more.
GalleryResult render_screens(const GalleryOptions& options);

}  // namespace pinlink::tools

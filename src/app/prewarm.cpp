// Glyph prewarm for the first Code screen; see prewarm.hpp.
#include "app/prewarm.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string_view>
#include <utility>

#include "ui/draw_list.hpp"
#include "ui/screen.hpp"

namespace pinlink::app {
namespace {

// Passes glyph requests on to the atlas and notes the sizes the monospace face (the address)
// was asked for in.
class MonoSizes final : public ui::GlyphSource {
  public:
    explicit MonoSizes(ui::GlyphSource& atlas) : atlas_(atlas) {}
    ui::FontMetrics metrics(ui::Face face, int pixel_size) override {
        return atlas_.metrics(face, pixel_size);
    }
    const ui::Glyph& glyph(ui::Face face, int pixel_size, char32_t codepoint) override {
        if (face == ui::Face::mono &&
            std::find(sizes.begin(), sizes.end(), pixel_size) == sizes.end()) {
            sizes.push_back(pixel_size);
        }
        return atlas_.glyph(face, pixel_size, codepoint);
    }
    std::vector<int> sizes;

  private:
    ui::GlyphSource& atlas_;
};

constexpr std::string_view kTokenCharacters =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

PrewarmText prewarm_text(const link::PinFlow& flow, bool demo) {
    PrewarmText text;
    text.authorize_urls.push_back(flow.authorize_url({"AbCdEfGhIjKlMnOpQrStUvWxYz0", {}}));
    if (demo) {
        // One with wide letters, one with narrow ones: a 43-character token takes either size.
        for (const char* token : {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq",
                                  "rstuvwxyz0123456789-_ABCDEFGHIJKLMNOPQRSTU"}) {
            text.authorize_urls.push_back(flow.authorize_url({token, {}}));
        }
        text.pin_hint = true;
    }
    return text;
}

void prewarm_atlas(render::GlyphAtlas& atlas, int width, int height, const PrewarmText& text) {
    if (width <= 0 || height <= 0) return;
    ui::ScreenOptions options;
    options.pin_reveal = std::chrono::milliseconds(0);
    const auto now = ui::Clock::now();
    ui::DrawList list;
    MonoSizes glyphs(atlas);
    for (const ui::Device device : {ui::Device::keyboard, ui::Device::gamepad}) {
        for (std::size_t i = 0; i < text.authorize_urls.size(); ++i) {
            // A new Screen for each: on a screen that already shows a code, the next one fades
            // in and is not drawn yet at `now`, so its glyphs would never be asked for.
            ui::Screen screen(options);
            screen.set_device(device);
            ui::CodeView view;
            view.authorize_url = text.authorize_urls[i];
            // Seven digits, as the provider's PINs; two samples hold every digit.
            if (text.pin_hint) view.pin_hint = i % 2 == 0 ? "0123456" : "3456789";
            screen.show_code(std::move(view), now);
            screen.build(list, glyphs, width, height, now);
        }
    }
    for (const int px : glyphs.sizes) {
        for (const char c : kTokenCharacters) {
            atlas.glyph(ui::Face::mono, px, static_cast<char32_t>(c));
        }
        for (const auto& url : text.authorize_urls) {
            for (const char c : url)
                atlas.glyph(ui::Face::mono, px, static_cast<char32_t>(c));
        }
    }
    // Nothing is uploaded yet: the first texture is made only as tall as these glyphs need.
    atlas.trim();
}

}  // namespace pinlink::app

// The glyph atlas: pinlink's ui::GlyphSource, made with SDL2_ttf. Glyphs are rasterised on first
// use at exactly the pixel size the layout asks for (never scaled afterwards) and packed into one
// single-channel coverage image that both render backends upload.
//
// Implemented: embedded fonts (Inter Regular/SemiBold for the interface, JetBrains Mono Medium
// for the address and digits, DejaVu Sans / Sans Bold as the fallback for symbols such as ✕ ⌫
// and U+FFFD), a `--font` override for the interface face, one TTF_Font per font file (resized
// as needed) and font metrics cached per (face, size),
// shelf packing, growth, reset-when-full, generation counter and dirty rectangle for uploads.
// Not implemented: kerning and shaping (the interface is short Latin strings, digits and
// symbols); colour emoji.
//
// Thread: the render thread only, like everything that touches the atlas.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "render/text/shelf_packer.hpp"
#include "ui/glyphs.hpp"

namespace pinlink::render {

struct AtlasOptions {
    // A TrueType/OpenType file to use for the interface faces (ui_regular and ui_semibold)
    // instead of the embedded Inter: `--font PATH`. Empty: Inter. The mono face and the
    // fallback chain stay embedded.
    std::string ui_font_path;
    // Atlas size in pixels. The width is fixed; the height grows by half (at least 64 rows,
    // rounded up to a multiple of 64; GlyphAtlas::grown_height) when full, up to max_height,
    // after which the atlas starts over (see GlyphAtlas::layout_generation()).
    // Both backends can make textures of 1024 x 4096 on anything that runs GLES 3.
    int width = 1024;
    int initial_height = 256;
    int max_height = 4096;
    // Each built-in font is embedded at build time from a file of a Debian font package. Where
    // that file is still installed, with the same size, the font is read from it instead: the
    // copy in the binary is then never paged in (about 0.5 MiB less resident on the Code
    // screen, docs/performance.md). Missing, another size, or not a font FreeType opens: the
    // built-in copy. `installed_fonts_root` is put before those paths (tests use a folder of
    // their own).
    bool installed_fonts = true;
    std::string installed_fonts_root;
};

enum class FontError {
    none,
    ttf_init,             // SDL2_ttf (FreeType) could not start
    override_unreadable,  // the --font file could not be read
    override_not_a_font,  // the --font file is not a font FreeType can open
    embedded_broken,      // an embedded font failed to open: a build problem
    bad_options,          // AtlasOptions sizes out of range
};

std::string_view to_string(FontError e);

class GlyphAtlas;

struct AtlasResult {
    std::unique_ptr<GlyphAtlas> atlas;  // null unless error == none
    FontError error = FontError::none;
    std::string message;  // what failed and why (path, FreeType's words); for stderr

    explicit operator bool() const { return error == FontError::none; }
};

class GlyphAtlas final : public ui::GlyphSource {
  public:
    // Pixel sizes are clamped to this range; larger text should be geometry, not glyphs.
    static constexpr int min_pixel_size = 1;
    static constexpr int max_pixel_size = 512;

    // Opens the first font of each face (the override, if any, and the built-in ones it does
    // not replace); the fallbacks open when a glyph first needs them. Never throws; a font that
    // cannot be used is an error value with a message fit for stderr.
    static AtlasResult create(const AtlasOptions& options = {});

    ~GlyphAtlas() override;
    GlyphAtlas(const GlyphAtlas&) = delete;
    GlyphAtlas& operator=(const GlyphAtlas&) = delete;

    // ui::GlyphSource. Sizes are clamped to [min_pixel_size, max_pixel_size]. The reference
    // from glyph() stays valid until reset() or the atlas is destroyed; its uv values are
    // updated in place when the atlas grows (see layout_generation()). A code point no font
    // in the chain has gives U+FFFD from the first font that has it; a glyph larger than the
    // whole atlas comes back blank (x0 == x1) with its advance.
    ui::FontMetrics metrics(ui::Face face, int pixel_size) override;
    const ui::Glyph& glyph(ui::Face face, int pixel_size, char32_t codepoint) override;

    // Forgets every glyph and closes every font: call on resize, when the layout will ask for
    // new sizes. The atlas returns to its initial size. Invalidates glyph() references.
    void reset();

    // The family name of the font that draws `codepoint` for `face` ("Inter", "DejaVu Sans",
    // ...): which link of the fallback chain answers. For diagnostics and tests.
    std::string family_for(ui::Face face, char32_t codepoint);

    // --- For backends: the coverage image and what changed in it. One consumer at a time. ---

    // Coverage, one byte per pixel (0 = empty, 255 = fully inside the glyph), row-major with a
    // stride of width() bytes. Backends store it as white with alpha = coverage (SDL) or as a
    // single red channel (GL): straight alpha either way.
    const std::uint8_t* pixels() const { return pixels_.data(); }
    int width() const { return width_; }
    int height() const { return height_; }
    // Rows in use, from the top: the rest of height() is free.
    int used_height() const { return packer_.used_height(); }
    // The height after one growth from `height` (256 -> 384 -> 576 -> ...).
    static int grown_height(int height);
    // Gives back the free rows below the lowest shelf, keeping a multiple of 64 rows (at least
    // 64). For the end of a prewarm, before a backend first uploads the atlas: its texture is
    // then no taller than the glyphs need (at 1080p the first Code screen takes 185 rows, so 192
    // instead of 256: 256 KiB less for the software renderer's RGBA texture). Glyphs keep their
    // pixels and places; texture coordinates are rescaled (layout_generation() changes). A later
    // glyph that does not fit grows the atlas again, by half.
    void trim();

    // Increases whenever any pixel changes. A backend that uploaded generation g and now sees
    // a larger one uploads dirty_rect() (or everything, if the size changed or the dirty
    // rectangle is empty), then calls clear_dirty().
    std::uint64_t generation() const { return generation_; }
    PixelRect dirty_rect() const { return dirty_; }
    void clear_dirty() { dirty_ = {}; }

    // Increases when texture coordinates handed out earlier became wrong: the atlas grew (uv
    // rescaled), or it was full at max_height and started over (earlier glyphs re-rasterise on
    // their next use), or reset(). A draw list built across such a change should be rebuilt
    // once before drawing: the second pass finds every glyph cached.
    std::uint64_t layout_generation() const { return layout_generation_; }

    // Font files open right now (each file is opened once, at one size at a time), for tests
    // and statistics: the fallbacks are only opened by a glyph that needs them.
    int open_font_files() const;

    // The installed file that the first font of `face` is read from, or "" when it is read from
    // the binary (or from --font). For tests and diagnostics.
    std::string installed_file(ui::Face face) const;

    // Glyphs rasterised so far (cache misses), for tests and statistics.
    std::uint64_t rasterised_count() const { return rasterised_; }

  private:
    struct Fonts;  // the font files, fallback chains and open TTF_Fonts (SDL2_ttf stays in .cpp)
    struct Entry {
        ui::Glyph glyph;
        PixelRect rect;           // where its pixels are; empty for a blank glyph
        std::uint64_t epoch = 0;  // the atlas epoch its pixels belong to
    };

    GlyphAtlas(const AtlasOptions& options, std::unique_ptr<Fonts> fonts);

    void rasterise(Entry& entry, ui::Face face, int pixel_size, char32_t codepoint);
    std::optional<PixelRect> place(int w, int h);
    void update_uvs(Entry& entry) const;
    void resize_rows(int height);  // grow or trim below the lowest shelf
    void start_over(int height);

    AtlasOptions options_;
    std::unique_ptr<Fonts> fonts_;
    std::unordered_map<std::uint64_t, Entry> glyphs_;
    std::unordered_map<std::uint64_t, ui::FontMetrics> metrics_;  // by (face, size)

    int width_, height_;
    std::vector<std::uint8_t> pixels_;
    ShelfPacker packer_;
    PixelRect dirty_;
    std::uint64_t generation_ = 1;
    std::uint64_t layout_generation_ = 1;
    std::uint64_t epoch_ = 1;
    std::uint64_t rasterised_ = 0;
};

}  // namespace pinlink::render

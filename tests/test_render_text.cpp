// The glyph atlas: glyphs cached and not re-rasterised, exact sizes, baseline placement,
// coverage where the uv rectangle says, the fallback chain for symbols, the --font override and
// its errors, growth, starting over when full, reset on resize, and the built-in fonts read from
// their installed files when those are the same.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <string>

#include "embedded_fonts.hpp"
#include "render/text/glyph_atlas.hpp"
#include "render/text/shelf_packer.hpp"

namespace pinlink::render {
namespace {

using ui::Face;

std::unique_ptr<GlyphAtlas> make_atlas(const AtlasOptions& options = {}) {
    AtlasResult result = GlyphAtlas::create(options);
    EXPECT_TRUE(result) << result.message;
    return std::move(result.atlas);
}

// The atlas pixel rectangle a glyph's uv rectangle names.
PixelRect texels(const GlyphAtlas& atlas, const ui::Glyph& g) {
    const auto w = static_cast<float>(atlas.width());
    const auto h = static_cast<float>(atlas.height());
    const int x0 = static_cast<int>(g.u0 * w + 0.5f), y0 = static_cast<int>(g.v0 * h + 0.5f);
    const int x1 = static_cast<int>(g.u1 * w + 0.5f), y1 = static_cast<int>(g.v1 * h + 0.5f);
    return {x0, y0, x1 - x0, y1 - y0};
}

int coverage(const GlyphAtlas& atlas, int x, int y) {
    return atlas.pixels()[static_cast<std::size_t>(y) * static_cast<std::size_t>(atlas.width()) +
                          static_cast<std::size_t>(x)];
}

// The coverage bytes inside a rectangle of the atlas, row by row.
std::vector<std::uint8_t> coverage_in(const GlyphAtlas& atlas, const PixelRect& r) {
    std::vector<std::uint8_t> out;
    for (int y = r.y; y < r.y + r.h; ++y) {
        for (int x = r.x; x < r.x + r.w; ++x)
            out.push_back(static_cast<std::uint8_t>(coverage(atlas, x, y)));
    }
    return out;
}

TEST(GlyphAtlas, SameGlyphTwiceIsNotRasterisedAgain) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    const ui::Glyph& first = atlas->glyph(Face::ui_regular, 32, U'A');
    const std::uint64_t count = atlas->rasterised_count();
    const std::uint64_t generation = atlas->generation();
    const ui::Glyph& second = atlas->glyph(Face::ui_regular, 32, U'A');
    EXPECT_EQ(&first, &second);
    EXPECT_EQ(atlas->rasterised_count(), count);
    EXPECT_EQ(atlas->generation(), generation) << "a cache hit must not touch the pixels";
    // A different face, size or character is a different glyph.
    atlas->glyph(Face::ui_semibold, 32, U'A');
    atlas->glyph(Face::ui_regular, 33, U'A');
    atlas->glyph(Face::ui_regular, 32, U'B');
    EXPECT_EQ(atlas->rasterised_count(), count + 3);
}

TEST(GlyphAtlas, GlyphsAreRasterisedAtTheRequestedSize) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    const ui::Glyph small = atlas->glyph(Face::ui_regular, 32, U'H');
    const ui::Glyph large = atlas->glyph(Face::ui_regular, 64, U'H');
    const float small_h = small.y1 - small.y0, large_h = large.y1 - large.y0;
    EXPECT_NEAR(large_h / small_h, 2.0f, 0.1f);
    // Never stretched: the quad is exactly as large as its atlas rectangle.
    for (const ui::Glyph& g : {small, large}) {
        const PixelRect r = texels(*atlas, g);
        EXPECT_EQ(static_cast<float>(r.w), g.x1 - g.x0);
        EXPECT_EQ(static_cast<float>(r.h), g.y1 - g.y0);
    }
    const ui::FontMetrics m32 = atlas->metrics(Face::ui_regular, 32);
    const ui::FontMetrics m64 = atlas->metrics(Face::ui_regular, 64);
    EXPECT_GT(m32.ascent, 20.0f);
    EXPECT_GT(m32.descent, 3.0f);
    EXPECT_GE(m32.line_height, m32.ascent + m32.descent);
    EXPECT_NEAR(m64.ascent / m32.ascent, 2.0f, 0.1f);
}

TEST(GlyphAtlas, GlyphsSitOnTheBaseline) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    const ui::Glyph h = atlas->glyph(Face::ui_regular, 40, U'H');
    const ui::Glyph x = atlas->glyph(Face::ui_regular, 40, U'x');
    const ui::Glyph g = atlas->glyph(Face::ui_regular, 40, U'g');
    EXPECT_EQ(h.y1, 0.0f) << "H ends on the baseline";
    EXPECT_NEAR(-h.y0, 40 * 0.73f, 3.0f) << "Inter's cap height is about 0.73 em";
    EXPECT_GT(x.y0, h.y0) << "x is lower than H";
    EXPECT_GT(g.y1, 5.0f) << "g descends below the baseline";
    EXPECT_GT(h.advance, h.x1 - h.x0);
    const ui::Glyph space = atlas->glyph(Face::ui_regular, 40, U' ');
    EXPECT_EQ(space.x0, space.x1) << "a space is blank";
    EXPECT_GT(space.advance, 5.0f);
}

// Inside a glyph's uv rectangle there is ink; in the one-pixel gutter around it there is none.
TEST(GlyphAtlas, CoverageIsInsideTheGlyphRectangleOnly) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    for (const char32_t c : std::u32string(U"Hg0@✓")) {
        const ui::Glyph& glyph = atlas->glyph(Face::ui_semibold, 48, c);
        const PixelRect r = texels(*atlas, glyph);
        ASSERT_FALSE(r.empty());
        int inked = 0;
        for (int y = r.y; y < r.y + r.h; ++y) {
            for (int x = r.x; x < r.x + r.w; ++x)
                inked += coverage(*atlas, x, y) > 0 ? 1 : 0;
        }
        EXPECT_GT(inked, r.w * r.h / 10);
        // Each edge row/column has ink (cropped tight), and the gutter has none.
        int top = 0, bottom = 0, left = 0, right = 0;
        for (int x = r.x; x < r.x + r.w; ++x) {
            top += coverage(*atlas, x, r.y);
            bottom += coverage(*atlas, x, r.y + r.h - 1);
            EXPECT_EQ(coverage(*atlas, x, r.y - 1), 0);
            EXPECT_EQ(coverage(*atlas, x, r.y + r.h), 0);
        }
        for (int y = r.y; y < r.y + r.h; ++y) {
            left += coverage(*atlas, r.x, y);
            right += coverage(*atlas, r.x + r.w - 1, y);
            EXPECT_EQ(coverage(*atlas, r.x - 1, y), 0);
            EXPECT_EQ(coverage(*atlas, r.x + r.w, y), 0);
        }
        EXPECT_GT(top, 0);
        EXPECT_GT(bottom, 0);
        EXPECT_GT(left, 0);
        EXPECT_GT(right, 0);
    }
}

TEST(GlyphAtlas, DirtyRectAndGenerationTrackNewPixels) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    atlas->glyph(Face::mono, 30, U'1');
    atlas->clear_dirty();
    EXPECT_TRUE(atlas->dirty_rect().empty());
    const std::uint64_t generation = atlas->generation();
    const ui::Glyph& two = atlas->glyph(Face::mono, 30, U'2');
    EXPECT_GT(atlas->generation(), generation);
    EXPECT_TRUE(atlas->dirty_rect().contains(texels(*atlas, two)));
    EXPECT_LT(atlas->dirty_rect().w * atlas->dirty_rect().h, atlas->width() * atlas->height() / 4)
        << "one new glyph should not dirty the whole atlas";
}

// The interface symbols: where Inter lacks one, DejaVu Sans draws it.
TEST(GlyphAtlas, MissingSymbolsFallBackToDejaVu) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    EXPECT_EQ(atlas->family_for(Face::ui_regular, U'A'), "Inter");
    EXPECT_EQ(atlas->family_for(Face::mono, U'7'), "JetBrains Mono");
    // ✕ (PlayStation cross) is not in Inter; ⌫ is not in JetBrains Mono.
    EXPECT_EQ(atlas->family_for(Face::ui_regular, U'✕'), "DejaVu Sans");
    EXPECT_EQ(atlas->family_for(Face::ui_semibold, U'✕'), "DejaVu Sans");
    EXPECT_EQ(atlas->family_for(Face::mono, U'⌫'), "DejaVu Sans");
    // Every glyph the hint bar and the pad use is drawable in every face, none blank.
    for (const Face face : {Face::ui_regular, Face::ui_semibold, Face::mono}) {
        for (const char32_t c : std::u32string(U"✓⌫✕○□△")) {
            const ui::Glyph& g = atlas->glyph(face, 40, c);
            EXPECT_GT(g.x1 - g.x0, 5.0f) << "U+" << std::hex << static_cast<unsigned>(c);
            EXPECT_GT(g.y1 - g.y0, 5.0f) << "U+" << std::hex << static_cast<unsigned>(c);
        }
    }
}

// The fallbacks are built in and large (DejaVu Sans and Sans Bold, 1.4 MB); a screen of Latin
// text never opens them. The first font of each face is open from the start.
TEST(GlyphAtlas, FallbackFontsOpenOnlyWhenAGlyphNeedsThem) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    EXPECT_EQ(atlas->open_font_files(), 3) << "Inter Regular, Inter SemiBold, JetBrains Mono";
    for (const Face face : {Face::ui_regular, Face::ui_semibold, Face::mono}) {
        for (const char32_t c : std::u32string(U"Link your X account 0123456789 \u2026")) {
            (void)atlas->glyph(face, 32, c);
        }
    }
    EXPECT_EQ(atlas->open_font_files(), 3);
    (void)atlas->glyph(Face::ui_regular, 32, U'✕');
    EXPECT_EQ(atlas->open_font_files(), 4) << "DejaVu Sans, for the cross";
    (void)atlas->glyph(Face::ui_semibold, 32, U'✕');
    EXPECT_EQ(atlas->open_font_files(), 5) << "DejaVu Sans Bold, for the bold cross";
    atlas->reset();
    EXPECT_EQ(atlas->open_font_files(), 0) << "reset closes every font";

    // With --font, the override is the first font of both interface faces: one file.
    AtlasOptions options;
    options.ui_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
    auto custom = make_atlas(options);
    ASSERT_TRUE(custom);
    EXPECT_EQ(custom->open_font_files(), 2) << "DejaVu Serif and JetBrains Mono";
}

// Makes the whole pages inside `bytes` unreadable while it lives, so any read of them is a
// crash (the partial pages at the ends are shared with other data and stay as they were).
class Unreadable {
  public:
    explicit Unreadable(std::span<const std::uint8_t> bytes) {
        const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
        const auto begin = reinterpret_cast<std::uintptr_t>(bytes.data());
        start_ = (begin + page - 1) / page * page;
        length_ = (begin + bytes.size()) / page * page - start_;
        EXPECT_EQ(mprotect(reinterpret_cast<void*>(start_), length_, PROT_NONE), 0);
    }
    ~Unreadable() { mprotect(reinterpret_cast<void*>(start_), length_, PROT_READ); }
    Unreadable(const Unreadable&) = delete;
    Unreadable& operator=(const Unreadable&) = delete;

  private:
    std::uintptr_t start_ = 0;
    std::size_t length_ = 0;
};

// Drawing a screen's worth of text with each face.
void draw_some_text(GlyphAtlas& atlas) {
    for (const Face face : {Face::ui_regular, Face::ui_semibold, Face::mono}) {
        for (const char32_t c : std::u32string(U"Link your X account: x.com/oauth 0123456789")) {
            (void)atlas.glyph(face, 40, c);
        }
    }
}

// Where the Debian font files the binary embedded are installed, unchanged, the fonts are read
// from them and the copies in the binary are never read, so never paged in (0.5 MiB less
// resident): with those copies unreadable, the atlas still opens and draws every face. Any read
// of them would crash this test (with installed_fonts off, it does). No
// death test shows that here: under the sanitizers the crash would be a report, which fails CI.
TEST(GlyphAtlas, BuiltInFontsAreReadFromTheirInstalledFiles) {
    ASSERT_TRUE(std::filesystem::exists(embedded::inter_regular_source))
        << "the build embedded it from there";
    const Unreadable regular(embedded::inter_regular());
    const Unreadable semibold(embedded::inter_semibold());
    const Unreadable mono(embedded::mono_medium());
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    EXPECT_EQ(atlas->installed_file(Face::ui_regular), embedded::inter_regular_source);
    EXPECT_EQ(atlas->installed_file(Face::ui_semibold), embedded::inter_semibold_source);
    EXPECT_EQ(atlas->installed_file(Face::mono), embedded::mono_medium_source);
    draw_some_text(*atlas);
    EXPECT_EQ(atlas->family_for(Face::ui_regular, U'A'), "Inter");
    const ui::Glyph& a = atlas->glyph(Face::ui_regular, 40, U'A');
    EXPECT_GT(a.x1 - a.x0, 10.0f);
}

// An installed file that is not the one embedded (another size), or not a font at all, is not
// used: the built-in copy draws. An exact copy is used. The files are a test folder's own,
// under AtlasOptions::installed_fonts_root.
TEST(GlyphAtlas, AnInstalledFileThatDiffersLeavesTheBuiltInCopy) {
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() /
                          ("pinlink-fonts-" + std::to_string(::getpid()));
    fs::remove_all(root);
    auto place = [&](const char* source, std::span<const std::uint8_t> bytes) {
        const fs::path path = root / fs::path(source).relative_path();
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
        return path.string();
    };
    const auto regular = embedded::inter_regular();
    place(embedded::inter_regular_source, regular.first(regular.size() / 2));  // another size
    const std::vector<std::uint8_t> noise(embedded::inter_semibold().size(), 0x5A);
    place(embedded::inter_semibold_source, noise);  // the same size, not a font
    const std::string mono = place(embedded::mono_medium_source, embedded::mono_medium());

    AtlasOptions options;
    options.installed_fonts_root = root.string();
    auto atlas = make_atlas(options);
    ASSERT_TRUE(atlas);
    EXPECT_EQ(atlas->installed_file(Face::ui_regular), "");
    EXPECT_EQ(atlas->installed_file(Face::ui_semibold), "");
    EXPECT_EQ(atlas->installed_file(Face::mono), mono);
    for (const Face face : {Face::ui_regular, Face::ui_semibold, Face::mono}) {
        const ui::Glyph& g = atlas->glyph(face, 40, U'W');
        EXPECT_GT(g.x1 - g.x0, 10.0f) << static_cast<int>(face);
    }
    EXPECT_EQ(atlas->family_for(Face::ui_semibold, U'W'), "Inter");
    atlas.reset();
    fs::remove_all(root);
}

// ✓ comes from the face itself when the face has it (Inter does); with a --font that lacks it
// (DejaVu Serif, from fonts-dejavu-core), the chain still draws it.
TEST(GlyphAtlas, CheckMarkFallsBackWhenTheFontLacksIt) {
    auto inter = make_atlas();
    ASSERT_TRUE(inter);
    EXPECT_EQ(inter->family_for(Face::ui_semibold, U'✓'), "Inter");

    AtlasOptions options;
    options.ui_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";
    auto custom = make_atlas(options);
    ASSERT_TRUE(custom);
    EXPECT_EQ(custom->family_for(Face::ui_regular, U'A'), "DejaVu Serif");
    EXPECT_EQ(custom->family_for(Face::ui_regular, U'✓'), "DejaVu Sans");
    EXPECT_EQ(custom->family_for(Face::ui_semibold, U'✓'), "DejaVu Sans");
    EXPECT_EQ(custom->family_for(Face::mono, U'7'), "JetBrains Mono") << "mono stays built in";
    const ui::Glyph& check = custom->glyph(Face::ui_regular, 40, U'✓');
    EXPECT_GT(check.x1 - check.x0, 10.0f);
    EXPECT_GT(check.y1 - check.y0, 10.0f);
}

TEST(GlyphAtlas, UnknownCodePointGetsTheReplacementGlyph) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    // A private-use code point no embedded font has: U+FFFD from DejaVu, not a blank.
    EXPECT_EQ(atlas->family_for(Face::ui_regular, U'\U000F0001'), "DejaVu Sans");
    const ui::Glyph unknown = atlas->glyph(Face::ui_regular, 40, U'\U000F0001');
    const ui::Glyph replacement = atlas->glyph(Face::ui_regular, 40, U'\uFFFD');
    EXPECT_GT(unknown.x1 - unknown.x0, 5.0f);
    EXPECT_EQ(unknown.x1 - unknown.x0, replacement.x1 - replacement.x0);
    EXPECT_EQ(unknown.advance, replacement.advance);
    // Not a character at all: also the replacement glyph, never a crash.
    const ui::Glyph surrogate = atlas->glyph(Face::ui_regular, 40, static_cast<char32_t>(0xD800));
    EXPECT_EQ(surrogate.advance, replacement.advance);
    const ui::Glyph beyond = atlas->glyph(Face::ui_regular, 40, static_cast<char32_t>(0x7FFFFFFF));
    EXPECT_EQ(beyond.advance, replacement.advance);
    // Control characters take no room.
    const ui::Glyph newline = atlas->glyph(Face::ui_regular, 40, U'\n');
    EXPECT_EQ(newline.advance, 0.0f);
    EXPECT_EQ(newline.x0, newline.x1);
}

TEST(GlyphAtlas, OverrideFontThatCannotBeReadIsAnError) {
    AtlasOptions options;
    options.ui_font_path = "/nonexistent/pinlink/font.otf";
    const AtlasResult result = GlyphAtlas::create(options);
    EXPECT_FALSE(result);
    EXPECT_EQ(result.error, FontError::override_unreadable);
    EXPECT_EQ(result.atlas, nullptr);
    EXPECT_NE(result.message.find("/nonexistent/pinlink/font.otf"), std::string::npos);
}

TEST(GlyphAtlas, OverrideFileThatIsNotAFontIsAnError) {
    AtlasOptions options;
    options.ui_font_path = PINLINK_SOURCE_DIR "/tests/test_render_text.cpp";
    const AtlasResult result = GlyphAtlas::create(options);
    EXPECT_FALSE(result);
    EXPECT_EQ(result.error, FontError::override_not_a_font);
    EXPECT_NE(result.message.find("test_render_text.cpp"), std::string::npos);

    options.ui_font_path = "/dev/null";  // empty
    EXPECT_EQ(GlyphAtlas::create(options).error, FontError::override_not_a_font);
}

TEST(GlyphAtlas, BadOptionsAreAnError) {
    AtlasOptions options;
    options.initial_height = 4;
    EXPECT_EQ(GlyphAtlas::create(options).error, FontError::bad_options);
}

TEST(GlyphAtlas, OutOfRangeSizesAreClamped) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    const ui::Glyph& tiny = atlas->glyph(Face::ui_regular, 0, U'A');
    const ui::Glyph& one = atlas->glyph(Face::ui_regular, GlyphAtlas::min_pixel_size, U'A');
    EXPECT_EQ(&tiny, &one);
    const ui::Glyph& huge = atlas->glyph(Face::ui_regular, 100000, U'A');
    const ui::Glyph& max = atlas->glyph(Face::ui_regular, GlyphAtlas::max_pixel_size, U'A');
    EXPECT_EQ(&huge, &max);
    EXPECT_GT(max.y1 - max.y0, 300.0f);
}

// Growing keeps every glyph's pixels and rescales its uv in place; the layout generation says so.
TEST(GlyphAtlas, GrowsAndKeepsGlyphs) {
    AtlasOptions options;
    options.width = 256;
    options.initial_height = 64;
    options.max_height = 1024;
    auto atlas = make_atlas(options);
    ASSERT_TRUE(atlas);
    const ui::Glyph& a = atlas->glyph(Face::ui_semibold, 40, U'A');
    const PixelRect before = texels(*atlas, a);
    const std::vector<std::uint8_t> a_pixels = coverage_in(*atlas, before);
    const std::uint64_t layout = atlas->layout_generation();
    for (char32_t c = U'B'; c <= U'Z'; ++c)
        atlas->glyph(Face::ui_semibold, 40, c);
    EXPECT_GT(atlas->height(), 64);
    EXPECT_GT(atlas->layout_generation(), layout);

    const PixelRect after = texels(*atlas, a);  // the same reference, uv updated
    EXPECT_EQ(after.x, before.x);
    EXPECT_EQ(after.y, before.y);
    EXPECT_EQ(coverage_in(*atlas, after), a_pixels);
}

// The atlas grows by half (at least 64 rows, in multiples of 64), and only as far as it must:
// a few more glyphs than the first rows hold cost a few more rows, not twice the texture.
// trim() gives back the free rows down to a 64-row band; glyphs keep their pixels and places,
// their texture coordinates follow, and a glyph that no longer fits grows the atlas again.
TEST(GlyphAtlas, TrimKeepsGlyphsAndGivesBackFreeRows) {
    AtlasOptions options;
    options.width = 256;
    options.initial_height = 256;
    auto atlas = make_atlas(options);
    ASSERT_TRUE(atlas);
    const ui::Glyph& a = atlas->glyph(Face::ui_semibold, 40, U'A');
    const PixelRect before = texels(*atlas, a);
    const std::vector<std::uint8_t> a_pixels = coverage_in(*atlas, before);
    ASSERT_LT(atlas->used_height(), 64);
    const std::uint64_t layout = atlas->layout_generation();
    const std::uint64_t generation = atlas->generation();

    atlas->trim();
    EXPECT_EQ(atlas->height(), 64);
    EXPECT_GT(atlas->layout_generation(), layout);
    EXPECT_GT(atlas->generation(), generation);  // a backend uploads the new size whole
    const PixelRect after = texels(*atlas, a);
    EXPECT_EQ(after.x, before.x);
    EXPECT_EQ(after.y, before.y);
    EXPECT_EQ(after.h, before.h);
    EXPECT_EQ(coverage_in(*atlas, after), a_pixels);

    atlas->trim();  // nothing more to give back
    EXPECT_EQ(atlas->height(), 64);
    for (char32_t c = U'B'; c <= U'Z'; ++c)
        (void)atlas->glyph(Face::ui_semibold, 40, c);
    EXPECT_GT(atlas->height(), 64);
    EXPECT_GE(atlas->height(), atlas->used_height());
    EXPECT_EQ(texels(*atlas, a).y, before.y);
}

TEST(GlyphAtlas, GrowsByHalfInWholeBands) {
    EXPECT_EQ(GlyphAtlas::grown_height(64), 128);
    EXPECT_EQ(GlyphAtlas::grown_height(128), 192);
    EXPECT_EQ(GlyphAtlas::grown_height(256), 384);
    EXPECT_EQ(GlyphAtlas::grown_height(384), 576);
    EXPECT_EQ(GlyphAtlas::grown_height(100), 192);  // a --font-sized start rounds up to a band

    AtlasOptions options;
    options.width = 256;
    options.initial_height = 256;
    auto atlas = make_atlas(options);
    ASSERT_TRUE(atlas);
    int code = 0x41;
    while (atlas->height() == 256) {
        (void)atlas->glyph(Face::ui_regular, 24, static_cast<char32_t>(code++));
        ASSERT_LT(code, 0x2000) << "never grew";
    }
    EXPECT_EQ(atlas->height(), 384);
    EXPECT_GT(atlas->used_height(), 256);
    EXPECT_LE(atlas->used_height(), 384);
}

// Full at its largest size, the atlas starts over; a glyph still in use comes back when asked.
TEST(GlyphAtlas, StartsOverWhenFullAndRedrawsOnDemand) {
    AtlasOptions options;
    options.width = 128;
    options.initial_height = 64;
    options.max_height = 128;
    auto atlas = make_atlas(options);
    ASSERT_TRUE(atlas);
    const ui::Glyph& a = atlas->glyph(Face::ui_semibold, 40, U'A');
    const std::uint64_t rasterised = atlas->rasterised_count();
    const std::uint64_t layout = atlas->layout_generation();
    for (char32_t c = U'B'; c <= U'Z'; ++c)
        atlas->glyph(Face::ui_semibold, 40, c);
    EXPECT_EQ(atlas->height(), 128);
    EXPECT_GT(atlas->layout_generation(), layout);

    const std::uint64_t before_again = atlas->rasterised_count();
    const ui::Glyph& a_again = atlas->glyph(Face::ui_semibold, 40, U'A');
    EXPECT_EQ(&a, &a_again) << "references stay valid across a start-over";
    EXPECT_EQ(atlas->rasterised_count(), before_again + 1) << "A was dropped and is redrawn";
    EXPECT_GT(before_again, rasterised);
    const PixelRect r = texels(*atlas, a_again);
    int inked = 0;
    for (int y = r.y; y < r.y + r.h; ++y) {
        for (int x = r.x; x < r.x + r.w; ++x)
            inked += coverage(*atlas, x, y) > 0 ? 1 : 0;
    }
    EXPECT_GT(inked, 50);
}

// On resize the layout asks for new sizes: reset() forgets everything, cheaply.
TEST(GlyphAtlas, ResetForgetsGlyphsForANewSize) {
    AtlasOptions options;
    options.width = 256;
    options.initial_height = 64;
    auto atlas = make_atlas(options);
    ASSERT_TRUE(atlas);
    for (char32_t c = U'A'; c <= U'Z'; ++c)
        atlas->glyph(Face::ui_regular, 40, c);
    ASSERT_GT(atlas->height(), 64);
    const std::uint64_t layout = atlas->layout_generation();
    const std::uint64_t generation = atlas->generation();
    atlas->reset();
    EXPECT_EQ(atlas->height(), 64);
    EXPECT_GT(atlas->layout_generation(), layout);
    EXPECT_GT(atlas->generation(), generation);
    EXPECT_EQ(atlas->dirty_rect().w, atlas->width());
    for (int i = 0; i < atlas->width() * atlas->height(); ++i) {
        ASSERT_EQ(atlas->pixels()[i], 0) << "reset must clear the image";
    }
    const std::uint64_t count = atlas->rasterised_count();
    atlas->glyph(Face::ui_regular, 60, U'A');  // the 4K size after a resize
    atlas->glyph(Face::ui_regular, 60, U'A');
    EXPECT_EQ(atlas->rasterised_count(), count + 1);
}

// The glyphs of one text size, from x-height to ascender plus descender, share a shelf: here
// everything from 16 to 25 px goes on the 25 px shelf and only the 13 px glyphs (which a 25 px
// shelf would leave half empty) get their own. Allowing only a quarter more than the glyph, as
// before, opened two more shelves (16 and 18 px) and used 77 rows.
TEST(ShelfPacker, OneTextSizeSharesItsShelves) {
    ShelfPacker packer(1024, 256);
    for (int round = 0; round < 10; ++round) {
        for (const int h : {25, 13, 16, 18, 20, 22}) ASSERT_TRUE(packer.insert(10, h));
    }
    EXPECT_EQ(packer.used_height(), 1 + 25 + 1 + 13 + 1);
    // Still snug: an 8 px glyph may go on the 13 px shelf, a 6 px one gets a shelf of its own.
    const auto eight = packer.insert(10, 8);
    ASSERT_TRUE(eight);
    EXPECT_EQ(eight->y, 1 + 25 + 1);
    const auto six = packer.insert(10, 6);
    ASSERT_TRUE(six);
    EXPECT_EQ(six->y, 1 + 25 + 1 + 13 + 1);
}

TEST(ShelfPacker, PacksWithoutOverlapAndRefusesWhatDoesNotFit) {
    ShelfPacker packer(100, 50);
    std::vector<PixelRect> placed;
    while (auto r = packer.insert(9, 9))
        placed.push_back(*r);
    EXPECT_GE(placed.size(), 9u * 4u);  // 10-pixel pitch with the gutter
    for (std::size_t i = 0; i < placed.size(); ++i) {
        EXPECT_TRUE((PixelRect{0, 0, 100, 50}).contains(placed[i]));
        EXPECT_GE(placed[i].x, 1);
        EXPECT_GE(placed[i].y, 1);
        for (std::size_t j = i + 1; j < placed.size(); ++j) {
            const PixelRect& a = placed[i];
            const PixelRect& b = placed[j];
            const bool apart = a.x + a.w < b.x + 1 || b.x + b.w < a.x + 1 || a.y + a.h < b.y + 1 ||
                               b.y + b.h < a.y + 1;
            EXPECT_TRUE(apart) << "rectangles " << i << " and " << j << " touch";
        }
    }
    EXPECT_FALSE(packer.insert(200, 5));
    EXPECT_FALSE(packer.insert(0, 5));
    packer.fit_height(100);
    EXPECT_TRUE(packer.insert(9, 9)) << "growing makes room below";
    packer.fit_height(1);  // shrinking stops at the lowest shelf
    EXPECT_EQ(packer.height(), packer.used_height());
    EXPECT_FALSE(packer.insert(9, 30)) << "no room for a new shelf below the lowest";
}

}  // namespace
}  // namespace pinlink::render

// Glyph atlas over SDL2_ttf (see glyph_atlas.hpp). Each glyph is rendered alone with
// TTF_RenderGlyph32_Blended, cropped to the pixels it covers, and copied into the coverage image.
#include "render/text/glyph_atlas.hpp"

#include <SDL.h>
#include <SDL_ttf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <utility>

#include "embedded_fonts.hpp"

namespace pinlink::render {

namespace {

constexpr char32_t replacement_character = 0xFFFD;
// A --font file larger than this is not an interface font; refuse it rather than read it all.
constexpr long max_font_file_bytes = 64L * 1024 * 1024;

struct TtfCloser {
    void operator()(TTF_Font* font) const { TTF_CloseFont(font); }
};
using TtfFont = std::unique_ptr<TTF_Font, TtfCloser>;

TTF_Font* open_font(std::span<const std::uint8_t> bytes, int pixel_size) {
    SDL_RWops* rw = SDL_RWFromConstMem(bytes.data(), static_cast<int>(bytes.size()));
    if (rw == nullptr) return nullptr;
    return TTF_OpenFontRW(rw, 1, pixel_size);  // frees `rw`, also on failure
}

// An installed font file, read with pread through a few cached 4 KiB blocks. FreeType seeks
// before nearly every read and comes back to the same few tables (cmap, loca, hmtx, the
// charstring offsets); SDL's own file RWops (stdio) drops its buffer at each seek. For the
// first Code screen's three fonts that was 7,000 system calls re-reading 7.8 MB; with eight
// blocks a font it is 111 reads of 0.75 MB (strace -f, docs/performance.md).
class FontFileReader {
  public:
    // An SDL_RWops over `path`, or null if it cannot be opened or is not `expected_size` bytes
    // (judged on the handle opened, so a file replaced meanwhile is judged by what is read).
    static SDL_RWops* open(const std::string& path, std::size_t expected_size) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return nullptr;
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
            static_cast<std::uint64_t>(st.st_size) != expected_size) {
            ::close(fd);
            return nullptr;
        }
        SDL_RWops* rw = SDL_AllocRW();
        if (rw == nullptr) {
            ::close(fd);
            return nullptr;
        }
        rw->size = &size;
        rw->seek = &seek;
        rw->read = &read;
        rw->write = &write;
        rw->close = &close;
        rw->type = SDL_RWOPS_UNKNOWN;
        rw->hidden.unknown.data1 = new FontFileReader(fd, static_cast<Sint64>(st.st_size));
        return rw;
    }

  private:
    static constexpr Sint64 kBlock = 4096;
    struct Block {
        Sint64 start = -1;  // -1: empty
        Sint64 length = 0;
        std::uint64_t used = 0;  // when last read from, for least-recently-used replacement
        std::array<std::uint8_t, kBlock> bytes{};
    };

    FontFileReader(int fd, Sint64 size) : fd_(fd), size_(size) {}
    static FontFileReader& of(SDL_RWops* rw) {
        return *static_cast<FontFileReader*>(rw->hidden.unknown.data1);
    }

    // The cached block holding `pos`, read in if need be over the least recently used; null on
    // a read error.
    const Block* block_at(Sint64 pos) {
        const Sint64 start = pos / kBlock * kBlock;
        Block* victim = &blocks_[0];
        for (Block& b : blocks_) {
            if (b.start == start) {
                b.used = ++clock_;
                return &b;
            }
            if (b.used < victim->used) victim = &b;
        }
        const ssize_t n = ::pread(fd_, victim->bytes.data(), victim->bytes.size(), start);
        if (n <= 0) return nullptr;
        victim->start = start;
        victim->length = n;
        victim->used = ++clock_;
        return victim;
    }

    static Sint64 SDLCALL size(SDL_RWops* rw) { return of(rw).size_; }

    static Sint64 SDLCALL seek(SDL_RWops* rw, Sint64 offset, int whence) {
        FontFileReader& r = of(rw);
        const Sint64 base = whence == RW_SEEK_SET ? 0 : whence == RW_SEEK_CUR ? r.pos_ : r.size_;
        const Sint64 to = base + offset;
        if (to < 0 || to > r.size_) return SDL_SetError("font file: seek out of range");
        r.pos_ = to;
        return to;
    }

    static size_t SDLCALL read(SDL_RWops* rw, void* out, size_t size, size_t count) {
        FontFileReader& r = of(rw);
        if (size == 0 || count == 0) return 0;
        Sint64 left = std::min(static_cast<Sint64>(size * count), r.size_ - r.pos_);
        auto* to = static_cast<std::uint8_t*>(out);
        if (left > kBlock) {  // a whole table (HarfBuzz's copies): straight to the caller
            const ssize_t n = ::pread(r.fd_, to, static_cast<size_t>(left), r.pos_);
            if (n > 0) {
                r.pos_ += n;
                to += n;
            }
            left = 0;
        }
        while (left > 0) {
            const Block* b = r.block_at(r.pos_);
            if (b == nullptr) break;
            const Sint64 n = std::min(left, b->start + b->length - r.pos_);
            if (n <= 0) break;
            std::memcpy(to, b->bytes.data() + (r.pos_ - b->start), static_cast<size_t>(n));
            r.pos_ += n;
            to += n;
            left -= n;
        }
        return static_cast<size_t>(to - static_cast<std::uint8_t*>(out)) / size;
    }

    static size_t SDLCALL write(SDL_RWops*, const void*, size_t, size_t) {
        SDL_SetError("font file: read only");
        return 0;
    }

    static int SDLCALL close(SDL_RWops* rw) {
        if (rw == nullptr) return 0;
        FontFileReader* r = &of(rw);
        ::close(r->fd_);
        delete r;
        SDL_FreeRW(rw);
        return 0;
    }

    int fd_;
    Sint64 size_;
    Sint64 pos_ = 0;
    std::uint64_t clock_ = 0;
    std::array<Block, 8> blocks_;
};

// The installed file a built-in font was embedded from, if it is there with the same size.
// FreeType reads it as it goes, through the handle, which stays open with the font.
TTF_Font* open_installed(const std::string& path, std::size_t size, int pixel_size) {
    SDL_RWops* rw = FontFileReader::open(path, size);
    if (rw == nullptr) return nullptr;
    return TTF_OpenFontRW(rw, 1, pixel_size);  // frees `rw`, also on failure
}

std::uint64_t glyph_key(ui::Face face, int pixel_size, char32_t codepoint) {
    return (static_cast<std::uint64_t>(face) << 56) |
           (static_cast<std::uint64_t>(pixel_size) << 32) | static_cast<std::uint64_t>(codepoint);
}

std::size_t face_index(ui::Face face) {
    return static_cast<std::size_t>(face);
}

}  // namespace

std::string_view to_string(FontError e) {
    switch (e) {
        case FontError::none:
            return "no error";
        case FontError::ttf_init:
            return "the font renderer could not start";
        case FontError::override_unreadable:
            return "the font file could not be read";
        case FontError::override_not_a_font:
            return "the font file is not a usable font";
        case FontError::embedded_broken:
            return "a built-in font is broken";
        case FontError::bad_options:
            return "bad atlas size";
    }
    return "unknown font error";
}

// The font files, the fallback chain of each face, and every TTF_Font opened so far.
struct GlyphAtlas::Fonts {
    struct File {
        std::string label;                       // for messages
        std::span<const std::uint8_t> embedded;  // used when `owned` is empty
        std::vector<std::uint8_t> owned;         // the --font file's bytes
        std::string installed;  // the file `embedded` came from, tried first; "" for none

        std::span<const std::uint8_t> bytes() const {
            return owned.empty() ? embedded : std::span<const std::uint8_t>(owned);
        }
    };

    // One TTF_Font per file, set to the size asked for last. A TTF_Font per size would be a
    // FreeType face and a HarfBuzz face each (SDL2_ttf shapes even single glyphs), with their
    // own copies of the font's tables and layout caches: about 0.3 MiB a size.
    struct Open {
        TtfFont font;
        int size = 0;
        bool failed = false;     // not retried: the bytes do not change
        bool installed = false;  // read from File::installed
    };

    bool ttf_started = false;
    std::vector<File> files;
    std::array<std::vector<int>, 3> chains;  // indexed by ui::Face
    std::vector<Open> open;                  // indexed like files

    ~Fonts() {
        open.clear();  // every TTF_CloseFont before the TTF_Quit that may unload FreeType
        if (ttf_started) TTF_Quit();
    }

    TTF_Font* get(int file, int pixel_size) {
        if (open.size() < files.size()) open.resize(files.size());
        Open& o = open[static_cast<std::size_t>(file)];
        if (o.failed) return nullptr;
        if (!o.font) {
            const File& f = files[static_cast<std::size_t>(file)];
            if (!f.installed.empty()) {  // only built-in fonts have one
                o.font.reset(open_installed(f.installed, f.embedded.size(), pixel_size));
                o.installed = o.font != nullptr;
            }
            if (!o.font) o.font.reset(open_font(f.bytes(), pixel_size));
            o.failed = !o.font;
            o.size = pixel_size;
        } else if (o.size != pixel_size) {
            if (TTF_SetFontSize(o.font.get(), pixel_size) != 0) return nullptr;
            o.size = pixel_size;
        }
        return o.font.get();
    }

    // The file and code point that draw `codepoint` for `face`: the first font in the chain
    // that has it, else U+FFFD from the first that has that, else the primary font's .notdef.
    std::pair<int, char32_t> resolve(ui::Face face, int pixel_size, char32_t codepoint) {
        const std::vector<int>& chain = chains[face_index(face)];
        for (const char32_t wanted : {codepoint, replacement_character}) {
            for (const int file : chain) {
                TTF_Font* font = get(file, pixel_size);
                if (font != nullptr && TTF_GlyphIsProvided32(font, wanted) != 0) {
                    return {file, wanted};
                }
            }
        }
        return {chain.front(), codepoint};
    }
};

AtlasResult GlyphAtlas::create(const AtlasOptions& options) {
    if (options.width < 64 || options.initial_height < 64 ||
        options.max_height < options.initial_height || options.width > 16384 ||
        options.max_height > 16384) {
        return {nullptr, FontError::bad_options, "glyph atlas: size out of range"};
    }

    auto fonts = std::make_unique<Fonts>();
    if (TTF_Init() != 0) {
        return {nullptr, FontError::ttf_init, std::string("SDL2_ttf: ") + TTF_GetError()};
    }
    fonts->ttf_started = true;

    using Fn = std::span<const std::uint8_t> (*)();
    auto add_embedded = [&](const char* label, Fn bytes, const char* source) {
        fonts->files.push_back(
            {label,
             bytes(),
             {},
             options.installed_fonts ? options.installed_fonts_root + source : std::string()});
        return static_cast<int>(fonts->files.size() - 1);
    };

    int ui_regular = -1;
    int ui_semibold = -1;
    if (!options.ui_font_path.empty()) {
        // Read the whole file now: errors surface here, not at the first glyph.
        const std::string& path = options.ui_font_path;
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (f == nullptr) {
            return {nullptr, FontError::override_unreadable, path + ": " + std::strerror(errno)};
        }
        Fonts::File file{path, {}, {}, {}};
        std::array<std::uint8_t, 65536> chunk{};
        bool too_large = false;
        for (std::size_t n; (n = std::fread(chunk.data(), 1, chunk.size(), f)) > 0;) {
            file.owned.insert(file.owned.end(), chunk.begin(),
                              chunk.begin() + static_cast<std::ptrdiff_t>(n));
            if (file.owned.size() > static_cast<std::size_t>(max_font_file_bytes)) {
                too_large = true;
                break;
            }
        }
        const bool read_failed = std::ferror(f) != 0;
        std::fclose(f);
        if (read_failed) return {nullptr, FontError::override_unreadable, path + ": read error"};
        if (too_large) {
            return {nullptr, FontError::override_not_a_font, path + ": larger than 64 MB"};
        }
        if (file.owned.empty()) {
            return {nullptr, FontError::override_not_a_font, path + ": empty file"};
        }
        fonts->files.push_back(std::move(file));
        ui_regular = ui_semibold = static_cast<int>(fonts->files.size() - 1);
    } else {
        ui_regular = add_embedded("Inter Regular (built in)", embedded::inter_regular,
                                  embedded::inter_regular_source);
        ui_semibold = add_embedded("Inter SemiBold (built in)", embedded::inter_semibold,
                                   embedded::inter_semibold_source);
    }
    const int mono = add_embedded("JetBrains Mono Medium (built in)", embedded::mono_medium,
                                  embedded::mono_medium_source);
    const int fallback =
        add_embedded("DejaVu Sans (built in)", embedded::dejavu_sans, embedded::dejavu_sans_source);
    const int fallback_bold = add_embedded("DejaVu Sans Bold (built in)", embedded::dejavu_bold,
                                           embedded::dejavu_bold_source);

    fonts->chains[face_index(ui::Face::ui_regular)] = {ui_regular, fallback};
    fonts->chains[face_index(ui::Face::ui_semibold)] = {ui_semibold, fallback_bold};
    fonts->chains[face_index(ui::Face::mono)] = {mono, fallback};

    // Open the first font of each face now, so that a bad --font is reported at once with its
    // name; they stay open (the first screen needs them; a size change is cheap). The
    // fallbacks open only when a glyph needs them: FreeType and HarfBuzz read much of a font
    // when they open it, and DejaVu's two files are 1.4 MB that a screen of Latin text never
    // uses (about 0.45 MiB resident for nothing, docs/performance.md). They are built in, and
    // test_render_text draws from each of them.
    for (const auto& chain : fonts->chains) {
        const int file = chain.front();
        if (fonts->get(file, 16) == nullptr) {
            const auto& f = fonts->files[static_cast<std::size_t>(file)];
            return {nullptr,
                    f.owned.empty() ? FontError::embedded_broken : FontError::override_not_a_font,
                    f.label + ": " + TTF_GetError()};
        }
    }
    return {std::unique_ptr<GlyphAtlas>(new GlyphAtlas(options, std::move(fonts))),
            FontError::none,
            {}};
}

GlyphAtlas::GlyphAtlas(const AtlasOptions& options, std::unique_ptr<Fonts> fonts)
    : options_(options),
      fonts_(std::move(fonts)),
      width_(options.width),
      height_(options.initial_height),
      pixels_(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_), 0),
      packer_(width_, height_),
      dirty_{0, 0, width_, height_} {}

GlyphAtlas::~GlyphAtlas() = default;

ui::FontMetrics GlyphAtlas::metrics(ui::Face face, int pixel_size) {
    pixel_size = std::clamp(pixel_size, min_pixel_size, max_pixel_size);
    // Cached: every layout asks, and a font that is at another size would have to switch.
    auto [it, inserted] = metrics_.try_emplace(glyph_key(face, pixel_size, 0));
    if (inserted) {
        TTF_Font* font = fonts_->get(fonts_->chains[face_index(face)].front(), pixel_size);
        if (font != nullptr) {
            it->second = {static_cast<float>(TTF_FontAscent(font)),
                          static_cast<float>(-TTF_FontDescent(font)),
                          static_cast<float>(TTF_FontLineSkip(font))};
        }
    }
    return it->second;
}

const ui::Glyph& GlyphAtlas::glyph(ui::Face face, int pixel_size, char32_t codepoint) {
    pixel_size = std::clamp(pixel_size, min_pixel_size, max_pixel_size);
    // Not a character (beyond Unicode, a surrogate): draw it as the replacement character.
    if (codepoint > 0x10FFFF || (codepoint >= 0xD800 && codepoint <= 0xDFFF)) {
        codepoint = replacement_character;
    }
    auto [it, inserted] = glyphs_.try_emplace(glyph_key(face, pixel_size, codepoint));
    Entry& entry = it->second;
    // A cached glyph whose pixels were dropped when the atlas started over is drawn again.
    if (inserted || (!entry.rect.empty() && entry.epoch != epoch_)) {
        rasterise(entry, face, pixel_size, codepoint);
    }
    return entry.glyph;
}

void GlyphAtlas::rasterise(Entry& entry, ui::Face face, int pixel_size, char32_t codepoint) {
    entry = {};
    ++rasterised_;
    // Control characters take no space and draw nothing (not a box).
    if (codepoint < 0x20 || (codepoint >= 0x7F && codepoint < 0xA0)) return;

    const auto [file, drawn] = fonts_->resolve(face, pixel_size, codepoint);
    TTF_Font* font = fonts_->get(file, pixel_size);
    if (font == nullptr) return;
    const Uint32 cp = static_cast<Uint32>(drawn);
    int minx = 0, maxx = 0, miny = 0, maxy = 0, advance = 0;
    if (TTF_GlyphMetrics32(font, cp, &minx, &maxx, &miny, &maxy, &advance) != 0) return;
    entry.glyph.advance = static_cast<float>(advance);
    if (maxx <= minx || maxy <= miny) return;  // a space: advance only

    SDL_Surface* rendered = TTF_RenderGlyph32_Blended(font, cp, SDL_Color{255, 255, 255, 255});
    if (rendered == nullptr) return;
    // SDL2_ttf makes ARGB8888 today; convert if a future version does not.
    SDL_Surface* surface = rendered;
    if (rendered->format->format != SDL_PIXELFORMAT_ARGB8888) {
        surface = SDL_ConvertSurfaceFormat(rendered, SDL_PIXELFORMAT_ARGB8888, 0);
        SDL_FreeSurface(rendered);
        if (surface == nullptr) return;
    }
    if (SDL_MUSTLOCK(surface) && SDL_LockSurface(surface) != 0) {
        SDL_FreeSurface(surface);
        return;
    }
    auto alpha = [surface](int x, int y) {
        const auto* row = static_cast<const std::uint8_t*>(surface->pixels) +
                          static_cast<std::ptrdiff_t>(y) * surface->pitch;
        std::uint32_t pixel = 0;
        std::memcpy(&pixel, row + static_cast<std::ptrdiff_t>(x) * 4, sizeof pixel);
        return static_cast<std::uint8_t>(pixel >> 24);
    };

    // The pixels the glyph really covers. Cropping to them (not to the font's metrics) keeps
    // every covered pixel even where hinting overshoots the outline's box.
    int x0 = surface->w, y0 = surface->h, x1 = 0, y1 = 0;
    for (int y = 0; y < surface->h; ++y) {
        for (int x = 0; x < surface->w; ++x) {
            if (alpha(x, y) != 0) {
                x0 = std::min(x0, x);
                y0 = std::min(y0, y);
                x1 = std::max(x1, x + 1);
                y1 = std::max(y1, y + 1);
            }
        }
    }
    // Where the pen sits in the surface: SDL2_ttf shifts the drawing right by -minx when a glyph
    // starts left of the pen, and down when it rises above the font's ascent.
    const int ascent = TTF_FontAscent(font);
    const int origin_x = std::max(0, -minx);
    const int origin_y = std::max(0, maxy - ascent) + ascent;

    std::optional<PixelRect> rect;
    if (x1 > x0 && y1 > y0) rect = place(x1 - x0, y1 - y0);
    if (rect) {
        for (int y = 0; y < rect->h; ++y) {
            std::uint8_t* out =
                pixels_.data() +
                static_cast<std::size_t>(rect->y + y) * static_cast<std::size_t>(width_) +
                static_cast<std::size_t>(rect->x);
            for (int x = 0; x < rect->w; ++x)
                out[x] = alpha(x0 + x, y0 + y);
        }
        dirty_ = dirty_.united(*rect);
        ++generation_;
        entry.rect = *rect;
        entry.epoch = epoch_;
        entry.glyph.x0 = static_cast<float>(x0 - origin_x);
        entry.glyph.y0 = static_cast<float>(y0 - origin_y);
        entry.glyph.x1 = static_cast<float>(x1 - origin_x);
        entry.glyph.y1 = static_cast<float>(y1 - origin_y);
        update_uvs(entry);
    }
    if (SDL_MUSTLOCK(surface)) SDL_UnlockSurface(surface);
    SDL_FreeSurface(surface);
}

int GlyphAtlas::grown_height(int height) {
    const int step = std::max(height / 2, 64);
    return (height + step + 63) / 64 * 64;
}

void GlyphAtlas::trim() {
    const int rows = std::max(64, (packer_.used_height() + 63) / 64 * 64);
    if (rows >= height_) return;
    resize_rows(rows);
    pixels_.shrink_to_fit();
}

void GlyphAtlas::resize_rows(int height) {
    // Rows below the lowest shelf only: glyphs keep their pixels and places, and only their v
    // coordinates change.
    height_ = height;
    pixels_.resize(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_), 0);
    packer_.fit_height(height_);
    dirty_ = {0, 0, width_, height_};
    ++generation_;
    ++layout_generation_;
    for (auto& [key, entry] : glyphs_) {
        if (!entry.rect.empty() && entry.epoch == epoch_) update_uvs(entry);
    }
}

std::optional<PixelRect> GlyphAtlas::place(int w, int h) {
    std::optional<PixelRect> rect = packer_.insert(w, h);
    while (!rect && height_ < options_.max_height) {
        // Grow downwards, by half, not double: a few more glyphs than the atlas holds would
        // otherwise make the SDL texture twice as tall where half again holds them
        // (docs/performance.md, memory).
        resize_rows(std::min(grown_height(height_), options_.max_height));
        rect = packer_.insert(w, h);
    }
    if (!rect) {
        // Full at the largest size: start over. Glyphs still in use are drawn again on their
        // next use; the caller rebuilds its draw list (layout_generation changed).
        start_over(height_);
        rect = packer_.insert(w, h);
    }
    return rect;  // nullopt only for a glyph larger than the whole atlas
}

void GlyphAtlas::update_uvs(Entry& entry) const {
    const auto w = static_cast<float>(width_);
    const auto h = static_cast<float>(height_);
    entry.glyph.u0 = static_cast<float>(entry.rect.x) / w;
    entry.glyph.v0 = static_cast<float>(entry.rect.y) / h;
    entry.glyph.u1 = static_cast<float>(entry.rect.x + entry.rect.w) / w;
    entry.glyph.v1 = static_cast<float>(entry.rect.y + entry.rect.h) / h;
}

void GlyphAtlas::start_over(int height) {
    height_ = height;
    pixels_.assign(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_), 0);
    packer_.clear(width_, height_);
    dirty_ = {0, 0, width_, height_};
    ++epoch_;
    ++generation_;
    ++layout_generation_;
}

void GlyphAtlas::reset() {
    glyphs_.clear();
    metrics_.clear();
    fonts_->open.clear();
    start_over(options_.initial_height);
}

int GlyphAtlas::open_font_files() const {
    int n = 0;
    for (const Fonts::Open& o : fonts_->open)
        n += o.font != nullptr ? 1 : 0;
    return n;
}

std::string GlyphAtlas::installed_file(ui::Face face) const {
    const auto file = static_cast<std::size_t>(fonts_->chains[face_index(face)].front());
    const bool installed = file < fonts_->open.size() && fonts_->open[file].installed;
    return installed ? fonts_->files[file].installed : std::string();
}

std::string GlyphAtlas::family_for(ui::Face face, char32_t codepoint) {
    const int size = 32;
    const auto [file, drawn] = fonts_->resolve(face, size, codepoint);
    TTF_Font* font = fonts_->get(file, size);
    const char* name = font != nullptr ? TTF_FontFaceFamilyName(font) : nullptr;
    return name != nullptr ? name : "";
}

}  // namespace pinlink::render

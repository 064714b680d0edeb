// Layout and drawing at 720p, 1080p and 4K: key sizes, the TV-safe area, the QR code in whole
// pixels, text rasterised at the scaled size and never stretched, pointer hit-testing, a frame
// after an action showing it, and no allocation per frame once warm.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "support/fake_glyphs.hpp"
#include "ui/screen.hpp"
#include "ui/strings.hpp"
#include "ui/theme.hpp"

// Counts heap allocations, to check that building a frame allocates nothing once warm.
namespace {
std::atomic<long> allocations{0};
}
// The replacements are kept out of line: inlined into a caller, GCC 12 at -O2 pairs the
// visible malloc/free with new/delete and reports a false -Wmismatched-new-delete.
[[gnu::noinline]] void* operator new(std::size_t n) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(n == 0 ? 1 : n);
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
    std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

using namespace std::chrono_literals;
using namespace pinlink::ui;
using pinlink::test::FakeGlyphs;
using pinlink::test::text_in;

namespace {

const TimePoint t0 = TimePoint{} + 1h;
const TimePoint later = t0 + 10s;  // every fade has finished
const std::string url =
    "https://api.x.com/oauth/authorize?oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik";

struct Size {
    int w, h;
};
const Size sizes[] = {{1280, 720}, {1920, 1080}, {3840, 2160}};

bool same(Color a, Color b) {
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

void type(Screen& s, const std::string& digits, TimePoint at = t0) {
    for (char c : digits)
        s.handle(Action::enter_digit(c - '0', Device::xbox), at);
}

// Bounding boxes of the solid triangles drawn in `color`.
std::vector<Rect> triangles_in(const DrawList& list, Color color) {
    std::vector<Rect> out;
    for (const auto& cmd : list.commands) {
        if (cmd.texture != TextureId::none) continue;
        for (std::uint32_t i = cmd.index_offset; i < cmd.index_offset + cmd.index_count; i += 3) {
            const Vertex& a = list.vertices[list.indices[i]];
            const Vertex& b = list.vertices[list.indices[i + 1]];
            const Vertex& c = list.vertices[list.indices[i + 2]];
            if (!same(a.color, color) || !same(b.color, color) || !same(c.color, color)) continue;
            const float x0 = std::min({a.x, b.x, c.x}), y0 = std::min({a.y, b.y, c.y});
            const float x1 = std::max({a.x, b.x, c.x}), y1 = std::max({a.y, b.y, c.y});
            out.push_back({x0, y0, x1 - x0, y1 - y0});
        }
    }
    return out;
}

bool any_vertex_in(const DrawList& list, Color color, const Rect& area) {
    for (const auto& v : list.vertices)
        if (same(v.color, color) && area.contains(v.x, v.y)) return true;
    return false;
}

Screen code_screen(Device device = Device::xbox) {
    Screen s;
    s.show_code(CodeView{url, "1234567", 7, CodeNotice::pin_rejected}, t0);
    type(s, "123");
    s.set_device(device);
    return s;
}

}  // namespace

TEST(UiLayout, KeysAndButtonsAreAtLeast96DesignPixels) {
    FakeGlyphs glyphs;
    DrawList list;
    for (const Size sz : sizes) {
        Screen s = code_screen();
        s.build(list, glyphs, sz.w, sz.h, later);
        const Layout& l = s.layout();
        for (const Rect& k : l.keys) {
            EXPECT_GE(k.w / l.scale, 96.0f) << sz.w;
            EXPECT_GE(k.h / l.scale, 96.0f) << sz.w;
        }
        for (int i = 0; i < l.button_count; ++i) {
            EXPECT_GE(l.buttons[static_cast<std::size_t>(i)].h / l.scale, 96.0f);
            EXPECT_GE(l.buttons[static_cast<std::size_t>(i)].w / l.scale, 96.0f);
        }
        for (const Rect& b : l.confirm_buttons)
            EXPECT_GE(b.h / l.scale, 96.0f);
    }
}

TEST(UiLayout, PadIsAThreeByFourGridWithoutOverlaps) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s = code_screen();
    s.build(list, glyphs, 1920, 1080, later);
    const auto& keys = s.layout().keys;
    for (int i = 0; i < pad_keys; ++i) {
        const Rect& k = keys[static_cast<std::size_t>(i)];
        if (i % 3 > 0) {
            EXPECT_EQ(k.y, keys[static_cast<std::size_t>(i - 1)].y);
            EXPECT_GT(k.x, keys[static_cast<std::size_t>(i - 1)].right());
        }
        if (i >= 3) {
            EXPECT_EQ(k.x, keys[static_cast<std::size_t>(i - 3)].x);
            EXPECT_GT(k.y, keys[static_cast<std::size_t>(i - 3)].bottom());
        }
    }
}

TEST(UiLayout, SafeAreaIsFivePercent) {
    FakeGlyphs glyphs;
    DrawList list;
    for (const Size sz : sizes) {
        Screen s;
        s.build(list, glyphs, sz.w, sz.h, later);
        const Rect& safe = s.layout().safe;
        EXPECT_EQ(safe.x, std::round(0.05f * static_cast<float>(sz.w)));
        EXPECT_EQ(safe.y, std::round(0.05f * static_cast<float>(sz.h)));
        EXPECT_EQ(safe.right(), std::round(0.95f * static_cast<float>(sz.w)));
        EXPECT_EQ(safe.bottom(), std::round(0.95f * static_cast<float>(sz.h)));
    }
}

TEST(UiLayout, EverythingButTheBackdropStaysInsideTheSafeArea) {
    const std::string long_name(15, 'w');
    const std::string long_text =
        "X said the request was not valid, and then it said a great deal more that goes on and on "
        "for far longer than anyone would want to read on a television from across the room.";
    struct Case {
        const char* name;
        void (*setup)(Screen&, const std::string&, const std::string&);
    };
    const Case cases[] = {
        {"connecting", [](Screen&, const std::string&, const std::string&) {}},
        {"code",
         [](Screen& s, const std::string&, const std::string&) {
             s.show_code(CodeView{url, "1234567", 7, CodeNotice::pin_rejected}, t0);
             type(s, "1234567");
         }},
        {"code, keyboard",
         [](Screen& s, const std::string&, const std::string&) {
             s.show_code(CodeView{url, "", 12, CodeNotice::code_expired}, t0);
             s.handle(Action::enter_digit(1, Device::keyboard), t0);
         }},
        {"code, pointer",
         [](Screen& s, const std::string&, const std::string&) {
             s.show_code(CodeView{url + url + url, "", 7, CodeNotice::none}, t0);
             type(s, "1");
             s.set_device(Device::pointer);
         }},
        {"code, playstation, confirm",
         [](Screen& s, const std::string&, const std::string&) {
             s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
             s.handle(Action::make(ActionKind::back, Device::playstation), t0);
         }},
        {"linking", [](Screen& s, const std::string&, const std::string&) { s.show_linking(t0); }},
        {"linked",
         [](Screen& s, const std::string& name, const std::string&) {
             s.show_linked(LinkedView{name, "A Display Name That Is Rather Long Indeed"}, t0);
         }},
        {"problem",
         [](Screen& s, const std::string&, const std::string& text) {
             s.show_problem(ProblemView{text, text, text, true}, t0);
             s.set_device(Device::nintendo);
         }},
    };
    FakeGlyphs glyphs;
    DrawList list;
    for (const Size sz : {Size{1280, 720}, Size{1920, 1080}, Size{3840, 2160}, Size{2560, 1080}}) {
        for (const Case& c : cases) {
            Screen s;
            c.setup(s, long_name, long_text);
            s.build(list, glyphs, sz.w, sz.h, later);
            const Rect safe = s.layout().safe.inflated(1.0f);  // the anti-aliasing fringe
            const auto w = static_cast<float>(sz.w), h = static_cast<float>(sz.h);
            for (const Vertex& v : list.vertices) {
                const bool backdrop = (v.x == 0 || v.x == w) && (v.y == 0 || v.y == h);
                if (backdrop) continue;  // the gradient and the confirm's dimming cover it all
                ASSERT_TRUE(safe.contains(v.x, v.y))
                    << c.name << " at " << sz.w << "x" << sz.h << ": vertex " << v.x << "," << v.y;
            }
        }
    }
}

TEST(UiLayout, QrInWholePixelsWithQuietZoneAtAbout45Percent) {
    FakeGlyphs glyphs;
    DrawList list;
    for (const Size sz : sizes) {
        Screen s = code_screen();
        s.build(list, glyphs, sz.w, sz.h, later);
        const Layout& l = s.layout();
        const QrGrid& qr = s.qr();
        ASSERT_FALSE(qr.empty());
        ASSERT_GE(l.qr_module_px, 1);
        EXPECT_EQ(l.qr.w, static_cast<float>((qr.size() + 2 * qr_quiet_zone) * l.qr_module_px));
        EXPECT_EQ(l.qr.h, l.qr.w);
        EXPECT_EQ(l.qr.x, std::round(l.qr.x));
        EXPECT_EQ(l.qr.y, std::round(l.qr.y));
        const float fraction = l.qr.h / static_cast<float>(sz.h);
        EXPECT_GT(fraction, 0.40f) << sz.h;
        EXPECT_LT(fraction, 0.50f) << sz.h;

        // Drawn: the light square is the layout's, and each module centre is dark exactly when
        // qrcodegen says so (the quiet zone has none).
        const std::vector<Rect> light = triangles_in(list, theme::qr_light);
        ASSERT_FALSE(light.empty());
        EXPECT_EQ(light.front().x, l.qr.x);
        EXPECT_EQ(light.front().y, l.qr.y);
        EXPECT_EQ(light.front().w, l.qr.w);
        const std::vector<Rect> dark = triangles_in(list, theme::qr_dark);
        const auto m = static_cast<float>(l.qr_module_px);
        for (int my = -qr_quiet_zone; my < qr.size() + qr_quiet_zone; ++my) {
            for (int mx = -qr_quiet_zone; mx < qr.size() + qr_quiet_zone; ++mx) {
                const float cx = l.qr.x + (static_cast<float>(mx + qr_quiet_zone) + 0.5f) * m;
                const float cy = l.qr.y + (static_cast<float>(my + qr_quiet_zone) + 0.5f) * m;
                bool covered = false;
                for (const Rect& r : dark)
                    covered = covered || r.contains(cx, cy);
                ASSERT_EQ(covered, qr.dark(mx, my)) << "module " << mx << "," << my;
            }
        }
    }
}

TEST(UiLayout, TextIsRasterisedAtTheScaledSizeAndNeverStretched) {
    // A token as long as X's usual 27 characters, so the address keeps its size at every scale.
    const std::string typical =
        "https://api.x.com/oauth/authorize?oauth_token=dWn1IQAAAAABVEKIAAABjPmhxqo";
    std::vector<std::set<std::pair<Face, int>>> used;
    for (const Size sz : sizes) {
        FakeGlyphs glyphs;
        DrawList list;
        Screen s;
        s.show_code(CodeView{typical, "1234567", 7, CodeNotice::pin_rejected}, t0);
        type(s, "123");
        s.build(list, glyphs, sz.w, sz.h, later);
        used.push_back(glyphs.sizes);
        for (const auto& g : pinlink::test::drawn_glyphs(list)) {
            EXPECT_EQ(g.rect.w, FakeGlyphs::ink_width(g.px));  // 1:1 with the atlas
            EXPECT_EQ(g.rect.h, FakeGlyphs::ink_height(g.px));
            EXPECT_EQ(g.rect.x, std::round(g.rect.x));  // on whole pixels
            EXPECT_EQ(g.rect.y, std::round(g.rect.y));
        }
    }
    const auto& at720 = used[0];
    const auto& at1080 = used[1];
    const auto& at2160 = used[2];
    EXPECT_TRUE(at1080.count({Face::ui_semibold, static_cast<int>(theme::title_size)}));
    EXPECT_TRUE(at1080.count({Face::mono, static_cast<int>(theme::pin_digit_size)}) ||
                at1080.count({Face::mono, static_cast<int>(theme::address_size)}));
    for (const auto& [face, px] : at1080)
        EXPECT_GE(px, 24) << "text below 24 px at 1080p";
    std::set<std::pair<Face, int>> doubled, two_thirds;
    for (const auto& [face, px] : at1080) {
        doubled.insert({face, 2 * px});
        two_thirds.insert(
            {face, static_cast<int>(std::lround(static_cast<float>(px) * 2.0f / 3.0f))});
    }
    EXPECT_EQ(at2160, doubled);
    EXPECT_EQ(at720, two_thirds);
}

TEST(UiLayout, ALongTokenStepsTheAddressDownButNeverBelowBodySize) {
    FakeGlyphs glyphs;
    DrawList list;
    for (const Size sz : sizes) {
        Screen s;
        s.show_code(CodeView{url + "abcdefgh", "", 7, CodeNotice::none}, t0);
        s.build(list, glyphs, sz.w, sz.h, later);
        const Layout& l = s.layout();
        int lines_px = 0;
        for (const auto& g : pinlink::test::drawn_glyphs(list)) {
            if (g.face != Face::mono || !l.address.contains(g.rect.center().x, g.rect.center().y))
                continue;
            lines_px = g.px;
            EXPECT_GE(g.rect.x, l.address.x);
            EXPECT_LE(g.rect.right(), l.address.right());
        }
        EXPECT_EQ(lines_px, l.text_px(theme::address_min_size)) << sz.w;
        EXPECT_EQ(text_in(list, l.address), (url + "abcdefgh").substr(8));  // nothing lost
    }
}

TEST(UiLayout, BodyTextIsAtLeast32AndSecondaryAtLeast24) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s = code_screen();
    s.build(list, glyphs, 1920, 1080, later);
    const Layout& l = s.layout();
    for (const auto& g : pinlink::test::drawn_glyphs(list)) {
        const Vec2 c = g.rect.center();
        if (l.instruction.contains(c.x, c.y) || l.notice.contains(c.x, c.y) ||
            l.address.contains(c.x, c.y))
            EXPECT_GE(g.px, 32);
        else
            EXPECT_GE(g.px, 24);
    }
}

// --- Pointer -----------------------------------------------------------------------------------

TEST(UiPointer, HitTestFindsEveryKeyAndNothingBetween) {
    FakeGlyphs glyphs;
    DrawList list;
    for (const Size sz : sizes) {
        Screen s = code_screen();
        s.build(list, glyphs, sz.w, sz.h, later);
        const Layout& l = s.layout();
        for (int i = 0; i < pad_keys; ++i) {
            const Rect& k = l.keys[static_cast<std::size_t>(i)];
            EXPECT_EQ(s.hit_test(k.center().x, k.center().y), pad_target(i));
            EXPECT_EQ(s.hit_test(k.x, k.y), pad_target(i));
            EXPECT_EQ(s.hit_test(k.right() - 0.5f, k.bottom() - 0.5f), pad_target(i));
        }
        const Rect& one = l.keys[0];
        const Rect& two = l.keys[1];
        EXPECT_EQ(s.hit_test((one.right() + two.x) * 0.5f, one.center().y), Target::none);
        EXPECT_EQ(s.hit_test(1, 1), Target::none);
        EXPECT_EQ(s.hit_test(l.qr.center().x, l.qr.center().y), Target::none);
    }
}

TEST(UiPointer, ClickTypesHoverFocusesDragOffCancels) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s;
    s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
    s.build(list, glyphs, 1280, 720, later);
    const Rect four = s.layout().rect_of(Target::key_4);
    const Rect five = s.layout().rect_of(Target::key_5);
    s.handle(Action::pointer(ActionKind::pointer_move, four.center().x, four.center().y), later);
    EXPECT_EQ(s.device(), Device::pointer);
    EXPECT_EQ(s.hovered(), Target::key_4);
    EXPECT_EQ(s.focus(), Target::key_4);
    s.handle(Action::pointer(ActionKind::pointer_press, four.center().x, four.center().y), later);
    EXPECT_EQ(s.digits_entered(), 0);  // a click completes on release
    s.handle(Action::pointer(ActionKind::pointer_release, four.center().x, four.center().y), later);
    EXPECT_EQ(s.digits_entered(), 1);
    s.handle(Action::pointer(ActionKind::pointer_press, four.center().x, four.center().y), later);
    s.handle(Action::pointer(ActionKind::pointer_release, five.center().x, five.center().y), later);
    EXPECT_EQ(s.digits_entered(), 1);
    // ✓ by pointer after the rest.
    for (int i = 0; i < 6; ++i) {
        s.handle(Action::pointer(ActionKind::pointer_press, five.center().x, five.center().y),
                 later);
        s.handle(Action::pointer(ActionKind::pointer_release, five.center().x, five.center().y),
                 later);
    }
    s.build(list, glyphs, 1280, 720, later);
    const Rect ok = s.layout().rect_of(Target::key_submit);
    s.handle(Action::pointer(ActionKind::pointer_press, ok.center().x, ok.center().y), later);
    s.handle(Action::pointer(ActionKind::pointer_release, ok.center().x, ok.center().y), later);
    EXPECT_EQ(s.take_commands(), std::vector<Command>{Command::submit("4555555")});
}

TEST(UiPointer, HintItemsAreClickable) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s;
    s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
    s.build(list, glyphs, 1920, 1080, later);  // hints laid out for a controller
    const Layout& l = s.layout();
    int new_code = -1;
    for (int i = 0; i < l.hint_count; ++i)
        if (l.hint_actions[static_cast<std::size_t>(i)] == ActionKind::new_code) new_code = i;
    ASSERT_GE(new_code, 0);
    const Vec2 c = l.hints[static_cast<std::size_t>(new_code)].center();
    // A tap: move, press and release before any new frame re-lays the bar out for the pointer.
    s.handle(Action::pointer(ActionKind::pointer_move, c.x, c.y), later);
    s.handle(Action::pointer(ActionKind::pointer_press, c.x, c.y), later);
    s.handle(Action::pointer(ActionKind::pointer_release, c.x, c.y), later);
    EXPECT_EQ(s.take_commands(), std::vector<Command>{Command::make(Command::Kind::new_code)});
    EXPECT_EQ(s.state(), State::connecting);
}

TEST(UiPointer, CancelHintAsksAndPanelButtonsAnswer) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s;
    s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
    s.set_device(Device::pointer);
    s.build(list, glyphs, 1920, 1080, later);
    const Layout& l = s.layout();
    int cancel = -1;
    for (int i = 0; i < l.hint_count; ++i)
        if (l.hint_actions[static_cast<std::size_t>(i)] == ActionKind::back) cancel = i;
    ASSERT_GE(cancel, 0);
    EXPECT_EQ(text_in(list, l.hints[static_cast<std::size_t>(cancel)]), "Cancel");
    const Vec2 c = l.hints[static_cast<std::size_t>(cancel)].center();
    s.handle(Action::pointer(ActionKind::pointer_press, c.x, c.y), later);
    s.handle(Action::pointer(ActionKind::pointer_release, c.x, c.y), later);
    ASSERT_TRUE(s.confirm_open());
    s.build(list, glyphs, 1920, 1080, later + 1s);
    // Keys behind the panel are out of reach.
    const Rect key = s.layout().keys[0];
    EXPECT_EQ(s.hit_test(key.center().x, key.center().y), Target::none);
    const Vec2 stop = s.layout().confirm_buttons[1].center();
    s.handle(Action::pointer(ActionKind::pointer_press, stop.x, stop.y), later + 1s);
    s.handle(Action::pointer(ActionKind::pointer_release, stop.x, stop.y), later + 1s);
    EXPECT_EQ(s.take_commands(),
              (std::vector<Command>{Command::make(Command::Kind::cancel_link), Command::exit(3)}));
}

TEST(UiPointer, HitTestFollowsAStateChangeBeforeTheNextFrame) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s;
    s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
    s.build(list, glyphs, 1920, 1080, later);
    s.show_problem(ProblemView{"t", "n", "", false}, later);  // New code, Quit: no Try again
    const Rect first = s.layout().buttons[0];
    EXPECT_EQ(s.hit_test(first.center().x, first.center().y), Target::new_code);
    s.handle(Action::pointer(ActionKind::pointer_press, first.center().x, first.center().y), later);
    s.handle(Action::pointer(ActionKind::pointer_release, first.center().x, first.center().y),
             later);
    EXPECT_EQ(s.take_commands(), std::vector<Command>{Command::make(Command::Kind::new_code)});
}

// --- A frame after an action shows it ----------------------------------------------------------

TEST(UiFrame, TypedDigitShowsThenBecomesADot) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s;
    s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
    s.build(list, glyphs, 1920, 1080, later);
    const Rect box = s.layout().boxes[0];
    EXPECT_EQ(text_in(list, box), "");
    s.handle(Action::enter_digit(4, Device::keyboard), later);
    s.build(list, glyphs, 1920, 1080, later);
    EXPECT_EQ(text_in(list, box.inflated(8)), "4");
    s.build(list, glyphs, 1920, 1080, later + 2s);
    EXPECT_EQ(text_in(list, box.inflated(8)), "");       // no longer readable
    EXPECT_TRUE(any_vertex_in(list, theme::text, box));  // but a dot says it is there
}

TEST(UiFrame, WithoutRevealDigitsAreDotsAtOnce) {
    FakeGlyphs glyphs;
    DrawList list;
    ScreenOptions options;
    options.pin_reveal = std::chrono::milliseconds{0};
    Screen s(options);
    s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
    s.handle(Action::enter_digit(4, Device::keyboard), later);
    s.build(list, glyphs, 1920, 1080, later);
    const Rect box = s.layout().boxes[0];
    EXPECT_EQ(text_in(list, box.inflated(8)), "");
    EXPECT_TRUE(any_vertex_in(list, theme::text, box));
}

TEST(UiFrame, FocusMoveShowsOnTheNextFrame) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s;
    s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
    s.build(list, glyphs, 1920, 1080, later);
    const Rect five = s.layout().rect_of(Target::key_5), six = s.layout().rect_of(Target::key_6);
    EXPECT_TRUE(any_vertex_in(list, theme::key_focus, five));
    EXPECT_FALSE(any_vertex_in(list, theme::key_focus, six));
    s.handle(Action::make(ActionKind::right, Device::xbox), later);
    s.build(list, glyphs, 1920, 1080, later);
    EXPECT_TRUE(any_vertex_in(list, theme::key_focus, six));
    EXPECT_FALSE(any_vertex_in(list, theme::key_focus, five));
    // The ring is on its way to 6 already, and there once the glide ends.
    // The ring is the accent colour around the pad (the active PIN box is accent too).
    const Layout& l = s.layout();
    const Rect pad{l.keys[0].x - 40, l.keys[0].y - 40, l.keys[11].right() - l.keys[0].x + 80,
                   l.keys[11].bottom() - l.keys[0].y + 80};
    const auto ring_center = [&list, pad] {
        float x = 0;
        int n = 0;
        for (const auto& v : list.vertices)
            if (same(v.color, theme::accent) && pad.contains(v.x, v.y)) {
                x += v.x;
                ++n;
            }
        return n ? x / static_cast<float>(n) : 0.0f;
    };
    const float moving = ring_center();
    EXPECT_GT(moving, five.center().x + 1.0f);
    s.build(list, glyphs, 1920, 1080, later + 1s);
    EXPECT_NEAR(ring_center(), six.center().x, 1.0f);
    EXPECT_GT(ring_center(), moving);
}

TEST(UiFrame, StateChangesShowOnTheNextFrame) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s;
    s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
    type(s, "1234567");
    s.handle(Action::make(ActionKind::submit, Device::xbox), later);
    s.build(list, glyphs, 1920, 1080, later);
    const std::string shown = text_in(list, s.layout().canvas);
    EXPECT_NE(shown.find("Linking"), std::string::npos);
    EXPECT_EQ(shown.find("Link your X"), std::string::npos);
}

TEST(UiFrame, CodeScreenShowsAddressNoticeAndDemoHint) {
    FakeGlyphs glyphs;
    DrawList list;
    Screen s;
    s.show_code(CodeView{url, "7654321", 7, CodeNotice::pin_rejected}, t0);
    s.build(list, glyphs, 1920, 1080, later);
    const Layout& l = s.layout();
    const auto squeeze = [](std::string_view text) {  // spaces are advances, not glyphs
        std::string out;
        for (char c : text)
            if (c != ' ') out.push_back(c);
        return out;
    };
    EXPECT_EQ(text_in(list, l.notice), squeeze(strings::notice_pin_rejected));
    EXPECT_EQ(text_in(list, l.address), url.substr(std::string("https://").size()));
    EXPECT_EQ(text_in(list, l.pin_hint), "DemoPIN:7654321");
}

TEST(UiFrame, HintBarFollowsTheDevice) {
    const struct {
        Device device;
        const char* expected;
    } cases[] = {
        {Device::xbox, "ASelectBCancelYNewcode"},
        {Device::gamepad, "ASelectBCancelYNewcode"},
        {Device::nintendo, "BSelectACancelXNewcode"},
        {Device::playstation, "SelectCancelNewcode"},  // ✕ ○ △ are drawn, not typed
        {Device::keyboard, "0?9TypePINEscCancelF5Newcode"},
        {Device::pointer, "NewcodeCancel"},
    };
    FakeGlyphs glyphs;
    DrawList list;
    for (const auto& c : cases) {
        Screen s;
        s.show_code(CodeView{url, "", 7, CodeNotice::none}, t0);
        s.set_device(c.device);
        s.build(list, glyphs, 1920, 1080, later);
        EXPECT_EQ(text_in(list, s.layout().hint_area), c.expected) << static_cast<int>(c.device);
    }
}

// --- Allocation ---------------------------------------------------------------------------------

TEST(UiFrame, BuildingAWarmFrameAllocatesNothing) {
    FakeGlyphs glyphs;
    DrawList list;
    for (const Size sz : {Size{1920, 1080}, Size{3840, 2160}}) {
        Screen code = code_screen();
        Screen spinner;
        Screen problem;
        problem.show_problem(
            ProblemView{"Can't reach X", "Check the network.", "curl error 7", true}, t0);
        for (Screen* s : {&code, &spinner, &problem}) {
            s->build(list, glyphs, sz.w, sz.h, t0);  // warm-up: buffers grow, glyphs cached
            s->build(list, glyphs, sz.w, sz.h, later);
            const long before = allocations.load();
            s->build(list, glyphs, sz.w, sz.h, later + 5ms);
            s->build(list, glyphs, sz.w, sz.h, later + 500ms);
            EXPECT_EQ(allocations.load(), before) << sz.w;
        }
    }
}

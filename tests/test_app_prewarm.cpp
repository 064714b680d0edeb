// The glyph prewarm: after it, the first Code screen of a real code rasterises no glyph, for X's
// address shape and the built-in provider's, with a keyboard's or a controller's hints, at the
// common screen sizes. Tokens are drawn at random in each provider's shape, so the address
// takes either of its two text sizes; without the prewarm the same check fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "app/prewarm.hpp"
#include "link/flow.hpp"
#include "net/http.hpp"
#include "oauth/nonce.hpp"
#include "render/text/glyph_atlas.hpp"
#include "ui/draw_list.hpp"
#include "ui/screen.hpp"

namespace pinlink::app {
namespace {

struct Size {
    int width, height;
};
void PrintTo(const Size& s, std::ostream* os) {
    *os << s.width << "x" << s.height;
}
constexpr Size kSizes[] = {{1280, 720}, {1920, 1080}, {3840, 2160}};

std::unique_ptr<render::GlyphAtlas> make_atlas() {
    render::AtlasResult result = render::GlyphAtlas::create({});
    EXPECT_TRUE(result) << result.message;
    return std::move(result.atlas);
}

// X's request tokens: 27 characters of [A-Za-z0-9_-].
std::string x_shaped_token(std::mt19937& random) {
    static constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
    std::string token;
    for (int i = 0; i < 27; ++i)
        token += kAlphabet[pick(random)];
    return token;
}

// Glyphs the atlas had to rasterise to build the first Code screen of each token, as the
// screen front end would: a fresh screen, the code, one build.
std::uint64_t misses(render::GlyphAtlas& atlas, const link::PinFlow& flow,
                     const std::vector<std::string>& tokens, bool pin_hint, Size size) {
    const std::uint64_t before = atlas.rasterised_count();
    ui::DrawList list;
    for (const ui::Device device : {ui::Device::keyboard, ui::Device::gamepad}) {
        for (const auto& token : tokens) {
            ui::ScreenOptions options;
            options.pin_reveal = std::chrono::milliseconds(0);
            ui::Screen screen(options);
            screen.set_device(device);
            ui::CodeView view;
            view.authorize_url = flow.authorize_url({token, {}});
            if (pin_hint) view.pin_hint = *oauth::random_digits(7);
            const auto now = ui::Clock::now();
            screen.show_code(std::move(view), now);
            screen.build(list, atlas, size.width, size.height, now);
        }
    }
    return atlas.rasterised_count() - before;
}

// The built-in provider as `--demo` runs it: plain http on loopback.
link::FlowConfig demo_config() {
    link::FlowConfig config;
    config.api_base = "http://127.0.0.1:45873";
    return config;
}

class Prewarm : public ::testing::TestWithParam<Size> {
  protected:
    // A fresh atlas, prewarmed for `flow` at the test's size.
    std::unique_ptr<render::GlyphAtlas> prewarmed(const link::PinFlow& flow, bool demo) {
        auto atlas = make_atlas();
        if (atlas)
            prewarm_atlas(*atlas, GetParam().width, GetParam().height, prewarm_text(flow, demo));
        return atlas;
    }
    net::Client http{net::Options{}};  // never asked for anything: the flow only builds URLs
};

TEST_P(Prewarm, XCodeScreenNeedsNoNewGlyph) {
    const Size size = GetParam();
    link::PinFlow flow(http, link::FlowConfig{});  // https://api.x.com
    std::mt19937 random(20261129);
    std::vector<std::string> tokens;
    for (int i = 0; i < 30; ++i)
        tokens.push_back(x_shaped_token(random));

    auto atlas = prewarmed(flow, false);
    ASSERT_TRUE(atlas);
    ASSERT_GT(atlas->rasterised_count(), 0u);
    // The prewarm leaves the atlas only as tall as its glyphs need, in 64-row bands; with no
    // miss below, the screens it was made for fit in it without growing it.
    EXPECT_EQ(atlas->height(), std::max(64, (atlas->used_height() + 63) / 64 * 64));
    EXPECT_EQ(misses(*atlas, flow, tokens, false, size), 0u);
}

TEST_P(Prewarm, DemoCodeScreenNeedsNoNewGlyph) {
    const Size size = GetParam();
    link::PinFlow flow(http, demo_config());
    std::vector<std::string> tokens;  // the built-in provider's tokens are make_nonce()'s
    for (int i = 0; i < 30; ++i)
        tokens.push_back(*oauth::make_nonce());

    auto atlas = prewarmed(flow, true);
    ASSERT_TRUE(atlas);
    EXPECT_EQ(atlas->height(), std::max(64, (atlas->used_height() + 63) / 64 * 64));
    EXPECT_EQ(misses(*atlas, flow, tokens, true, size), 0u);
}

// The check above can fail: the same screens on an atlas nobody prewarmed rasterise their text,
// and so do the demo's on an atlas prewarmed for X alone (other address, no PIN line).
TEST_P(Prewarm, WithoutItTheFirstScreenRasterises) {
    const Size size = GetParam();
    link::PinFlow flow(http, demo_config());
    const std::vector<std::string> tokens{*oauth::make_nonce()};

    auto cold = make_atlas();
    ASSERT_TRUE(cold);
    EXPECT_GT(misses(*cold, flow, tokens, true, size), 0u);

    link::PinFlow x_flow(http, link::FlowConfig{});
    auto x_only = prewarmed(x_flow, false);
    ASSERT_TRUE(x_only);
    EXPECT_GT(misses(*x_only, flow, tokens, true, size), 0u);
}

TEST(PrewarmText, SamplesComeFromTheFlowsOwnAddress) {
    net::Client http{net::Options{}};
    link::FlowConfig config;
    config.screen_name = "someone";
    link::PinFlow flow(http, config);
    const PrewarmText x = prewarm_text(flow, false);
    ASSERT_FALSE(x.authorize_urls.empty());
    EXPECT_FALSE(x.pin_hint);
    for (const auto& url : x.authorize_urls) {
        EXPECT_EQ(url.rfind("https://api.x.com/oauth/authorize?oauth_token=", 0), 0u) << url;
        EXPECT_NE(url.find("&screen_name=someone"), std::string::npos) << url;
    }
    const PrewarmText demo = prewarm_text(flow, true);
    EXPECT_TRUE(demo.pin_hint);
    EXPECT_GT(demo.authorize_urls.size(), x.authorize_urls.size());
}

TEST(PrewarmAtlas, NothingToLayOutForAnUnknownSize) {
    auto atlas = make_atlas();
    ASSERT_TRUE(atlas);
    net::Client http{net::Options{}};
    link::PinFlow flow(http, link::FlowConfig{});
    prewarm_atlas(*atlas, 0, 0, prewarm_text(flow, true));
    EXPECT_EQ(atlas->rasterised_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Sizes, Prewarm, ::testing::ValuesIn(kSizes),
                         [](const ::testing::TestParamInfo<Size>& p) {
                             return std::to_string(p.param.width) + "x" +
                                    std::to_string(p.param.height);
                         });

}  // namespace
}  // namespace pinlink::app

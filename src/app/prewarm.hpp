// Fills the glyph atlas with what the first Code screen will draw, on a helper thread while the
// window and its context are made, so that the first frame with the QR code rasterises no text
// (docs/performance.md, startup).
#pragma once

#include <string>
#include <vector>

#include "link/flow.hpp"
#include "render/text/glyph_atlas.hpp"

namespace pinlink::app {

// What the first Code screen will show, as far as it is known before the first code arrives.
struct PrewarmText {
    std::vector<std::string> authorize_urls;  // addresses shaped like the provider's
    bool pin_hint = false;                    // the built-in provider's "Demo PIN" line
};

// Sample authorize addresses from `flow` (its API base, its extra parameters) with tokens shaped
// like the provider's: X's request tokens are 27 characters of [A-Za-z0-9_-]; the built-in
// provider's (`demo`: the only one with a PIN hint) are oauth::make_nonce()'s 43.
PrewarmText prewarm_text(const link::PinFlow& flow, bool demo);

// Lays out the first Code screen for each sample address at `width` x `height` (physical
// pixels), with the hints of a keyboard and of a controller (which one is connected is only
// known once SDL has opened them), then rasterises every character a token can hold at each
// size the address was laid out in: the address takes one of two sizes, by how wide its token
// measures. A wrong guess of the size only means those glyphs rasterise at the first frame.
void prewarm_atlas(render::GlyphAtlas& atlas, int width, int height, const PrewarmText& text);

}  // namespace pinlink::app

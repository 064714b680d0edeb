// Draw-list fragments: vertex colour, with alpha multiplied by the atlas' coverage. Solid shapes
// sample a 1x1 texture of full coverage, so one program draws both without branching.
// highp: texture coordinates must address single texels of a 4096-pixel atlas.
precision highp float;

uniform sampler2D u_atlas;  // single channel (R8): coverage

in vec2 v_uv;
in vec4 v_color;

layout(location = 0) out vec4 o_color;

void main() {
    // Straight alpha; the blend function is SRC_ALPHA, ONE_MINUS_SRC_ALPHA as in SDL_Renderer.
    o_color = vec4(v_color.rgb, v_color.a * texture(u_atlas, v_uv).r);
}

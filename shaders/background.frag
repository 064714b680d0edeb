// A slow, subtle gradient around the draw list's clear colour: two broad waves of brightness
// drifting across the screen, a few percent either way, so the screen looks alive without
// pulling the eye. The phases come from the CPU in [0,1), computed in double precision, so a
// kiosk running for weeks does not lose float precision; the app holds them still after 10 s
// without input.
precision highp float;

uniform vec4 u_base;   // the clear colour, 0..1
uniform vec2 u_phase;  // animation phases of the two waves, each in [0,1)

in vec2 v_pos;

layout(location = 0) out vec4 o_color;

const float tau = 6.28318530718;
const float amplitude = 0.018;  // about 4.5/255 at the wave crests

void main() {
    float a = sin(tau * (v_pos.x * 0.55 + v_pos.y * 0.35 + u_phase.x));
    float b = sin(tau * (v_pos.y * 0.60 - v_pos.x * 0.25 + u_phase.y));
    float light = (a + b) * 0.5 * amplitude + (0.5 - v_pos.y) * amplitude;
    // Ordered noise of half an 8-bit step keeps the shallow gradient from banding.
    float noise = fract(52.9829189 * fract(dot(gl_FragCoord.xy, vec2(0.06711056, 0.00583715))));
    vec3 colour = u_base.rgb + light + (noise - 0.5) / 255.0;
    o_color = vec4(clamp(colour, 0.0, 1.0), 1.0);
}

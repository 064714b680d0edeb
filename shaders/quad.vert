// Draw-list vertices: position in physical pixels (top-left origin), atlas coordinate, colour.
// No #version line: the loader prepends "#version 330 core" or "#version 300 es", so one source
// serves desktop GL 3.3 and GLES 3.0. Attribute locations match ui::Vertex in gl_backend.cpp.
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;  // straight alpha, normalised from bytes

uniform vec2 u_viewport;  // the draw list's size in pixels

out vec2 v_uv;
out vec4 v_color;

void main() {
    vec2 ndc = a_position / u_viewport * 2.0 - 1.0;
    gl_Position = vec4(ndc.x, -ndc.y, 0.0, 1.0);  // GL's y points up, the draw list's down
    v_uv = a_uv;
    v_color = a_color;
}

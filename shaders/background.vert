// The animated background: one triangle that covers the viewport, made from gl_VertexID alone
// (no vertex buffer). v_pos runs from (0,0) at the top-left to (1,1) at the bottom-right.
out vec2 v_pos;

void main() {
    vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));  // (0,0) (2,0) (0,2)
    v_pos = vec2(corner.x, 1.0 - corner.y);
    gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}

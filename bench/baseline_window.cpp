// The baseline for pinlink's startup and memory figures (docs/performance.md): the least a
// program can do to put a frame on screen the way pinlink does. It opens a window, makes the same
// kind of context as the chosen renderer (OpenGL 3.3 core like render::GlWindow, or SDL_Renderer
// with SDL's software driver on the video driver's own framebuffer, as pinlink's: see
// render/sdl/native_framebuffer.hpp), presents one cleared frame and exits. With --ttf it also
// starts SDL2_ttf and opens one font, for the peak-memory baseline.
//
// With --trace it writes "baseline: trace first-frame <steady_clock ns>" to stderr right after
// the frame is presented: the same clock and the same moment pinlink's PINLINK_TRACE marks.
// With --drawn (GL only) the mark waits for glFinish: on llvmpipe a swap of the offscreen
// driver's pbuffer returns before the clear is done, and the first real clear of a fresh
// 1080p framebuffer costs tens of milliseconds that pinlink's first drawn frame does pay.
// With --hold SECONDS it waits that long after presenting, window and context still open, so
// bench/rss_by_mapping.py can read its /proc/<pid>/smaps at its peak.
// With --triangle (GL only) it then draws ten frames of one textured, blended triangle, the
// kind of draw pinlink makes: a reference for the memory any GL drawing costs over a clear (on
// llvmpipe, the shader variants JIT-compiled by LLVM), not a baseline.
#include <GL/glcorearb.h>
#include <SDL.h>
#include <SDL_ttf.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "render/sdl/native_framebuffer.hpp"

namespace {

enum class Kind { gl, software };

struct Args {
    Kind kind = Kind::gl;
    int width = 1280, height = 720;
    std::string ttf;  // font to open, empty: SDL2_ttf is not started
    bool trace = false;
    bool drawn = false;  // --drawn: the trace waits until the driver has drawn the frame
    int hold_ms = 0;     // --hold: stay open this long after presenting
    bool triangle = false;  // --triangle: then draw a textured, blended triangle (GL)
    bool ok = true;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--renderer" && has_value) {
            const std::string_view v = argv[++i];
            if (v == "gl") {
                a.kind = Kind::gl;
            } else if (v == "software") {
                a.kind = Kind::software;
            } else {
                a.ok = false;
            }
        } else if (arg == "--windowed" && has_value) {
            if (std::sscanf(argv[++i], "%dx%d", &a.width, &a.height) != 2) a.ok = false;
        } else if (arg == "--ttf" && has_value) {
            a.ttf = argv[++i];
        } else if (arg == "--trace") {
            a.trace = true;
        } else if (arg == "--drawn") {
            a.drawn = true;
        } else if (arg == "--triangle") {
            a.triangle = true;
        } else if (arg == "--hold" && has_value) {
            double seconds = 0;
            if (std::sscanf(argv[++i], "%lf", &seconds) != 1 || seconds < 0 || seconds > 600) {
                a.ok = false;
            }
            a.hold_ms = static_cast<int>(seconds * 1000);
        } else {
            a.ok = false;
        }
    }
    if (a.triangle && a.kind != Kind::gl) a.ok = false;
    return a;
}

void trace_first_frame() {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now().time_since_epoch())
                        .count();
    std::fprintf(stderr, "baseline: trace first-frame %lld\n", static_cast<long long>(ns));
    std::fflush(stderr);
}

// glClearColor, glClear and glFinish through SDL_GL_GetProcAddress, as render::GlFunctions
// loads them: the baseline links no GL library either.
using ClearColorFn = void (*)(float, float, float, float);
using ClearFn = void (*)(unsigned int);
using FinishFn = void (*)();
constexpr unsigned int kColorBufferBit = 0x00004000;  // GL_COLOR_BUFFER_BIT

template <class Fn>
Fn gl_function(const char* name) {
    // SDL hands entry points out as void*; POSIX guarantees the round trip to a function pointer.
    void* p = SDL_GL_GetProcAddress(name);
    Fn fn = nullptr;
    static_assert(sizeof fn == sizeof p);
    std::memcpy(&fn, &p, sizeof fn);
    return fn;
}

// Ten frames of one triangle sampling a 64x64 one-channel texture, blended as pinlink blends
// text: one vertex shader, one fragment shader, one texture state. False if a call failed.
bool draw_triangle_frames(SDL_Window* window) {
    const auto create_shader = gl_function<PFNGLCREATESHADERPROC>("glCreateShader");
    const auto shader_source = gl_function<PFNGLSHADERSOURCEPROC>("glShaderSource");
    const auto compile_shader = gl_function<PFNGLCOMPILESHADERPROC>("glCompileShader");
    const auto create_program = gl_function<PFNGLCREATEPROGRAMPROC>("glCreateProgram");
    const auto attach_shader = gl_function<PFNGLATTACHSHADERPROC>("glAttachShader");
    const auto link_program = gl_function<PFNGLLINKPROGRAMPROC>("glLinkProgram");
    const auto get_programiv = gl_function<PFNGLGETPROGRAMIVPROC>("glGetProgramiv");
    const auto use_program = gl_function<PFNGLUSEPROGRAMPROC>("glUseProgram");
    const auto gen_vertex_arrays = gl_function<PFNGLGENVERTEXARRAYSPROC>("glGenVertexArrays");
    const auto bind_vertex_array = gl_function<PFNGLBINDVERTEXARRAYPROC>("glBindVertexArray");
    const auto gen_textures = gl_function<PFNGLGENTEXTURESPROC>("glGenTextures");
    const auto bind_texture = gl_function<PFNGLBINDTEXTUREPROC>("glBindTexture");
    const auto tex_image = gl_function<PFNGLTEXIMAGE2DPROC>("glTexImage2D");
    const auto tex_parameter = gl_function<PFNGLTEXPARAMETERIPROC>("glTexParameteri");
    const auto enable = gl_function<PFNGLENABLEPROC>("glEnable");
    const auto blend_func = gl_function<PFNGLBLENDFUNCPROC>("glBlendFunc");
    const auto draw_arrays = gl_function<PFNGLDRAWARRAYSPROC>("glDrawArrays");
    const auto clear = gl_function<PFNGLCLEARPROC>("glClear");
    const auto finish = gl_function<PFNGLFINISHPROC>("glFinish");
    const auto get_error = gl_function<PFNGLGETERRORPROC>("glGetError");
    if (!create_shader || !shader_source || !compile_shader || !create_program ||
        !attach_shader || !link_program || !get_programiv || !use_program ||
        !gen_vertex_arrays || !bind_vertex_array || !gen_textures || !bind_texture ||
        !tex_image || !tex_parameter || !enable || !blend_func || !draw_arrays || !clear ||
        !finish || !get_error) {
        return false;
    }
    const char* vertex = R"(#version 330 core
out vec2 uv;
void main() {
    vec2 p = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    uv = p;
    gl_Position = vec4(p * 1.5 - 0.75, 0.0, 1.0);
})";
    const char* fragment = R"(#version 330 core
in vec2 uv;
uniform sampler2D coverage;
out vec4 colour;
void main() { colour = vec4(1.0, 1.0, 1.0, texture(coverage, uv).r); })";
    const GLuint vs = create_shader(GL_VERTEX_SHADER);
    const GLuint fs = create_shader(GL_FRAGMENT_SHADER);
    shader_source(vs, 1, &vertex, nullptr);
    shader_source(fs, 1, &fragment, nullptr);
    compile_shader(vs);
    compile_shader(fs);
    const GLuint program = create_program();
    attach_shader(program, vs);
    attach_shader(program, fs);
    link_program(program);
    GLint linked = GL_FALSE;
    get_programiv(program, GL_LINK_STATUS, &linked);
    if (linked != GL_TRUE) return false;
    GLuint vao = 0, texture = 0;
    gen_vertex_arrays(1, &vao);
    gen_textures(1, &texture);
    bind_texture(GL_TEXTURE_2D, texture);
    unsigned char texels[64 * 64];
    for (int i = 0; i < 64 * 64; ++i)
        texels[i] = static_cast<unsigned char>(i);
    tex_image(GL_TEXTURE_2D, 0, GL_R8, 64, 64, 0, GL_RED, GL_UNSIGNED_BYTE, texels);
    tex_parameter(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    tex_parameter(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    enable(GL_BLEND);
    blend_func(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    use_program(program);
    bind_vertex_array(vao);
    for (int frame = 0; frame < 10; ++frame) {
        clear(GL_COLOR_BUFFER_BIT);
        draw_arrays(GL_TRIANGLES, 0, 3);
        SDL_GL_SwapWindow(window);
        finish();
    }
    return get_error() == GL_NO_ERROR;
}

int present_gl(const Args& a) {
    // The attributes render::GlWindow asks for first.
    SDL_GL_ResetAttributes();
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    SDL_Window* window = SDL_CreateWindow(
        "baseline", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, a.width, a.height,
        SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE);
    if (window == nullptr) return 1;
    SDL_GLContext context = SDL_GL_CreateContext(window);
    if (context == nullptr) {
        SDL_DestroyWindow(window);
        return 1;
    }
    SDL_GL_MakeCurrent(window, context);
    SDL_GL_SetSwapInterval(1);
    const auto clear_color = gl_function<ClearColorFn>("glClearColor");
    const auto clear = gl_function<ClearFn>("glClear");
    const auto finish = gl_function<FinishFn>("glFinish");
    int code = 1;
    if (clear_color != nullptr && clear != nullptr && finish != nullptr) {
        clear_color(0.06f, 0.07f, 0.09f, 1.0f);
        clear(kColorBufferBit);
        SDL_GL_SwapWindow(window);
        if (a.drawn) finish();
        if (a.trace) trace_first_frame();
        finish();
        code = a.triangle && !draw_triangle_frames(window) ? 1 : 0;
        SDL_Delay(static_cast<Uint32>(a.hold_ms));
    }
    SDL_GL_DeleteContext(context);
    SDL_DestroyWindow(window);
    return code;
}

int present_software(const Args& a) {
    SDL_Window* window =
        SDL_CreateWindow("baseline", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, a.width,
                         a.height, SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE);
    if (window == nullptr) return 1;
    pinlink::render::prefer_native_framebuffer();  // the same kind of surface as pinlink's
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    if (renderer == nullptr) {
        SDL_DestroyWindow(window);
        return 1;
    }
    SDL_SetRenderDrawColor(renderer, 15, 18, 23, 255);
    SDL_RenderClear(renderer);
    SDL_RenderPresent(renderer);
    if (a.trace) trace_first_frame();
    SDL_Delay(static_cast<Uint32>(a.hold_ms));
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = parse(argc, argv);
    if (!args.ok) {
        std::fprintf(stderr,
                     "usage: baseline_window [--renderer gl|software] [--windowed WxH] "
                     "[--ttf FONT] [--trace] [--drawn] [--hold SECONDS] [--triangle]\n");
        return 2;
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        std::fprintf(stderr, "baseline: SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    TTF_Font* font = nullptr;
    if (!args.ttf.empty()) {
        if (TTF_Init() != 0 || (font = TTF_OpenFont(args.ttf.c_str(), 32)) == nullptr) {
            std::fprintf(stderr, "baseline: SDL2_ttf: %s\n", TTF_GetError());
            SDL_Quit();
            return 1;
        }
    }
    const int code = args.kind == Kind::gl ? present_gl(args) : present_software(args);
    if (code != 0) std::fprintf(stderr, "baseline: no frame: %s\n", SDL_GetError());
    if (font != nullptr) {
        TTF_CloseFont(font);
        TTF_Quit();
    }
    SDL_Quit();
    return code;
}

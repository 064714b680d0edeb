// OpenGL backend (see gl_backend.hpp).
#include "render/gl/gl_backend.hpp"

#include <SDL_video.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <span>
#include <string>
#include <utility>

#include "embedded_shaders.hpp"
#include "render/gl/program_cache.hpp"

namespace pinlink::render {

namespace {

// Vertex attribute locations, as declared in shaders/quad.vert.
constexpr GLuint attr_position = 0, attr_uv = 1, attr_color = 2;
constexpr auto vertex_stride = static_cast<GLsizei>(sizeof(ui::Vertex));

// Periods of the background's two waves, in seconds: slow enough to notice only by looking.
constexpr double wave_period_a = 23.0, wave_period_b = 31.0;

const void* byte_offset(std::size_t offset) {
    return reinterpret_cast<const void*>(static_cast<std::uintptr_t>(offset));
}

// Everything a frame changes, restored when it ends, so a host application's own GL drawing
// (or the next frame of SDL_Renderer's GL driver) finds the state it left.
class SavedState {
  public:
    explicit SavedState(const GlFunctions& gl) : gl_(gl) {
        gl.GetIntegerv(GL_ACTIVE_TEXTURE, &active_texture_);
        gl.ActiveTexture(GL_TEXTURE0);
        gl.GetIntegerv(GL_TEXTURE_BINDING_2D, &texture_);
        gl.GetIntegerv(GL_SAMPLER_BINDING, &sampler_);
        gl.GetIntegerv(GL_CURRENT_PROGRAM, &program_);
        gl.GetIntegerv(GL_ARRAY_BUFFER_BINDING, &array_buffer_);
        gl.GetIntegerv(GL_VERTEX_ARRAY_BINDING, &vertex_array_);
        gl.GetIntegerv(GL_PIXEL_UNPACK_BUFFER_BINDING, &unpack_buffer_);
        gl.GetIntegerv(GL_PIXEL_PACK_BUFFER_BINDING, &pack_buffer_);
        for (std::size_t i = 0; i < pixel_store_names.size(); ++i) {
            gl.GetIntegerv(pixel_store_names[i], &pixel_store_[i]);
        }
        gl.GetIntegerv(GL_VIEWPORT, viewport_.data());
        gl.GetIntegerv(GL_SCISSOR_BOX, scissor_.data());
        gl.GetIntegerv(GL_BLEND_SRC_RGB, &blend_src_rgb_);
        gl.GetIntegerv(GL_BLEND_DST_RGB, &blend_dst_rgb_);
        gl.GetIntegerv(GL_BLEND_SRC_ALPHA, &blend_src_alpha_);
        gl.GetIntegerv(GL_BLEND_DST_ALPHA, &blend_dst_alpha_);
        gl.GetIntegerv(GL_BLEND_EQUATION_RGB, &blend_equation_rgb_);
        gl.GetIntegerv(GL_BLEND_EQUATION_ALPHA, &blend_equation_alpha_);
        for (std::size_t i = 0; i < capability_names.size(); ++i) {
            capabilities_[i] = gl.IsEnabled(capability_names[i]);
        }
        gl.GetFloatv(GL_COLOR_CLEAR_VALUE, clear_color_.data());
        gl.GetBooleanv(GL_COLOR_WRITEMASK, color_mask_.data());
    }

    ~SavedState() {
        const GlFunctions& gl = gl_;
        gl.UseProgram(static_cast<GLuint>(program_));
        gl.BindTexture(GL_TEXTURE_2D, static_cast<GLuint>(texture_));
        gl.BindSampler(0, static_cast<GLuint>(sampler_));
        gl.ActiveTexture(static_cast<GLenum>(active_texture_));
        gl.BindVertexArray(static_cast<GLuint>(vertex_array_));
        gl.BindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(array_buffer_));
        gl.BindBuffer(GL_PIXEL_UNPACK_BUFFER, static_cast<GLuint>(unpack_buffer_));
        gl.BindBuffer(GL_PIXEL_PACK_BUFFER, static_cast<GLuint>(pack_buffer_));
        for (std::size_t i = 0; i < pixel_store_names.size(); ++i) {
            gl.PixelStorei(pixel_store_names[i], pixel_store_[i]);
        }
        gl.Viewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
        gl.Scissor(scissor_[0], scissor_[1], scissor_[2], scissor_[3]);
        gl.BlendEquationSeparate(static_cast<GLenum>(blend_equation_rgb_),
                                 static_cast<GLenum>(blend_equation_alpha_));
        gl.BlendFuncSeparate(
            static_cast<GLenum>(blend_src_rgb_), static_cast<GLenum>(blend_dst_rgb_),
            static_cast<GLenum>(blend_src_alpha_), static_cast<GLenum>(blend_dst_alpha_));
        for (std::size_t i = 0; i < capability_names.size(); ++i) {
            if (capabilities_[i] != GL_FALSE) {
                gl.Enable(capability_names[i]);
            } else {
                gl.Disable(capability_names[i]);
            }
        }
        gl.ClearColor(clear_color_[0], clear_color_[1], clear_color_[2], clear_color_[3]);
        gl.ColorMask(color_mask_[0], color_mask_[1], color_mask_[2], color_mask_[3]);
    }

    SavedState(const SavedState&) = delete;
    SavedState& operator=(const SavedState&) = delete;

  private:
    static constexpr std::array<GLenum, 6> pixel_store_names{
        GL_UNPACK_ALIGNMENT, GL_UNPACK_ROW_LENGTH, GL_UNPACK_SKIP_PIXELS,
        GL_UNPACK_SKIP_ROWS, GL_PACK_ALIGNMENT,    GL_PACK_ROW_LENGTH};
    static constexpr std::array<GLenum, 5> capability_names{GL_BLEND, GL_CULL_FACE, GL_DEPTH_TEST,
                                                            GL_STENCIL_TEST, GL_SCISSOR_TEST};

    const GlFunctions& gl_;
    GLint active_texture_ = GL_TEXTURE0, texture_ = 0, sampler_ = 0, program_ = 0;
    GLint array_buffer_ = 0, vertex_array_ = 0, unpack_buffer_ = 0, pack_buffer_ = 0;
    std::array<GLint, 6> pixel_store_{};
    std::array<GLint, 4> viewport_{}, scissor_{};
    GLint blend_src_rgb_ = GL_ONE, blend_dst_rgb_ = GL_ZERO;
    GLint blend_src_alpha_ = GL_ONE, blend_dst_alpha_ = GL_ZERO;
    GLint blend_equation_rgb_ = GL_FUNC_ADD, blend_equation_alpha_ = GL_FUNC_ADD;
    std::array<GLboolean, 5> capabilities_{};
    std::array<GLfloat, 4> clear_color_{};
    std::array<GLboolean, 4> color_mask_{};
};

// Parses "4.5 (Core Profile) Mesa ..." or "OpenGL ES 3.2 Mesa ..." into (major, minor, es).
struct Version {
    int major = 0, minor = 0;
    bool es = false;
};

Version parse_version(const char* text) {
    Version v;
    if (text == nullptr) return v;
    std::string_view s(text);
    constexpr std::string_view es_prefix = "OpenGL ES";
    if (s.substr(0, es_prefix.size()) == es_prefix) {
        v.es = true;
        s.remove_prefix(es_prefix.size());
        // "OpenGL ES-CM 1.1" and "OpenGL ES 3.2": skip to the first digit.
        while (!s.empty() && (s.front() < '0' || s.front() > '9'))
            s.remove_prefix(1);
    }
    if (std::sscanf(std::string(s).c_str(), "%d.%d", &v.major, &v.minor) != 2) v = {0, 0, v.es};
    return v;
}

GLuint compile(const GlFunctions& gl, GLenum stage, bool es, std::span<const std::uint8_t> body,
               const char* name, GlStatus& status) {
    const char* version = es ? "#version 300 es\n" : "#version 330 core\n";
    const std::array<const GLchar*, 2> sources{version,
                                               reinterpret_cast<const GLchar*>(body.data())};
    const std::array<GLint, 2> lengths{-1, static_cast<GLint>(body.size())};
    const GLuint shader = gl.CreateShader(stage);
    gl.ShaderSource(shader, 2, sources.data(), lengths.data());
    gl.CompileShader(shader);
    GLint ok = GL_FALSE;
    gl.GetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok == GL_FALSE) {
        std::array<GLchar, 2048> log{};
        gl.GetShaderInfoLog(shader, static_cast<GLsizei>(log.size()), nullptr, log.data());
        status = {GlError::shader, std::string(name) + ": " + log.data()};
        gl.DeleteShader(shader);
        return 0;
    }
    return shader;
}

GLuint link(const GlFunctions& gl, bool es, std::span<const std::uint8_t> vertex,
            std::span<const std::uint8_t> fragment, const char* name, bool retrievable,
            GlStatus& status) {
    const GLuint vs = compile(gl, GL_VERTEX_SHADER, es, vertex, name, status);
    if (vs == 0) return 0;
    const GLuint fs = compile(gl, GL_FRAGMENT_SHADER, es, fragment, name, status);
    if (fs == 0) {
        gl.DeleteShader(vs);
        return 0;
    }
    const GLuint program = gl.CreateProgram();
    gl.AttachShader(program, vs);
    gl.AttachShader(program, fs);
    // Some drivers only hand out a binary of a program linked with this hint.
    if (retrievable) gl.ProgramParameteri(program, GL_PROGRAM_BINARY_RETRIEVABLE_HINT, GL_TRUE);
    gl.LinkProgram(program);
    gl.DeleteShader(vs);  // flagged; freed with the program
    gl.DeleteShader(fs);
    GLint ok = GL_FALSE;
    gl.GetProgramiv(program, GL_LINK_STATUS, &ok);
    if (ok == GL_FALSE) {
        std::array<GLchar, 2048> log{};
        gl.GetProgramInfoLog(program, static_cast<GLsizei>(log.size()), nullptr, log.data());
        status = {GlError::program, std::string(name) + ": " + log.data()};
        gl.DeleteProgram(program);
        return 0;
    }
    return program;
}

// The program from `cache` if it has it for exactly these sources, else compiled, linked and
// stored there for the next start.
GLuint make_program(const GlFunctions& gl, const ProgramCache& cache, bool es,
                    std::span<const std::uint8_t> vertex, std::span<const std::uint8_t> fragment,
                    const char* name, bool& from_cache, GlStatus& status) {
    std::string sources = es ? "es\n" : "core\n";
    sources.append(reinterpret_cast<const char*>(vertex.data()), vertex.size());
    sources += '\0';
    sources.append(reinterpret_cast<const char*>(fragment.data()), fragment.size());
    from_cache = false;
    if (const GLuint program = cache.load(name, sources); program != 0) {
        from_cache = true;
        return program;
    }
    const GLuint program = link(gl, es, vertex, fragment, name, cache.usable(), status);
    cache.store(name, sources, program);
    return program;
}

void set_texture_parameters(const GlFunctions& gl, GLint filter) {
    gl.TexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    gl.TexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    gl.TexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    gl.TexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

}  // namespace

std::string_view to_string(GlError e) {
    switch (e) {
        case GlError::none:
            return "no error";
        case GlError::no_context:
            return "no OpenGL context";
        case GlError::unsupported:
            return "OpenGL 3.3 or OpenGL ES 3.0 is needed";
        case GlError::missing_function:
            return "OpenGL function missing";
        case GlError::shader:
            return "shader compilation failed";
        case GlError::program:
            return "shader program link failed";
        case GlError::invalid_draw_list:
            return "invalid draw list";
        case GlError::gl:
            return "OpenGL error";
    }
    return "unknown OpenGL error";
}

GlBackendResult GlBackend::create(const GlBackendOptions& options) {
    if (SDL_GL_GetCurrentContext() == nullptr) {
        return {nullptr, {GlError::no_context, "no current OpenGL context"}};
    }
    std::unique_ptr<GlBackend> backend(new GlBackend());
    GlStatus status = backend->init(options);
    if (!status) return {nullptr, std::move(status)};
    return {std::move(backend), {}};
}

GlStatus GlBackend::init(const GlBackendOptions& options) {
    if (std::string missing = gl_.load(); !missing.empty()) {
        return {GlError::missing_function, missing};
    }
    const auto* version_text = reinterpret_cast<const char*>(gl_.GetString(GL_VERSION));
    const auto* renderer_text = reinterpret_cast<const char*>(gl_.GetString(GL_RENDERER));
    const Version version = parse_version(version_text);
    es_ = version.es;
    description_ = std::string(version_text != nullptr ? version_text : "?") + " / " +
                   (renderer_text != nullptr ? renderer_text : "?");
    const bool new_enough = version.es
                                ? version.major >= 3
                                : (version.major > 3 || (version.major == 3 && version.minor >= 3));
    if (!new_enough) return {GlError::unsupported, description_};
    gl_.GetIntegerv(GL_MAX_TEXTURE_SIZE, &max_texture_size_);

    GlStatus status;
    const ProgramCache cache(gl_, options.program_cache_dir);
    bool from_cache = false;
    quad_program_ = make_program(gl_, cache, es_, shaders::quad_vert(), shaders::quad_frag(),
                                 "quad", from_cache, status);
    if (quad_program_ == 0) return status;
    programs_from_cache_ += from_cache ? 1 : 0;
    background_program_ =
        make_program(gl_, cache, es_, shaders::background_vert(), shaders::background_frag(),
                     "background", from_cache, status);
    if (background_program_ == 0) return status;
    programs_from_cache_ += from_cache ? 1 : 0;
    quad_viewport_ = gl_.GetUniformLocation(quad_program_, "u_viewport");
    quad_atlas_ = gl_.GetUniformLocation(quad_program_, "u_atlas");
    background_base_ = gl_.GetUniformLocation(background_program_, "u_base");
    background_phase_ = gl_.GetUniformLocation(background_program_, "u_phase");

    const SavedState saved(gl_);  // creation binds things too; leave the host's state alone
    gl_.BindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
    gl_.PixelStorei(GL_UNPACK_ALIGNMENT, 1);
    gl_.PixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    gl_.PixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
    gl_.PixelStorei(GL_UNPACK_SKIP_ROWS, 0);

    // The vertex layout lives in the VAO, set once; the buffers are refilled each frame.
    gl_.GenVertexArrays(1, &vao_);
    gl_.GenVertexArrays(1, &background_vao_);  // core profile draws need a VAO, even empty
    gl_.GenBuffers(1, &vbo_);
    gl_.GenBuffers(1, &ebo_);
    gl_.BindVertexArray(vao_);
    gl_.BindBuffer(GL_ARRAY_BUFFER, vbo_);
    gl_.BindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo_);
    gl_.EnableVertexAttribArray(attr_position);
    gl_.EnableVertexAttribArray(attr_uv);
    gl_.EnableVertexAttribArray(attr_color);
    gl_.VertexAttribPointer(attr_position, 2, GL_FLOAT, GL_FALSE, vertex_stride,
                            byte_offset(offsetof(ui::Vertex, x)));
    gl_.VertexAttribPointer(attr_uv, 2, GL_FLOAT, GL_FALSE, vertex_stride,
                            byte_offset(offsetof(ui::Vertex, u)));
    gl_.VertexAttribPointer(attr_color, 4, GL_UNSIGNED_BYTE, GL_TRUE, vertex_stride,
                            byte_offset(offsetof(ui::Vertex, color)));
    gl_.BindVertexArray(0);

    // Solid shapes sample this: full coverage everywhere. Same format and sampling as the atlas
    // (one texel, so linear filtering still gives exactly 1), because a software driver such
    // as llvmpipe compiles one fragment-shader variant per texture state: one variant serves
    // text and shapes, and the first frame compiles one fewer (docs/performance.md).
    const std::uint8_t full = 255;
    gl_.GenTextures(1, &white_texture_);
    gl_.BindTexture(GL_TEXTURE_2D, white_texture_);
    set_texture_parameters(gl_, GL_LINEAR);
    gl_.TexImage2D(GL_TEXTURE_2D, 0, GL_R8, 1, 1, 0, GL_RED, GL_UNSIGNED_BYTE, &full);
    gl_.GenTextures(1, &atlas_texture_);

    if (const GLenum error = gl_.GetError(); error != GL_NO_ERROR) {
        return {GlError::gl, "setup: glGetError " + std::to_string(error)};
    }
    return {};
}

GlBackend::~GlBackend() {
    // Objects never made are 0, which every glDelete* ignores.
    if (gl_.DeleteTextures == nullptr) return;  // entry points never loaded: nothing was made
    gl_.DeleteTextures(1, &white_texture_);
    gl_.DeleteTextures(1, &atlas_texture_);
    gl_.DeleteBuffers(1, &vbo_);
    gl_.DeleteBuffers(1, &ebo_);
    gl_.DeleteVertexArrays(1, &vao_);
    gl_.DeleteVertexArrays(1, &background_vao_);
    gl_.DeleteProgram(quad_program_);
    gl_.DeleteProgram(background_program_);
}

void GlBackend::upload_atlas(GlyphAtlas& atlas) {
    const int w = atlas.width();
    const int h = atlas.height();
    gl_.BindTexture(GL_TEXTURE_2D, atlas_texture_);
    gl_.BindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
    gl_.PixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (atlas_source_ != &atlas || atlas_width_ != w || atlas_height_ != h) {
        gl_.PixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        gl_.PixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
        gl_.PixelStorei(GL_UNPACK_SKIP_ROWS, 0);
        set_texture_parameters(gl_, GL_LINEAR);
        gl_.TexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, atlas.pixels());
        atlas_source_ = &atlas;
        atlas_width_ = w;
        atlas_height_ = h;
    } else if (atlas.generation() != atlas_generation_) {
        PixelRect rect = atlas.dirty_rect();
        // An empty dirty rectangle with a newer generation means someone else took it.
        if (rect.empty()) rect = {0, 0, w, h};
        // Upload only the changed rectangle, read in place from the full-width coverage image.
        gl_.PixelStorei(GL_UNPACK_ROW_LENGTH, w);
        gl_.PixelStorei(GL_UNPACK_SKIP_PIXELS, rect.x);
        gl_.PixelStorei(GL_UNPACK_SKIP_ROWS, rect.y);
        gl_.TexSubImage2D(GL_TEXTURE_2D, 0, rect.x, rect.y, rect.w, rect.h, GL_RED,
                          GL_UNSIGNED_BYTE, atlas.pixels());
    }
    atlas_generation_ = atlas.generation();
    atlas.clear_dirty();
}

GlStatus GlBackend::render(const ui::DrawList& list, GlyphAtlas* atlas, const GlFrame& frame) {
    const SavedState saved(gl_);
    last_width_ = list.width;
    last_height_ = list.height;
    const GLsizei w = list.width;
    const GLsizei h = list.height;

    gl_.Viewport(0, 0, w, h);
    gl_.Disable(GL_CULL_FACE);
    gl_.Disable(GL_DEPTH_TEST);
    gl_.Disable(GL_STENCIL_TEST);
    gl_.Disable(GL_SCISSOR_TEST);
    gl_.Disable(GL_BLEND);
    gl_.ColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    gl_.BindSampler(0, 0);  // a host's sampler object would override our filtering

    const float r = static_cast<float>(list.clear.r) / 255.0f;
    const float g = static_cast<float>(list.clear.g) / 255.0f;
    const float b = static_cast<float>(list.clear.b) / 255.0f;
    const float a = static_cast<float>(list.clear.a) / 255.0f;
    gl_.ClearColor(r, g, b, a);
    gl_.Clear(GL_COLOR_BUFFER_BIT);

    if (const DrawListError problem = check_draw_list(list); problem != DrawListError::none) {
        return {GlError::invalid_draw_list, std::string(to_string(problem))};
    }

    if (frame.background) {
        gl_.UseProgram(background_program_);
        gl_.Uniform4f(background_base_, r, g, b, a);
        // Phases in double precision, reduced to [0,1) before they become floats.
        const double t = frame.time_seconds;
        gl_.Uniform2f(background_phase_,
                      static_cast<float>(t / wave_period_a - std::floor(t / wave_period_a)),
                      static_cast<float>(t / wave_period_b - std::floor(t / wave_period_b)));
        gl_.BindVertexArray(background_vao_);
        gl_.DrawArrays(GL_TRIANGLES, 0, 3);
    }

    if (atlas != nullptr) upload_atlas(*atlas);

    if (!list.vertices.empty() && !list.commands.empty()) {
        gl_.Enable(GL_BLEND);
        gl_.BlendEquationSeparate(GL_FUNC_ADD, GL_FUNC_ADD);
        // SDL_BLENDMODE_BLEND exactly, so both backends give the same picture.
        gl_.BlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        gl_.Enable(GL_SCISSOR_TEST);

        gl_.UseProgram(quad_program_);
        gl_.Uniform2f(quad_viewport_, static_cast<float>(w), static_cast<float>(h));
        gl_.Uniform1i(quad_atlas_, 0);
        gl_.BindVertexArray(vao_);
        // Orphan and refill: the driver hands back fresh storage instead of waiting for the GPU.
        gl_.BindBuffer(GL_ARRAY_BUFFER, vbo_);
        gl_.BufferData(GL_ARRAY_BUFFER,
                       static_cast<GLsizeiptr>(list.vertices.size() * sizeof(ui::Vertex)),
                       list.vertices.data(), GL_STREAM_DRAW);
        gl_.BufferData(GL_ELEMENT_ARRAY_BUFFER,
                       static_cast<GLsizeiptr>(list.indices.size() * sizeof(std::uint32_t)),
                       list.indices.data(), GL_STREAM_DRAW);

        for (const ui::DrawCommand& cmd : list.commands) {
            if (cmd.index_count == 0) continue;
            if (cmd.texture == ui::TextureId::glyph_atlas) {
                if (atlas == nullptr) continue;
                gl_.BindTexture(GL_TEXTURE_2D, atlas_texture_);
            } else {
                gl_.BindTexture(GL_TEXTURE_2D, white_texture_);
            }
            if (cmd.clip.w > 0 && cmd.clip.h > 0) {
                // GL's scissor origin is bottom-left.
                gl_.Scissor(cmd.clip.x, h - (cmd.clip.y + cmd.clip.h), cmd.clip.w, cmd.clip.h);
            } else {
                gl_.Scissor(0, 0, w, h);
            }
            gl_.DrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.index_count), GL_UNSIGNED_INT,
                             byte_offset(cmd.index_offset * sizeof(std::uint32_t)));
        }
    }

    if (const GLenum error = gl_.GetError(); error != GL_NO_ERROR) {
        while (gl_.GetError() != GL_NO_ERROR) {
        }
        return {GlError::gl, "glGetError " + std::to_string(error)};
    }
    return {};
}

Image GlBackend::read_pixels() {
    Image image;
    if (last_width_ <= 0 || last_height_ <= 0) return image;
    const SavedState saved(gl_);
    image.width = last_width_;
    image.height = last_height_;
    const auto row_bytes = static_cast<std::size_t>(image.width) * 4;
    std::vector<std::uint8_t> bottom_up(row_bytes * static_cast<std::size_t>(image.height));
    gl_.BindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    gl_.PixelStorei(GL_PACK_ALIGNMENT, 1);
    gl_.PixelStorei(GL_PACK_ROW_LENGTH, 0);
    gl_.ReadPixels(0, 0, image.width, image.height, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
    // GL's rows run bottom to top; images run top to bottom.
    image.rgba.resize(bottom_up.size());
    for (int y = 0; y < image.height; ++y) {
        const auto src = static_cast<std::size_t>(image.height - 1 - y) * row_bytes;
        std::copy_n(bottom_up.begin() + static_cast<std::ptrdiff_t>(src), row_bytes,
                    image.rgba.begin() +
                        static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * row_bytes));
    }
    for (std::size_t i = 3; i < image.rgba.size(); i += 4)
        image.rgba[i] = 255;
    return image;
}

}  // namespace pinlink::render

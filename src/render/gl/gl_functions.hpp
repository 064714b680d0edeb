// The OpenGL entry points pinlink uses, loaded through SDL_GL_GetProcAddress: no GLEW or glad,
// and no link-time dependency on libGL, so the same binary runs on desktop GL (GLX or EGL) and
// GLES 3. Types and constants come from Khronos' <GL/glcorearb.h> (prototypes stay disabled).
// Members keep GL's names without the "gl" prefix, so the code reads like GL and greps like it.
#pragma once

#include <GL/glcorearb.h>

#include <string>

namespace pinlink::render {

// Every function the GL backend and its tests call. Entries common to GL 3.3 core and GLES 3.0.
#define PINLINK_GL_FUNCTIONS(X)                                  \
    X(PFNGLACTIVETEXTUREPROC, ActiveTexture)                     \
    X(PFNGLATTACHSHADERPROC, AttachShader)                       \
    X(PFNGLBINDBUFFERPROC, BindBuffer)                           \
    X(PFNGLBINDSAMPLERPROC, BindSampler)                         \
    X(PFNGLBINDTEXTUREPROC, BindTexture)                         \
    X(PFNGLBINDVERTEXARRAYPROC, BindVertexArray)                 \
    X(PFNGLBLENDEQUATIONSEPARATEPROC, BlendEquationSeparate)     \
    X(PFNGLBLENDFUNCSEPARATEPROC, BlendFuncSeparate)             \
    X(PFNGLBUFFERDATAPROC, BufferData)                           \
    X(PFNGLCLEARPROC, Clear)                                     \
    X(PFNGLCLEARCOLORPROC, ClearColor)                           \
    X(PFNGLCOLORMASKPROC, ColorMask)                             \
    X(PFNGLCOMPILESHADERPROC, CompileShader)                     \
    X(PFNGLCREATEPROGRAMPROC, CreateProgram)                     \
    X(PFNGLCREATESHADERPROC, CreateShader)                       \
    X(PFNGLDELETEBUFFERSPROC, DeleteBuffers)                     \
    X(PFNGLDELETEPROGRAMPROC, DeleteProgram)                     \
    X(PFNGLDELETESHADERPROC, DeleteShader)                       \
    X(PFNGLDELETETEXTURESPROC, DeleteTextures)                   \
    X(PFNGLDELETEVERTEXARRAYSPROC, DeleteVertexArrays)           \
    X(PFNGLDISABLEPROC, Disable)                                 \
    X(PFNGLDRAWARRAYSPROC, DrawArrays)                           \
    X(PFNGLDRAWELEMENTSPROC, DrawElements)                       \
    X(PFNGLENABLEPROC, Enable)                                   \
    X(PFNGLENABLEVERTEXATTRIBARRAYPROC, EnableVertexAttribArray) \
    X(PFNGLGENBUFFERSPROC, GenBuffers)                           \
    X(PFNGLGENTEXTURESPROC, GenTextures)                         \
    X(PFNGLGENVERTEXARRAYSPROC, GenVertexArrays)                 \
    X(PFNGLGETBOOLEANVPROC, GetBooleanv)                         \
    X(PFNGLGETERRORPROC, GetError)                               \
    X(PFNGLGETFLOATVPROC, GetFloatv)                             \
    X(PFNGLGETINTEGERVPROC, GetIntegerv)                         \
    X(PFNGLGETPROGRAMINFOLOGPROC, GetProgramInfoLog)             \
    X(PFNGLGETPROGRAMIVPROC, GetProgramiv)                       \
    X(PFNGLGETSHADERINFOLOGPROC, GetShaderInfoLog)               \
    X(PFNGLGETSHADERIVPROC, GetShaderiv)                         \
    X(PFNGLGETSTRINGPROC, GetString)                             \
    X(PFNGLGETUNIFORMLOCATIONPROC, GetUniformLocation)           \
    X(PFNGLISENABLEDPROC, IsEnabled)                             \
    X(PFNGLLINKPROGRAMPROC, LinkProgram)                         \
    X(PFNGLPIXELSTOREIPROC, PixelStorei)                         \
    X(PFNGLREADPIXELSPROC, ReadPixels)                           \
    X(PFNGLSCISSORPROC, Scissor)                                 \
    X(PFNGLSHADERSOURCEPROC, ShaderSource)                       \
    X(PFNGLTEXIMAGE2DPROC, TexImage2D)                           \
    X(PFNGLTEXPARAMETERIPROC, TexParameteri)                     \
    X(PFNGLTEXSUBIMAGE2DPROC, TexSubImage2D)                     \
    X(PFNGLUNIFORM1IPROC, Uniform1i)                             \
    X(PFNGLUNIFORM2FPROC, Uniform2f)                             \
    X(PFNGLUNIFORM4FPROC, Uniform4f)                             \
    X(PFNGLUSEPROGRAMPROC, UseProgram)                           \
    X(PFNGLVERTEXATTRIBPOINTERPROC, VertexAttribPointer)         \
    X(PFNGLVIEWPORTPROC, Viewport)

// Entry points used only where the context has them (program binaries: GL 4.1, GLES 3.0 or
// ARB_get_program_binary); null when missing, and load() does not fail for them. A non-null
// pointer alone proves nothing (GLVND hands out stubs): see ProgramCache.
#define PINLINK_GL_OPTIONAL_FUNCTIONS(X)           \
    X(PFNGLGETPROGRAMBINARYPROC, GetProgramBinary) \
    X(PFNGLPROGRAMBINARYPROC, ProgramBinary)       \
    X(PFNGLPROGRAMPARAMETERIPROC, ProgramParameteri)

struct GlFunctions {
#define PINLINK_GL_MEMBER(type, name) type name = nullptr;
    PINLINK_GL_FUNCTIONS(PINLINK_GL_MEMBER)
    PINLINK_GL_OPTIONAL_FUNCTIONS(PINLINK_GL_MEMBER)
#undef PINLINK_GL_MEMBER

    // Loads every entry point from the current context's library. Returns the name of the
    // first required one that is missing ("glBindSampler"), or an empty string when all were
    // found.
    // Needs SDL's video subsystem and a current GL context.
    std::string load();
};

}  // namespace pinlink::render

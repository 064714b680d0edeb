// Every shader in shaders/ must compile as GLSL 330 core and as GLSL ES 300, the two #version
// lines the GL backend prepends at load time. Checked with glslangValidator (glslang-tools), the
// Khronos reference compiler, so a shader that only Mesa accepts still fails here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const char* const kVersions[] = {"#version 330 core", "#version 300 es"};

class ShaderCheck : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("pinlink_shaders_" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        ASSERT_EQ(std::system("glslangValidator --version > /dev/null 2>&1"), 0)
            << "glslangValidator not found: scripts/bootstrap installs glslang-tools";
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Writes `version` + `body` to a file named for the stage (glslang picks the stage from the
    // extension) and validates it. Returns the exit status; the log goes to `log`.
    int validate(const std::string& stage_ext, const std::string& version, const std::string& body,
                 std::string* log) {
        const fs::path source = dir_ / ("shader." + stage_ext);
        const fs::path output = dir_ / "log.txt";
        {
            std::ofstream out(source);
            out << version << '\n' << body;
        }
        const std::string command =
            "glslangValidator '" + source.string() + "' > '" + output.string() + "' 2>&1";
        const int status = std::system(command.c_str());
        std::ifstream in(output);
        std::stringstream text;
        text << in.rdbuf();
        *log = text.str();
        return status;
    }

    fs::path dir_;
};

std::vector<fs::path> shader_files() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(PINLINK_SOURCE_DIR "/shaders")) {
        const std::string ext = entry.path().extension().string();
        if (ext == ".vert" || ext == ".frag") files.push_back(entry.path());
    }
    return files;
}

std::string read(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST_F(ShaderCheck, EveryShaderCompilesForGl33AndGles30) {
    const std::vector<fs::path> files = shader_files();
    ASSERT_GE(files.size(), 4u) << "quad and background, vertex and fragment";
    for (const fs::path& file : files) {
        const std::string body = read(file);
        // The version is chosen at load time; a #version directive in the file would come
        // second, which GLSL forbids.
        std::istringstream lines(body);
        for (std::string line; std::getline(lines, line);) {
            const auto start = line.find_first_not_of(" \t");
            EXPECT_FALSE(start != std::string::npos && line.compare(start, 8, "#version") == 0)
                << file << ": " << line;
        }
        for (const char* version : kVersions) {
            std::string log;
            EXPECT_EQ(validate(file.extension().string().substr(1), version, body, &log), 0)
                << file.filename() << " as " << version << ":\n"
                << log;
        }
    }
}

// The check has teeth: a shader with an error, or one valid only in desktop GLSL, fails.
TEST_F(ShaderCheck, BrokenShadersAreRejected) {
    std::string log;
    EXPECT_NE(validate("frag", kVersions[0], "out vec4 c;\nvoid main() { c = vec4(1.0) }\n", &log),
              0);
    EXPECT_NE(log.find("ERROR"), std::string::npos) << log;
    // No default float precision in an ES fragment shader: valid 330, invalid 300 es.
    const std::string no_precision = "out vec4 c;\nvoid main() { c = vec4(1.0); }\n";
    EXPECT_EQ(validate("frag", kVersions[0], no_precision, &log), 0) << log;
    EXPECT_NE(validate("frag", kVersions[1], no_precision, &log), 0) << log;
}

}  // namespace

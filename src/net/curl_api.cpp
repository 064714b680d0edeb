// Loads libcurl with dlopen and fills the CurlApi table (see curl_api.hpp for why).
#include "net/curl_api.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <mutex>

namespace pinlink::net::detail {
namespace {

std::string version_text(unsigned int num) {
    char text[32];
    std::snprintf(text, sizeof text, "%u.%u.%u", (num >> 16) & 0xff, (num >> 8) & 0xff, num & 0xff);
    return text;
}

// dlsym returns void*; POSIX guarantees it converts to a function pointer.
template <typename Fn>
void resolve(void* lib, const char* name, Fn& out, std::string& missing) {
    out = reinterpret_cast<Fn>(dlsym(lib, name));
    if (!out && missing.empty()) missing = name;
}

}  // namespace

CurlLoad load_curl(const std::string& soname) {
    CurlLoad load;
    dlerror();  // clear any earlier message
    // RTLD_LOCAL: libcurl's symbols stay out of the global namespace, where they could bind to
    // another copy's. The handle is never closed (see the header).
    void* lib = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char* why = dlerror();
        load.error = "libcurl could not be loaded: " + std::string(why ? why : soname);
        return load;
    }
    auto api = std::make_unique<CurlApi>();
    std::string missing;
#define PINLINK_CURL_RESOLVE(name) resolve(lib, "curl_" #name, api->name, missing);
    PINLINK_CURL_FUNCTIONS(PINLINK_CURL_RESOLVE)
#undef PINLINK_CURL_RESOLVE
    if (!missing.empty()) {
        load.error = soname + " is not a usable libcurl: it has no " + missing;
        return load;
    }

    // The options and calls used here need the libcurl the headers describe, or a newer one.
    const curl_version_info_data* info = api->version_info(CURLVERSION_NOW);
    if (!info || info->version_num < LIBCURL_VERSION_NUM) {
        load.error = "libcurl " + (info ? version_text(info->version_num) : std::string("?")) +
                     " is older than " + version_text(LIBCURL_VERSION_NUM) +
                     ", which pinlink was built for";
        return load;
    }

    // curl_global_init counts its calls, so one per load is right. It is thread-safe only
    // where libcurl says so (CURL_VERSION_THREADSAFE); the lock makes that moot.
    static std::mutex global_init_lock;
    CURLcode init = CURLE_OK;
    {
        std::lock_guard lock(global_init_lock);
        init = api->global_init(CURL_GLOBAL_DEFAULT);
    }
    if (init != CURLE_OK) {
        load.error = std::string("libcurl could not be initialised: ") + api->easy_strerror(init);
        return load;
    }
    load.api = std::move(api);
    return load;
}

}  // namespace pinlink::net::detail

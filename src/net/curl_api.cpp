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
bool resolve(void* lib, const char* name, Fn& out, std::string& missing) {
    out = reinterpret_cast<Fn>(dlsym(lib, name));
    if (!out && missing.empty()) missing = name;
    return out != nullptr;
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
    resolve(lib, "curl_global_init", api->global_init, missing);
    resolve(lib, "curl_version_info", api->version_info, missing);
    resolve(lib, "curl_easy_init", api->easy_init, missing);
    resolve(lib, "curl_easy_cleanup", api->easy_cleanup, missing);
    resolve(lib, "curl_easy_reset", api->easy_reset, missing);
    resolve(lib, "curl_easy_setopt", api->easy_setopt, missing);
    resolve(lib, "curl_easy_getinfo", api->easy_getinfo, missing);
    resolve(lib, "curl_easy_strerror", api->easy_strerror, missing);
    resolve(lib, "curl_multi_init", api->multi_init, missing);
    resolve(lib, "curl_multi_cleanup", api->multi_cleanup, missing);
    resolve(lib, "curl_multi_add_handle", api->multi_add_handle, missing);
    resolve(lib, "curl_multi_remove_handle", api->multi_remove_handle, missing);
    resolve(lib, "curl_multi_perform", api->multi_perform, missing);
    resolve(lib, "curl_multi_poll", api->multi_poll, missing);
    resolve(lib, "curl_multi_wakeup", api->multi_wakeup, missing);
    resolve(lib, "curl_multi_info_read", api->multi_info_read, missing);
    resolve(lib, "curl_multi_strerror", api->multi_strerror, missing);
    resolve(lib, "curl_url", api->url, missing);
    resolve(lib, "curl_url_cleanup", api->url_cleanup, missing);
    resolve(lib, "curl_url_set", api->url_set, missing);
    resolve(lib, "curl_url_get", api->url_get, missing);
    resolve(lib, "curl_url_strerror", api->url_strerror, missing);
    resolve(lib, "curl_free", api->free, missing);
    resolve(lib, "curl_slist_append", api->slist_append, missing);
    resolve(lib, "curl_slist_free_all", api->slist_free_all, missing);
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

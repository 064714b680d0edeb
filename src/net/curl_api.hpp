// libcurl's entry points, loaded with dlopen when the first request is made instead of linked.
// Linking libcurl made every start of pinlink load it and the ~25 libraries Debian's build pulls
// in (GnuTLS, LDAP, RTMP, SSH, Kerberos...) before main: about 20 ms on the main thread before the
// window could open. Loaded from the first perform(), that work runs on the link worker, beside
// window creation. Private to pinlink::net.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

namespace pinlink::net::detail {

// Each member has exactly the type of the function <curl/curl.h> declares, so a mismatch
// between this table and the headers cannot compile.
struct CurlApi {
    decltype(&::curl_global_init) global_init = nullptr;
    decltype(&::curl_version_info) version_info = nullptr;
    decltype(&::curl_easy_init) easy_init = nullptr;
    decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
    decltype(&::curl_easy_reset) easy_reset = nullptr;
    decltype(&::curl_easy_setopt) easy_setopt = nullptr;
    decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
    decltype(&::curl_easy_strerror) easy_strerror = nullptr;
    decltype(&::curl_multi_init) multi_init = nullptr;
    decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
    decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
    decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
    decltype(&::curl_multi_perform) multi_perform = nullptr;
    decltype(&::curl_multi_poll) multi_poll = nullptr;
    decltype(&::curl_multi_wakeup) multi_wakeup = nullptr;
    decltype(&::curl_multi_info_read) multi_info_read = nullptr;
    decltype(&::curl_multi_strerror) multi_strerror = nullptr;
    decltype(&::curl_url) url = nullptr;
    decltype(&::curl_url_cleanup) url_cleanup = nullptr;
    decltype(&::curl_url_set) url_set = nullptr;
    decltype(&::curl_url_get) url_get = nullptr;
    decltype(&::curl_url_strerror) url_strerror = nullptr;
    decltype(&::curl_free) free = nullptr;
    decltype(&::curl_slist_append) slist_append = nullptr;
    decltype(&::curl_slist_free_all) slist_free_all = nullptr;
};

struct CurlLoad {
    std::unique_ptr<const CurlApi> api;  // null on failure
    std::string error;                   // why, in words a log reader understands
};

// Opens `soname` (the loader's search path, as for a linked library), looks up every entry point,
// checks that the library is at least the version pinlink was compiled against, and runs
// curl_global_init once per process. The library is never unloaded: libcurl and the TLS library
// under it keep process-wide state that must outlive any one client.
CurlLoad load_curl(const std::string& soname);

}  // namespace pinlink::net::detail

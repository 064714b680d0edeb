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

// Every libcurl function pinlink calls, each named once: curl_<name> becomes the member <name>.
// clang-format off
#define PINLINK_CURL_FUNCTIONS(X)                                                        \
    X(global_init) X(version_info)                                                       \
    X(easy_init) X(easy_cleanup) X(easy_reset) X(easy_setopt) X(easy_getinfo)            \
    X(easy_strerror)                                                                     \
    X(multi_init) X(multi_cleanup) X(multi_add_handle) X(multi_remove_handle)            \
    X(multi_perform) X(multi_poll) X(multi_wakeup) X(multi_info_read) X(multi_strerror)  \
    X(url) X(url_cleanup) X(url_set) X(url_get) X(url_strerror)                          \
    X(free) X(slist_append) X(slist_free_all)
// clang-format on

// Each member has exactly the type of the function <curl/curl.h> declares, so a mismatch
// between this table and the headers cannot compile, and load_curl() looks up every member
// from the same list, so none can be left null.
struct CurlApi {
#define PINLINK_CURL_MEMBER(name) decltype(&::curl_##name) name = nullptr;
    PINLINK_CURL_FUNCTIONS(PINLINK_CURL_MEMBER)
#undef PINLINK_CURL_MEMBER
};

struct CurlLoad {
    std::unique_ptr<const CurlApi> api;  // null on failure
    std::string error;                   // why, in words a log reader understands
};

// Opens `soname` (the loader's search path, as for a linked library), looks up every entry point,
// checks that the library is at least the version pinlink was compiled against, and runs
// curl_global_init (once per load: libcurl counts the calls). The library is never unloaded:
// libcurl and the TLS library under it keep process-wide state that must outlive any one client.
CurlLoad load_curl(const std::string& soname);

}  // namespace pinlink::net::detail

// The certificate the local provider's wrong_certificate fault serves: loaded from PEM files,
// or made on the spot (self-signed, for a host name that is not this one). Private to the
// local provider.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>

namespace pinlink::link::detail {

struct X509Free {
    void operator()(X509* cert) const;
};
struct PkeyFree {
    void operator()(EVP_PKEY* key) const;
};

struct TlsIdentity {
    std::unique_ptr<X509, X509Free> cert;
    std::unique_ptr<EVP_PKEY, PkeyFree> key;
};

// The first certificate of `cert_file` and the key of `key_file` (PEM), checked to belong
// together. nullopt with `error` set when they cannot be read or do not match.
std::optional<TlsIdentity> load_identity(const std::string& cert_file, const std::string& key_file,
                                         std::string& error);

// A throwaway self-signed certificate for DNS name `host_name` (EC P-256, valid one day either
// side of now). nullopt with `error` set if OpenSSL fails.
std::optional<TlsIdentity> make_identity(const std::string& host_name, std::string& error);

}  // namespace pinlink::link::detail

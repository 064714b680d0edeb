// Test support: throwaway CA and server certificates with the OpenSSL 3 C API (see the header).
// EC P-256 keys keep generation fast; certificates are X.509 v3 with the extensions a strict
// verifier expects (basicConstraints, keyUsage, extendedKeyUsage, key identifiers, SAN).
#include "support/tls_fixture.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace pinlink::test {
namespace {

struct PkeyDeleter {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};
struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct ExtDeleter {
    void operator()(X509_EXTENSION* e) const { X509_EXTENSION_free(e); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using Cert = std::unique_ptr<X509, X509Deleter>;

std::string openssl_error(const std::string& what) {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return what;
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return what + ": " + buf;
}

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    std::unique_ptr<X509_EXTENSION, ExtDeleter> ext(
        X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A certificate for `key` named `common_name`, signed by `issuer_key` (issuer_cert null: self).
Cert make_cert(EVP_PKEY* key, const std::string& common_name, X509* issuer_cert,
               EVP_PKEY* issuer_key, const std::vector<std::pair<int, std::string>>& extensions,
               std::string& error) {
    Cert cert(X509_new());
    if (!cert) {
        error = openssl_error("X509_new");
        return nullptr;
    }
    // A random 64-bit serial: two fixtures never issue the same issuer/serial pair.
    unsigned char serial_bytes[8];
    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(nullptr, BN_free);
    if (RAND_bytes(serial_bytes, sizeof serial_bytes) == 1) {
        serial_bytes[0] &= 0x7f;  // positive
        serial.reset(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
    }
    X509_NAME* name = X509_get_subject_name(cert.get());
    const bool ok =
        serial && X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), -86'400) != nullptr &&
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86'400) != nullptr &&
        X509_set_pubkey(cert.get(), key) == 1 &&
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0) == 1 &&
        X509_set_issuer_name(cert.get(), issuer_cert ? X509_get_subject_name(issuer_cert) : name) ==
            1;
    if (!ok) {
        error = openssl_error("building certificate " + common_name);
        return nullptr;
    }
    X509* issuer = issuer_cert ? issuer_cert : cert.get();
    for (const auto& [nid, value] : extensions) {
        if (!add_extension(cert.get(), issuer, nid, value)) {
            error = openssl_error("extension " + value + " on " + common_name);
            return nullptr;
        }
    }
    if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) {
        error = openssl_error("signing " + common_name);
        return nullptr;
    }
    return cert;
}

bool write_cert(const std::string& path, X509* cert) {
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(path.c_str(), "w"));
    return bio && PEM_write_bio_X509(bio.get(), cert) == 1;
}

bool write_key(const std::string& path, EVP_PKEY* key) {
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(path.c_str(), "w"));
    const bool ok =
        bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    bio.reset();
    return ok && chmod(path.c_str(), S_IRUSR | S_IWUSR) == 0;
}

}  // namespace

struct TlsFixture::Keys {
    Pkey ca_key;
    Cert ca_cert;
};

TlsFixture::TlsFixture() : keys_(std::make_unique<Keys>()) {
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    if (ec) {
        error_ = "no temporary directory: " + ec.message();
        return;
    }
    std::string pattern = (base / "pinlink-tls-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        error_ = "mkdtemp failed for " + pattern;
        return;
    }
    dir_ = pattern;

    keys_->ca_key.reset(EVP_EC_gen("P-256"));
    if (!keys_->ca_key) {
        error_ = openssl_error("CA key");
        return;
    }
    keys_->ca_cert = make_cert(keys_->ca_key.get(), "pinlink test CA", nullptr, keys_->ca_key.get(),
                               {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                                {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                {NID_subject_key_identifier, "hash"}},
                               error_);
    if (!keys_->ca_cert) return;
    ca_file_ = dir_ + "/ca.crt";
    if (!write_cert(ca_file_, keys_->ca_cert.get())) {
        error_ = openssl_error("writing " + ca_file_);
        return;
    }
    if (auto files = issue("server", {"localhost"}, {"127.0.0.1"})) server_ = *files;
}

TlsFixture::~TlsFixture() {
    if (dir_.empty()) return;
    std::error_code ec;  // best effort: a leftover temp dir must not fail a test
    std::filesystem::remove_all(dir_, ec);
}

std::optional<CertFiles> TlsFixture::issue(const std::string& stem,
                                           const std::vector<std::string>& dns,
                                           const std::vector<std::string>& ips) {
    if (!keys_->ca_cert) {
        if (error_.empty()) error_ = "no CA to issue " + stem;
        return std::nullopt;
    }
    std::string san;
    for (const auto& name : dns)
        san += (san.empty() ? "DNS:" : ",DNS:") + name;
    for (const auto& ip : ips)
        san += (san.empty() ? "IP:" : ",IP:") + ip;
    if (san.empty()) {
        error_ = "certificate " + stem + " needs at least one name";
        return std::nullopt;
    }
    Pkey key(EVP_EC_gen("P-256"));
    if (!key) {
        error_ = openssl_error("key for " + stem);
        return std::nullopt;
    }
    const std::string common_name = dns.empty() ? ips.front() : dns.front();
    Cert cert = make_cert(key.get(), common_name, keys_->ca_cert.get(), keys_->ca_key.get(),
                          {{NID_basic_constraints, "critical,CA:FALSE"},
                           {NID_key_usage, "critical,digitalSignature"},
                           {NID_ext_key_usage, "serverAuth"},
                           {NID_subject_key_identifier, "hash"},
                           {NID_authority_key_identifier, "keyid:always"},
                           {NID_subject_alt_name, san}},
                          error_);
    if (!cert) return std::nullopt;
    CertFiles files{dir_ + "/" + stem + ".crt", dir_ + "/" + stem + ".key"};
    if (!write_cert(files.cert, cert.get()) || !write_key(files.key, key.get())) {
        error_ = openssl_error("writing " + stem);
        return std::nullopt;
    }
    return files;
}

}  // namespace pinlink::test

// Certificates for the local provider's wrong_certificate fault; see local_provider_tls.hpp.
#include "link/local_provider_tls.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace pinlink::link::detail {
namespace {

struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
struct ExtensionFree {
    void operator()(X509_EXTENSION* ext) const { X509_EXTENSION_free(ext); }
};

std::string openssl_error(const std::string& what) {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return what;
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return what + " (" + buf + ")";
}

}  // namespace

void X509Free::operator()(X509* cert) const {
    X509_free(cert);
}

void PkeyFree::operator()(EVP_PKEY* key) const {
    EVP_PKEY_free(key);
}

std::optional<TlsIdentity> load_identity(const std::string& cert_file, const std::string& key_file,
                                         std::string& error) {
    TlsIdentity id;
    {
        std::unique_ptr<BIO, BioFree> bio(BIO_new_file(cert_file.c_str(), "r"));
        if (bio) id.cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    }
    {
        std::unique_ptr<BIO, BioFree> bio(BIO_new_file(key_file.c_str(), "r"));
        if (bio) id.key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    }
    if (!id.cert || !id.key || X509_check_private_key(id.cert.get(), id.key.get()) != 1) {
        error =
            openssl_error("cannot use the certificate " + cert_file + " with the key " + key_file);
        return std::nullopt;
    }
    ERR_clear_error();
    return id;
}

std::optional<TlsIdentity> make_identity(const std::string& host_name, std::string& error) {
    TlsIdentity id;
    id.key.reset(EVP_EC_gen("P-256"));
    id.cert.reset(X509_new());
    if (!id.key || !id.cert) {
        error = openssl_error("cannot make a key and certificate");
        return std::nullopt;
    }
    X509* cert = id.cert.get();
    X509_NAME* name = X509_get_subject_name(cert);
    const std::string san = "DNS:" + host_name;
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    bool ok = X509_set_version(cert, X509_VERSION_3) == 1 &&
              ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) == 1 &&
              X509_gmtime_adj(X509_getm_notBefore(cert), -86'400) != nullptr &&
              X509_gmtime_adj(X509_getm_notAfter(cert), 86'400) != nullptr &&
              X509_set_pubkey(cert, id.key.get()) == 1 &&
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char*>(host_name.c_str()),
                                         -1, -1, 0) == 1 &&
              X509_set_issuer_name(cert, name) == 1;
    if (ok) {
        std::unique_ptr<X509_EXTENSION, ExtensionFree> ext(
            X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str()));
        ok = ext && X509_add_ext(cert, ext.get(), -1) == 1 &&
             X509_sign(cert, id.key.get(), EVP_sha256()) != 0;
    }
    if (!ok) {
        error = openssl_error("cannot make a certificate for " + host_name);
        return std::nullopt;
    }
    return id;
}

}  // namespace pinlink::link::detail

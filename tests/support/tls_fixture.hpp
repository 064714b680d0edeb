// Test support: a throwaway certificate authority and server certificates, made at test time with
// the OpenSSL C API and written as PEM files into a private temporary directory. Lets tests run
// real HTTPS servers on loopback (httplib::SSLServer) that pinlink trusts only via
// net::Options::ca_file. Nothing here is ever trusted outside the test process.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pinlink::test {

// Paths of a PEM certificate and its PEM private key (unencrypted, mode 0600).
struct CertFiles {
    std::string cert;
    std::string key;
};

class TlsFixture {
  public:
    // Makes the directory, a CA ("pinlink test CA", EC P-256, valid one day either side of now)
    // and a server certificate for DNS localhost and IP 127.0.0.1 signed by it. Never throws:
    // check ok() and report error() on failure.
    TlsFixture();
    // Removes the directory and everything in it.
    ~TlsFixture();
    TlsFixture(const TlsFixture&) = delete;
    TlsFixture& operator=(const TlsFixture&) = delete;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }

    const std::string& dir() const { return dir_; }
    // The CA certificate (PEM): pass as net::Options::ca_file.
    const std::string& ca_file() const { return ca_file_; }
    // Server certificate for localhost and 127.0.0.1: pass to httplib::SSLServer(cert, key).
    const CertFiles& server() const { return server_; }

    // Another server certificate signed by the same CA, with the given subject alternative
    // names (DNS names and IP address literals), written as <stem>.crt and <stem>.key.
    // nullopt (and error() set) on failure, e.g. an address that is not an IP literal.
    std::optional<CertFiles> issue(const std::string& stem, const std::vector<std::string>& dns,
                                   const std::vector<std::string>& ips);

  private:
    struct Keys;  // the CA's key and certificate, kept to sign further certificates
    std::unique_ptr<Keys> keys_;
    std::string error_;
    std::string dir_;
    std::string ca_file_;
    CertFiles server_;
};

}  // namespace pinlink::test

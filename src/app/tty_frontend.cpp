// Terminal front end; see tty_frontend.hpp.
#include "app/tty_frontend.hpp"

#include <ostream>

#include "app/pin_reader.hpp"
#include "app/qr_text.hpp"

namespace pinlink::app {
namespace {

void report(std::ostream& err, const link::LinkError& e) {
    err << "\n" << e.title() << ".\n" << e.next_step(link::system_clock_now()) << "\n";
    if (const auto d = e.detail(); !d.empty()) err << "(" << d << ")\n";
}

}  // namespace

int run_tty(link::PinFlow& flow, const LinkOptions& options, const TtyIo& io, net::Cancel& cancel,
            const PinHint& pin_hint) {
    std::ostream& err = *io.err;
    PinReader reader(io.in_fd, io.interrupt_fd);

    for (int code_number = 1; code_number <= kMaxCodes; ++code_number) {
        err << "Getting a code…\n" << std::flush;
        auto request = flow.request_token(&cancel);
        if (!request) {
            if (request.error().kind == link::ErrorKind::cancelled) {
                err << "Cancelled.\n";
                return kCancelled;
            }
            report(err, request.error());
            return exit_code_for(request.error());
        }
        const std::string url = flow.authorize_url(request.value());
        err << "\nOn your phone, scan this code or open:\n\n  " << url << "\n\n";
        if (auto qr = qr_half_blocks(url, io.ansi ? QrColors::ansi : QrColors::plain)) err << *qr;
        err << "\nSign in, approve pinlink, and X shows a PIN.\n";
        if (pin_hint) {
            if (auto pin = pin_hint(request.value().token)) {
                err << "Demo: the local provider's PIN for this code is " << *pin << "\n";
            }
        }

        while (true) {
            err << "Type the PIN and press Enter: " << std::flush;
            std::string digits;
            const auto status = reader.read(digits);
            if (status == PinReader::Status::interrupted) {
                err << "\nCancelled.\n";
                return kCancelled;
            }
            if (status == PinReader::Status::end || status == PinReader::Status::error) {
                err << "\nNo PIN was entered; nothing was linked.\n";
                return kCancelled;
            }
            if (status == PinReader::Status::no_digits) {
                err << "That had no digits in it. The PIN is the number X shows, like 1234567.\n";
                continue;
            }
            if (status == PinReader::Status::too_long) {
                err << "That is too long to be a PIN. Type the number X shows, like 1234567.\n";
                continue;
            }

            err << "Linking…\n" << std::flush;
            auto access = flow.access_token(request.value(), digits, &cancel);
            if (access) {
                const auto& token = access.value();
                err << "Linked as @" << token.screen_name;
                if (!token.name.empty()) err << " (" << token.name << ")";
                err << ".\n";
                return deliver_credentials(options, token, *io.out, err);
            }
            const auto& e = access.error();
            if (e.kind == link::ErrorKind::cancelled) {
                err << "Cancelled.\n";
                return kCancelled;
            }
            if (!e.needs_new_code()) {
                report(err, e);
                return exit_code_for(e);
            }
            err << "\n" << e.title() << ".";
            if (code_number < kMaxCodes) err << " Here is a new code.\n";
            break;
        }
    }
    err << "\nThree codes did not work; nothing was linked. Run pinlink again to start over.\n";
    return kFailed;
}

}  // namespace pinlink::app

// PIN input from a pipe: digits only, bounded, line by line, interruptible.
#include <gtest/gtest.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <thread>

#include "app/pin_reader.hpp"

using pinlink::app::PinReader;
using Status = PinReader::Status;

namespace {

struct Pipe {
    int r = -1, w = -1;
    Pipe() {
        int fds[2];
        EXPECT_EQ(::pipe(fds), 0);
        r = fds[0];
        w = fds[1];
    }
    ~Pipe() {
        if (r >= 0) ::close(r);
        close_write();
    }
    void write(const std::string& s) const {
        ASSERT_EQ(::write(w, s.data(), s.size()), static_cast<ssize_t>(s.size()));
    }
    void close_write() {
        if (w >= 0) ::close(w);
        w = -1;
    }
};

}  // namespace

TEST(PinReader, KeepsDigitsOnlyLineByLine) {
    Pipe p;
    p.write("12 34-567\r\nabc\n\xff\xfe 9 8 7\n");
    p.close_write();
    PinReader reader(p.r, -1);
    std::string pin;
    EXPECT_EQ(reader.read(pin), Status::pin);
    EXPECT_EQ(pin, "1234567");
    EXPECT_EQ(reader.read(pin), Status::no_digits);
    EXPECT_EQ(reader.read(pin), Status::pin);
    EXPECT_EQ(pin, "987");
    EXPECT_EQ(reader.read(pin), Status::end);
    EXPECT_EQ(reader.read(pin), Status::end);
}

TEST(PinReader, LastLineWithoutNewline) {
    Pipe p;
    p.write("7654321");
    p.close_write();
    PinReader reader(p.r, -1);
    std::string pin;
    EXPECT_EQ(reader.read(pin), Status::pin);
    EXPECT_EQ(pin, "7654321");
    EXPECT_EQ(reader.read(pin), Status::end);
}

TEST(PinReader, FloodOfGarbageStaysBounded) {
    Pipe p;
    PinReader reader(p.r, -1);
    std::thread writer([&] {
        const std::string junk(64 * 1024, 'x');
        for (int i = 0; i < 64; ++i) p.write(junk);  // 4 MiB without a newline
        p.write("\n1234567\n");
        p.close_write();
    });
    std::string pin;
    EXPECT_EQ(reader.read(pin), Status::no_digits);
    EXPECT_EQ(reader.read(pin), Status::pin);
    EXPECT_EQ(pin, "1234567");
    writer.join();
}

TEST(PinReader, TooManyDigits) {
    Pipe p;
    PinReader reader(p.r, -1);
    std::thread writer([&] {
        p.write(std::string(100'000, '5') + "\n42\n");
        p.close_write();
    });
    std::string pin;
    EXPECT_EQ(reader.read(pin), Status::too_long);
    EXPECT_TRUE(pin.empty());
    EXPECT_EQ(reader.read(pin), Status::pin);
    EXPECT_EQ(pin, "42");
    writer.join();
}

TEST(PinReader, InterruptWakesABlockedRead) {
    Pipe p;
    const int ev = ::eventfd(0, EFD_CLOEXEC);
    ASSERT_GE(ev, 0);
    PinReader reader(p.r, ev);
    std::thread interrupter([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const std::uint64_t one = 1;
        ASSERT_EQ(::write(ev, &one, sizeof one), static_cast<ssize_t>(sizeof one));
    });
    std::string pin;
    EXPECT_EQ(reader.read(pin), Status::interrupted);
    interrupter.join();
    ::close(ev);
}

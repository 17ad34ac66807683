#include "scopecop/ip.h"

#include <arpa/inet.h>

#include <algorithm>
#include <string>

namespace scopecop {

std::optional<Cidr> parse_cidr(std::string_view text) {
  Cidr c;
  std::string_view address = text;
  std::optional<unsigned> prefix;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    unsigned n = 0;
    for (char d : digits) {
      if (d < '0' || d > '9') return std::nullopt;
      n = n * 10 + static_cast<unsigned>(d - '0');
    }
    prefix = n;
  }
  std::string a(address);
  if (inet_pton(AF_INET, a.c_str(), c.bytes.data()) == 1) {
    c.v6 = false;
  } else if (inet_pton(AF_INET6, a.c_str(), c.bytes.data()) == 1) {
    c.v6 = true;
  } else {
    return std::nullopt;
  }
  unsigned bits = c.v6 ? 128 : 32;
  c.prefix = prefix.value_or(bits);
  if (c.prefix > bits) return std::nullopt;
  return c;
}

namespace {

bool within(const Cidr& c, std::initializer_list<std::uint8_t> net, unsigned net_prefix) {
  if (c.prefix < net_prefix) return false;
  auto it = net.begin();
  for (unsigned bit = 0; bit < net_prefix; bit += 8, ++it) {
    unsigned take = std::min(8u, net_prefix - bit);
    auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
    if ((c.bytes[bit / 8] & mask) != (*it & mask)) return false;
  }
  return true;
}

}  // namespace

bool is_private(const Cidr& c) {
  if (!c.v6) {
    return within(c, {10}, 8) || within(c, {172, 16}, 12) || within(c, {192, 168}, 16) ||
           within(c, {127}, 8) || within(c, {169, 254}, 16) || within(c, {100, 64}, 10);
  }
  return within(c, {0xfc}, 7) || within(c, {0xfe, 0x80}, 10) ||
         (c.prefix == 128 &&
          std::all_of(c.bytes.begin(), c.bytes.end() - 1, [](std::uint8_t b) { return b == 0; }) &&
          c.bytes[15] == 1);
}

}  // namespace scopecop

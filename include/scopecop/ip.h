// IP addresses and CIDR ranges as condition values carry them (aws:SourceIp, aws:VpcSourceIp).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace scopecop {

struct Cidr {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // network address, IPv4 in the first four
  unsigned prefix = 0;                   // 0..32 or 0..128; a bare address has the full length
};

std::optional<Cidr> parse_cidr(std::string_view text);

// The whole range lies in private, loopback, link-local or shared (carrier-grade NAT) address space, which
// never reaches AWS as a public source address.
bool is_private(const Cidr& cidr);

}  // namespace scopecop

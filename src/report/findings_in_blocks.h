// The findings of a report formatted on several threads, block by block, and written in report order: the
// text formats, JSON and SARIF stream their findings this way.
#pragma once

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "scopecop/parallel.h"
#include "scopecop/report.h"

namespace scopecop {

// The findings' texts formatted by `format` on `jobs` threads, in blocks, and written in report order.
template <class Format>
void write_findings(std::ostream& out, const Report& report, unsigned jobs, Format&& format) {
  constexpr std::size_t kBlock = 256;
  const auto& all = report.ordered;
  std::vector<std::string> blocks((all.size() + kBlock - 1) / kBlock);
  share_out(blocks.size(), std::min<std::size_t>(jobs, blocks.size()), [&](std::size_t, std::size_t b) {
    for (std::size_t i = b * kBlock; i < std::min(all.size(), (b + 1) * kBlock); ++i)
      format(blocks[b], all[i]);
  });
  for (const std::string& block : blocks) out << block;
}

}  // namespace scopecop

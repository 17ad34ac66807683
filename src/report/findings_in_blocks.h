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

// The findings' texts formatted by `format` on `jobs` threads, in blocks, and written in report order. A few
// blocks per thread are formatted at a time and written before the next ones: a report of many findings is
// never held whole (the SARIF of the AWS managed policies is 8 MB).
template <class Format>
void write_findings(std::ostream& out, const Report& report, unsigned jobs, Format&& format) {
  constexpr std::size_t kBlock = 256;
  const auto& all = report.ordered;
  const std::size_t blocks = (all.size() + kBlock - 1) / kBlock;
  const std::size_t window = 4 * std::max(1u, jobs);
  std::vector<std::string> texts;
  for (std::size_t first = 0; first < blocks; first += window) {
    texts.assign(std::min(window, blocks - first), std::string());
    share_out(texts.size(), std::min<std::size_t>(jobs, texts.size()), [&](std::size_t, std::size_t k) {
      const std::size_t b = first + k;
      for (std::size_t i = b * kBlock; i < std::min(all.size(), (b + 1) * kBlock); ++i)
        format(texts[k], all[i]);
    });
    for (const std::string& text : texts) out << text;
  }
}

}  // namespace scopecop

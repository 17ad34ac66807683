// A JSON parser that keeps the source span of every value and key, and every repeated key, for exact
// findings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scopecop/source.h"

namespace scopecop::json {

enum class Kind : unsigned char { Null, Boolean, Number, String, Array, Object };

std::string_view kind_name(Kind kind);  // "a string", "an array", ... for messages

struct Member;

struct Value {
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text;  // a string's decoded contents, or a number's literal text
  // A string that stands for a value its file does not determine (a CloudFormation parameter without a
  // default): it is left out of the model, so it never causes a finding.
  bool unknown = false;
  // A statement that exists only under a CloudFormation condition ("IsProd", "not IsProd"), from an Fn::If.
  std::string deploy_condition;
  Span span;
  std::vector<Value> items;     // Array
  std::vector<Member> members;  // Object, in source order, repeated keys kept

  bool is(Kind k) const { return kind == k; }
  // The last member with this key (JSON parsers that keep one key keep the last), or nullptr.
  const Value* find(std::string_view key) const;
  const Member* find_member(std::string_view key) const;
};

struct Member {
  std::string key;
  Span key_span;
  Value value;
};

struct SyntaxError {
  std::size_t offset = 0;
  std::string message;
};

struct Document {
  Value root;
  std::optional<SyntaxError> error;
};

inline constexpr std::size_t kMaxDepth = 256;

// Parses RFC 8259 JSON (a leading UTF-8 byte order mark is allowed). Never throws; on error, `error` is set
// and `root` holds nothing useful. A large file's top-level lists are parsed on `threads` threads, with the
// same result.
Document parse(std::string_view text, std::size_t max_depth = kMaxDepth, unsigned threads = 1);

// RFC 6901 escaping of one reference token.
std::string pointer_token(std::string_view key);
// The pointer to member `key` of the value at `pointer`.
std::string child_pointer(std::string_view pointer, std::string_view key);

}  // namespace scopecop::json

// The one Boost.Describe walker behind every way a config value gets in or out: the JSON file,
// LATENCYLAB_* environment variables, --set overrides and the effective-config JSON. A member added
// to a described struct in config.hpp is readable, overridable and printed with no other change.
//
//   Where where{"config file \"a.json\"", ""};
//   read_value(file_json, config, where);  // merges; throws ConfigError naming origin and key
//   for_each_leaf(config, "", [](const std::string& key, auto& leaf) { /* "server.port" */ });
//   visit_key(config, "server.port", [](auto& member) { /* ... */ });
//   boost::json::value effective = write_value(config);
//
// Startup-time code: it allocates freely and reports problems as ConfigError exceptions.
#pragma once

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace latencylab::config::detail {

template <class T>
concept DescribedStruct = boost::describe::has_describe_members<std::remove_cv_t<T>>::value;

template <class T>
concept DescribedEnum = boost::describe::has_describe_enumerators<std::remove_cv_t<T>>::value;

template <class T>
concept Integer = std::integral<T> && !std::same_as<T, bool>;

// Where a value came from and which key it is for; every error message starts with both.
struct Where {
  std::string_view origin;  // `config file "a.json"`, `environment variable LATENCYLAB_SEED`, ...
  std::string key;          // dotted path; empty for the root object

  [[nodiscard]] Where child(std::string_view name) const;
};

// Throws ConfigError: "<origin>: <key>: <problem>".
[[noreturn]] void fail(const Where& where, std::string_view problem);

// A JSON value as an error message shows it: strings quoted, numbers in plain decimal, long
// values shortened.
[[nodiscard]] std::string show(const boost::json::value& value);

// "a.b" from a parent key and a member name.
[[nodiscard]] std::string join_key(std::string_view parent, std::string_view name);

// The descriptors of a struct's public members, inherited members first: the keys it accepts.
template <DescribedStruct T>
using PublicMembers =
    boost::describe::describe_members<std::remove_cv_t<T>,
                                      boost::describe::mod_public | boost::describe::mod_inherited>;

// Calls f(name, member) for each public member of a described struct.
template <DescribedStruct T, class F>
void for_each_member(T& object, F&& f) {
  boost::mp11::mp_for_each<PublicMembers<T>>(
      [&](auto member) { f(std::string_view{member.name}, object.*member.pointer); });
}

// "latency, error_rate, ...": the keys a described struct accepts, for unknown-key errors.
template <DescribedStruct T>
[[nodiscard]] std::string member_names() {
  std::string names;
  boost::mp11::mp_for_each<PublicMembers<T>>([&](auto member) {
    if (!names.empty()) names += ", ";
    names += member.name;
  });
  return names;
}

// "\"fixed\", \"uniform\", ...": the names a described enum accepts.
template <DescribedEnum E>
[[nodiscard]] std::string enumerator_names() {
  std::string names;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto enumerator) {
    if (!names.empty()) names += ", ";
    names += '"';
    names += enumerator.name;
    names += '"';
  });
  return names;
}

// The enumerator of a described enum with this name, or nullopt.
template <DescribedEnum E>
[[nodiscard]] std::optional<E> enumerator_named(std::string_view name) {
  std::optional<E> found;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto enumerator) {
    if (name == enumerator.name) found = enumerator.value;
  });
  return found;
}

// ---- JSON -> C++: each overload converts one kind of field and merges into `out` ----

void read_value(const boost::json::value& in, bool& out, const Where& where);
void read_value(const boost::json::value& in, double& out, const Where& where);
void read_value(const boost::json::value& in, std::string& out, const Where& where);
void read_value(const boost::json::value& in, std::vector<std::string>& out, const Where& where);

// Boost.JSON holds integers as int64 or uint64: range-check either against T without overflow.
template <Integer T>
void read_value(const boost::json::value& in, T& out, const Where& where) {
  if (const auto* i = in.if_int64(); i != nullptr && std::in_range<T>(*i)) {
    out = static_cast<T>(*i);
    return;
  }
  if (const auto* u = in.if_uint64(); u != nullptr && std::in_range<T>(*u)) {
    out = static_cast<T>(*u);
    return;
  }
  fail(where, "expected an integer in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
                  std::to_string(std::numeric_limits<T>::max()) + "], got " + show(in));
}

// The enumerator of a described enum that `in`, a JSON string, names; nullopt for anything else.
template <DescribedEnum E>
[[nodiscard]] std::optional<E> enumerator_named(const boost::json::value& in) {
  const auto* text = in.if_string();
  return text == nullptr ? std::nullopt : enumerator_named<E>(std::string_view(*text));
}

template <DescribedEnum E>
void read_value(const boost::json::value& in, E& out, const Where& where) {
  const auto found = enumerator_named<E>(in);
  if (!found) fail(where, "expected one of " + enumerator_names<E>() + ", got " + show(in));
  out = *found;
}

// "unknown key (keys in server: address, port, ...)": the problem for an unknown key below the
// struct of type T at `parent_key`.
template <DescribedStruct T>
[[nodiscard]] std::string unknown_key_problem(std::string_view parent_key) {
  return "unknown key (" +
         (parent_key.empty() ? std::string("top-level keys")
                             : "keys in " + std::string(parent_key)) +
         ": " + member_names<T>() + ")";
}

// Merges a JSON object into a described struct: keys present overwrite, absent keys keep their
// current value, an unknown key is an error naming its full dotted path.
template <DescribedStruct T>
void read_value(const boost::json::value& in, T& out, const Where& where) {
  const auto* object = in.if_object();
  if (object == nullptr) fail(where, "expected an object, got " + show(in));
  for (const auto& [name, value] : *object) {
    bool known = false;
    for_each_member(out, [&](std::string_view member_name, auto& member) {
      if (member_name != name) return;
      known = true;
      read_value(value, member, where.child(member_name));
    });
    if (!known) fail(where.child(name), unknown_key_problem<T>(where.key));
  }
}

// ---- text (environment, --set) -> JSON ----

// Strict JSON when the text parses ("0.5", "true", "[\"USD\"]"), the text as a JSON string
// otherwise ("normal", "127.0.0.1").
[[nodiscard]] boost::json::value value_from_text(std::string_view text);

// The JSON array a list of strings written as text means: a JSON array when the text is one,
// else the comma-separated items ("a=http://h:1,b=http://h:2"; "" is the empty list). A comma
// inside brackets, braces or quotes separates nothing ("p={\"a\":1,\"b\":2},q=3" is two items).
[[nodiscard]] boost::json::value string_list_from_text(std::string_view text);

// The JSON value a piece of text means for a field of type T: a string field takes the text
// verbatim, so LATENCYLAB_LOG__LEVEL=info and an address like "::1" never get reinterpreted; a
// list of strings may be written comma-separated, as LATENCYLAB_PEERS=a=http://h:1,b=http://h:2.
template <class T>
[[nodiscard]] boost::json::value value_from_text_for(std::string_view text) {
  if constexpr (std::same_as<T, std::string>) {
    return boost::json::value(boost::json::string(text));
  } else if constexpr (std::same_as<T, std::vector<std::string>>) {
    return string_list_from_text(text);
  } else {
    return value_from_text(text);
  }
}

// ---- walking by key ----

// Calls f(key, leaf) for every non-struct field below `object`, depth first in declaration order.
template <DescribedStruct T, class F>
void for_each_leaf(T& object, std::string_view prefix, F&& f) {
  for_each_member(object, [&](std::string_view name, auto& member) {
    const std::string key = join_key(prefix, name);
    if constexpr (DescribedStruct<std::remove_reference_t<decltype(member)>>) {
      for_each_leaf(member, key, f);
    } else {
      f(key, member);
    }
  });
}

// Calls f(key, node) for every described struct below `object` (not `object` itself), parents
// before children.
template <DescribedStruct T, class F>
void for_each_struct(T& object, std::string_view prefix, F&& f) {
  for_each_member(object, [&](std::string_view name, auto& member) {
    if constexpr (DescribedStruct<std::remove_reference_t<decltype(member)>>) {
      const std::string key = join_key(prefix, name);
      f(key, member);
      for_each_struct(member, key, f);
    }
  });
}

// Calls f(member) for the field at a dotted key below `object` (a leaf or a nested struct).
// Returns false, without calling f, when no field has that key.
template <DescribedStruct T, class F>
bool visit_key(T& object, std::string_view key, F&& f) {
  const auto dot = key.find('.');
  const std::string_view head = key.substr(0, dot);
  bool found = false;
  for_each_member(object, [&](std::string_view name, auto& member) {
    if (found || name != head) return;
    if (dot == std::string_view::npos) {
      f(member);
      found = true;
    } else if constexpr (DescribedStruct<std::remove_reference_t<decltype(member)>>) {
      found = visit_key(member, key.substr(dot + 1), f);
    }
  });
  return found;
}

// The unknown_key_problem for a dotted key that visit_key did not find, listing the keys of the
// deepest struct on its path: "server.prot" lists the keys in "server".
template <DescribedStruct T>
[[nodiscard]] std::string unknown_key_problem_below(T& root, std::string_view key) {
  for (auto dot = key.rfind('.'); dot != std::string_view::npos && dot > 0;
       dot = key.rfind('.', dot - 1)) {
    const std::string_view parent = key.substr(0, dot);
    std::string problem;
    visit_key(root, parent, [&](auto& field) {
      using Field = std::remove_reference_t<decltype(field)>;
      if constexpr (DescribedStruct<Field>) problem = unknown_key_problem<Field>(parent);
    });
    if (!problem.empty()) return problem;
  }
  return unknown_key_problem<T>("");
}

// ---- C++ -> JSON ----

[[nodiscard]] boost::json::value write_value(bool in);
[[nodiscard]] boost::json::value write_value(double in);
[[nodiscard]] boost::json::value write_value(const std::string& in);
[[nodiscard]] boost::json::value write_value(const std::vector<std::string>& in);

template <Integer T>
[[nodiscard]] boost::json::value write_value(T in) {
  return boost::json::value(in);
}

template <DescribedEnum E>
[[nodiscard]] boost::json::value write_value(E in) {
  std::string_view name;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto enumerator) {
    if (in == enumerator.value) name = enumerator.name;
  });
  return boost::json::value(boost::json::string(name));
}

template <DescribedStruct T>
[[nodiscard]] boost::json::value write_value(const T& in) {
  boost::json::object out;
  for_each_member(in, [&](std::string_view name, const auto& member) {
    out.emplace(name, write_value(member));
  });
  return out;
}

}  // namespace latencylab::config::detail

// Asio/Beast aliases shared by every layer that does I/O.
//
// The one part of core/ outside namespace latencylab::core: these names are the project's I/O
// vocabulary, written unqualified in every layer (`awaitable<void>`, `asio::steady_timer`), so they
// are declared in namespace latencylab itself.
//
// Errors are values: every coroutine I/O call passes `use_nothrow` and inspects the returned
// error_code, so `end_of_stream` and `operation_aborted` are ordinary control flow, not exceptions.
//
//   auto [ec, n] = co_await socket.async_read_some(buffer, latencylab::use_nothrow);
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace boost::beast {}

namespace latencylab {

namespace asio = boost::asio;
namespace beast = boost::beast;

using error_code = boost::system::error_code;

template <typename T = void>
using awaitable = asio::awaitable<T>;

// Boost 1.81 has no default completion token: pass this one explicitly.
inline constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

// The same for a wait that parks a request (a step's timer): the operation is awaited in the
// awaiting coroutine's frame instead of in a coroutine frame of its own (use_awaitable starts one
// per operation: ~180 bytes for as long as the request waits). Asio operations only: Beast's do
// not accept it in Boost 1.81.
inline constexpr auto use_nothrow_in_frame = asio::as_tuple(asio::deferred);

}  // namespace latencylab

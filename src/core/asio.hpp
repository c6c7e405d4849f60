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
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <memory>

namespace boost::beast {}

namespace latencylab {

namespace asio = boost::asio;
namespace beast = boost::beast;

using error_code = boost::system::error_code;

template <typename T = void>
using awaitable = asio::awaitable<T>;

// Boost 1.81 has no default completion token: pass this one explicitly.
inline constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

// The same, with the operation awaited in the awaiting coroutine's frame instead of in a
// coroutine frame of its own (use_awaitable starts one per operation: ~180 bytes for as long as a
// parked request waits, ~200 instructions per read or write). Asio operations only: Beast's do
// not accept it in Boost 1.81.
inline constexpr auto use_nothrow_in_frame = asio::as_tuple(asio::deferred);

// std::allocator under a name of its own. Asio gives an operation whose handler has the default
// allocator (std::allocator<void>) a block from its per-thread recycling cache, which may be a
// larger operation's (a socket read's 240 or 336 bytes); with any other allocator it allocates
// the operation at its exact size.
template <typename T>
struct ExactSizeAllocator {
  using value_type = T;
  ExactSizeAllocator() = default;
  template <typename U>
  constexpr ExactSizeAllocator(const ExactSizeAllocator<U>& /*other*/) noexcept {}
  T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>().deallocate(p, n); }
  friend constexpr bool operator==(ExactSizeAllocator, ExactSizeAllocator) noexcept { return true; }
};

// `co_await wait_in_frame(timer)`: timer.async_wait(use_nothrow_in_frame) with the operation
// allocated at its exact size (ExactSizeAllocator) rather than in a recycled, larger block, for
// as long as the request waits. (bind_allocator does not compose with deferred in Boost 1.81: the
// allocator is bound to the handler here.)
template <typename Timer>
auto wait_in_frame(Timer& timer) {
  return asio::async_initiate<decltype(use_nothrow_in_frame), void(error_code)>(
      [&timer](auto handler) {
        timer.async_wait(asio::bind_allocator(ExactSizeAllocator<void>(), std::move(handler)));
      },
      use_nothrow_in_frame);
}

}  // namespace latencylab

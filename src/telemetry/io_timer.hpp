// The timer type of the telemetry layer's io-thread timers (lag probe, periodic reader).
//
// A steady_timer bound to io_context::executor_type rather than the type-erased any_io_executor:
// these timers only ever run on the one io_context, so the concrete executor is exact and skips a
// type-erased dispatch per wait.
//
//   IoTimer timer(io);  timer.expires_after(100ms);  timer.async_wait(handler);
#pragma once

#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/wait_traits.hpp>
#include <chrono>

namespace latencylab::telemetry {

using IoTimer =
    boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                      boost::asio::wait_traits<std::chrono::steady_clock>,
                                      boost::asio::io_context::executor_type>;

}  // namespace latencylab::telemetry

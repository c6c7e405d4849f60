// An io_context whose pending work can be destroyed on demand.
//
// Destroying an io_context destroys the handlers still queued on it, including suspended
// coroutine frames, whose locals (request guards, connection registrations) reference objects the
// owner declared next to the io_context. The owner calls shutdown() at the start of its destructor,
// while those objects are still alive; the io_context's own destructor later only frees services.
//
//   class Service {
//     OwnedIoContext io_{1};
//     ...
//     ~Service() { io_.shutdown(); }
//   };
#pragma once

#include <boost/asio/io_context.hpp>

namespace latencylab::core {

class OwnedIoContext : public boost::asio::io_context {
 public:
  using boost::asio::io_context::io_context;
  // Destroys every pending handler and suspended coroutine; idempotent. Call after run() returned.
  using boost::asio::io_context::shutdown;
};

}  // namespace latencylab::core

// An LD_PRELOAD heap snapshot for finding out what a parked request holds
// (scripts/bench/parked_heap.py drives it). SIGUSR1 starts recording every malloc-family
// allocation (requested size and call stack); SIGUSR2 stops and writes the recorded allocations
// still live to $HEAP_SNAPSHOT_OUT ("A <size> <usable size> <return addresses...>" lines), then a
// copy of /proc/self/maps to symbolize them with. Diagnostic only: a fixed table of 65,536
// allocations, a spin lock, and a signal handler that is not strictly async-signal-safe.
//
//   export LD_PRELOAD=build/release/bench/libheap_snapshot.so HEAP_SNAPSHOT_OUT=heap.txt
//   build/release/src/app/latencylab serve ...   # then kill -USR1, park requests, kill -USR2
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
void* __libc_malloc(std::size_t size);
void __libc_free(void* pointer);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
}

namespace {

constexpr std::size_t kSlots = std::size_t{1} << 16;
constexpr int kDepth = 14;
constexpr std::uintptr_t kTombstone = 1;

struct Entry {
  std::uintptr_t pointer;
  std::size_t size;
  int depth;
  void* stack[kDepth];
};

Entry* table = nullptr;
std::atomic<bool> recording{false};
std::atomic_flag table_lock;        // clear
thread_local bool in_hook = false;  // backtrace() may allocate

class Locked {
 public:
  Locked() noexcept {
    while (table_lock.test_and_set(std::memory_order_acquire)) {
    }
  }
  ~Locked() { table_lock.clear(std::memory_order_release); }
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;
};

std::size_t slot_of(std::uintptr_t pointer) noexcept {
  return static_cast<std::size_t>((pointer >> 4) * 0x9E3779B97F4A7C15ULL) & (kSlots - 1);
}

void record(void* pointer, std::size_t size) noexcept {
  if (pointer == nullptr || !recording.load(std::memory_order_relaxed) || in_hook) return;
  in_hook = true;
  void* stack[kDepth + 2];
  const int frames = backtrace(stack, kDepth + 2);  // the first two are this file's
  const Locked locked;
  for (std::size_t i = slot_of(reinterpret_cast<std::uintptr_t>(pointer)), n = 0; n < kSlots;
       ++n, i = (i + 1) & (kSlots - 1)) {
    if (table[i].pointer > kTombstone) continue;
    table[i].pointer = reinterpret_cast<std::uintptr_t>(pointer);
    table[i].size = size;
    table[i].depth = frames > 2 ? frames - 2 : 0;
    std::memcpy(table[i].stack, stack + 2,
                sizeof(void*) * static_cast<std::size_t>(table[i].depth));
    break;
  }
  in_hook = false;
}

void forget(void* pointer) noexcept {
  if (pointer == nullptr || table == nullptr) return;
  const Locked locked;
  for (std::size_t i = slot_of(reinterpret_cast<std::uintptr_t>(pointer)), n = 0; n < kSlots;
       ++n, i = (i + 1) & (kSlots - 1)) {
    if (table[i].pointer == 0) return;
    if (table[i].pointer == reinterpret_cast<std::uintptr_t>(pointer)) {
      table[i].pointer = kTombstone;
      return;
    }
  }
}

void on_start(int) {
  {
    const Locked locked;
    std::memset(static_cast<void*>(table), 0, sizeof(Entry) * kSlots);
  }
  recording.store(true);
}

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = write(fd, data, size);
    if (written <= 0) return;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

void on_dump(int) {
  recording.store(false);
  const char* path = std::getenv("HEAP_SNAPSHOT_OUT");
  const int fd =
      open(path != nullptr ? path : "heap_snapshot.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  char line[512];
  {
    const Locked locked;
    for (std::size_t i = 0; i < kSlots; ++i) {
      const Entry& entry = table[i];
      if (entry.pointer <= kTombstone) continue;
      int length = std::snprintf(line, sizeof line, "A %zu %zu", entry.size,
                                 malloc_usable_size(reinterpret_cast<void*>(entry.pointer)));
      for (int d = 0; d < entry.depth; ++d) {
        length += std::snprintf(
            line + length, sizeof line - static_cast<std::size_t>(length), " %lx",
            static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(entry.stack[d])));
      }
      line[length++] = '\n';
      write_all(fd, line, static_cast<std::size_t>(length));
    }
  }
  const int maps = open("/proc/self/maps", O_RDONLY);
  ssize_t got = 0;
  while ((got = read(maps, line, sizeof line)) > 0)
    write_all(fd, line, static_cast<std::size_t>(got));
  close(maps);
  close(fd);
}

__attribute__((constructor)) void install() {
  table = static_cast<Entry*>(mmap(nullptr, sizeof(Entry) * kSlots, PROT_READ | PROT_WRITE,
                                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
  in_hook = true;
  void* warm[4];
  (void)backtrace(warm, 4);  // loads the unwinder now, not inside the first recorded malloc
  in_hook = false;
  std::signal(SIGUSR1, on_start);
  std::signal(SIGUSR2, on_dump);
}

}  // namespace

extern "C" {

void* malloc(std::size_t size) noexcept {
  void* pointer = __libc_malloc(size);
  record(pointer, size);
  return pointer;
}
void free(void* pointer) noexcept {
  forget(pointer);
  __libc_free(pointer);
}
void* calloc(std::size_t count, std::size_t size) noexcept {
  void* pointer = __libc_calloc(count, size);
  record(pointer, count * size);
  return pointer;
}
void* realloc(void* old, std::size_t size) noexcept {
  forget(old);
  void* pointer = __libc_realloc(old, size);
  record(pointer, size);
  return pointer;
}
void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {  // Asio's coroutine frames
  void* pointer = __libc_memalign(alignment, size);
  record(pointer, size);
  return pointer;
}
void* memalign(std::size_t alignment, std::size_t size) noexcept {
  void* pointer = __libc_memalign(alignment, size);
  record(pointer, size);
  return pointer;
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  void* pointer = __libc_memalign(alignment, size);
  if (pointer == nullptr) return ENOMEM;
  *out = pointer;
  record(pointer, size);
  return 0;
}

}  // extern "C"

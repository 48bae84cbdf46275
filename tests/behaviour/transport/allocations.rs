//! The test binary's allocator: the system's, counting what one thread holds while it is
//! measured, so a test can tell the most a call on a current-thread runtime held at once (its
//! connection task runs on the same thread; servers in these tests run on others).
//!
//! A measured thread that asks for more than [`CEILING`] in all gets no memory: the binary
//! aborts, and the test fails, before the machine runs out.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The most a measured thread may hold.
pub const CEILING: usize = 1024 * 1024 * 1024;

struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

thread_local! {
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    static HELD: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

/// Counts `grow` more bytes held on this thread; false when that passes the ceiling.
fn grow(bytes: usize) -> bool {
    MEASURING
        .try_with(|measuring| {
            if !measuring.get() {
                return true;
            }
            let held = HELD.with(|held| held.get()).saturating_add(bytes);
            if held > CEILING {
                return false;
            }
            HELD.with(|h| h.set(held));
            PEAK.with(|peak| peak.set(peak.get().max(held)));
            true
        })
        .unwrap_or(true)
}

fn shrink(bytes: usize) {
    let _ = MEASURING.try_with(|measuring| {
        if measuring.get() {
            HELD.with(|held| held.set(held.get().saturating_sub(bytes)));
        }
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !grow(layout.size()) {
            return std::ptr::null_mut();
        }
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !grow(layout.size()) {
            return std::ptr::null_mut();
        }
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            if !grow(new_size - layout.size()) {
                return std::ptr::null_mut();
            }
        } else {
            shrink(layout.size() - new_size);
        }
        System.realloc(ptr, layout, new_size)
    }
}

/// Runs `work` on this thread and returns its result and the most it held at once, counted
/// from what the thread held when it began (memory freed during `work` that was taken before
/// counts as nothing).
pub fn peak_of<T>(work: impl FnOnce() -> T) -> (T, usize) {
    HELD.with(|held| held.set(0));
    PEAK.with(|peak| peak.set(0));
    MEASURING.with(|measuring| measuring.set(true));
    let out = work();
    MEASURING.with(|measuring| measuring.set(false));
    (out, PEAK.with(Cell::get))
}

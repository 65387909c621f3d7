//! Two independent pieces of work at once where there are threads (the command line), one
//! after the other where there are none (the page's WebAssembly).

/// Runs `a` and `b`, on two threads where the platform has them, and returns both results.
pub fn both<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::scope(|scope| {
            let second = scope.spawn(b);
            let first = a();
            match second.join() {
                Ok(second) => (first, second),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        (a(), b())
    }
}

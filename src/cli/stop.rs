//! Stopping a run on request. The first SIGINT (Ctrl-C) or SIGTERM asks the chains to stop
//! at their next iteration: each chain file then ends with hazel's interruption marker, and
//! the summary, plots and `fit.json` are still written from the draws made so far. A second
//! signal of either kind ends the process at once, for when the first one is not enough
//! (say, plots of a long run take too long); the chain files then hold every row written so
//! far (each row is flushed as it is written) but no marker, and nothing else is written.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGINT, SIGTERM};

/// Exit status after SIGINT: 128 + 2, the shell's convention for death by a signal.
pub const EXIT_INTERRUPTED: i32 = 128 + SIGINT;
/// Exit status after SIGTERM: 128 + 15, the shell's convention.
pub const EXIT_TERMINATED: i32 = 128 + SIGTERM;

/// The stop request of a run: set by the signal handlers, read by the chains.
pub struct StopRequest {
    /// True once a stop was asked for; the sampler polls it every iteration.
    pub flag: Arc<AtomicBool>,
    /// The last signal received (0 for none).
    signal: Arc<AtomicUsize>,
}

impl StopRequest {
    /// Installs the handlers. If they cannot be installed the run keeps the default
    /// behaviour (the signal ends the process; files hold the rows written so far).
    pub fn install() -> StopRequest {
        let flag = Arc::new(AtomicBool::new(false));
        let signal = Arc::new(AtomicUsize::new(0));
        for (sig, status) in [(SIGINT, EXIT_INTERRUPTED), (SIGTERM, EXIT_TERMINATED)] {
            // Order matters: the shutdown looks at the flag before the first signal sets it,
            // so only a second signal ends the process.
            let _ =
                signal_hook::flag::register_conditional_shutdown(sig, status, Arc::clone(&flag));
            let _ = signal_hook::flag::register(sig, Arc::clone(&flag));
            let _ = signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize);
        }
        StopRequest { flag, signal }
    }

    /// True when a signal asked the run to stop.
    pub fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// How the stop was asked for, for messages: `Ctrl-C` or `SIGTERM`.
    pub fn cause(&self) -> &'static str {
        if self.signal.load(Ordering::SeqCst) == SIGTERM as usize {
            "SIGTERM"
        } else {
            "Ctrl-C"
        }
    }

    /// The exit status of a stopped run: 143 after SIGTERM, else 130.
    pub fn exit_status(&self) -> i32 {
        if self.signal.load(Ordering::SeqCst) == SIGTERM as usize {
            EXIT_TERMINATED
        } else {
            EXIT_INTERRUPTED
        }
    }
}

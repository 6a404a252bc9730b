//! SIGINT, SIGTERM and SIGHUP only set a flag: a running `pkg` is never killed midway (the
//! runner puts children in their own process group, so a terminal Ctrl-C reaches only us).
//! The engine checks the flag between commands, restores what must be restored, marks the
//! journal interrupted and exits 130.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Clone, Debug)]
pub struct Interrupt {
    flag: Arc<AtomicBool>,
    /// One flag per signal, in [`SIGNALS`] order: the name said is the most telling of those
    /// that arrived, not the last (a terminal read that a SIGTERM interrupts makes the console
    /// library raise SIGINT after it).
    received: Arc<[AtomicBool; 3]>,
}

/// The signals that stop a run, in the order their names are preferred.
const SIGNALS: [(i32, &str); 3] = [
    (signal_hook::consts::SIGHUP, "SIGHUP"),
    (signal_hook::consts::SIGTERM, "SIGTERM"),
    (signal_hook::consts::SIGINT, "SIGINT"),
];

impl Interrupt {
    /// Registers the handlers. Failing to register is reported, not fatal (the run still
    /// works, only without graceful interruption).
    pub fn install() -> std::io::Result<Interrupt> {
        let i = Interrupt::detached();
        for (k, (sig, _)) in SIGNALS.iter().enumerate() {
            let received = Arc::clone(&i.received);
            // SAFETY: the action only stores to an atomic, which is async-signal-safe.
            unsafe {
                signal_hook::low_level::register(*sig, move || {
                    received[k].store(true, Ordering::SeqCst)
                })?;
            }
            signal_hook::flag::register(*sig, Arc::clone(&i.flag))?;
        }
        Ok(i)
    }

    /// A flag no signal sets (tests, library use).
    pub fn detached() -> Interrupt {
        let received =
            Arc::new([AtomicBool::new(false), AtomicBool::new(false), AtomicBool::new(false)]);
        Interrupt { flag: Arc::new(AtomicBool::new(false)), received }
    }

    pub fn is_set(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Sets the flag by hand (a prompt answered with Esc behaves like an interrupt).
    pub fn set(&self) {
        self.flag.store(true, Ordering::SeqCst);
    }

    /// Calls `f` with the signal's name once, shortly after the first stop request, from a
    /// watcher thread: the operator hears at once that Ctrl-C was received, not only when the
    /// running command (a pkg solve can take many minutes) has ended.
    pub fn on_first(&self, f: impl FnOnce(&'static str) + Send + 'static) {
        let me = self.clone();
        let spawned = std::thread::Builder::new().name("interrupt-watch".into()).spawn(move || {
            while !me.is_set() {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            f(me.signal_name());
        });
        // Without the thread the stop still works, only without the early word.
        drop(spawned);
    }

    pub fn signal_name(&self) -> &'static str {
        let mut got = SIGNALS.iter().zip(self.received.iter());
        got.find(|(_, r)| r.load(Ordering::SeqCst)).map_or("a stop request", |((_, name), _)| name)
    }
}

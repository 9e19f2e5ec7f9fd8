//! Stan's warmup schedule for metric adaptation: an initial fast buffer, slow windows that
//! double in length (the last one stretched to the terminal buffer), a terminal fast buffer.

/// Stan reference manual, HMC algorithm parameters: initial fast buffer 75 iterations.
pub const DEFAULT_INIT_BUFFER: usize = 75;
/// Stan reference manual: terminal fast buffer 50 iterations.
pub const DEFAULT_TERM_BUFFER: usize = 50;
/// Stan reference manual: first slow window 25 iterations.
pub const DEFAULT_BASE_WINDOW: usize = 25;
/// Stan: no metric adaptation when warmup is shorter than this.
pub const MIN_ADAPT_WARMUP: usize = 20;
/// Stan's fallback split when the buffers do not fit: 15% initial buffer ...
pub const FALLBACK_INIT_FRACTION: f64 = 0.15;
/// ... and 10% terminal buffer (the slow window takes the remaining 75%).
pub const FALLBACK_TERM_FRACTION: f64 = 0.10;

/// What one warmup iteration means for metric adaptation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowStep {
    /// The iteration's draw enters the metric estimate.
    pub collect: bool,
    /// A slow window ends with this iteration: update the metric.
    pub end_window: bool,
}

/// The window schedule, stepped once per warmup iteration (Stan's `windowed_adaptation`).
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSchedule {
    enabled: bool,
    num_warmup: usize,
    init_buffer: usize,
    term_buffer: usize,
    counter: usize,
    window_size: usize,
    next_window: usize,
}

impl WindowSchedule {
    /// The schedule for `num_warmup` iterations with Stan's default buffers.
    pub fn new(num_warmup: usize) -> Self {
        Self::with_buffers(
            num_warmup,
            DEFAULT_INIT_BUFFER,
            DEFAULT_TERM_BUFFER,
            DEFAULT_BASE_WINDOW,
        )
    }

    /// The schedule with given buffers. When they do not fit, Stan's 15%/75%/10% split is
    /// used; under [`MIN_ADAPT_WARMUP`] iterations nothing is adapted.
    ///
    /// Stan's own `set_window_params` skips its `restart()` in the fallback branch; the
    /// schedule here starts the fallback windows as CmdStan announces them (init buffer,
    /// one window to the terminal buffer).
    pub fn with_buffers(num_warmup: usize, init: usize, term: usize, base: usize) -> Self {
        let (enabled, init, term, base) = if num_warmup < MIN_ADAPT_WARMUP {
            (false, 0, 0, 0)
        } else if init + base + term > num_warmup {
            let i = (FALLBACK_INIT_FRACTION * num_warmup as f64) as usize;
            let t = (FALLBACK_TERM_FRACTION * num_warmup as f64) as usize;
            (true, i, t, num_warmup - (i + t))
        } else {
            (true, init, term, base)
        };
        WindowSchedule {
            enabled,
            num_warmup,
            init_buffer: init,
            term_buffer: term,
            counter: 0,
            window_size: base,
            next_window: (init + base).saturating_sub(1),
        }
    }

    /// Whether any metric adaptation happens.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Advances by one warmup iteration.
    pub fn step(&mut self) -> WindowStep {
        if !self.enabled {
            return WindowStep {
                collect: false,
                end_window: false,
            };
        }
        let c = self.counter;
        let collect =
            c >= self.init_buffer && c < self.num_warmup - self.term_buffer && c != self.num_warmup;
        let end_window = c == self.next_window && c != self.num_warmup;
        if end_window {
            self.compute_next_window();
        }
        self.counter += 1;
        WindowStep {
            collect,
            end_window,
        }
    }

    fn compute_next_window(&mut self) {
        let last = self.num_warmup - self.term_buffer - 1;
        if self.next_window == last {
            return;
        }
        self.window_size *= 2;
        self.next_window = self.counter + self.window_size;
        if self.next_window == last {
            return;
        }
        // If the window after this one would overrun the slow phase, stretch this one.
        if self.next_window + 2 * self.window_size >= self.num_warmup - self.term_buffer {
            self.next_window = last;
        }
    }
}

/// The slow windows of a warmup of `num_warmup` iterations as inclusive 0-based
/// `(first, last)` iteration pairs; the metric is updated after each `last`.
pub fn metric_windows(num_warmup: usize) -> Vec<(usize, usize)> {
    let mut s = WindowSchedule::new(num_warmup);
    let mut out = Vec::new();
    let mut first = None;
    for i in 0..num_warmup {
        let step = s.step();
        if step.collect && first.is_none() {
            first = Some(i);
        }
        if step.end_window {
            out.push((first.unwrap_or(i), i));
            first = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_equal_stans() {
        assert_eq!(
            metric_windows(1000),
            vec![(75, 99), (100, 149), (150, 249), (250, 449), (450, 949)]
        );
        assert_eq!(metric_windows(150), vec![(75, 99)]);
        // 75 + 25 + 50 > 100: 15% / 75% / 10% = 15 / 75 / 10.
        assert_eq!(metric_windows(100), vec![(15, 89)]);
        // 15% of 20 = 3, 10% = 2, window 15.
        assert_eq!(metric_windows(20), vec![(3, 17)]);
        assert_eq!(metric_windows(10), vec![]);
        assert!(!WindowSchedule::new(19).enabled());
    }

    #[test]
    fn last_window_is_stretched() {
        // 75 + 25 + 50 + 50 + 100 = 300; the window after [150, 249] would end at 449 > 349.
        assert_eq!(metric_windows(400), vec![(75, 99), (100, 149), (150, 349)]);
    }
}

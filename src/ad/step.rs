//! What the plan is made of: a [`Step`] per op, its forward and reverse closures over
//! the evaluation's buffers ([`Bufs`]), and how a step runs in the eager sweeps
//! ([`Mode`]). The closures can be copied ([`ForwardFn`], [`ReverseFn`]), so that the
//! plain and the eager sweeps each hold a plain list of boxed closures to call.

use super::plan_eager::Mode;

/// Forward rule of one op; false when an argument is invalid (the tape then asks the
/// generic rule for the message).
pub(crate) type Forward = Box<dyn ForwardFn>;
/// Reverse rule of one op; it also zeroes the op's output adjoint once used, as the
/// generic sweep does.
pub(crate) type Reverse = Box<dyn ReverseFn>;

/// A [`Forward`] closure that can be copied: the plain and the eager sweeps each hold
/// their own list of steps (`plan_eager::program`), and a boxed closure is called
/// without the pointer arithmetic a shared (`Arc`) one needs.
pub(crate) trait ForwardFn: Fn(&mut Bufs) -> bool + Send + Sync {
    fn boxed(&self) -> Forward;
}

impl<F: Fn(&mut Bufs) -> bool + Clone + Send + Sync + 'static> ForwardFn for F {
    fn boxed(&self) -> Forward {
        Box::new(self.clone())
    }
}

impl Clone for Forward {
    fn clone(&self) -> Forward {
        (**self).boxed()
    }
}

/// A [`Reverse`] closure that can be copied (see [`ForwardFn`]).
pub(crate) trait ReverseFn: Fn(&mut Bufs) + Send + Sync {
    fn boxed(&self) -> Reverse;
}

impl<F: Fn(&mut Bufs) + Clone + Send + Sync + 'static> ReverseFn for F {
    fn boxed(&self) -> Reverse {
        Box::new(self.clone())
    }
}

impl Clone for Reverse {
    fn clone(&self) -> Reverse {
        (**self).boxed()
    }
}

/// The buffers the steps run over (passed as one pointer, which keeps each step's call
/// cheap).
pub(crate) struct Bufs {
    pub(crate) values: Vec<f64>,
    pub(crate) adj: Vec<f64>,
    pub(crate) partials: Vec<f64>,
    pub(crate) work: Vec<f64>,
}

impl Bufs {
    /// (values, partials, work) for a forward step.
    #[inline(always)]
    pub(crate) fn forward(&mut self) -> (&mut [f64], &mut [f64], &mut [f64]) {
        (&mut self.values, &mut self.partials, &mut self.work)
    }

    /// (values, adjoints) for an eager forward step, which writes both and stores no
    /// partials.
    #[inline(always)]
    pub(crate) fn eager(&mut self) -> (&mut [f64], &mut [f64]) {
        (&mut self.values, &mut self.adj)
    }

    /// (values, adjoints, partials, work) for a reverse step.
    #[inline(always)]
    pub(crate) fn reverse(&mut self) -> (&[f64], &mut [f64], &[f64], &mut [f64]) {
        (&self.values, &mut self.adj, &self.partials, &mut self.work)
    }
}

/// One step of the plan: op `op`, with the ops in `absorbed` (whose results only this
/// step reads) folded into it.
pub(crate) struct Step {
    pub(crate) forward: Forward,
    pub(crate) reverse: Reverse,
    pub(crate) op: usize,
    pub(crate) absorbed: Vec<usize>,
    /// How the step runs in the eager sweeps (`plan_eager`).
    pub(crate) mode: Mode,
}

impl Step {
    pub(super) fn new(forward: Forward, reverse: Reverse) -> Step {
        Step {
            forward,
            reverse,
            op: 0,
            absorbed: Vec::new(),
            mode: Mode::Lazy,
        }
    }
}

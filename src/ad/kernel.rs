//! The kernel hook: how code outside the tape (distribution log densities in
//! `crate::dist`, user functions) plugs a hand-differentiated function into a tape as one
//! op, without the tape knowing what the function computes.
//!
//! Two interfaces, chosen by the shape of the result:
//!
//! * [`ScalarKernel`] — a scalar function (a log density summed over observations) that
//!   computes its value and all partials in one forward pass. The tape stores the partials
//!   in per-op scratch and the reverse sweep only scales them by the output adjoint: the
//!   cheapest form for `y ~ normal(mu, sigma)`.
//! * [`Kernel`] — a container-valued function with a vector-Jacobian product, evaluated in
//!   the reverse sweep.
//!
//! Inputs arrive as flat column-major slices in the order the op lists them. An input that
//! is data (no adjoint) gets an **empty** gradient slice: skip it. Errors are messages
//! (domain violations, e.g. "sigma = -1 is not positive"); the tape wraps them in a
//! recoverable [`crate::model::EvalError`] naming the kernel and the op. Kernels must not
//! allocate if they are to keep the gradient loop allocation-free.

/// Most inputs one kernel op may take.
pub const MAX_KERNEL_INPUTS: usize = 8;

/// A scalar function that computes its value and gradient in one pass.
pub trait ScalarKernel: Send + Sync {
    /// The name shown in tape listings and error messages (e.g. `"normal_lpdf"`).
    fn name(&self) -> &str;

    /// Returns the value at `inputs` and fills `grads[k]` (same length as `inputs[k]`,
    /// or empty when input `k` needs no gradient) with `∂value/∂inputs[k]`. The slices
    /// arrive zeroed, so a kernel broadcasting a scalar argument may simply add into it.
    fn value_and_gradient(
        &self,
        inputs: &[&[f64]],
        grads: &mut [&mut [f64]],
    ) -> Result<f64, String>;

    /// A direct rule for a call whose arguments are all one element, given which of them
    /// are active (take partials); `None` (the default) when the kernel has none. The
    /// tape then evaluates such a call through the rule, skipping the kernel's
    /// broadcasting set-up, and falls back to [`ScalarKernel::value_and_gradient`]
    /// whenever the rule reports an invalid argument.
    fn element_rule(&self, _active: &[bool]) -> Option<Box<dyn ElementRule>> {
        None
    }

    /// For a univariate density call: the family's name (`"cauchy"`) and whether the
    /// call drops constant terms (`~`, `_lupdf`). The plan has dedicated steps for some
    /// families' one-element calls; `None` (the default) for any other kernel.
    fn density_family(&self) -> Option<(&str, bool)> {
        None
    }
}

/// The value and all partials of a scalar function of one-element arguments (see
/// [`ScalarKernel::element_rule`]).
pub trait ElementRule: Send + Sync {
    /// The value at `x`, with `d[k] = ∂value/∂x[k]` for every `k` (inactive arguments'
    /// entries are ignored); `None`, in any state of `d`, for an invalid argument.
    fn eval(&self, x: &[f64], d: &mut [f64]) -> Option<f64>;
}

/// A container-valued function with a hand-written vector-Jacobian product.
pub trait Kernel: Send + Sync {
    /// The name shown in tape listings and error messages.
    fn name(&self) -> &str;

    /// Writes the value at `inputs` into `out` (whose shape the op declares).
    fn eval(&self, inputs: &[&[f64]], out: &mut [f64]) -> Result<(), String>;

    /// Adds `Jₖᵀ · out_adj` to `input_adj[k]` for every non-empty `input_adj[k]`, given
    /// the inputs and the value `out` computed by [`Kernel::eval`].
    fn vjp(&self, inputs: &[&[f64]], out: &[f64], out_adj: &[f64], input_adj: &mut [&mut [f64]]);
}

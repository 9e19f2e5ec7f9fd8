//! The straight-line form of a tape: when a tape is finished, each op becomes a forward
//! and a reverse closure with its offsets resolved and its form chosen once (scalar or
//! vector, which argument is a broadcast scalar, which inputs take adjoints, a
//! distribution call of one element evaluated by its family's rule directly). The sweeps
//! then run the closures in order, with no dispatch on the op, no slot arithmetic and no
//! argument-form selection per evaluation: for a small model (eight schools: 11 ops over
//! 58 values) that fixed cost per op is most of the gradient's time.
//!
//! Only the common forms are specialised; every other op gets closures that call the
//! generic rules of `sweep`, so the plan covers every tape. A specialised forward that
//! meets a possibly invalid argument re-runs the generic rule, which reports it exactly
//! as it would without the plan; values and gradients are those of the generic rules.

use super::chain_form::Uses;
use super::op::Op;
use super::plan_chain;
use super::plan_eager::{Mode, Terms};
use super::plan_element;
use super::plan_fuse;
use super::plan_normal;
use super::plan_scalar;
use super::slot::Slot;
pub(crate) use super::step::{Bufs, Forward, Reverse, Step};
use super::sweep;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::Reduce;

/// The plan of `ops` (a tape with value buffer `init`, whose data never change, and
/// result `output`): one step per op in the same order, except ops folded into a later
/// step (see `plan_fuse`).
pub(crate) fn plan(ops: &[Op], init: &[f64], output: Slot) -> Vec<Step> {
    let uses = Uses::new(ops, init.len(), output);
    let terms = Terms::new(ops, &uses, output);
    let is_term = |i: usize| terms.as_ref().is_some_and(|t| t.is_term(i));
    let mut absorbed = vec![false; ops.len()];
    let mut folded = vec![false; ops.len()];
    let mut fused: Vec<Option<Step>> = (0..ops.len()).map(|_| None).collect();
    // consumers first, so each claims its producers before they are visited
    for i in (0..ops.len()).rev() {
        if absorbed[i] {
            continue;
        }
        fused[i] = match ops[i] {
            Op::ScalarBinary { f: Binary::Add, .. } => plan_fuse::sum(ops, &uses, i, &mut absorbed),
            Op::Normal(ref n) => {
                plan_normal::fused(ops, &uses, i, n, init, is_term, &mut absorbed, &mut folded)
            }
            _ => None,
        };
    }
    let mut steps: Vec<Step> = ops
        .iter()
        .zip(fused)
        .enumerate()
        .filter(|(i, _)| !absorbed[*i])
        .map(|(i, (op, f))| {
            f.unwrap_or_else(|| Step {
                op: i,
                ..step(op, init, is_term(i))
            })
        })
        .collect();
    if let Some(t) = &terms {
        t.apply(ops, &mut steps);
    }
    // a prior folded into another term's eager loop (`plan_fold`) is skipped by the
    // eager sweeps; the plain sweeps still run its own step
    for step in &mut steps {
        if folded[step.op] {
            step.mode = Mode::Folded;
        }
    }
    steps
}

/// The message for a step whose forward failed: the generic rules of its ops run again
/// in order, the first failure named with its op and index.
#[cold]
pub(crate) fn failure(ops: &[Op], step: &Step, bufs: &mut Bufs) -> String {
    let (v, p, w) = bufs.forward();
    for &k in step.absorbed.iter().chain([&step.op]) {
        let op = &ops[k];
        if let Err(m) = sweep::forward(op, v, p, w) {
            return format!("{} (tape op #{k}): {m}", op.name());
        }
    }
    let op = &ops[step.op];
    format!(
        "{} (tape op #{}): an argument is outside its domain",
        op.name(),
        step.op
    )
}

/// The step of `op`; `term` when it is a target term (see `plan_eager`).
fn step(op: &Op, init: &[f64], term: bool) -> Step {
    let special = match *op {
        Op::ScalarUnary { f, x, out } => Some(scalar_unary(op, f, x as usize, out as usize)),
        Op::ScalarBinary {
            f,
            a,
            b,
            a_active,
            b_active,
            out,
        } => Some(scalar_binary(
            op,
            f,
            [a as usize, b as usize],
            [a_active, b_active],
            out as usize,
        )),
        Op::Binary { f, a, b, out } => vector_binary(f, a, b, out),
        Op::Reduce {
            f: Reduce::Sum,
            x,
            out,
        } => Some(sum(x, out)),
        Op::ScalarKernel {
            ref kernel,
            ref inputs,
            partials,
            out,
        } if inputs.iter().all(|s| s.len() == 1) => {
            let active: Vec<bool> = inputs.iter().map(|s| s.active).collect();
            let at: Vec<usize> = inputs.iter().map(Slot::offset).collect();
            let (p0, o) = (partials as usize, out.offset());
            let dedicated = match (kernel.density_family(), &at[..], &active[..]) {
                (Some(("cauchy", drop)), &[y, m, s], [true, false, false]) => {
                    plan_scalar::cauchy(op, [y, m, s], init, drop, p0, o, term)
                }
                _ => None,
            };
            dedicated.or_else(|| {
                let rule = kernel.element_rule(&active)?;
                plan_element::step(op, rule, &at, &active, p0, o, term)
            })
        }
        Op::Normal(ref n) => plan_normal::step(op, n, init, term),
        Op::NormalChain(ref nc) => plan_chain::step(op, nc, init),
        _ => None,
    };
    special.unwrap_or_else(|| generic(op))
}

/// The generic rules of `sweep` for `op`.
pub(super) fn generic(op: &Op) -> Step {
    let (f, r) = (op.clone(), op.clone());
    Step::new(
        Box::new(move |bufs: &mut Bufs| {
            let (v, p, w) = bufs.forward();
            fallback(&f, v, p, w)
        }),
        Box::new(move |bufs: &mut Bufs| {
            let (v, a, p, w) = bufs.reverse();
            if !sweep::scalar_backward(&r, v, a) {
                sweep::backward_slices(&r, v, a, p, w);
            }
            sweep::clear_output(&r, a);
        }),
    )
}

/// The forward of a specialised step that met a possibly invalid argument (or a
/// non-finite intermediate): the generic rule evaluates the op again, reporting an
/// invalid argument exactly as without the plan, or producing the value and partials
/// itself when the arguments were valid after all.
#[cold]
pub(super) fn fallback(op: &Op, v: &mut [f64], p: &mut [f64], w: &mut [f64]) -> bool {
    sweep::forward(op, v, p, w).is_ok()
}

fn scalar_unary(op: &Op, f: Unary, x: usize, o: usize) -> Step {
    let op = op.clone();
    let total = sweep::total_unary(f);
    let forward: Forward = match f {
        Unary::Exp => Box::new(move |bufs: &mut Bufs| {
            let (v, _, _) = bufs.forward();
            v[o] = v[x].exp();
            true
        }),
        _ => Box::new(move |bufs: &mut Bufs| {
            let (v, p, w) = bufs.forward();
            let y = f.value(v[x]);
            v[o] = y;
            !y.is_nan() || total || fallback(&op, v, p, w)
        }),
    };
    let reverse: Reverse = match f {
        Unary::Exp => Box::new(move |bufs: &mut Bufs| {
            let (v, a, _, _) = bufs.reverse();
            a[x] += a[o] * v[o];
            a[o] = 0.0;
        }),
        _ => Box::new(move |bufs: &mut Bufs| {
            let (v, a, _, _) = bufs.reverse();
            a[x] += a[o] * f.deriv(v[x], v[o]);
            a[o] = 0.0;
        }),
    };
    Step::new(forward, reverse)
}

fn scalar_binary(op: &Op, f: Binary, [a, b]: [usize; 2], act: [bool; 2], o: usize) -> Step {
    let op = op.clone();
    let total = sweep::total_binary(f);
    let forward: Forward = match f {
        Binary::Add => Box::new(move |bufs: &mut Bufs| {
            let (v, _, _) = bufs.forward();
            v[o] = v[a] + v[b];
            true
        }),
        Binary::Mul => Box::new(move |bufs: &mut Bufs| {
            let (v, _, _) = bufs.forward();
            v[o] = v[a] * v[b];
            true
        }),
        _ => Box::new(move |bufs: &mut Bufs| {
            let (v, p, w) = bufs.forward();
            let y = f.value(v[a], v[b]);
            v[o] = y;
            !y.is_nan() || total || fallback(&op, v, p, w)
        }),
    };
    let reverse: Reverse = match (f, act) {
        (Binary::Add, [true, true]) => Box::new(move |bufs: &mut Bufs| {
            let (_, adj, _, _) = bufs.reverse();
            let g = adj[o];
            adj[a] += g;
            adj[b] += g;
            adj[o] = 0.0;
        }),
        (Binary::Mul, [true, true]) => Box::new(move |bufs: &mut Bufs| {
            let (v, adj, _, _) = bufs.reverse();
            let g = adj[o];
            adj[a] += g * v[b];
            adj[b] += g * v[a];
            adj[o] = 0.0;
        }),
        _ => Box::new(move |bufs: &mut Bufs| {
            let (v, adj, _, _) = bufs.reverse();
            let (da, db) = f.partials(v[a], v[b], v[o]);
            let g = adj[o];
            if act[0] {
                adj[a] += g * da;
            }
            if act[1] {
                adj[b] += g * db;
            }
            adj[o] = 0.0;
        }),
    };
    Step::new(forward, reverse)
}

/// `add`, `subtract` and `elt_multiply` over vectors, one argument possibly a broadcast
/// scalar; other functions and shapes take the generic rule.
fn vector_binary(f: Binary, a: Slot, b: Slot, out: Slot) -> Option<Step> {
    let n = out.len();
    let form = |s: Slot| match s.len() {
        1 if n != 1 => Some(true),
        l if l == n => Some(false),
        _ => None,
    };
    let forms = (form(a)?, form(b)?);
    if forms == (true, true) {
        return None;
    }
    let args = Args {
        a: a.offset(),
        b: b.offset(),
        out: out.offset(),
        n,
        a_scalar: forms.0,
        b_scalar: forms.1,
        a_active: a.active,
        b_active: b.active,
    };
    // the adjoint rules below assume disjoint argument ranges unless both are scalars
    let overlap = a.active
        && b.active
        && a.offset() < b.offset() + b.len()
        && b.offset() < a.offset() + a.len();
    if overlap {
        return None;
    }
    match f {
        Binary::Add => Some(args.step(|x, y| x + y, |_, _| (1.0, 1.0))),
        Binary::Sub => Some(args.step(|x, y| x - y, |_, _| (1.0, -1.0))),
        Binary::Mul => Some(args.step(|x, y| x * y, |x, y| (y, x))),
        _ => None,
    }
}

/// Resolved operands of a vector binary op.
#[derive(Clone, Copy)]
struct Args {
    a: usize,
    b: usize,
    out: usize,
    n: usize,
    a_scalar: bool,
    b_scalar: bool,
    a_active: bool,
    b_active: bool,
}

impl Args {
    fn step<V, D>(self, val: V, der: D) -> Step
    where
        V: Fn(f64, f64) -> f64 + Copy + Send + Sync + 'static,
        D: Fn(f64, f64) -> (f64, f64) + Copy + Send + Sync + 'static,
    {
        match (self.a_scalar, self.b_scalar) {
            (true, _) => self.form::<ScalarVector, V, D>(val, der),
            (false, true) => self.form::<VectorScalar, V, D>(val, der),
            (false, false) => self.form::<VectorVector, V, D>(val, der),
        }
    }

    /// The step for one argument form.
    fn form<F: Form, V, D>(self, val: V, der: D) -> Step
    where
        V: Fn(f64, f64) -> f64 + Copy + Send + Sync + 'static,
        D: Fn(f64, f64) -> (f64, f64) + Copy + Send + Sync + 'static,
    {
        let Args { a, b, out, n, .. } = self;
        let (la, lb) = (if F::A_ONE { 1 } else { n }, if F::B_ONE { 1 } else { n });
        let forward: Forward = Box::new(move |bufs: &mut Bufs| {
            let (v, _, _) = bufs.forward();
            let (lo, hi) = v.split_at_mut(out);
            let pairs = F::pairs(&lo[a..a + la], &lo[b..b + lb]);
            for (o, (x, y)) in hi[..n].iter_mut().zip(pairs) {
                *o = val(x, y);
            }
            true
        });
        let (aa, ba) = (self.a_active, self.b_active);
        let reverse: Reverse = Box::new(move |bufs: &mut Bufs| {
            let (v, adj, _, _) = bufs.reverse();
            let (lo, hi) = adj.split_at_mut(out);
            let g = &mut hi[..n];
            let (xs, ys) = (&v[a..a + la], &v[b..b + lb]);
            if aa {
                let d = g
                    .iter()
                    .zip(F::pairs(xs, ys))
                    .map(|(&t, (x, y))| t * der(x, y).0);
                if F::A_ONE {
                    lo[a] += d.sum::<f64>();
                } else {
                    for (t, di) in lo[a..a + n].iter_mut().zip(d) {
                        *t += di;
                    }
                }
            }
            if ba {
                let d = g
                    .iter()
                    .zip(F::pairs(xs, ys))
                    .map(|(&t, (x, y))| t * der(x, y).1);
                if F::B_ONE {
                    lo[b] += d.sum::<f64>();
                } else {
                    for (t, di) in lo[b..b + n].iter_mut().zip(d) {
                        *t += di;
                    }
                }
            }
            g.fill(0.0);
        });
        Step::new(forward, reverse)
    }
}

/// How the two arguments of a vector binary op pair up element by element.
trait Form: 'static {
    /// Whether the first / second argument is a broadcast scalar.
    const A_ONE: bool;
    const B_ONE: bool;
    /// The argument pairs `(a_i, b_i)`.
    fn pairs<'a>(xs: &'a [f64], ys: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a;
}

struct ScalarVector;
struct VectorScalar;
struct VectorVector;

impl Form for ScalarVector {
    const A_ONE: bool = true;
    const B_ONE: bool = false;
    fn pairs<'a>(xs: &'a [f64], ys: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
        let x = xs[0];
        ys.iter().map(move |&y| (x, y))
    }
}
impl Form for VectorScalar {
    const A_ONE: bool = false;
    const B_ONE: bool = true;
    fn pairs<'a>(xs: &'a [f64], ys: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
        let y = ys[0];
        xs.iter().map(move |&x| (x, y))
    }
}
impl Form for VectorVector {
    const A_ONE: bool = false;
    const B_ONE: bool = false;
    fn pairs<'a>(xs: &'a [f64], ys: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
        xs.iter().copied().zip(ys.iter().copied())
    }
}

/// `sum(x)`.
fn sum(x: Slot, out: Slot) -> Step {
    let (x0, n, o, active) = (x.offset(), x.len(), out.offset(), x.active);
    Step::new(
        Box::new(move |bufs: &mut Bufs| {
            let (v, _, _) = bufs.forward();
            v[o] = crate::math::sum::sum(&v[x0..x0 + n]);
            true
        }),
        Box::new(move |bufs: &mut Bufs| {
            let (_, adj, _, _) = bufs.reverse();
            let g = adj[o];
            adj[o] = 0.0;
            if active {
                for t in &mut adj[x0..x0 + n] {
                    *t += g;
                }
            }
        }),
    )
}

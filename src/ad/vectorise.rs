//! Loop vectorisation of a recorded tape. A loop over data such as
//! `for (n in 1:N) y[n] ~ bernoulli_logit(alpha + X[n] * beta)` is traced one iteration
//! at a time, so it records `N` scalar dot products and `N` scalar additions whose
//! results a single concat gathers into the batched density's argument. When the tape is
//! finished, such a concat is rebuilt lane by lane into vector ops: lanes computed by
//! the same scalar function become one elementwise op over the vector of their operands
//! (found the same way, recursively), lanes that are all one value stay a broadcast
//! scalar, data lanes become a data vector, lanes that are elements of one vector become
//! a view or a gather, and dot products of data rows with one vector become one
//! matrix-vector product. The example above becomes `X * beta` and one vector addition,
//! as if it had been written vectorised.
//!
//! Only ops whose result the rebuilt tree alone reads are absorbed, so no value is
//! computed twice, and every elementwise op keeps its domain check. The ops after the
//! first rebuilt concat move to the end of the value buffer (see [`super::relocate`]),
//! keeping each op's output after its inputs.

use super::chain_form::Uses;
use super::op::{MatrixOp, Op};
use super::relocate::Moves;
use super::slot::Slot;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::PairReduce;

/// Fewest lanes worth rebuilding: one vector op costs about as much dispatch as a
/// handful of scalar ops (measured with callgrind on the compile benchmark), so shorter
/// concats are left alone.
const MIN_LANES: usize = 8;

/// How the lanes of a vector are computed.
enum Node {
    /// Every lane is this one scalar (broadcast).
    Same(Slot),
    /// Lane `i` is element `i` of the vector starting at this slot's offset (a view).
    Elements(Slot),
    /// Data lanes.
    Data(Vec<f64>),
    /// Lane `i` is element `index[i]` of the value in the slot (a gather).
    Pick(Slot, Vec<u32>),
    Unary(Unary, Box<Node>),
    Binary(Binary, Box<Node>, Box<Node>),
    /// Lane `i` is row `i` of the data matrix `rows` (`n×k`, column-major) times `v`.
    RowsTimes {
        rows: Vec<f64>,
        k: usize,
        v: Slot,
    },
    /// The lanes as they are, concatenated.
    Parts(Vec<Slot>),
}

/// The scalar function computing one lane.
enum Lane {
    Unary(Unary, Slot),
    Binary(Binary, Slot, Slot),
    /// A dot product of a data vector with a parameter-dependent one.
    Dot {
        data: Slot,
        var: Slot,
    },
}

fn scalar(start: u32, active: bool) -> Slot {
    Slot {
        start,
        rows: 1,
        cols: 1,
        active,
    }
}

fn lane(op: &Op) -> Option<Lane> {
    let dot = |a: Slot, b: Slot| match (a.active, b.active) {
        (false, true) => Some(Lane::Dot { data: a, var: b }),
        (true, false) => Some(Lane::Dot { data: b, var: a }),
        _ => None,
    };
    match *op {
        Op::ScalarUnary { f, x, .. } => Some(Lane::Unary(f, scalar(x, true))),
        Op::ScalarBinary {
            f,
            a,
            b,
            a_active,
            b_active,
            ..
        } => Some(Lane::Binary(f, scalar(a, a_active), scalar(b, b_active))),
        Op::Pair {
            f: PairReduce::DotProduct,
            a,
            b,
            ..
        } => dot(a, b),
        Op::Matrix(MatrixOp::MatMul { a, b, out }) if out.is_scalar() => dot(a, b),
        _ => None,
    }
}

/// Decides the tree of each rebuilt concat, marking the ops it absorbs.
struct Planner<'a> {
    ops: &'a [Op],
    init: &'a [f64],
    uses: Uses,
    dim: u32,
    taken: Vec<bool>,
}

fn all_same(lanes: &[Slot]) -> bool {
    lanes.iter().all(|&s| s == lanes[0])
}

impl Planner<'_> {
    fn plan(&mut self, lanes: &[Slot]) -> Node {
        if all_same(lanes) {
            return Node::Same(lanes[0]);
        }
        if lanes.iter().all(|s| !s.active) {
            return Node::Data(lanes.iter().map(|s| self.init[s.offset()]).collect());
        }
        if lanes.iter().all(|s| s.active) {
            if let Some(node) = self.fold(lanes) {
                return node;
            }
            if let Some(node) = self.pick(lanes) {
                return node;
            }
        }
        Node::Parts(lanes.to_vec())
    }

    /// The single-use, not yet absorbed scalar op computing `s`, with its form.
    fn producer(&self, s: Slot) -> Option<(usize, Lane)> {
        let k = self.uses.single_use(self.ops, s)?;
        if self.taken[k] {
            return None;
        }
        Some((k, lane(&self.ops[k])?))
    }

    /// Lanes computed by single-use scalar ops of one function: one vector op.
    fn fold(&mut self, lanes: &[Slot]) -> Option<Node> {
        let Some(producers) = lanes
            .iter()
            .map(|&s| self.producer(s).map(|(k, _)| k))
            .collect::<Option<Vec<usize>>>()
        else {
            return self.fold_identities(lanes);
        };
        let shapes = producers
            .iter()
            .map(|&k| lane(&self.ops[k]))
            .collect::<Option<Vec<Lane>>>()?;
        let node = match shapes[0] {
            Lane::Unary(f, _) => {
                let xs = shapes
                    .iter()
                    .map(|l| match *l {
                        Lane::Unary(g, x) if g == f => Some(x),
                        _ => None,
                    })
                    .collect::<Option<Vec<Slot>>>()?;
                if all_same(&xs) {
                    return None;
                }
                self.take(&producers);
                Node::Unary(f, Box::new(self.plan(&xs)))
            }
            Lane::Binary(f, _, _) => {
                let (xs, ys): (Vec<Slot>, Vec<Slot>) = shapes
                    .iter()
                    .map(|l| match *l {
                        Lane::Binary(g, a, b) if g == f => Some((a, b)),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>()?
                    .into_iter()
                    .unzip();
                if all_same(&xs) && all_same(&ys) {
                    return None;
                }
                self.take(&producers);
                let a = self.plan(&xs);
                Node::Binary(f, Box::new(a), Box::new(self.plan(&ys)))
            }
            Lane::Dot { var, .. } => {
                let k = var.len();
                let mut rows = vec![0.0; lanes.len() * k];
                for (i, l) in shapes.iter().enumerate() {
                    let Lane::Dot { data, var: v } = *l else {
                        return None;
                    };
                    if v.start != var.start || v.len() != k || data.len() != k {
                        return None;
                    }
                    for (j, &x) in self.init[data.range()].iter().enumerate() {
                        rows[i + j * lanes.len()] = x;
                    }
                }
                self.take(&producers);
                Node::RowsTimes { rows, k, v: var }
            }
        };
        Some(node)
    }

    /// Lanes most of which are `f(x, datum)` (or `f(datum, x)`) while the others are
    /// plain values: the builder drops `x * 1` and `x + 0`, so a loop over data holding
    /// ones or zeros records no op for those lanes, and they are read as `f(x, 1)` or
    /// `f(x, 0)`. A lane computed by an op read elsewhere too is kept the same way.
    fn fold_identities(&mut self, lanes: &[Slot]) -> Option<Node> {
        let unit = match self
            .producer(lanes[0])
            .or_else(|| self.producer(lanes[1]))?
        {
            (_, Lane::Binary(f @ (Binary::Add | Binary::Sub), ..)) => (f, 0.0),
            (_, Lane::Binary(f @ (Binary::Mul | Binary::Div), ..)) => (f, 1.0),
            _ => return None,
        };
        let f = unit.0;
        let found: Vec<Option<(usize, Slot, Slot)>> = lanes
            .iter()
            .map(|&s| match self.producer(s) {
                Some((k, Lane::Binary(g, a, b))) if g == f => Some((k, a, b)),
                _ => None,
            })
            .collect();
        let matched = found.iter().flatten().count();
        if 2 * matched < lanes.len() {
            return None;
        }
        let data_right = found.iter().flatten().all(|(_, _, b)| !b.active);
        let data_left = matches!(f, Binary::Add | Binary::Mul)
            && found.iter().flatten().all(|(_, a, _)| !a.active);
        if !data_right && !data_left {
            return None;
        }
        let mut data = Vec::with_capacity(lanes.len());
        let mut vars = Vec::with_capacity(lanes.len());
        for (&s, m) in lanes.iter().zip(&found) {
            let (d, v) = match *m {
                Some((_, a, b)) if data_right => (self.init[b.offset()], a),
                Some((_, a, b)) => (self.init[a.offset()], b),
                None => (unit.1, s),
            };
            data.push(d);
            vars.push(v);
        }
        let producers: Vec<usize> = found.iter().flatten().map(|m| m.0).collect();
        self.take(&producers);
        let (v, d) = (Box::new(self.plan(&vars)), Box::new(Node::Data(data)));
        Some(match data_right {
            true => Node::Binary(f, v, d),
            false => Node::Binary(f, d, v),
        })
    }

    fn take(&mut self, producers: &[usize]) {
        for &k in producers {
            self.taken[k] = true;
        }
    }

    /// Lanes that are elements of one parameter-dependent value: a view or a gather.
    fn pick(&self, lanes: &[Slot]) -> Option<Node> {
        let region = |s: Slot| -> Option<Slot> {
            if s.start < self.dim {
                return Some(Slot {
                    start: 0,
                    rows: self.dim,
                    cols: 1,
                    active: true,
                });
            }
            Some(self.ops[self.uses.owner_of(s.offset())?].out())
        };
        let whole = region(lanes[0])?;
        let mut index = Vec::with_capacity(lanes.len());
        for &s in lanes {
            if region(s)? != whole {
                return None;
            }
            index.push(s.start - whole.start);
        }
        let first = index[0];
        let consecutive = index.iter().zip(first..).all(|(&i, j)| i == j);
        Some(match consecutive {
            true => Node::Elements(lanes[0]),
            false => Node::Pick(whole, index),
        })
    }
}

/// Writes the rebuilt ops and the moved ones into a fresh op list.
struct Emitter {
    init: Vec<f64>,
    ops: Vec<Op>,
    moves: Moves,
}

impl Emitter {
    fn alloc(&mut self, rows: usize, cols: usize, active: bool) -> Option<Slot> {
        let start = self.init.len();
        let end = start.checked_add(rows * cols)?;
        if end > u32::MAX as usize {
            return None;
        }
        self.init.resize(end, 0.0);
        Some(Slot {
            start: start as u32,
            rows: rows as u32,
            cols: cols as u32,
            active,
        })
    }

    /// The slot holding the node's `n` lanes (or one broadcast scalar for `Same`).
    fn emit(&mut self, node: &Node, n: usize) -> Option<Slot> {
        Some(match node {
            Node::Same(s) => self.moves.at(*s),
            Node::Elements(s) => self.moves.at(Slot {
                rows: n as u32,
                ..*s
            }),
            Node::Data(v) => {
                let s = self.alloc(n, 1, false)?;
                self.init[s.range()].copy_from_slice(v);
                s
            }
            Node::Pick(x, index) => {
                let x = self.moves.at(*x);
                let out = self.alloc(n, 1, true)?;
                let index = index.as_slice().into();
                self.ops.push(Op::Gather { x, index, out });
                out
            }
            Node::Unary(f, x) => {
                let x = self.emit(x, n)?;
                let out = self.alloc(n, 1, true)?;
                self.ops.push(Op::Unary { f: *f, x, out });
                out
            }
            Node::Binary(f, a, b) => {
                let a = self.emit(a, n)?;
                let b = self.emit(b, n)?;
                let out = self.alloc(n, 1, true)?;
                self.ops.push(Op::Binary { f: *f, a, b, out });
                out
            }
            Node::RowsTimes { rows, k, v } => {
                let a = self.alloc(n, *k, false)?;
                self.init[a.range()].copy_from_slice(rows);
                let b = Slot {
                    rows: *k as u32,
                    cols: 1,
                    ..self.moves.at(*v)
                };
                let out = self.alloc(n, 1, true)?;
                self.ops.push(Op::Matrix(MatrixOp::MatMul { a, b, out }));
                out
            }
            Node::Parts(parts) => {
                let parts = parts.iter().map(|&s| self.moves.at(s)).collect();
                let out = self.alloc(n, 1, true)?;
                self.ops.push(Op::Concat { parts, out });
                out
            }
        })
    }
}

/// A finished tape's value buffer, ops and result slot.
pub(super) type Program = (Vec<f64>, Vec<Op>, Slot);

/// Rebuilds every long concat of scalars computed lane by lane into vector ops; returns
/// the program unchanged when there is none (or the buffer would outgrow 2^32 values).
pub(super) fn vectorise(dim: usize, init: Vec<f64>, ops: Vec<Op>, output: Slot) -> Program {
    let is_anchor = |op: &Op| {
        matches!(op, Op::Concat { parts, .. }
            if parts.len() >= MIN_LANES && parts.iter().all(Slot::is_scalar))
    };
    if !ops.iter().any(is_anchor) {
        return (init, ops, output);
    }
    let mut planner = Planner {
        ops: &ops,
        init: &init,
        uses: Uses::new(&ops, init.len(), output),
        dim: dim as u32,
        taken: vec![false; ops.len()],
    };
    let mut plans: Vec<Option<Node>> = (0..ops.len()).map(|_| None).collect();
    for (k, op) in ops.iter().enumerate().rev() {
        if let Op::Concat { parts, .. } = op
            && is_anchor(op)
        {
            let node = planner.plan(parts);
            if !matches!(node, Node::Parts(_) | Node::Same(_) | Node::Data(_)) {
                plans[k] = Some(node);
            }
        }
    }
    let Some(first) = plans.iter().position(Option::is_some) else {
        return (init, ops, output);
    };
    let taken = std::mem::take(&mut planner.taken);
    let mut e = Emitter {
        init: init.clone(),
        ops: Vec::with_capacity(ops.len()),
        moves: Moves::default(),
    };
    let rebuilt = (|| {
        for (k, op) in ops.iter().enumerate() {
            if taken[k] {
                continue;
            }
            if k < first {
                e.ops.push(op.clone());
                continue;
            }
            let old = op.out();
            let new = match &plans[k] {
                Some(node) => e.emit(node, old.len())?,
                None => {
                    let out = e.alloc(old.rows as usize, old.cols as usize, old.active)?;
                    let moved = op.remapped(|s| e.moves.at(s), out);
                    e.ops.push(moved);
                    out
                }
            };
            e.moves.add(old, new);
        }
        Some(e.moves.at(output))
    })();
    match rebuilt {
        Some(output) => (e.init, e.ops, output),
        None => (init, ops, output),
    }
}

//! How the plan's normal steps read their arguments and add to their adjoints: each
//! argument as a broadcast scalar or as elements at an offset fixed when the plan is
//! made ([`At`]), and the location either one such argument or `p + q .* r` computed
//! inline ([`Mu`]). The steps are monomorphised over these forms.
use std::cell::Cell;

/// Element access of one argument at a fixed offset.
pub(super) trait At: Copy + Send + Sync + 'static {
    /// The accessor of the operand at `at`.
    fn new(at: usize) -> Self;
    /// True for a broadcast scalar.
    const ONE: bool;
    /// True for data known, when the plan was made, to be a valid scale.
    const VALID: bool = false;
    /// The argument's elements in `v` (one for a broadcast scalar, else `n`).
    fn slice(self, v: &[f64], n: usize) -> &[f64];
    /// How a loop reads the argument: see [`At::val`].
    type Val<'a>: Copy;
    /// The argument as a loop over its elements reads it: a broadcast scalar's value,
    /// read once before the loop (the compiler cannot tell that the loop's stores to
    /// adjoint cells leave it unchanged, and would read it again after each), else its
    /// elements.
    fn val(self, v: &[f64], n: usize) -> Self::Val<'_>;
    /// Element `i` of the argument, given its [`At::val`].
    fn get(xs: Self::Val<'_>, i: usize) -> f64;
    /// The argument's adjoints in `adj` (one for a broadcast scalar, else `n`): cells,
    /// so that several arguments' adjoints can be held at once, each sliced (and its
    /// bounds checked) once per evaluation rather than once per element.
    fn cells(self, adj: &[Cell<f64>], n: usize) -> &[Cell<f64>];
    /// Adds `x`, the adjoint of element `i`, to the argument's adjoint (`cells`, from
    /// [`At::cells`]): at once for elements, into `acc` for a broadcast scalar (see
    /// [`At::flush`]).
    fn push(cells: &[Cell<f64>], i: usize, x: f64, acc: &mut f64);
    /// Adds what [`At::push`] collected in `acc` (a broadcast scalar's adjoint).
    fn flush(cells: &[Cell<f64>], acc: f64);
    /// Adds `x`, the adjoint of element `i`, to the argument's adjoint at once.
    #[inline(always)]
    fn add(cells: &[Cell<f64>], i: usize, x: f64) {
        let c = &cells[if Self::ONE { 0 } else { i }];
        c.set(c.get() + x);
    }
}

/// A broadcast scalar.
#[derive(Clone, Copy)]
pub(super) struct One(pub(super) usize);
/// Elements `at..at + n`; with `VALID`, data known to be positive and finite.
#[derive(Clone, Copy)]
pub(super) struct Elems<const VALID: bool>(usize);
/// Elements of any argument.
pub(super) type All = Elems<false>;
/// A data scale vector checked when the plan was made.
pub(super) type Valid = Elems<true>;

impl At for One {
    fn new(at: usize) -> Self {
        One(at)
    }
    const ONE: bool = true;
    #[inline(always)]
    fn slice(self, v: &[f64], _: usize) -> &[f64] {
        &v[self.0..self.0 + 1]
    }
    type Val<'a> = f64;
    #[inline(always)]
    fn val(self, v: &[f64], _: usize) -> f64 {
        v[self.0]
    }
    #[inline(always)]
    fn get(x: f64, _: usize) -> f64 {
        x
    }
    #[inline(always)]
    fn cells(self, adj: &[Cell<f64>], _: usize) -> &[Cell<f64>] {
        &adj[self.0..self.0 + 1]
    }
    #[inline(always)]
    fn push(_: &[Cell<f64>], _: usize, x: f64, acc: &mut f64) {
        *acc += x;
    }
    #[inline(always)]
    fn flush(cells: &[Cell<f64>], acc: f64) {
        cells[0].set(cells[0].get() + acc);
    }
}
impl<const V: bool> At for Elems<V> {
    fn new(at: usize) -> Self {
        Elems(at)
    }
    const ONE: bool = false;
    const VALID: bool = V;
    #[inline(always)]
    fn slice(self, v: &[f64], n: usize) -> &[f64] {
        &v[self.0..self.0 + n]
    }
    type Val<'a> = &'a [f64];
    #[inline(always)]
    fn val(self, v: &[f64], n: usize) -> &[f64] {
        self.slice(v, n)
    }
    #[inline(always)]
    fn get(xs: &[f64], i: usize) -> f64 {
        xs[i]
    }
    #[inline(always)]
    fn cells(self, adj: &[Cell<f64>], n: usize) -> &[Cell<f64>] {
        &adj[self.0..self.0 + n]
    }
    #[inline(always)]
    fn push(cells: &[Cell<f64>], i: usize, x: f64, _: &mut f64) {
        cells[i].set(cells[i].get() + x);
    }
    #[inline(always)]
    fn flush(_: &[Cell<f64>], _: f64) {}
}

/// How a normal step reads its location: one argument ([`At`]) or `p + q .* r`.
pub(super) trait Mu: Copy + Send + Sync + 'static {
    type View<'a>: Copy;
    fn view(self, v: &[f64], n: usize) -> Self::View<'_>;
    /// Element `i` of the location.
    fn at(view: Self::View<'_>, i: usize) -> f64;
    /// The adjoints of the location's operands (see [`At::cells`]).
    type Cells<'a>: Copy;
    fn cells(self, adj: &[Cell<f64>], n: usize) -> Self::Cells<'_>;
    /// Adds `t`, the adjoint of element `i` of the location, to its operands' adjoints
    /// (those `on`), broadcast scalars' shares collected in `acc` (see [`Mu::flush`]).
    /// A broadcast scalar's share is collected whether or not it is `on` (a register
    /// addition costs less than a test per element); only its flush is conditional.
    fn push(view: Self::View<'_>, cells: Self::Cells<'_>, i: usize, t: f64, acc: &mut Acc, on: On);
    /// Adds the broadcast scalars' shares collected by [`Mu::push`].
    fn flush(cells: Self::Cells<'_>, acc: Acc, on: On);
    /// Element `i` of the location's last operand (`r` of `p + q .* r`, else the
    /// argument itself): what a folded prior reads (`plan_fold`).
    fn last(view: Self::View<'_>, i: usize) -> f64;
    /// Adds `x` to the adjoint of element `i` of that operand, at once.
    fn add_last(cells: Self::Cells<'_>, i: usize, x: f64);
}

/// Adjoint shares of a location's operands collected over the elements.
pub(super) type Acc = [f64; 3];
/// Which operands of a location take adjoints (the first for a plain argument).
pub(super) type On = [bool; 3];

impl<A: At> Mu for A {
    type View<'a> = A::Val<'a>;
    #[inline(always)]
    fn view(self, v: &[f64], n: usize) -> A::Val<'_> {
        self.val(v, n)
    }
    #[inline(always)]
    fn at(view: A::Val<'_>, i: usize) -> f64 {
        A::get(view, i)
    }
    type Cells<'a> = &'a [Cell<f64>];
    #[inline(always)]
    fn cells(self, adj: &[Cell<f64>], n: usize) -> &[Cell<f64>] {
        At::cells(self, adj, n)
    }
    #[inline(always)]
    fn push(_: A::Val<'_>, cells: &[Cell<f64>], i: usize, t: f64, acc: &mut Acc, on: On) {
        if A::ONE || on[0] {
            A::push(cells, i, t, &mut acc[0]);
        }
    }
    #[inline(always)]
    fn flush(cells: &[Cell<f64>], acc: Acc, on: On) {
        if on[0] {
            A::flush(cells, acc[0]);
        }
    }
    #[inline(always)]
    fn last(view: A::Val<'_>, i: usize) -> f64 {
        A::get(view, i)
    }
    #[inline(always)]
    fn add_last(cells: &[Cell<f64>], i: usize, x: f64) {
        A::add(cells, i, x);
    }
}

/// The location `p + q .* r`.
#[derive(Clone, Copy)]
pub(super) struct Affine<P, Q, R>(pub(super) P, pub(super) Q, pub(super) R);

impl<P: At, Q: At, R: At> Mu for Affine<P, Q, R> {
    type View<'a> = (P::Val<'a>, Q::Val<'a>, R::Val<'a>);
    #[inline(always)]
    fn view(self, v: &[f64], n: usize) -> Self::View<'_> {
        (self.0.val(v, n), self.1.val(v, n), self.2.val(v, n))
    }
    #[inline(always)]
    fn at((p, q, r): Self::View<'_>, i: usize) -> f64 {
        P::get(p, i) + Q::get(q, i) * R::get(r, i)
    }
    type Cells<'a> = (&'a [Cell<f64>], &'a [Cell<f64>], &'a [Cell<f64>]);
    #[inline(always)]
    fn cells(self, adj: &[Cell<f64>], n: usize) -> Self::Cells<'_> {
        (
            self.0.cells(adj, n),
            self.1.cells(adj, n),
            self.2.cells(adj, n),
        )
    }
    #[inline(always)]
    fn push(
        (_, q, r): Self::View<'_>,
        (pc, qc, rc): Self::Cells<'_>,
        i: usize,
        t: f64,
        acc: &mut Acc,
        on: On,
    ) {
        let [a0, a1, a2] = acc;
        if P::ONE || on[0] {
            P::push(pc, i, t, a0);
        }
        if Q::ONE || on[1] {
            Q::push(qc, i, t * R::get(r, i), a1);
        }
        if R::ONE || on[2] {
            R::push(rc, i, t * Q::get(q, i), a2);
        }
    }
    #[inline(always)]
    fn flush((pc, qc, rc): Self::Cells<'_>, acc: Acc, on: On) {
        if on[0] {
            P::flush(pc, acc[0]);
        }
        if on[1] {
            Q::flush(qc, acc[1]);
        }
        if on[2] {
            R::flush(rc, acc[2]);
        }
    }
    #[inline(always)]
    fn last((_, _, r): Self::View<'_>, i: usize) -> f64 {
        R::get(r, i)
    }
    #[inline(always)]
    fn add_last((_, _, rc): Self::Cells<'_>, i: usize, x: f64) {
        R::add(rc, i, x);
    }
}

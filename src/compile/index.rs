//! Indexing and indexed assignment: single, multi, slice and omitted indices over arrays,
//! vectors and matrices, resolved while tracing to element positions in the value's
//! layout. A contiguous selection is a view (no op); any other selection of tape values
//! is one gather op. Assignment writes elements into the variable's value.

use super::eval::{Eval, R};
use super::values::{Data, Elem, Val, base_rank, flatten};
use crate::lang::Span;
use crate::lang::ast::{AssignOp, BaseType};
use crate::lang::typed::{TExpr, TIndex, VarId};
use crate::lang::types::Type;
use std::sync::Arc;

/// The items a `for (x in c)` loop visits: array elements, or the scalars of a vector or
/// matrix in column-major order.
pub fn foreach_items(c: &Val, elem_ty: Type) -> Vec<Val> {
    if c.ty.dims > 0 {
        let n = c.shape[0];
        let inner: Vec<usize> = c.shape[1..].to_vec();
        let len: usize = inner.iter().product();
        let ty = Type {
            base: c.ty.base,
            dims: c.ty.dims - 1,
        };
        (0..n)
            .map(|i| c.range(i * len, ty, inner.clone()))
            .collect()
    } else {
        (0..c.len()).map(|i| c.range(i, elem_ty, vec![])).collect()
    }
}

/// Most dimensions a variable's sizes are copied inline for (more fall back to a copy of
/// the whole value; Stan programs rarely go beyond arrays of matrices).
const INLINE_DIMS: usize = 8;

/// A copy of a value's sizes without allocation, so the value itself can stay borrowed in
/// the environment while its indices are evaluated.
struct SmallShape {
    len: usize,
    dims: [usize; INLINE_DIMS],
}

impl SmallShape {
    fn of(shape: &[usize]) -> Option<SmallShape> {
        let mut dims = [0; INLINE_DIMS];
        dims.get_mut(..shape.len())?.copy_from_slice(shape);
        Some(SmallShape {
            len: shape.len(),
            dims,
        })
    }

    fn dims(&self) -> &[usize] {
        &self.dims[..self.len]
    }
}

/// One resolved index: the selected positions and whether the dimension is kept.
struct Sel {
    pos: Vec<usize>,
    keep: bool,
}

impl Eval<'_, '_, '_> {
    fn resolve(
        &mut self,
        indices: &[TIndex],
        shape: &[usize],
        name: &str,
        span: Span,
    ) -> R<Vec<Sel>> {
        if indices.len() > shape.len() {
            return self.fatal(span, format!("too many indices for `{name}`"));
        }
        let mut sels = Vec::with_capacity(shape.len());
        for (k, &n) in shape.iter().enumerate() {
            let check = |this: &Self, i: i64| -> R<usize> {
                if i < 1 || i as usize > n {
                    this.fatal(
                        span,
                        format!(
                            "index {i} out of range for `{name}` (size {n}, dimension {})",
                            k + 1
                        ),
                    )
                } else {
                    Ok(i as usize - 1)
                }
            };
            let sel = match indices.get(k) {
                None | Some(TIndex::All) => Sel {
                    pos: (0..n).collect(),
                    keep: true,
                },
                Some(TIndex::Single(e)) => {
                    let i = self.int_of(e)?;
                    Sel {
                        pos: vec![check(self, i)?],
                        keep: false,
                    }
                }
                Some(TIndex::Multi(e)) => {
                    let v = self.expr(e)?;
                    let Some(xs) = v.as_const() else {
                        return self.fatal(e.span, "multi-index must be data");
                    };
                    let xs = xs.to_vec();
                    let pos = xs
                        .iter()
                        .map(|&x| check(self, x as i64))
                        .collect::<R<Vec<_>>>()?;
                    Sel { pos, keep: true }
                }
                Some(TIndex::Slice(lo, hi)) => {
                    let lo = match lo {
                        Some(e) => self.int_of(e)?,
                        None => 1,
                    };
                    let hi = match hi {
                        Some(e) => self.int_of(e)?,
                        None => n as i64,
                    };
                    let mut pos = Vec::new();
                    let mut i = lo;
                    while i <= hi {
                        pos.push(check(self, i)?);
                        i += 1;
                    }
                    Sel { pos, keep: true }
                }
            };
            sels.push(sel);
        }
        Ok(sels)
    }

    /// Layout positions selected by `indices` in a value of `ty`/`shape`, and the result's
    /// shape (given its type `rty`).
    fn positions(
        &mut self,
        ty: Type,
        shape: &[usize],
        rty: Type,
        indices: &[TIndex],
        name: &str,
        span: Span,
    ) -> R<(Vec<usize>, Vec<usize>)> {
        let sels = self.resolve(indices, shape, name, span)?;
        let rshape: Vec<usize> = sels
            .iter()
            .filter(|s| s.keep)
            .map(|s| s.pos.len())
            .collect();
        let expected = rty.dims + base_rank(rty.base);
        if rshape.len() != expected {
            return self.fatal(span, format!("indexing `{name}` gives an unexpected shape"));
        }
        let n: usize = rshape.iter().product();
        let mut out = Vec::with_capacity(n);
        let mut src = vec![0usize; shape.len()];
        // the result's multi-index in layout order (base dims column-major first, then the
        // array dims, last fastest), advanced like an odometer
        let nd = rty.dims;
        let order: Vec<usize> = (nd..rshape.len()).chain((0..nd).rev()).collect();
        let mut ridx = vec![0usize; rshape.len()];
        for _ in 0..n {
            let mut r = ridx.iter();
            for (k, s) in sels.iter().enumerate() {
                src[k] = if s.keep {
                    s.pos[*r.next().unwrap_or(&0)]
                } else {
                    s.pos[0]
                };
            }
            out.push(flatten(ty, shape, &src));
            for &k in &order {
                ridx[k] += 1;
                if ridx[k] < rshape[k] {
                    break;
                }
                ridx[k] = 0;
            }
        }
        Ok((out, rshape))
    }

    /// Fast path of the common `x[i]`, `x[i, j]` on arrays (and fully indexed vectors):
    /// single indices over leading dimensions select a contiguous block. Returns its
    /// offset and the remaining sizes, or `None` when the indices are of another form.
    fn prefix_range(
        &mut self,
        ty: Type,
        shape: &[usize],
        indices: &[TIndex],
        name: &str,
        span: Span,
    ) -> R<Option<(usize, Vec<usize>)>> {
        let k = indices.len();
        let full = k == shape.len() && ty.base != BaseType::Matrix;
        if !(full || k <= ty.dims) || !indices.iter().all(|i| matches!(i, TIndex::Single(_))) {
            return Ok(None);
        }
        let mut offset = 0;
        for (d, idx) in indices.iter().enumerate() {
            let TIndex::Single(e) = idx else {
                return Ok(None);
            };
            let i = self.int_of(e)?;
            let n = shape[d];
            if i < 1 || i as usize > n {
                return self.fatal(
                    span,
                    format!(
                        "index {i} out of range for `{name}` (size {n}, dimension {})",
                        d + 1
                    ),
                );
            }
            offset = offset * n + (i as usize - 1);
        }
        let rest = shape[k..].to_vec();
        let inner: usize = rest.iter().product();
        Ok(Some((offset * inner, rest)))
    }

    /// `var[i, j, …]` read from the variable where it lives (no copy of the container)
    /// when the indices select a contiguous block (see [`Self::prefix_range`]); `None`
    /// for other index forms, before any index is evaluated.
    pub fn index_in_place(
        &mut self,
        id: VarId,
        indices: &[TIndex],
        rty: Type,
        name: &str,
        span: Span,
    ) -> R<Option<Val>> {
        let Some(v) = &self.env[id.0 as usize] else {
            return Ok(None);
        };
        if let [TIndex::Single(i)] = indices
            && v.ty == Type::MATRIX
            && v.as_const().is_some()
        {
            return self.matrix_row(id, i, rty, name, span).map(Some);
        }
        let ty = v.ty;
        let Some(shape) = SmallShape::of(&v.shape) else {
            return Ok(None);
        };
        // the indices cannot change the variable: expressions do not assign
        let Some((offset, rest)) = self.prefix_range(ty, shape.dims(), indices, name, span)? else {
            return Ok(None);
        };
        match &self.env[id.0 as usize] {
            Some(v) => Ok(Some(v.range(offset, rty, rest))),
            None => Ok(None),
        }
    }

    /// Row `i` of the constant matrix `id`, as [`Self::index`] computes it (the strided
    /// elements of the column-major layout) without listing positions.
    fn matrix_row(&mut self, id: VarId, i: &TExpr, rty: Type, name: &str, span: Span) -> R<Val> {
        let i = self.int_of(i)?;
        let (rows, cols, xs) = match &self.env[id.0 as usize] {
            Some(v) => (v.shape[0], v.shape[1], v.as_const().unwrap_or(&[])),
            None => return self.fatal(span, format!("variable `{name}` has no value")),
        };
        if i < 1 || i as usize > rows {
            return self.fatal(
                span,
                format!("index {i} out of range for `{name}` (size {rows}, dimension 1)"),
            );
        }
        let r = i as usize - 1;
        let row = (0..cols).map(|j| xs[r + j * rows]).collect();
        Ok(Val::constant(rty, vec![cols], row))
    }

    /// `base[indices]` with result type `rty`.
    pub fn index(
        &mut self,
        base: &Val,
        indices: &[TIndex],
        rty: Type,
        name: &str,
        span: Span,
    ) -> R<Val> {
        if let Some((offset, rest)) =
            self.prefix_range(base.ty, &base.shape, indices, name, span)?
        {
            return Ok(base.range(offset, rty, rest));
        }
        let (pos, rshape) = self.positions(base.ty, &base.shape, rty, indices, name, span)?;
        self.select(base, &pos, rty, rshape, span)
    }

    /// The elements at `pos` as a value of `ty`/`shape`.
    pub fn select(
        &mut self,
        base: &Val,
        pos: &[usize],
        ty: Type,
        shape: Vec<usize>,
        span: Span,
    ) -> R<Val> {
        let contiguous = pos.windows(2).all(|w| w[1] == w[0] + 1);
        if contiguous && !pos.is_empty() {
            return Ok(base.range(pos[0], ty, shape));
        }
        match &base.data {
            Data::Scalar(x) => Ok(Val::constant(ty, shape, vec![*x; pos.len()])),
            Data::Const(v) => Ok(Val::constant(
                ty,
                shape,
                pos.iter().map(|&p| v[p]).collect(),
            )),
            Data::Elems(e) => Ok(Val {
                ty,
                shape,
                data: Data::Elems(pos.iter().map(|&p| e[p]).collect()),
            }
            .normalized()),
            Data::Slot(_) => {
                let (r, c) = super::values::dims_for(ty, &shape);
                let idx: Vec<u32> = pos.iter().map(|&p| p as u32).collect();
                self.ops
                    .apply(&[base], ty, Some(shape), |b, s| b.gather(s[0], idx, r, c))
                    .map_err(|m| self.op_err(span, m))
            }
        }
    }

    /// `var[indices] op= rhs`.
    pub fn assign(
        &mut self,
        id: VarId,
        groups: &[Vec<TIndex>],
        op: AssignOp,
        rhs: &TExpr,
        span: Span,
    ) -> R<()> {
        let joined: Vec<TIndex>;
        let indices: &[TIndex] = match groups {
            [] => &[],
            [one] => one,
            _ => {
                joined = groups.iter().flatten().cloned().collect();
                &joined
            }
        };
        let rv = self.expr(rhs)?;
        let prog = self.prog;
        let name = prog.var(id).name.as_str();
        let Some(var) = &self.env[id.0 as usize] else {
            return self.fatal(span, format!("variable `{name}` has no value"));
        };
        if let Some(shape) = SmallShape::of(&var.shape) {
            let vty = var.ty;
            if let Some((offset, rest)) =
                self.prefix_range(vty, shape.dims(), indices, name, span)?
            {
                let lty = || lhs_type(vty, indices);
                return self.assign_range(id, offset, rest, op, rv, lty, span);
            }
        }
        let Some(var) = self.env[id.0 as usize].take() else {
            return self.fatal(span, format!("variable `{name}` has no value"));
        };
        let lty = lhs_type(var.ty, indices);
        let (pos, lshape) = match self.prefix_range(var.ty, &var.shape, indices, name, span)? {
            Some((offset, rest)) => {
                let len: usize = rest.iter().product();
                ((offset..offset + len).collect(), rest)
            }
            None => self.positions(var.ty, &var.shape, lty, indices, name, span)?,
        };
        let rv = match op.binary() {
            None => rv,
            Some(bop) => {
                let cur = self.select(&var, &pos, lty, lshape.clone(), span)?;
                self.binary(bop, &cur, &rv, lty, span)?
            }
        };
        if rv.shape != lshape {
            return self.fatal(
                span,
                format!(
                    "assigning a value of sizes {:?} to `{name}` (selected sizes {:?})",
                    rv.shape, lshape
                ),
            );
        }
        let whole = pos.len() == var.len() && pos.iter().enumerate().all(|(i, &p)| i == p);
        let new = if whole {
            rv.retyped(var.ty, var.shape.clone())
        } else {
            write(var, &pos, &rv)
        };
        self.env[id.0 as usize] = Some(new);
        Ok(())
    }

    /// The common case of [`Self::assign`]: the indices select the contiguous block of
    /// `rest`-shaped elements at `offset`, written in place in the environment.
    #[allow(clippy::too_many_arguments)]
    fn assign_range(
        &mut self,
        id: VarId,
        offset: usize,
        rest: Vec<usize>,
        op: AssignOp,
        rv: Val,
        lty: impl FnOnce() -> Type,
        span: Span,
    ) -> R<()> {
        let len: usize = rest.iter().product();
        let rv = match op.binary() {
            None => rv,
            Some(bop) => {
                let lty = lty();
                let cur = match &self.env[id.0 as usize] {
                    Some(var) if len > 0 => var.range(offset, lty, rest.clone()),
                    Some(var) => {
                        let var = var.clone();
                        self.select(&var, &[], lty, rest.clone(), span)?
                    }
                    None => return self.fatal(span, "internal error: variable vanished"),
                };
                self.binary(bop, &cur, &rv, lty, span)?
            }
        };
        if rv.shape != rest {
            let name = &self.prog.var(id).name;
            return self.fatal(
                span,
                format!(
                    "assigning a value of sizes {:?} to `{name}` (selected sizes {:?})",
                    rv.shape, rest
                ),
            );
        }
        let Some(var) = self.env[id.0 as usize].take() else {
            return self.fatal(span, "internal error: variable vanished");
        };
        let new = if offset == 0 && len == var.len() {
            let shape = var.shape.clone();
            rv.retyped(var.ty, shape)
        } else {
            write_range(var, offset, len, &rv)
        };
        self.env[id.0 as usize] = Some(new);
        Ok(())
    }
}

/// [`write`] of the contiguous positions `offset..offset + len`, without listing them
/// when both sides are constants.
fn write_range(var: Val, offset: usize, len: usize, rv: &Val) -> Val {
    match (var.data, rv.as_const()) {
        (Data::Scalar(_), Some(r)) if offset == 0 && len == 1 => Val {
            data: Data::Scalar(r[0]),
            ..var
        },
        (Data::Const(mut v), Some(r)) => {
            Arc::make_mut(&mut v)[offset..offset + len].copy_from_slice(&r[..len]);
            Val {
                data: Data::Const(v),
                ..var
            }
        }
        (data, _) => {
            let pos: Vec<usize> = (offset..offset + len).collect();
            write(Val { data, ..var }, &pos, rv)
        }
    }
}

/// The type of `var[indices]` on the left of an assignment.
fn lhs_type(vty: Type, indices: &[TIndex]) -> Type {
    let singles_arr = indices
        .iter()
        .take(vty.dims)
        .filter(|i| matches!(i, TIndex::Single(_)))
        .count();
    let dims = vty.dims - singles_arr;
    let mut base_idx = indices.iter().skip(vty.dims);
    let (first, second) = (base_idx.next(), base_idx.next());
    let base = match vty.base {
        BaseType::Matrix => match (first, second) {
            (Some(TIndex::Single(_)), Some(TIndex::Single(_))) => BaseType::Real,
            (Some(TIndex::Single(_)), _) => BaseType::RowVector,
            (_, Some(TIndex::Single(_))) => BaseType::Vector,
            _ => BaseType::Matrix,
        },
        BaseType::Vector | BaseType::RowVector => match first {
            Some(TIndex::Single(_)) => BaseType::Real,
            _ => vty.base,
        },
        b => b,
    };
    let base = if base == BaseType::Real && vty.base == BaseType::Int {
        BaseType::Int
    } else {
        base
    };
    Type { base, dims }
}

/// `var` with the elements at `pos` replaced by those of `rv` (in place where possible).
fn write(var: Val, pos: &[usize], rv: &Val) -> Val {
    let Val { ty, shape, data } = var;
    let data = match (data, rv.as_const()) {
        (Data::Scalar(_), Some(r)) if pos == [0] => Data::Scalar(r[0]),
        (Data::Const(mut v), Some(r)) => {
            let vm = Arc::make_mut(&mut v);
            for (&p, &x) in pos.iter().zip(r) {
                vm[p] = x;
            }
            Data::Const(v)
        }
        (Data::Elems(mut e), _) => {
            for (k, &p) in pos.iter().enumerate() {
                e[p] = rv.elem(k);
            }
            Data::Elems(e)
        }
        (data, _) => {
            let cur = Val {
                ty,
                shape: shape.clone(),
                data,
            };
            let mut e: Vec<Elem> = cur.elems();
            for (k, &p) in pos.iter().enumerate() {
                e[p] = rv.elem(k);
            }
            Data::Elems(e)
        }
    };
    Val { ty, shape, data }.normalized()
}

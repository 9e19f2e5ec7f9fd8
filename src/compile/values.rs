//! Runtime values of the evaluator: a Stan type with its sizes, holding either constants
//! (data, loop variables, anything computed from them) or tape slots (anything that
//! depends on the parameters), or a mix of single elements for containers assigned
//! piece by piece.
//!
//! Layout: a value's elements are flattened with array dimensions outermost (row-major
//! over the arrays) and the base stored column-major, which is the tape's matrix layout.
//! So `x[i]` of an array is a contiguous range (a view, no op), a matrix column is
//! contiguous, and a matrix row is a strided gather.

use crate::ad::Slot;
use crate::lang::ast::BaseType;
use crate::lang::types::Type;
use std::sync::Arc;

/// One element of a piecewise-built value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Elem {
    /// A constant.
    C(f64),
    /// A 1×1 view of a tape slot.
    S(Slot),
}

/// Where a value's elements live.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// A single known element (no allocation: most values in loops are scalars).
    Scalar(f64),
    /// All elements are known now (shared: cloning a big data value is cheap).
    Const(Arc<Vec<f64>>),
    /// One tape slot holding every element in layout order.
    Slot(Slot),
    /// Elements one by one (some constants, some tape elements).
    Elems(Vec<Elem>),
}

/// A value: type, sizes (array dimensions, then 1 size for vectors, 2 for matrices) and data.
#[derive(Clone, Debug, PartialEq)]
pub struct Val {
    pub ty: Type,
    pub shape: Vec<usize>,
    pub data: Data,
}

/// Number of base dimensions of a type's base (0 scalar, 1 vector-like, 2 matrix).
pub fn base_rank(base: BaseType) -> usize {
    match base {
        BaseType::Int | BaseType::Real => 0,
        BaseType::Vector | BaseType::RowVector => 1,
        BaseType::Matrix => 2,
    }
}

impl Val {
    /// A constant of type `ty` and `shape`.
    pub fn constant(ty: Type, shape: Vec<usize>, values: Vec<f64>) -> Val {
        debug_assert_eq!(shape.iter().product::<usize>(), values.len());
        let data = if values.len() == 1 {
            Data::Scalar(values[0])
        } else {
            Data::Const(Arc::new(values))
        };
        Val { ty, shape, data }
    }

    pub fn int(i: i64) -> Val {
        Val {
            ty: Type::INT,
            shape: Vec::new(),
            data: Data::Scalar(i as f64),
        }
    }

    pub fn real(x: f64) -> Val {
        Val {
            ty: Type::REAL,
            shape: Vec::new(),
            data: Data::Scalar(x),
        }
    }

    /// A scalar tape slot.
    pub fn slot(ty: Type, shape: Vec<usize>, s: Slot) -> Val {
        Val {
            ty,
            shape,
            data: Data::Slot(s),
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// The constant values, if every element is known now.
    pub fn as_const(&self) -> Option<&[f64]> {
        match &self.data {
            Data::Scalar(x) => Some(std::slice::from_ref(x)),
            Data::Const(v) => Some(v),
            _ => None,
        }
    }

    /// The (rows, cols) a tape op sees: matrices as declared, row vectors 1×n, everything
    /// else (vectors, arrays flattened) as a column.
    pub fn tape_dims(&self) -> (usize, usize) {
        if self.ty.dims == 0 {
            match self.ty.base {
                BaseType::Matrix => return (self.shape[0], self.shape[1]),
                BaseType::RowVector => return (1, self.shape[0]),
                _ => {}
            }
        }
        (self.len(), 1)
    }

    /// Element `i` in layout order.
    pub fn elem(&self, i: usize) -> Elem {
        match &self.data {
            Data::Scalar(x) => Elem::C(*x),
            Data::Const(v) => Elem::C(v[i]),
            Data::Slot(s) => Elem::S(sub_slot(*s, i, 1, 1)),
            Data::Elems(e) => e[i],
        }
    }

    /// Elements `offset..offset+len` as a value of type `ty` and `shape` (no op).
    pub fn range(&self, offset: usize, ty: Type, shape: Vec<usize>) -> Val {
        let len: usize = shape.iter().product();
        let data = match &self.data {
            Data::Scalar(x) => Data::Scalar(*x),
            Data::Const(v) if len == 1 => Data::Scalar(v[offset]),
            Data::Const(v) => Data::Const(Arc::new(v[offset..offset + len].to_vec())),
            Data::Slot(s) => {
                let (r, c) = dims_for(ty, &shape);
                Data::Slot(sub_slot(*s, offset, r, c))
            }
            Data::Elems(e) => Data::Elems(e[offset..offset + len].to_vec()),
        };
        Val { ty, shape, data }.normalized()
    }

    /// Every element as an [`Elem`].
    pub fn elems(&self) -> Vec<Elem> {
        (0..self.len()).map(|i| self.elem(i)).collect()
    }

    /// Collapses an all-constant element list to a constant.
    pub fn normalized(self) -> Val {
        if let Data::Elems(e) = &self.data
            && e.iter().all(|x| matches!(x, Elem::C(_)))
        {
            let v = e
                .iter()
                .filter_map(|x| match x {
                    Elem::C(c) => Some(*c),
                    Elem::S(_) => None,
                })
                .collect();
            return Val::constant(self.ty, self.shape, v);
        }
        self
    }

    /// The same elements seen as another type and shape (e.g. int promoted to real).
    pub fn retyped(self, ty: Type, shape: Vec<usize>) -> Val {
        let data = match self.data {
            Data::Slot(s) => {
                let (r, c) = dims_for(ty, &shape);
                Data::Slot(sub_slot(s, 0, r, c))
            }
            d => d,
        };
        Val { ty, shape, data }
    }
}

/// The (rows, cols) a tape op sees for a value of `ty` and `shape`.
pub fn dims_for(ty: Type, shape: &[usize]) -> (usize, usize) {
    if ty.dims == 0 {
        match ty.base {
            BaseType::Matrix => return (shape[0], shape[1]),
            BaseType::RowVector => return (1, shape[0]),
            _ => {}
        }
    }
    (shape.iter().product(), 1)
}

/// A view of `len = rows·cols` elements of `s` from `offset`.
pub fn sub_slot(s: Slot, offset: usize, rows: usize, cols: usize) -> Slot {
    Slot {
        start: s.start + offset as u32,
        rows: rows as u32,
        cols: cols as u32,
        active: s.active,
    }
}

/// The multi-index (0-based, in declaration order) of layout position `i`.
pub fn unflatten(ty: Type, shape: &[usize], mut i: usize) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    let nd = ty.dims;
    // base: column-major
    let base = &shape[nd..];
    let base_len: usize = base.iter().product();
    let mut b = i % base_len.max(1);
    i /= base_len.max(1);
    for (k, &d) in base.iter().enumerate() {
        idx[nd + k] = b % d.max(1);
        b /= d.max(1);
    }
    for k in (0..nd).rev() {
        idx[k] = i % shape[k].max(1);
        i /= shape[k].max(1);
    }
    idx
}

/// Output order of a variable's elements as CmdStan writes them: the full multi-index
/// (array and matrix indices alike) with the first index varying fastest. Returns, for
/// each output column, the element's layout position.
pub fn output_order(ty: Type, shape: &[usize]) -> Vec<usize> {
    let n: usize = shape.iter().product();
    let mut order = Vec::with_capacity(n);
    // Stan CSV: first index varies fastest over the full index list.
    let mut idx = vec![0usize; shape.len()];
    for _ in 0..n {
        order.push(flatten(ty, shape, &idx));
        for k in 0..idx.len() {
            idx[k] += 1;
            if idx[k] < shape[k] {
                break;
            }
            idx[k] = 0;
        }
    }
    order
}

/// Layout position of a full multi-index.
pub fn flatten(ty: Type, shape: &[usize], idx: &[usize]) -> usize {
    let nd = ty.dims;
    let mut outer = 0;
    for k in 0..nd {
        outer = outer * shape[k] + idx[k];
    }
    let base = &shape[nd..];
    let base_len: usize = base.iter().product();
    let mut inner = 0;
    let mut stride = 1;
    for (k, &d) in base.iter().enumerate() {
        inner += idx[nd + k] * stride;
        stride *= d;
    }
    outer * base_len + inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_arrays_row_major_and_matrices_column_major() {
        // array[2] matrix[2, 3]: element [1][0, 2] (0-based) sits after one whole matrix,
        // in column 2, row 0
        let ty = Type::array(BaseType::Matrix, 1);
        let shape = [2, 2, 3];
        assert_eq!(flatten(ty, &shape, &[1, 0, 2]), 6 + 4);
        for p in 0..12 {
            assert_eq!(flatten(ty, &shape, &unflatten(ty, &shape, p)), p);
        }
    }

    #[test]
    fn output_order_varies_the_first_index_fastest() {
        let ty = Type::array(BaseType::Real, 2);
        // array[2, 3] real: output a.1.1, a.2.1, a.1.2, … = layout 0, 3, 1, 4, 2, 5
        assert_eq!(output_order(ty, &[2, 3]), [0, 3, 1, 4, 2, 5]);
        // matrix[2, 3]: output order equals the column-major layout
        assert_eq!(output_order(Type::MATRIX, &[2, 3]), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn piecewise_values_collapse_to_constants() {
        let v = Val {
            ty: Type::VECTOR,
            shape: vec![2],
            data: Data::Elems(vec![Elem::C(1.0), Elem::C(2.0)]),
        }
        .normalized();
        assert_eq!(v.as_const(), Some(&[1.0, 2.0][..]));
        let s = Slot {
            start: 4,
            rows: 3,
            cols: 1,
            active: true,
        };
        let sv = Val::slot(Type::VECTOR, vec![3], s);
        assert_eq!(sv.elem(2), Elem::S(sub_slot(s, 2, 1, 1)));
        assert_eq!(sv.tape_dims(), (3, 1));
    }
}

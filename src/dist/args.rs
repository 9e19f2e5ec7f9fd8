//! Kernel arguments: scalars or slices broadcast like Stan, and which terms `propto` keeps.

/// The most real (or integer) arguments any univariate family takes, outcome included.
pub const MAX_ARGS: usize = 4;

/// A real argument: one value, or a container (vector, row vector or array) of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// A scalar, broadcast against any container arguments.
    Scalar(f64),
    /// A container; every container argument of one call must have the same length.
    Vector(&'a [f64]),
}

impl Arg<'_> {
    /// The container length, or `None` for a scalar.
    pub fn len(&self) -> Option<usize> {
        match self {
            Arg::Scalar(_) => None,
            Arg::Vector(v) => Some(v.len()),
        }
    }

    /// True for an empty container (a call with one has log density 0).
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The value at broadcast position `i`.
    #[inline]
    pub fn at(&self, i: usize) -> f64 {
        match self {
            Arg::Scalar(x) => *x,
            Arg::Vector(v) => v[i],
        }
    }

    /// The length a partial-derivative buffer for this argument must have.
    pub fn partial_len(&self) -> usize {
        self.len().unwrap_or(1)
    }
}

/// An integer argument (a count, a category, a number of trials).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IntArg<'a> {
    /// A scalar, broadcast against any container arguments.
    Scalar(i64),
    /// A container of the call's common length.
    Vector(&'a [i64]),
}

impl IntArg<'_> {
    /// The container length, or `None` for a scalar.
    pub fn len(&self) -> Option<usize> {
        match self {
            IntArg::Scalar(_) => None,
            IntArg::Vector(v) => Some(v.len()),
        }
    }

    /// True for an empty container.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The value at broadcast position `i`.
    #[inline]
    pub fn at(&self, i: usize) -> i64 {
        match self {
            IntArg::Scalar(x) => *x,
            IntArg::Vector(v) => v[i],
        }
    }
}

/// Which terms of a log density to keep.
///
/// With `propto = false` every term is kept (`target += normal_lpdf(...)`). With
/// `propto = true` (`~` statements, `_lupdf`) a term is kept only when it depends on at
/// least one *varying* (non-constant) real argument, as Stan's `include_summand` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    propto: bool,
    varying: [bool; MAX_ARGS],
}

impl Keep {
    /// Keep everything (no argument information needed).
    pub const ALL: Keep = Keep {
        propto: false,
        varying: [true; MAX_ARGS],
    };

    /// Builds the rule from `propto` and one flag per real argument (true = varying).
    pub fn new(propto: bool, varying: &[bool]) -> Keep {
        let mut v = [false; MAX_ARGS];
        for (slot, &flag) in v.iter_mut().zip(varying) {
            *slot = flag;
        }
        Keep { propto, varying: v }
    }

    /// True when terms that depend on no argument at all are kept.
    #[inline]
    pub fn constants(&self) -> bool {
        !self.propto
    }

    /// True when a term depending on the real arguments at `slots` is kept.
    #[inline]
    pub fn any(&self, slots: &[usize]) -> bool {
        !self.propto || slots.iter().any(|&s| self.varying[s])
    }

    /// True when real argument `slot` is varying (its partial is wanted).
    #[inline]
    pub fn varying(&self, slot: usize) -> bool {
        self.varying[slot]
    }
}

/// A column-major matrix argument (Stan's storage order).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatRef<'a> {
    /// Entries, column after column.
    pub data: &'a [f64],
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
}

impl<'a> MatRef<'a> {
    /// Wraps column-major `data` of shape `rows x cols`; `None` if the length disagrees.
    pub fn new(data: &'a [f64], rows: usize, cols: usize) -> Option<Self> {
        (data.len() == rows * cols).then_some(MatRef { data, rows, cols })
    }

    /// Entry (i, j), 0-based.
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i + j * self.rows]
    }

    /// As an owned nalgebra matrix.
    pub fn to_dmatrix(&self) -> nalgebra::DMatrix<f64> {
        nalgebra::DMatrix::from_column_slice(self.rows, self.cols, self.data)
    }
}

//! Slots: typed ranges of the tape's value buffer. A scalar, vector or matrix value is one
//! slot; matrices are stored column-major.

/// A range of the value buffer holding one scalar, vector or matrix (column-major).
///
/// `active` slots depend on the parameters and carry adjoints; inactive slots are data
/// (constants baked into the tape) and are skipped by the reverse sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    /// Offset of the first element in the value buffer.
    pub start: u32,
    /// Number of rows (1 for a scalar).
    pub rows: u32,
    /// Number of columns (1 for a scalar or a column vector).
    pub cols: u32,
    /// True when the value depends on the parameters.
    pub active: bool,
}

impl Slot {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.rows as usize * self.cols as usize
    }

    /// True for a slot of no elements (an empty vector).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True for a 1×1 slot.
    pub fn is_scalar(&self) -> bool {
        self.rows == 1 && self.cols == 1
    }

    /// Offset of the first element.
    pub fn offset(&self) -> usize {
        self.start as usize
    }

    /// The element range in the value buffer.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.offset()..self.offset() + self.len()
    }

    /// `"3x2"`-style shape text for listings and errors.
    pub fn shape(&self) -> String {
        format!("{}x{}", self.rows, self.cols)
    }
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.active { '%' } else { '$' };
        if self.is_scalar() {
            write!(f, "{kind}{}", self.start)
        } else {
            write!(f, "{kind}{}[{}x{}]", self.start, self.rows, self.cols)
        }
    }
}

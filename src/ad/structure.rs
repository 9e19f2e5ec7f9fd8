//! Stan's constructors and slicing functions over a [`TapeBuilder`]: rep_*, segment,
//! row, col, block, append_row, append_col. Contiguous pieces are views (free); the rest
//! are gathers and concats, so their adjoints are those ops' scatter-adds.

use super::builder::{BuildError, TapeBuilder, err};
use super::slot::Slot;

fn dims(s: Slot) -> (usize, usize) {
    (s.rows as usize, s.cols as usize)
}

impl TapeBuilder {
    /// A `rows×cols` value every element of which is the scalar `x`
    /// (rep_vector, rep_row_vector, rep_matrix, rep_array).
    pub fn rep(&self, x: Slot, rows: usize, cols: usize) -> Result<Slot, BuildError> {
        if !x.is_scalar() {
            return err(
                "rep",
                format!("repeats a scalar, not a {} value", x.shape()),
            );
        }
        self.gather(x, vec![0; rows * cols], rows, cols)
    }

    /// `len` elements of a vector from 0-based `start` (segment, head, tail): a view.
    pub fn segment(&self, x: Slot, start: usize, len: usize) -> Result<Slot, BuildError> {
        let (r, c) = dims(x);
        if r != 1 && c != 1 {
            return err("segment", format!("expects a vector, got {}", x.shape()));
        }
        if c == 1 {
            self.view(x, start, len, 1)
        } else {
            self.view(x, start, 1, len)
        }
    }

    /// Column `j` (0-based) of a matrix as a column vector: a view.
    pub fn col(&self, m: Slot, j: usize) -> Result<Slot, BuildError> {
        let (r, c) = dims(m);
        if j >= c {
            return err("col", format!("column {} of a {} matrix", j + 1, m.shape()));
        }
        self.view(m, j * r, r, 1)
    }

    /// Row `i` (0-based) of a matrix as a row vector.
    pub fn row(&self, m: Slot, i: usize) -> Result<Slot, BuildError> {
        self.block(m, i, 0, 1, m.cols as usize)
    }

    /// The `rows×cols` block of `m` whose top-left element is (`i`, `j`), 0-based.
    pub fn block(
        &self,
        m: Slot,
        i: usize,
        j: usize,
        rows: usize,
        cols: usize,
    ) -> Result<Slot, BuildError> {
        let (r, c) = dims(m);
        if i + rows > r || j + cols > c {
            return err(
                "block",
                format!(
                    "{rows}x{cols} block at ({}, {}) of a {} matrix",
                    i + 1,
                    j + 1,
                    m.shape()
                ),
            );
        }
        let index = (0..cols)
            .flat_map(|q| (0..rows).map(move |p| ((i + p) + (j + q) * r) as u32))
            .collect();
        self.gather(m, index, rows, cols)
    }

    /// `[a; b]`: rows of `b` below those of `a` (equal column counts; vectors or matrices).
    pub fn append_row(&self, a: Slot, b: Slot) -> Result<Slot, BuildError> {
        if a.cols != b.cols {
            return err(
                "append_row",
                format!("{} above {}: column counts differ", a.shape(), b.shape()),
            );
        }
        let (ra, rb, c) = (a.rows as usize, b.rows as usize, a.cols as usize);
        if c == 1 {
            return self.concat(&[a, b], ra + rb, 1);
        }
        let both = self.concat(&[a, b], a.len() + b.len(), 1)?;
        let index = (0..c)
            .flat_map(|q| {
                (0..ra)
                    .map(move |p| (p + q * ra) as u32)
                    .chain((0..rb).map(move |p| (ra * c + p + q * rb) as u32))
            })
            .collect();
        self.gather(both, index, ra + rb, c)
    }

    /// `[a, b]`: columns of `b` right of those of `a` (equal row counts). Column-major
    /// storage makes this a plain concat.
    pub fn append_col(&self, a: Slot, b: Slot) -> Result<Slot, BuildError> {
        if a.rows != b.rows {
            return err(
                "append_col",
                format!("{} beside {}: row counts differ", a.shape(), b.shape()),
            );
        }
        self.concat(&[a, b], a.rows as usize, (a.cols + b.cols) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ad::Scratch;

    /// The values of `f` applied to the data matrix [1 3 5; 2 4 6] (folded at build time).
    fn folded(f: impl FnOnce(&TapeBuilder, Slot) -> Result<Slot, BuildError>) -> Vec<f64> {
        let b = TapeBuilder::new(0);
        let m = b.constant(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3).unwrap();
        let s = f(&b, m).unwrap();
        let tape = b.finish(b.scalar(0.0)).unwrap();
        Scratch::new(&tape).values()[s.range()].to_vec()
    }

    #[test]
    fn slicing_and_appending_follow_column_major_layout() {
        assert_eq!(folded(|b, m| b.row(m, 1)), [2.0, 4.0, 6.0]);
        assert_eq!(folded(|b, m| b.col(m, 2)), [5.0, 6.0]);
        assert_eq!(folded(|b, m| b.block(m, 0, 1, 2, 2)), [3.0, 4.0, 5.0, 6.0]);
        assert_eq!(
            folded(|b, m| b.append_row(m, b.row(m, 1)?)),
            [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0]
        );
        assert_eq!(
            folded(|b, m| b.append_col(m, b.col(m, 0)?)),
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 1.0, 2.0]
        );
        assert_eq!(folded(|b, _| b.rep(b.scalar(7.0), 1, 2)), [7.0, 7.0]);
        assert_eq!(folded(|b, m| b.segment(b.col(m, 1)?, 1, 1)), [4.0]);
    }

    #[test]
    fn out_of_range_pieces_are_errors() {
        let b = TapeBuilder::new(0);
        let m = b.constant(&[0.0; 6], 2, 3).unwrap();
        assert!(b.col(m, 3).is_err());
        assert!(b.block(m, 1, 1, 2, 1).is_err());
        assert!(b.append_col(m, b.row(m, 0).unwrap()).is_err());
        assert!(b.append_row(m, b.col(m, 0).unwrap()).is_err());
        assert!(b.segment(m, 0, 1).is_err());
        assert!(b.rep(m, 2, 2).is_err());
    }
}

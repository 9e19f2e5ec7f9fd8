//! Expression types: a base (int, real, vector, row_vector, matrix) with a number of
//! array dimensions, and Stan's assignment/promotion rules between them.

pub use super::ast::BaseType;
use std::fmt;

/// The type of an expression. Sizes are not part of it (they are runtime values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Type {
    pub base: BaseType,
    /// Number of array dimensions around the base.
    pub dims: usize,
}

impl Type {
    pub const INT: Type = Type::scalar(BaseType::Int);
    pub const REAL: Type = Type::scalar(BaseType::Real);
    pub const VECTOR: Type = Type::scalar(BaseType::Vector);
    pub const ROW_VECTOR: Type = Type::scalar(BaseType::RowVector);
    pub const MATRIX: Type = Type::scalar(BaseType::Matrix);

    pub const fn scalar(base: BaseType) -> Type {
        Type { base, dims: 0 }
    }

    pub const fn array(base: BaseType, dims: usize) -> Type {
        Type { base, dims }
    }

    /// `int` or `real` (no array dimensions).
    pub fn is_scalar(self) -> bool {
        self.dims == 0 && matches!(self.base, BaseType::Int | BaseType::Real)
    }

    pub fn is_int(self) -> bool {
        self == Type::INT
    }

    /// The base is int (with any number of array dimensions).
    pub fn is_int_based(self) -> bool {
        self.base == BaseType::Int
    }

    /// The same shape with int replaced by real.
    pub fn promoted(self) -> Type {
        if self.base == BaseType::Int {
            Type {
                base: BaseType::Real,
                ..self
            }
        } else {
            self
        }
    }

    /// Number of indices a single-index chain can take: array dims plus 1 for vectors, 2 for matrices.
    pub fn index_depth(self) -> usize {
        self.dims
            + match self.base {
                BaseType::Int | BaseType::Real => 0,
                BaseType::Vector | BaseType::RowVector => 1,
                BaseType::Matrix => 2,
            }
    }

    /// Whether a value of type `from` may be stored in a variable of type `self`
    /// (identical, or int promoted to real with the same array dimensions).
    pub fn accepts(self, from: Type) -> bool {
        self == from
            || (self.dims == from.dims && self.base == BaseType::Real && from.base == BaseType::Int)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = super::pretty::base_word(self.base);
        if self.dims == 0 {
            write!(f, "{base}")
        } else {
            write!(f, "array[{}] {base}", ",".repeat(self.dims - 1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotion_and_display() {
        assert!(Type::REAL.accepts(Type::INT));
        assert!(!Type::INT.accepts(Type::REAL));
        assert!(Type::array(BaseType::Real, 2).accepts(Type::array(BaseType::Int, 2)));
        assert!(!Type::VECTOR.accepts(Type::array(BaseType::Real, 1)));
        assert_eq!(
            Type::array(BaseType::Vector, 2).to_string(),
            "array[,] vector"
        );
        assert_eq!(Type::array(BaseType::Matrix, 1).index_depth(), 3);
    }
}

//! Result types of Stan's operators (Stan Functions Reference, "Matrix operations" and
//! "Integer-valued / real-valued basic functions"): arithmetic, element-wise, linear
//! algebra, comparison and logical operators.

use super::super::ast::{BaseType, BinOp, UnOp};
use super::super::types::Type;

/// Non-array vector, row vector or matrix.
fn is_linalg(t: Type) -> bool {
    t.dims == 0
        && matches!(
            t.base,
            BaseType::Vector | BaseType::RowVector | BaseType::Matrix
        )
}

/// Both int → int, else real (scalars only).
fn scalar_arith(l: Type, r: Type) -> Type {
    if l.is_int() && r.is_int() {
        Type::INT
    } else {
        Type::REAL
    }
}

/// The type of `l op r`, or `None` when Stan has no such operator.
pub(crate) fn binary(op: BinOp, l: Type, r: Type) -> Option<Type> {
    use BaseType::*;
    use BinOp::*;
    let both_scalar = l.is_scalar() && r.is_scalar();
    match op {
        Or | And | Eq | Ne | Lt | Le | Gt | Ge => both_scalar.then_some(Type::INT),
        Mod | IntDiv => (l.is_int() && r.is_int()).then_some(Type::INT),
        Add | Sub => {
            if both_scalar {
                Some(scalar_arith(l, r))
            } else if is_linalg(l) && (l == r || r.is_scalar()) {
                Some(l)
            } else if l.is_scalar() && is_linalg(r) {
                Some(r)
            } else {
                None
            }
        }
        Mul => {
            if both_scalar {
                return Some(scalar_arith(l, r));
            }
            if l.is_scalar() && is_linalg(r) {
                return Some(r);
            }
            if r.is_scalar() && is_linalg(l) {
                return Some(l);
            }
            if !(is_linalg(l) && is_linalg(r)) {
                return None;
            }
            match (l.base, r.base) {
                (RowVector, Vector) => Some(Type::REAL),
                (Vector, RowVector) | (Matrix, Matrix) => Some(Type::MATRIX),
                (Matrix, Vector) => Some(Type::VECTOR),
                (RowVector, Matrix) => Some(Type::ROW_VECTOR),
                _ => None,
            }
        }
        Div => {
            if both_scalar {
                return Some(scalar_arith(l, r));
            }
            if is_linalg(l) && r.is_scalar() {
                return Some(l);
            }
            match (l, r) {
                (Type::ROW_VECTOR, Type::MATRIX) => Some(Type::ROW_VECTOR),
                (Type::MATRIX, Type::MATRIX) => Some(Type::MATRIX),
                _ => None,
            }
        }
        LeftDiv => match (l, r) {
            (Type::MATRIX, Type::VECTOR) => Some(Type::VECTOR),
            (Type::MATRIX, Type::MATRIX) => Some(Type::MATRIX),
            _ => None,
        },
        EltMul | EltDiv => {
            if both_scalar {
                return Some(if op == EltMul {
                    scalar_arith(l, r)
                } else {
                    Type::REAL
                });
            }
            if is_linalg(l) && (l == r || r.is_scalar()) {
                Some(l)
            } else if l.is_scalar() && is_linalg(r) {
                Some(r)
            } else {
                None
            }
        }
        Pow => both_scalar.then_some(Type::REAL),
        EltPow => {
            if both_scalar {
                Some(Type::REAL)
            } else if is_linalg(l) && (l == r || r.is_scalar()) {
                Some(l)
            } else if l.is_scalar() && is_linalg(r) {
                Some(r)
            } else {
                None
            }
        }
    }
}

/// The type of a prefix operator applied to `t`.
pub(crate) fn unary(op: UnOp, t: Type) -> Option<Type> {
    match op {
        UnOp::Not => t.is_scalar().then_some(Type::INT),
        UnOp::Neg | UnOp::Plus => (t.is_scalar() || is_linalg(t)).then_some(t),
    }
}

/// The type of `t'`.
pub(crate) fn transpose(t: Type) -> Option<Type> {
    match t {
        Type::VECTOR => Some(Type::ROW_VECTOR),
        Type::ROW_VECTOR => Some(Type::VECTOR),
        Type::MATRIX => Some(Type::MATRIX),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_algebra_shapes() {
        assert_eq!(
            binary(BinOp::Mul, Type::ROW_VECTOR, Type::VECTOR),
            Some(Type::REAL)
        );
        assert_eq!(
            binary(BinOp::Mul, Type::MATRIX, Type::VECTOR),
            Some(Type::VECTOR)
        );
        assert_eq!(binary(BinOp::Mul, Type::VECTOR, Type::VECTOR), None);
        assert_eq!(
            binary(BinOp::Add, Type::INT, Type::VECTOR),
            Some(Type::VECTOR)
        );
        assert_eq!(binary(BinOp::Div, Type::INT, Type::INT), Some(Type::INT));
        assert_eq!(binary(BinOp::Pow, Type::INT, Type::INT), Some(Type::REAL));
        assert_eq!(
            binary(BinOp::LeftDiv, Type::MATRIX, Type::VECTOR),
            Some(Type::VECTOR)
        );
        assert_eq!(
            binary(BinOp::Add, Type::array(BaseType::Real, 1), Type::REAL),
            None
        );
        assert_eq!(transpose(Type::VECTOR), Some(Type::ROW_VECTOR));
        assert_eq!(unary(UnOp::Not, Type::VECTOR), None);
    }
}

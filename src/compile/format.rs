//! How `print` shows values: scalars as numbers, containers in brackets, as Stan does.

use super::values::{Data, Elem, Val};

/// The text `print` writes for a value (tape values print as `<param>` while tracing).
pub fn show(v: &Val) -> String {
    let one = |e: Elem| match e {
        Elem::C(x) => fmt_num(x, v.ty.is_int_based()),
        Elem::S(_) => "<parameter>".to_string(),
    };
    if v.shape.is_empty() {
        return one(v.elem(0));
    }
    if let Data::Slot(_) = v.data {
        return format!("<parameter of size {:?}>", v.shape);
    }
    let items: Vec<String> = (0..v.len()).map(|i| one(v.elem(i))).collect();
    format!("[{}]", items.join(","))
}

fn fmt_num(x: f64, int: bool) -> String {
    if int {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

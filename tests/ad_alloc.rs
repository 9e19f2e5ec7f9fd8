//! The gradient hot loop allocates nothing: after the first evaluation (which creates the
//! thread's scratch), replaying a tape — elementwise, matrix and kernel ops alike — makes
//! no heap allocation. Counted by a global allocator wrapper in this test binary.

use hazel::ad::{TapeBuilder, TapeDensity};
use hazel::model::LogDensity;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn replaying_a_tape_does_not_allocate() {
    let b = TapeBuilder::new(4);
    let p = b.param_vector();
    let (log_alpha, log_rho) = (p.at(0), p.at(1));
    let xs = b.data_vector(&[0.0, 0.5, 1.3, 2.0]);
    let k = xs.gp_exp_quad_cov(log_alpha.exp(), log_rho.exp());
    let jitter = b.scalar(1e-6);
    let k = b.var(b.add_diag(k.slot(), jitter).unwrap());
    let l = k.cholesky();
    let beta = b.var(b.view(p.slot(), 2, 2, 1).unwrap());
    let x = b.data_matrix(&[1.0, 1.0, 1.0, 1.0, 0.1, 0.2, 0.3, 0.4], 4, 2);
    let mean = x.matmul(beta);
    let z = b.var(b.tri_solve_left(l.slot(), mean.slot()).unwrap());
    let lp = -0.5 * z.dot_self() + (-beta.square()).sum() + mean.log_softmax().sum();
    let density = TapeDensity::new(b.finish_var(lp).unwrap());

    let x0 = [0.1, -0.2, 0.3, 0.4];
    let mut g = [0.0; 4];
    density.log_density_and_gradient(&x0, &mut g).unwrap();
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..100 {
        density.log_density_and_gradient(&x0, &mut g).unwrap();
    }
    assert_eq!(ALLOCATIONS.load(Ordering::Relaxed) - before, 0);
}

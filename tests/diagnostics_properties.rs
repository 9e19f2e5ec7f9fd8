//! Properties that hold for any draws: rank-based diagnostics depend only on ranks, and
//! Stan CSV written by hazel reads back bit for bit.

use hazel::diagnostics::ChainArray;
use hazel::draws::{ChainTiming, DrawSink};
use hazel::io::stan_csv::{MetricKind, RunInfo, StanCsvWriter, parse_chain};
use proptest::prelude::*;

/// Few cases: each runs several FFT-based ESS computations.
const CASES: u32 = 48;

/// 4 chains of `n` draws on a grid of eighths, so ties occur and a cubic map is exact.
fn chains(n: usize) -> impl Strategy<Value = Vec<Vec<f64>>> {
    prop::collection::vec(
        prop::collection::vec((-64i32..64).prop_map(|i| f64::from(i) / 8.0), n),
        4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn bulk_diagnostics_only_see_ranks(x in chains(24)) {
        // x ↦ x³ + x is strictly increasing and exact on this grid: ranks and ties survive.
        let y: Vec<Vec<f64>> = x.iter().map(|c| c.iter().map(|v| v * v * v + v).collect()).collect();
        let xr: Vec<&[f64]> = x.iter().map(Vec::as_slice).collect();
        let yr: Vec<&[f64]> = y.iter().map(Vec::as_slice).collect();
        let (a, b) = (ChainArray::new(&xr).unwrap(), ChainArray::new(&yr).unwrap());
        prop_assert_eq!(a.rhat_bulk().to_bits(), b.rhat_bulk().to_bits());
        prop_assert_eq!(a.ess_bulk().to_bits(), b.ess_bulk().to_bits());
        prop_assert_eq!(a.ess_tail().to_bits(), b.ess_tail().to_bits());
    }

    #[test]
    fn stan_csv_round_trips_every_double(rows in prop::collection::vec(prop::collection::vec(any::<f64>(), 9), 1..20)) {
        let info = RunInfo {
            model: "m".into(),
            data_files: vec![],
            seed: 1,
            chain_id: 1,
            num_chains: 1,
            num_warmup: 0,
            num_samples: rows.len(),
            save_warmup: false,
            metric: MetricKind::Diag,
            adapt_delta: 0.8,
            max_depth: 10,
            hazel_version: RunInfo::VERSION.into(),
        };
        let mut w = StanCsvWriter::new(Vec::new(), &info, &["a".into(), "b.1".into()]).unwrap();
        for r in &rows {
            w.draw_row(r).unwrap();
        }
        w.finish(&ChainTiming::default(), false).unwrap();
        let text = String::from_utf8(w.into_inner()).unwrap();
        let parsed = parse_chain(&text, "p.csv").unwrap();
        for (i, r) in rows.iter().enumerate() {
            for (k, v) in r.iter().enumerate() {
                let back = parsed.chain.draws[k][i];
                prop_assert!(back.to_bits() == v.to_bits() || (v.is_nan() && back.is_nan()), "{v:?} -> {back:?}");
            }
        }
    }
}

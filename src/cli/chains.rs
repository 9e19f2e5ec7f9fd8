//! Reading a run's chain files back, an interrupted run's included. Chains stopped by a
//! signal end at different iterations, which Stan CSV readers refuse to combine; here they
//! are cut to the shortest chain for summaries and plots (R-hat and ESS need equally long
//! chains), while the files themselves keep every draw.

use hazel::io::stan_csv::{StanCsv, StanCsvError, read_stan_csv};
use std::path::PathBuf;

/// Reads `files` as the chains of one run. Chains of unequal length are accepted only
/// when at least one of them says it was interrupted (a note on stderr says how they were
/// cut); otherwise the reader's error stands.
pub fn read_chains(files: &[PathBuf]) -> Result<StanCsv, StanCsvError> {
    let whole = match read_stan_csv(files) {
        Ok(csv) => return Ok(csv),
        Err(e) => e,
    };
    let parts = files
        .iter()
        .map(|f| read_stan_csv(std::slice::from_ref(f)))
        .collect::<Result<Vec<StanCsv>, _>>()?;
    let chains = || parts.iter().flat_map(|p| &p.draws.chains);
    let lengths = || chains().map(|c| c.num_draws());
    let (Some(shortest), Some(longest)) = (lengths().min(), lengths().max()) else {
        return Err(whole);
    };
    let same_columns = parts
        .iter()
        .all(|p| p.draws.columns == parts[0].draws.columns);
    if shortest == longest || !same_columns || !chains().any(|c| c.interrupted) {
        return Err(whole);
    }
    let mut csv = StanCsv {
        draws: hazel::draws::Draws {
            columns: parts[0].draws.columns.clone(),
            chains: Vec::new(),
        },
        configs: Vec::new(),
    };
    for mut part in parts {
        for mut chain in part.draws.chains.drain(..) {
            for column in &mut chain.draws {
                column.truncate(shortest);
            }
            csv.draws.chains.push(chain);
        }
        csv.configs.append(&mut part.configs);
    }
    eprintln!(
        "note: the run was interrupted and its chains hold {shortest} to {longest} draws; \
         the summary and plots use the first {shortest} of each"
    );
    Ok(csv)
}

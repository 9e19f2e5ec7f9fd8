//! Stopping `hazel sample` with real signals, through the real binary: the run is started
//! on a model that is still sampling when the signal comes (far more draws are asked for
//! than it can make), the signal is sent once every chain file holds draws, and then the
//! exit status, the chain files (read back with hazel's Stan CSV reader), `fit.json` and
//! stderr are checked. Timeouts are generous and nothing depends on how fast the machine is.

mod cli_common;

use hazel::io::stan_csv::read_stan_csv;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Chains of the run; the test waits until each one has written a draw.
const CHAINS: usize = 2;
/// Far more draws than any machine makes before the signal arrives.
const DRAWS: &str = "100000000";
/// How long the test waits for the first draws and for the process to end (generous: the
/// machine may be loaded, and post-processing draws plots).
const PATIENCE: Duration = Duration::from_secs(600);
const POLL: Duration = Duration::from_millis(20);

/// A one-parameter model whose gradient walks 10 000 data points, so that draws come at a
/// steady pace, and whose plots stay small (one variable).
fn write_model(dir: &Path) -> (String, String) {
    let model = dir.join("slow.stan");
    std::fs::write(
        &model,
        "data { int N; vector[N] y; real s; }\n\
         parameters { real mu; }\n\
         model { y ~ normal(mu, s); }\n",
    )
    .unwrap();
    let n = 10_000;
    let y: Vec<String> = (0..n)
        .map(|i| format!("{:.3}", ((i * 7919) % 1000) as f64 / 10.0 - 50.0))
        .collect();
    let data = dir.join("slow.json");
    // s = 100 with N = 10 000 gives a posterior sd of 1 for mu.
    std::fs::write(
        &data,
        format!(r#"{{"N": {n}, "s": 100, "y": [{}]}}"#, y.join(",")),
    )
    .unwrap();
    (model.display().to_string(), data.display().to_string())
}

/// Data rows (not comments, not the header) in a chain file written so far.
fn rows_written(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| {
            t.lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .count()
                .saturating_sub(1)
        })
        .unwrap_or(0)
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name} failed");
}

fn wait(child: &mut Child) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("hazel sample did not end within {PATIENCE:?} of the signal");
        }
        std::thread::sleep(POLL);
    }
}

/// What a signalled run left behind.
struct Stopped {
    status: ExitStatus,
    out: PathBuf,
    stderr: String,
}

/// Starts `hazel sample`, waits until every chain file holds a draw, sends `signals` (in
/// order, one after the other) and waits for the process to end.
fn sample_and_signal(name: &str, signals: &[&str]) -> Stopped {
    let dir = cli_common::temp_dir("cli-interrupt", name);
    let (model, data) = write_model(&dir);
    let out = dir.join("fit");
    let log = |f: &str| Stdio::from(std::fs::File::create(dir.join(f)).unwrap());
    let mut child = Command::new(env!("CARGO_BIN_EXE_hazel"))
        .args(["sample", &model, "--data", &data, "--output"])
        .arg(&out)
        .args([
            "--chains",
            &CHAINS.to_string(),
            "--threads",
            &CHAINS.to_string(),
        ])
        .args([
            "--warmup", "20", "--draws", DRAWS, "--seed", "7", "--init", "0",
        ])
        .arg("--quiet")
        .stdout(log("stdout.txt"))
        .stderr(log("stderr.txt"))
        .spawn()
        .unwrap();
    let start = Instant::now();
    let files: Vec<PathBuf> = (1..=CHAINS)
        .map(|k| out.join(format!("chain_{k}.csv")))
        .collect();
    while !files.iter().all(|f| rows_written(f) >= 1) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "hazel sample ended ({status}) before the signal: {}",
                std::fs::read_to_string(dir.join("stderr.txt")).unwrap_or_default()
            );
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("no draws in {PATIENCE:?}");
        }
        std::thread::sleep(POLL);
    }
    for s in signals {
        signal(&child, s);
    }
    let status = wait(&mut child);
    Stopped {
        status,
        out,
        stderr: std::fs::read_to_string(dir.join("stderr.txt")).unwrap(),
    }
}

/// Each chain file read alone (stopped chains differ in length): its draws and whether it
/// says it was interrupted.
fn chain_files(out: &Path) -> Vec<(usize, bool)> {
    (1..=CHAINS)
        .map(|k| {
            let path = out.join(format!("chain_{k}.csv"));
            let csv = read_stan_csv(std::slice::from_ref(&path))
                .unwrap_or_else(|e| panic!("{} unreadable: {e}", path.display()));
            let chain = &csv.draws.chains[0];
            (chain.num_draws(), chain.interrupted)
        })
        .collect()
}

fn fit_json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("fit.json")).unwrap()).unwrap()
}

fn assert_stopped_cleanly(run: &Stopped, code: i32, cause: &str) {
    assert_eq!(run.status.code(), Some(code), "stderr: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("interrupted by {cause}")),
        "{}",
        run.stderr
    );
    for (k, (draws, interrupted)) in chain_files(&run.out).into_iter().enumerate() {
        assert!(draws >= 1, "chain {} kept no draws", k + 1);
        assert!(
            interrupted,
            "chain {} does not say it was interrupted",
            k + 1
        );
    }
    let fit = fit_json(&run.out);
    assert_eq!(fit["interrupted"], true, "{fit}");
    for chain in fit["chains"].as_array().unwrap() {
        assert_eq!(chain["interrupted"], true, "{chain}");
        assert!(chain["draws"].as_u64().unwrap() >= 1, "{chain}");
    }
    // The summary covers the draws made (chains cut to the shortest).
    let summary = std::fs::read_to_string(run.out.join("summary.csv")).unwrap();
    assert!(summary.lines().any(|l| l.starts_with("mu,")), "{summary}");
}

#[test]
fn ctrl_c_stops_sampling_and_keeps_readable_marked_files() {
    let run = sample_and_signal("int", &["INT"]);
    assert_stopped_cleanly(&run, 130, "Ctrl-C");
}

#[test]
fn sigterm_stops_like_ctrl_c_with_its_own_status() {
    let run = sample_and_signal("term", &["TERM"]);
    assert_stopped_cleanly(&run, 143, "SIGTERM");
}

#[test]
fn a_second_ctrl_c_ends_at_once_leaving_readable_files() {
    // The second signal finds the stop already requested and ends the process without
    // waiting for the chains or post-processing (unless both arrived as one, which is the
    // graceful path). Either way: status 130 and chain files that read back.
    let run = sample_and_signal("twice", &["INT", "INT"]);
    assert_eq!(run.status.code(), Some(130), "stderr: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    for (k, (draws, _)) in chain_files(&run.out).into_iter().enumerate() {
        assert!(draws >= 1, "chain {} kept no draws", k + 1);
    }
}

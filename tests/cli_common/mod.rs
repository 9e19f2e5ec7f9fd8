//! Shared helpers for the command-line tests: running the real `hazel` binary from the
//! repository root and making fresh temporary folders.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `hazel ARGS` from the repository root and collects its output.
pub fn hazel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hazel"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

/// A fresh, empty folder `hazel-<group>-<pid>-<name>` under the system temp folder.
pub fn temp_dir(group: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hazel-{group}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

//! Helpers: run the real binary from the crate root and compare outputs.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The crate root (cargo runs tests there, but be explicit).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `bordermap ARGS` in the crate root.
pub fn bordermap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the bordermap binary runs")
}

/// The `error:` lines of stderr.
pub fn error_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(String::from)
        .collect()
}

/// Asserts two line lists are equal, printing both sides in full when they are not.
#[track_caller]
pub fn assert_lines(actual: &[String], expected: &[&str]) {
    let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    assert!(
        actual == expected.as_slice(),
        "\n--- expected\n{}\n--- actual\n{}\n",
        expected.join("\n"),
        actual.join("\n")
    );
}

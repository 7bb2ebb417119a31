//! The command line: help, and refusing bad configuration with a message that names the problem
//! and changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn jointly(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jointly"));
    command.args(args).env_remove("RUST_LOG");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run jointly")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jointly-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_explains_each_command() {
    let output = jointly(&["--help"], &[]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for command in ["serve", "migrate", "demo", "default-config"] {
        assert!(text.contains(command), "{command} missing from --help");
    }
    let demo = jointly(&["demo", "--help"], &[]);
    assert!(String::from_utf8_lossy(&demo.stdout).contains("sign-in for every role"));
}

#[test]
fn unknown_database_schemes_and_mistyped_paths_are_refused() {
    let dir = scratch("urls");
    let output = jointly(
        &["migrate"],
        &[("JOINTLY_DATABASE__URL", "mysql://db/jointly")],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("unsupported database URL scheme `mysql`"),
        "{}",
        stderr(&output)
    );

    let missing = dir.join("typo.db");
    let url = format!("sqlite://{}", missing.display());
    let output = jointly(&["migrate"], &[("JOINTLY_DATABASE__URL", &url)]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("does not exist"),
        "{}",
        stderr(&output)
    );
    assert!(!missing.exists(), "no empty database was created");

    let output = jointly(
        &["migrate"],
        &[(
            "JOINTLY_DATABASE__URL",
            "sqlite:///no/such/folder/j.db?mode=rwc",
        )],
    );
    assert!(
        stderr(&output).contains("folder /no/such/folder"),
        "{}",
        stderr(&output)
    );

    let output = jointly(&["migrate", "--create"], &[("JOINTLY_DATABASE__URL", &url)]);
    assert!(output.status.success(), "{}", stderr(&output));
    // Whatever the latest version is, a new database starts from nothing, and migrating
    // again changes nothing.
    let said = String::from_utf8_lossy(&output.stdout);
    let latest = said
        .split("database schema at version ")
        .nth(1)
        .and_then(|rest| rest.split(" (was 0)").next())
        .unwrap_or_else(|| panic!("{said}"));
    let again = jointly(&["migrate"], &[("JOINTLY_DATABASE__URL", &url)]);
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains(&format!("version {latest} (was {latest})"))
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_settings_stop_the_server_before_it_starts() {
    let output = jointly(&["serve"], &[("JOINTLY_SERVER__LISTEN", "everywhere")]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("server.listen"),
        "{}",
        stderr(&output)
    );
    let output = jointly(&["serve"], &[("JOINTLY_SERVR__LISTEN", "127.0.0.1:1")]);
    assert!(
        stderr(&output).contains("servr"),
        "a misspelt section is named: {}",
        stderr(&output)
    );
    let output = jointly(&["serve", "--config", "/no/such/jointly.toml"], &[]);
    assert!(stderr(&output).contains("does not exist"));
    let output = jointly(
        &["serve"],
        &[(
            "JOINTLY_DATABASE__URL",
            "postgres://jointly:s3cret@127.0.0.1:1/x",
        )],
    );
    assert!(!output.status.success());
    assert!(
        !stderr(&output).contains("s3cret"),
        "the password never shows: {}",
        stderr(&output)
    );
}

#[test]
fn the_demo_never_overwrites_another_database() {
    let dir = scratch("demo");
    let other = dir.join("precious.db");
    let url = format!("sqlite://{}", other.display());
    assert!(
        jointly(&["migrate", "--create"], &[("JOINTLY_DATABASE__URL", &url)])
            .status
            .success()
    );
    let before = std::fs::metadata(&other).unwrap().len();
    let output = jointly(
        &[
            "demo",
            "--database",
            other.to_str().unwrap(),
            "--build-only",
        ],
        &[],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("is not a Jointly demo database"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::metadata(&other).unwrap().len(), before);

    let demo = dir.join("demo.db");
    for _ in 0..2 {
        let output = jointly(
            &["demo", "--database", demo.to_str().unwrap(), "--build-only"],
            &[],
        );
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(String::from_utf8_lossy(&output.stdout).contains("3000 patients"));
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_example_configuration_is_printed() {
    let output = jointly(&["default-config"], &[]);
    assert!(String::from_utf8_lossy(&output.stdout).contains("[database]"));
}

//! FHIR output checked by validators we did not write: the R4 (4.0.1) models of
//! `fhir.resources` 6.4 and of the SMART on FHIR Python client, from PyPI, installed once into
//! a virtual environment under the target directory (`tests/fhir/validate.py` runs them).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// The packages, pinned: both are generated from the R4 specification.
const PACKAGES: [&str; 3] = [
    "fhir.resources==6.4.0",
    "pydantic==1.10.27",
    "fhirclient==4.3.2",
];

fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fhir-validators");
        let python = dir.join("bin").join("python");
        let marker = dir.join("installed.txt");
        let wanted = PACKAGES.join("\n");
        if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
            let made = Command::new("python3")
                .args(["-m", "venv", "--clear"])
                .arg(&dir)
                .status()
                .expect("python3 is needed for the FHIR validation tests (Debian: python3-venv)");
            assert!(made.success(), "python3 -m venv failed");
            let installed = Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .args(PACKAGES)
                .status()
                .expect("pip runs");
            assert!(
                installed.success(),
                "pip could not install {PACKAGES:?} from PyPI"
            );
            std::fs::write(&marker, wanted).expect("marker written");
        }
        python
    })
}

/// Asserts every resource in `resources` passes both R4 validators.
pub(crate) fn assert_valid_r4(resources: &[Value]) {
    if let Err(report) = check_r4(resources) {
        panic!("FHIR validators found problems:\n{report}");
    }
}

/// What the validators found wrong, if anything.
fn check_r4(resources: &[Value]) -> Result<(), String> {
    let file = tempfile_path();
    std::fs::write(&file, serde_json::to_vec(resources).expect("json")).expect("written");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fhir/validate.py");
    let output = Command::new(python())
        .arg(script)
        .arg(&file)
        .output()
        .expect("the validator runs");
    let _ = std::fs::remove_file(&file);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !report.contains(&format!("checked {} resources", resources.len())) {
        panic!("the validator did not run: {report}");
    }
    if output.status.success() {
        Ok(())
    } else {
        Err(report)
    }
}

#[test]
fn the_validators_refuse_what_r4_does_not_allow() {
    let wrong = [
        serde_json::json!({"resourceType": "Patient", "gender": "female", "favouriteColour": "blue"}),
        serde_json::json!({"resourceType": "Slot", "status": "free", "start": "tomorrow", "end": "2026-01-01T10:30:00Z", "schedule": {"reference": "Schedule/1"}}),
        serde_json::json!({"resourceType": "Appointment", "participant": [{"status": "accepted"}]}),
    ];
    let report = check_r4(&wrong).expect_err("all three are wrong");
    for kind in ["[0] Patient", "[1] Slot", "[2] Appointment"] {
        assert!(report.contains(kind), "{kind} refused: {report}");
    }
    assert_valid_r4(&[serde_json::json!({"resourceType": "Patient", "gender": "female"})]);
}

fn tempfile_path() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fhir-{}.json", uuid::Uuid::new_v4()))
}

//! Output checked by validators we did not write, from PyPI, each installed once into its own
//! virtual environment under the target directory: FHIR resources by the R4 (4.0.1) models of
//! `fhir.resources` 6.4 and of the SMART on FHIR Python client (`tests/fhir/validate.py`), and
//! the OpenAPI document by `openapi-spec-validator` (`tests/openapi/validate.py`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

/// The FHIR packages, pinned: both are generated from the R4 specification.
const FHIR_PACKAGES: [&str; 3] = [
    "fhir.resources==6.4.0",
    "pydantic==1.10.27",
    "fhirclient==4.3.2",
];

/// The OpenAPI validator, pinned; its own environment, as it needs a newer pydantic.
const OPENAPI_PACKAGES: [&str; 1] = ["openapi-spec-validator==0.9.0"];

/// A virtual environment named `name` holding `packages`, made on first use.
fn venv(name: &str, packages: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let python = dir.join("bin").join("python");
    let marker = dir.join("installed.txt");
    let wanted = packages.join("\n");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        let made = Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&dir)
            .status()
            .expect("python3 is needed for the validation tests (Debian: python3-venv)");
        assert!(made.success(), "python3 -m venv failed");
        let installed = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(packages)
            .status()
            .expect("pip runs");
        assert!(
            installed.success(),
            "pip could not install {packages:?} from PyPI"
        );
        std::fs::write(&marker, wanted).expect("marker written");
    }
    python
}

/// Runs `script` (under `tests/`) with `python` on `value`, written to a file; the report and
/// whether the script found `value` valid.
fn run(python: &Path, script: &str, value: &impl serde::Serialize) -> (String, bool) {
    let file = tempfile_path();
    std::fs::write(&file, serde_json::to_vec(value).expect("json")).expect("written");
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(script);
    let output = Command::new(python)
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
    (report, output.status.success())
}

fn fhir_python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| venv("fhir-validators", &FHIR_PACKAGES))
}

fn openapi_python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| venv("openapi-validator", &OPENAPI_PACKAGES))
}

/// What the OpenAPI validator found wrong with `document`, and with `answers` (each a
/// `method`, path template `path`, `status`, `content_type` and `body`) against the schemas
/// the document declares for them, if anything.
pub(crate) fn check_openapi(document: &Value, answers: &[Value]) -> Result<(), String> {
    let input = serde_json::json!({"document": document, "answers": answers});
    let (report, valid) = run(openapi_python(), "openapi/validate.py", &input);
    if !report.contains(&format!(
        "checked the document and {} answers",
        answers.len()
    )) {
        panic!("the OpenAPI validator did not run: {report}");
    }
    if valid { Ok(()) } else { Err(report) }
}

/// Asserts every resource in `resources` passes both R4 validators.
pub(crate) fn assert_valid_r4(resources: &[Value]) {
    if let Err(report) = check_r4(resources) {
        panic!("FHIR validators found problems:\n{report}");
    }
}

/// What the validators found wrong, if anything.
fn check_r4(resources: &[Value]) -> Result<(), String> {
    let (report, valid) = run(fhir_python(), "fhir/validate.py", &resources);
    if !report.contains(&format!("checked {} resources", resources.len())) {
        panic!("the validator did not run: {report}");
    }
    if valid { Ok(()) } else { Err(report) }
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

#[test]
fn the_openapi_validator_refuses_a_wrong_document() {
    let wrong = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "wrong", "version": "1"},
        "paths": {"/things/{id}": {"get": {"responses": {"200": {"description": "ok"}}}}}
    });
    let report = check_openapi(&wrong, &[]).expect_err("the path parameter is not declared");
    assert!(report.contains("'id'"), "{report}");
    let answer = serde_json::json!({"method": "GET", "path": "/things/{id}", "status": 404,
        "content_type": "application/json", "body": {}});
    let report = check_openapi(&wrong, &[answer]).expect_err("a 404 is not described");
    assert!(report.contains("404"), "{report}");
}

fn tempfile_path() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("checked-{}.json", uuid::Uuid::new_v4()))
}

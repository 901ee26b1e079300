//! The Markdown, CSV, SARIF and HTML reports on a small model run through a
//! small rule pack (`fixtures/`): snapshots of each, the CSV read back with a
//! strict RFC 4180 reader, hostile names through every format (markup,
//! quotes, pipes, spreadsheet formulas), and the SARIF checked against a
//! schema of the SARIF 2.1.0 we write and field by field.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use noharm_engine::{
    Analysis, AnalysisOptions, Catalog, CatalogOptions, FindingStatus, analyze, load_catalog,
};
use noharm_model::{Loader, MemoryFileSystem, Model};
use noharm_report::{
    CSV_COLUMNS, HtmlExtras, Report, SARIF_SCHEMA, render_csv, render_html, render_html_with,
    render_markdown, render_sarif,
};
use noharm_syntax::{Keyword, SourceMap};
use serde_json::Value;

// ----------------------------------------------------------------------------
// Fixtures

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Analysed {
    model: Model,
    sources: SourceMap,
    analysis: Analysis,
    catalog: Catalog,
}

impl Analysed {
    /// Loads `text` as the model file `path` (in memory) and runs the mini
    /// pack on it.
    fn new(path: &str, text: &str) -> Analysed {
        let mut fs = MemoryFileSystem::new();
        fs.insert(path, text.as_bytes().to_vec());
        let loaded = Loader::new(&fs).load(Path::new(path));
        let model = loaded
            .model
            .unwrap_or_else(|| panic!("{path} is valid: {:#?}", loaded.diagnostics));
        let catalog = load_catalog(&CatalogOptions {
            builtin: false,
            extra: vec![fixtures().join("mini-pack.yaml")],
            atlas: None,
        })
        .catalog
        .expect("the mini pack loads");
        let analysis = analyze(&model, &catalog, AnalysisOptions::default());
        Analysed {
            model,
            sources: loaded.sources,
            analysis,
            catalog,
        }
    }

    fn triage() -> Analysed {
        let text = std::fs::read_to_string(fixtures().join("model.yaml")).unwrap();
        Analysed::new("models/triage.yaml", &text)
    }

    fn hostile() -> Analysed {
        Analysed::new("hostile.yaml", HOSTILE)
    }

    fn report(&self) -> Report<'_> {
        Report {
            model: &self.model,
            sources: &self.sources,
            analysis: &self.analysis,
            catalog: &self.catalog,
            assessments: None,
            sign_off: &[],
        }
    }
}

/// Names that try to break out of every format: markup and scripts, quotes,
/// ampersands, table pipes, line breaks, and cells a spreadsheet would run.
const HOSTILE: &str = r##"noharm: 1
system:
  id: hostile
  name: "<script>alert(1)</script> \"quoted\" & 'single' | piped"
  intended_use: "<iframe src=x></iframe> & more"
  clinical_use: decision-support
  owner: "=cmd|' /C calc'!A0"
harms:
  - {id: harm, description: "<b>bad</b>", severity: critical, modes: [wrong-output]}
data:
  - {id: d, name: "<b>data</b> & \"more\" | cells", classification: phi}
elements:
  - {id: src, kind: external, name: "@SUM(1+1)*cmd|' /C calc'!A0"}
  - {id: train, kind: store, stage: training, stores: [d], name: "<script>alert(2)</script>"}
  - {id: train2, kind: store, stage: training, stores: [d], name: "-2+3"}
  - {id: m, kind: model, stage: inference, name: "=HYPERLINK(\"http://x.invalid\",\"y\")"}
  - {id: act, kind: process, stage: action, drives: [harm], name: "# heading *star* `tick` [l](u)"}
flows:
  - {id: f1, name: "=1+1 | \"q\"\nline two", from: src, to: train, data: [d]}
  - {id: f2, name: "+1", from: src, to: train2, data: [d]}
  - {id: f3, from: m, to: act}
assumptions:
  - id: a
    text: "</details><script>alert(3)</script> & ok"
    excludes: [TST001]
    targets: [f2]
    reason: "\"because\" <b>trust</b>"
"##;

/// The version changes with every release; snapshots should not.
fn stable(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

// ----------------------------------------------------------------------------
// Snapshots

#[test]
fn the_fixture_has_a_finding_of_every_status() {
    let analysed = Analysed::triage();
    for status in [
        FindingStatus::Open,
        FindingStatus::Mitigated,
        FindingStatus::Excluded,
    ] {
        assert!(
            analysed
                .analysis
                .findings
                .iter()
                .any(|f| f.status == status),
            "no {} finding",
            status.as_str()
        );
    }
}

#[test]
fn markdown_snapshot() {
    let analysed = Analysed::triage();
    insta::assert_snapshot!(stable(&render_markdown(&analysed.report())));
}

#[test]
fn csv_snapshot() {
    let analysed = Analysed::triage();
    insta::assert_snapshot!(stable(&render_csv(&analysed.report())));
}

#[test]
fn sarif_snapshot() {
    let analysed = Analysed::triage();
    insta::assert_snapshot!(stable(&render_sarif(&analysed.report())));
}

#[test]
fn html_snapshot() {
    let analysed = Analysed::triage();
    let html = render_html(&analysed.report());
    // The style sheet is long and checked by eye; the snapshot is about the
    // document.
    let start = html.find("<style>").unwrap() + "<style>".len();
    let end = html.find("</style>").unwrap();
    let html = format!("{}[style]{}", &html[..start], &html[end..]);
    insta::assert_snapshot!(stable(&html));
}

// ----------------------------------------------------------------------------
// CSV

/// A strict RFC 4180 reader: every record ends with CRLF, a quote opens a
/// field or doubles inside a quoted one, nothing follows a closing quote but
/// a comma or the end of the record.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteClosed,
    }
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut state = State::FieldStart;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (&state, c) {
            (State::Quoted, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (State::Quoted, '"') => state = State::QuoteClosed,
            (State::Quoted, c) => field.push(c),
            (State::FieldStart, '"') => state = State::Quoted,
            (_, ',') => {
                record.push(std::mem::take(&mut field));
                state = State::FieldStart;
            }
            (_, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                state = State::FieldStart;
            }
            (State::QuoteClosed, c) => panic!("`{c}` after a closing quote"),
            (_, '"') => panic!("a quote inside an unquoted field: {field}"),
            (_, '\n') => panic!("a bare line feed outside quotes"),
            (_, c) => {
                field.push(c);
                state = State::Unquoted;
            }
        }
    }
    assert!(state == State::FieldStart, "the text ends inside a field");
    assert!(
        record.is_empty() && field.is_empty(),
        "the last record has no CRLF"
    );
    records
}

#[test]
fn the_csv_reader_reads_what_rfc_4180_allows() {
    assert_eq!(
        read_csv("a,\"b,c\",\"d\"\"e\",\"f\r\ng\"\r\n,\r\n"),
        vec![vec!["a", "b,c", "d\"e", "f\r\ng"], vec!["", ""],]
    );
}

#[test]
fn csv_reads_back_as_one_record_per_finding() {
    for analysed in [Analysed::triage(), Analysed::hostile()] {
        let report = analysed.report();
        let records = read_csv(&render_csv(&report));
        assert_eq!(records[0], CSV_COLUMNS);
        assert_eq!(records.len(), analysed.analysis.findings.len() + 1);
        let column = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
        for (record, finding) in records[1..].iter().zip(&analysed.analysis.findings) {
            assert_eq!(record.len(), CSV_COLUMNS.len());
            assert_eq!(record[column("fingerprint")], finding.fingerprint);
            assert_eq!(record[column("status")], finding.status.as_str());
            assert_eq!(record[column("statement")], finding.statement);
            assert_eq!(
                record[column("targets")].split(';').collect::<Vec<_>>(),
                finding.targets
            );
            let title = &record[column("title")];
            assert!(
                *title == finding.title || *title == format!("'{}", finding.title),
                "{title:?} is not {:?}",
                finding.title
            );
            let (file, line, _) = report.location(finding);
            assert_eq!(record[column("file")], file);
            assert_eq!(record[column("line")], line.to_string());
        }
    }
}

#[test]
fn csv_cells_never_start_a_spreadsheet_formula() {
    let analysed = Analysed::hostile();
    let records = read_csv(&render_csv(&analysed.report()));
    let mut defused = 0;
    for record in &records {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} would run as a formula"
            );
            if cell.starts_with("'=") || cell.starts_with("'+") || cell.starts_with("'@") {
                defused += 1;
            }
        }
    }
    // The titles of f1 (`=1+1 ...`), f2 (`+1 ...`) and m (`=HYPERLINK...`).
    assert!(defused >= 3, "only {defused} cells were defused");
    let title = CSV_COLUMNS.iter().position(|c| *c == "title").unwrap();
    let f1 = records.iter().find(|r| r[0] == "TST001:f1").unwrap();
    assert!(f1[title].starts_with("'=1+1 | \"q\""), "{:?}", f1[title]);
}

// ----------------------------------------------------------------------------
// HTML

#[test]
fn html_escapes_every_piece_of_user_text() {
    let analysed = Analysed::hostile();
    let html = render_html(&analysed.report());
    let lower = html.to_lowercase();
    for tag in ["<script", "<iframe", "<b>", "</b>", "<img"] {
        assert!(!lower.contains(tag), "`{tag}` reached the page");
    }
    assert!(html.contains(
        "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39; | piped"
    ));
    assert!(html.contains("&lt;/details&gt;&lt;script&gt;alert(3)&lt;/script&gt; &amp; ok"));
    assert!(html.contains("&quot;because&quot; &lt;b&gt;trust&lt;/b&gt;"));
    let n = analysed.analysis.findings.len();
    assert_eq!(html.matches("<details").count(), n);
    assert_eq!(html.matches("</details>").count(), n);
    // Nothing runs and nothing loads, even if escaping missed something.
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none';"
    ));
    // Every tag on the page is one the renderer writes, with no event
    // handler and no link other than to https or within the page.
    let body = &html[html.find("</style>").unwrap()..];
    for tag in body
        .split('<')
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap()])
    {
        let name = tag
            .trim_start_matches('/')
            .split([' ', '\n'])
            .next()
            .unwrap()
            .to_lowercase();
        assert!(PAGE_TAGS.contains(&name.as_str()), "unexpected tag <{tag}>");
        let outside_quotes: String = tag.split('"').step_by(2).collect();
        let outside_quotes = outside_quotes.to_lowercase();
        assert!(
            !outside_quotes
                .split_whitespace()
                .any(|attribute| attribute.starts_with("on")),
            "event handler in <{tag}>"
        );
        if let Some(at) = tag.find("href=\"") {
            let target = &tag[at + 6..];
            assert!(
                target.starts_with("https://") || target.starts_with('#'),
                "link in <{tag}>"
            );
        }
    }
}

/// The tags the HTML renderer writes after its style sheet.
const PAGE_TAGS: &[&str] = &[
    "style", "head", "body", "html", "header", "main", "footer", "section", "div", "p", "h1", "h2",
    "h4", "span", "strong", "em", "small", "code", "a", "table", "thead", "tbody", "tfoot", "tr",
    "th", "td", "details", "summary", "dl", "dt", "dd", "ul", "li",
];

#[test]
fn html_embeds_diagrams_only_when_given() {
    let analysed = Analysed::triage();
    let plain = render_html(&analysed.report());
    assert!(!plain.contains("id=\"data-flow\""));
    assert!(!plain.contains("id=\"attack-trees\""));

    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>";
    let trees = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tree\"></svg>";
    let page = render_html_with(
        &analysed.report(),
        HtmlExtras {
            data_flow_svg: Some(svg),
            attack_trees: Some(trees),
        },
    );
    assert!(page.contains(svg) && page.contains(trees));
    let summary = page.find("id=\"summary\"").unwrap();
    let diagram = page.find("id=\"data-flow\"").unwrap();
    let first_finding = page.find("<details").unwrap();
    assert!(summary < diagram && diagram < first_finding);
}

// ----------------------------------------------------------------------------
// Markdown

/// Pipes that split cells: those not escaped with a backslash.
fn cell_separators(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn markdown_tables_survive_pipes_and_markup_in_names() {
    let analysed = Analysed::hostile();
    let markdown = render_markdown(&analysed.report());
    let summary_starts = [
        "| Status |",
        "| --- | ---: |",
        "| Open |",
        "| Mitigated |",
        "| Excluded |",
        "| **All** |",
    ];
    let mut finding_rows = 0;
    for line in markdown.lines().filter(|line| line.starts_with('|')) {
        if summary_starts.iter().any(|start| line.starts_with(start)) {
            assert_eq!(cell_separators(line), 7, "{line}");
        } else {
            assert_eq!(cell_separators(line), 5, "{line}");
            finding_rows += 1;
        }
    }
    // Each status group's table: a header, a rule line and a row per finding.
    let groups = [
        FindingStatus::Open,
        FindingStatus::Mitigated,
        FindingStatus::Excluded,
    ]
    .into_iter()
    .filter(|&status| {
        analysed
            .analysis
            .findings
            .iter()
            .any(|f| f.status == status)
    })
    .count();
    assert_eq!(finding_rows, analysed.analysis.findings.len() + 2 * groups);
    // No raw HTML: every `<` is escaped.
    let raw_angles = markdown
        .match_indices('<')
        .filter(|&(at, _)| !markdown[..at].ends_with('\\'))
        .count();
    assert_eq!(raw_angles, 0);
    assert!(
        markdown.contains("\\<script\\>alert(1)\\</script\\> \"quoted\" \\& 'single' \\| piped")
    );
    // A name that looks like a heading stays text.
    assert!(!markdown.lines().any(|line| line.starts_with("# heading")));
    // Line breaks in names are folded: no finding heading is cut in two.
    assert!(markdown.contains("=1+1 \\| \"q\" line two feeds"));
}

// ----------------------------------------------------------------------------
// SARIF

fn sarif_json(analysed: &Analysed) -> Value {
    serde_json::from_str(&render_sarif(&analysed.report())).expect("SARIF is JSON")
}

/// A validator for the schema at `path`. Some published copies of the
/// official schema hold a `pattern` (on `run.language`, which noharm never
/// writes) that is not a valid regular expression for the validator; such a
/// pattern is dropped, with a note, rather than failing the whole check.
#[allow(clippy::print_stderr, reason = "a note in the test's output")]
fn schema_validator(path: &Path) -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    loop {
        let error = match jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
        {
            Ok(validator) => return validator,
            Err(error) => error,
        };
        let pointer = error.instance_path().to_string();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        assert_eq!(key, "pattern", "the schema does not compile: {error}");
        eprintln!("note: dropping the invalid pattern at {pointer} of the schema");
        schema
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap()
            .remove(key);
    }
}

fn assert_valid(validator: &jsonschema::Validator, sarif: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

fn subset_schema() -> jsonschema::Validator {
    schema_validator(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/schemas/sarif-2.1.0-noharm-subset.schema.json"),
    )
}

#[test]
fn sarif_matches_the_schema_of_what_we_write() {
    let validator = subset_schema();
    for (name, analysed) in [
        ("triage", Analysed::triage()),
        ("hostile", Analysed::hostile()),
    ] {
        assert_valid(&validator, &sarif_json(&analysed), name);
    }
    // The schema does reject what SARIF forbids.
    let mut broken = sarif_json(&Analysed::triage());
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    broken["runs"][0]["results"][1]["ruleIdentifier"] = Value::from("x");
    assert_eq!(validator.iter_errors(&broken).count(), 2);
}

/// Runs with `NOHARM_SARIF_SCHEMA` set to a copy of the official SARIF 2.1.0
/// schema; see `tests/schemas/README.md` for why none is committed.
#[test]
#[ignore = "needs NOHARM_SARIF_SCHEMA, the path of the official SARIF 2.1.0 schema"]
fn sarif_validates_against_the_official_schema() {
    let path = std::env::var_os("NOHARM_SARIF_SCHEMA")
        .expect("set NOHARM_SARIF_SCHEMA to the official sarif-schema-2.1.0.json");
    let validator = schema_validator(Path::new(&path));
    for (name, analysed) in [
        ("triage", Analysed::triage()),
        ("hostile", Analysed::hostile()),
    ] {
        assert_valid(&validator, &sarif_json(&analysed), name);
    }
}

#[test]
fn sarif_carries_what_code_scanning_reads() {
    let analysed = Analysed::triage();
    let sarif = sarif_json(&analysed);
    assert_eq!(sarif["$schema"], SARIF_SCHEMA);
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "noharm");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    assert_eq!(run["automationDetails"]["id"], "noharm/triage-demo/");

    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        rule_ids,
        ["TST001", "TST002"],
        "rules that produced findings, by id"
    );
    for rule in rules {
        let catalog_rule = analysed.catalog.rule(rule["id"].as_str().unwrap()).unwrap();
        assert_eq!(rule["name"], catalog_rule.name.as_str());
        for key in ["shortDescription", "fullDescription", "help"] {
            let text = rule[key]["text"].as_str().unwrap();
            assert!(!text.is_empty() && !text.contains('{'), "{key}: {text}");
        }
        let tags: Vec<&str> = rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(tags.contains(&"security"));
        let severity: f64 = rule["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let expected = match catalog_rule.severity.as_str() {
            "low" => 3.0,
            "medium" => 5.5,
            "high" => 8.0,
            _ => 9.5,
        };
        assert!((severity - expected).abs() < f64::EPSILON);
    }
    let tst001 = &rules[0];
    let tags = tst001["properties"]["tags"].as_array().unwrap();
    for tag in [
        "stride/tampering",
        "atlas/AML.T0020",
        "owasp/ML02:2023",
        "external/cwe/cwe-345",
    ] {
        assert!(tags.iter().any(|t| t == tag), "no tag {tag}");
    }
    assert_eq!(tst001["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), analysed.analysis.findings.len());
    for (result, finding) in results.iter().zip(&analysed.analysis.findings) {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(result["ruleId"], finding.rule.as_str());
        assert_eq!(rules[index]["id"], finding.rule.as_str());
        assert_eq!(
            result["level"],
            match finding.severity.as_str() {
                "critical" | "high" => "error",
                "medium" => "warning",
                _ => "note",
            }
        );
        assert_eq!(result["message"]["text"], finding.statement.as_str());
        let location = &result["locations"][0];
        let physical = &location["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "models/triage.yaml");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let (_, line, column) = analysed.report().location(finding);
        assert_eq!(physical["region"]["startLine"], line);
        assert_eq!(physical["region"]["startColumn"], column);
        assert_eq!(
            location["logicalLocations"][0]["name"],
            finding.subject.id.as_str()
        );
        assert_eq!(
            result["partialFingerprints"]["noharm/v1"],
            finding.fingerprint.as_str()
        );
        assert_eq!(result["properties"]["status"], finding.status.as_str());
        let suppressions = result["suppressions"].as_array();
        match finding.status {
            FindingStatus::Open => assert!(suppressions.is_none()),
            FindingStatus::Mitigated | FindingStatus::Excluded => {
                let suppression = &suppressions.unwrap()[0];
                assert_eq!(suppression["kind"], "external");
                assert_eq!(suppression["status"], "accepted");
                let justification = suppression["justification"].as_str().unwrap();
                if let Some(exclusion) = &finding.excluded_by {
                    assert!(justification.contains(&exclusion.text));
                    assert!(justification.contains(exclusion.reason.as_deref().unwrap()));
                } else {
                    assert!(justification.contains("Data provenance"), "{justification}");
                }
            }
        }
    }
}

// ----------------------------------------------------------------------------
// No findings

#[test]
fn every_format_renders_a_model_without_findings() {
    let analysed = Analysed::new(
        "quiet.yaml",
        "noharm: 1\nsystem: {id: quiet, name: Quiet, intended_use: Nothing, clinical_use: administrative}\n\
         elements:\n  - {id: a, kind: process}\n",
    );
    assert!(analysed.analysis.findings.is_empty());
    let report = analysed.report();
    assert!(render_markdown(&report).contains("No findings."));
    assert_eq!(read_csv(&render_csv(&report)), vec![CSV_COLUMNS.to_vec()]);
    let sarif: Value = serde_json::from_str(&render_sarif(&report)).unwrap();
    assert_valid(&subset_schema(), &sarif, "no findings");
    assert_eq!(sarif["runs"][0]["results"], Value::Array(Vec::new()));
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"],
        Value::Array(Vec::new())
    );
    let html = render_html(&report);
    assert!(html.contains("The rules found no threats in this model."));
    assert!(!html.contains("<details"));
}

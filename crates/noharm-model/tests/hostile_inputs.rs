//! Hostile and extreme inputs that are generated rather than committed as
//! files: huge, deeply nested, alias-heavy, very large and random models, plus
//! include graphs in memory and the shipped examples.
//!
//! Time bounds are generous, for unoptimised debug builds on a loaded machine:
//! they catch quadratic blowups and unbounded work, not small regressions.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use noharm_model::{Loaded, Loader, MemoryFileSystem};
use noharm_syntax::{Limits, RenderOptions, render_human, to_json};

/// Loads `text` as the single file `name` from memory.
fn load_text(name: &str, text: impl Into<Vec<u8>>) -> Loaded {
    let mut fs = MemoryFileSystem::new();
    fs.insert(name, text);
    Loader::new(&fs).load(Path::new(name))
}

/// The codes reported, in order.
fn codes(loaded: &Loaded) -> Vec<&'static str> {
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

/// Runs `f`, asserting it finishes within `limit`, and reports the time.
///
/// The bound applies to the CPU time of this thread where the platform tells
/// it (Linux), so a loaded machine running other tests and builds in parallel
/// does not make the test flaky; elsewhere it applies to wall-clock time.
#[allow(
    clippy::print_stdout,
    reason = "timings are shown with --nocapture, for the record"
)]
fn timed<T>(what: &str, limit: Duration, f: impl FnOnce() -> T) -> T {
    let cpu_start = thread_cpu_time();
    let start = Instant::now();
    let result = f();
    let wall = start.elapsed();
    let cpu = cpu_start
        .zip(thread_cpu_time())
        .map(|(before, after)| after.saturating_sub(before));
    println!("{what}: {wall:?} wall, {cpu:?} CPU");
    let measured = cpu.unwrap_or(wall);
    assert!(
        measured < limit,
        "{what} took {measured:?}, more than {limit:?}"
    );
    result
}

/// CPU time used by the current thread, from `/proc/thread-self/stat`.
fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name, which may hold spaces;
    // utime and stime are fields 14 and 15, in clock ticks of 1/100 s (the
    // USER_HZ of the proc interface).
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

const SYSTEM: &str = "\
noharm: 1
system:
  id: sepsis-alert
  name: Sepsis early warning
  intended_use: Flags adult ward patients at risk of sepsis for nurse review
  clinical_use: decision-support
";

// (a) A file far over the size limit is refused from its size alone.

#[test]
fn a_100_mb_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge-model.yaml");
    let file = std::fs::File::create(&path).expect("create");
    // Sparse: no 100 MB are written, so the test is fast and light on disk.
    file.set_len(100 * 1024 * 1024).expect("set_len");
    drop(file);

    let loaded = timed("100 MB file", Duration::from_secs(2), || {
        noharm_model::load(&path)
    });

    assert!(loaded.model.is_none());
    assert_eq!(codes(&loaded), ["unreadable-file"], "{loaded:#?}");
    let message = &loaded.diagnostics[0].message;
    assert!(message.contains("100.0 MB"), "{message}");
    assert!(message.contains("huge-model.yaml"), "{message}");
}

// (b) Nesting beyond the depth limit.

#[test]
fn a_yaml_block_mapping_nested_10_000_deep_is_too_complex() {
    // `a:` indented one more space per level: about 50 MB of text, so the
    // file limit is raised to let the parser, not the size check, refuse it.
    let levels = 10_000;
    let mut text = String::from("noharm: 1\nx-deep:\n");
    for level in 1..=levels {
        text.push_str(&" ".repeat(level));
        text.push_str("a:\n");
    }
    let mut fs = MemoryFileSystem::new();
    fs.insert("deep.yaml", text);
    let limits = Limits {
        max_file_bytes: 64 * 1024 * 1024,
        ..Limits::default()
    };

    let loaded = timed(
        "YAML block mapping 10,000 deep",
        Duration::from_secs(10),
        || {
            Loader::new(&fs)
                .with_limits(limits)
                .load(Path::new("deep.yaml"))
        },
    );
    assert_eq!(codes(&loaded), ["too-complex"], "{:#?}", loaded.diagnostics);
}

#[test]
fn a_yaml_compact_sequence_nested_10_000_deep_is_too_complex() {
    // `- - - ... x` nests block sequences on one line: deep but small.
    let text = format!("noharm: 1\nx-deep:\n  {}x\n", "- ".repeat(10_000));
    let loaded = timed(
        "YAML compact sequence 10,000 deep",
        Duration::from_secs(5),
        || load_text("deep.yaml", text),
    );
    assert_eq!(codes(&loaded), ["too-complex"], "{:#?}", loaded.diagnostics);
}

#[test]
fn a_json_array_nested_a_million_deep_is_too_complex() {
    let depth = 1_000_000;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let loaded = timed("JSON array 1,000,000 deep", Duration::from_secs(5), || {
        load_text("deep.json", text)
    });
    assert_eq!(codes(&loaded), ["too-complex"], "{:#?}", loaded.diagnostics);
}

#[test]
fn a_yaml_flow_sequence_nested_a_million_deep_is_too_complex() {
    let depth = 1_000_000;
    let text = format!(
        "noharm: 1\nx-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let loaded = timed(
        "YAML flow sequence 1,000,000 deep",
        Duration::from_secs(5),
        || load_text("deep.yaml", text),
    );
    assert_eq!(codes(&loaded), ["too-complex"], "{:#?}", loaded.diagnostics);
}

#[test]
fn a_too_deep_diagnostic_renders_quickly() {
    // The diagnostic quotes the offending line; on a minified one-line file
    // that line is the whole file.
    let depth = 1_000_000;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let loaded = load_text("deep.json", text);
    let rendered = timed(
        "rendering a diagnostic on a 2 MB line",
        Duration::from_secs(5),
        || {
            render_human(
                &loaded.diagnostics[0],
                &loaded.sources,
                RenderOptions::default(),
            )
        },
    );
    println!("rendered diagnostic: {} bytes", rendered.len());
}

// (c) Alias expansion is bounded by the node budget.

#[test]
fn two_hundred_thousand_aliases_of_a_big_anchor_are_too_complex() {
    let items = (0..1_000)
        .map(|i| format!("obs-{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let aliases = vec!["*vitals"; 200_000].join(", ");
    let text = format!("{SYSTEM}x-vitals: &vitals [{items}]\nx-copies: [{aliases}]\n");

    let loaded = timed(
        "200,000 aliases of a 1,000-item anchor",
        Duration::from_secs(5),
        || load_text("aliases.yaml", text),
    );
    assert_eq!(codes(&loaded), ["too-complex"], "{:#?}", loaded.diagnostics);
}

#[test]
fn two_hundred_thousand_aliases_of_a_scalar_stay_within_budget() {
    // 200,000 expansions of one scalar is under the million-value budget: a
    // big but legitimate document that must load, and quickly.
    let aliases = vec!["*site"; 200_000].join(", ");
    let text = format!("{SYSTEM}x-site: &site riverside\nx-copies: [{aliases}]\n");

    let loaded = timed(
        "200,000 aliases of a scalar",
        Duration::from_secs(10),
        || load_text("aliases.yaml", text),
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert!(loaded.model.is_some());
}

#[test]
fn nested_anchors_do_not_multiply_memory() {
    // Sixty anchors, each wrapping the next, around 300,000 scalars: the
    // document holds 300,060 values, but every anchor keeps a copy of
    // everything inside it for later aliases. The copies count against the
    // node budget, so the file is refused quickly instead of taking
    // gigabytes.
    let depth = 60;
    let mut text = String::from("noharm: 1\nx-nested: ");
    for level in 0..depth {
        text.push_str(&format!("&level{level} ["));
    }
    text.push_str(&vec!["hr"; 300_000].join(","));
    text.push_str(&"]".repeat(depth));
    text.push('\n');
    text.push_str(&SYSTEM["noharm: 1\n".len()..]);

    let loaded = timed(
        "60 nested anchors around 300,000 values",
        Duration::from_secs(5),
        || load_text("anchors.yaml", text),
    );
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["too-complex"], "{:#?}", loaded.diagnostics);
}

// (d) Large models load in close to linear time.

/// A model with `n` elements in a chain of flows, with no errors and no
/// warnings. Each element and flow is kept to its required fields: parsing
/// dominates the time in debug builds, and the point is how loading scales.
fn chain_model(n: usize) -> String {
    let mut text = String::with_capacity(n * 80);
    text.push_str(SYSTEM);
    text.push_str("elements:\n");
    for i in 0..n {
        text.push_str(&format!("  - id: step-{i}\n    kind: process\n"));
    }
    text.push_str("flows:\n");
    for i in 1..n {
        text.push_str(&format!(
            "  - id: hop-{i}\n    from: step-{}\n    to: step-{i}\n",
            i - 1
        ));
    }
    text
}

#[test]
fn a_model_with_50_000_elements_loads() {
    let n = 50_000;
    let text = chain_model(n);
    println!("50,000-element model: {} KB", text.len() / 1024);

    let loaded = timed("50,000 elements and flows", Duration::from_secs(20), || {
        load_text("large.yaml", text)
    });
    assert!(
        loaded.diagnostics.is_empty(),
        "{:#?}",
        &loaded.diagnostics[..5.min(loaded.diagnostics.len())]
    );
    let model = loaded.model.expect("model");
    assert_eq!(model.elements.len(), n);
    assert_eq!(model.flows.len(), n - 1);
}

#[test]
fn many_unknown_references_are_reported_quickly() {
    // A find-and-replace gone wrong: every flow's `to` is misspelt.
    let n = 5_000;
    let text = chain_model(n).replace("    to: step-", "    to: stpe-");
    let loaded = timed("5,000 unknown references", Duration::from_secs(20), || {
        load_text("typos.yaml", text)
    });
    assert_eq!(loaded.n_errors(), n - 1);
}

#[test]
fn a_long_chain_of_nested_boundaries_is_checked_quickly() {
    let n = 3_000;
    let mut text = String::from(SYSTEM);
    text.push_str("boundaries:\n  - id: zone-0\n    kind: network\n");
    for i in 1..n {
        text.push_str(&format!(
            "  - id: zone-{i}\n    kind: network\n    parent: zone-{}\n",
            i - 1
        ));
    }
    let loaded = timed("3,000 nested boundaries", Duration::from_secs(20), || {
        load_text("boundaries.yaml", text)
    });
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
}

// (e) Random input never panics.

/// A deterministic xorshift64* generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces of YAML and JSON that reach deeper into the parsers and decoder
/// than uniform bytes, which mostly stop at the UTF-8 check.
const TOKENS: &[&str] = &[
    "noharm: 1\n",
    "noharm: 2",
    "system:\n",
    "  id: sepsis\n",
    "  name: S\n",
    "  intended_use: u\n",
    "  clinical_use: diagnostic\n",
    "elements:\n",
    "flows:\n",
    "harms:\n",
    "data:\n",
    "boundaries:\n",
    "include: [a.yaml]\n",
    "include: [b.json]\n",
    "  - id: ",
    "kind: store",
    "kind: modle",
    "from: a",
    "to: a",
    "parent: b",
    "stores: [d]",
    "drives: [h]",
    "modes: []",
    "records: -5",
    "sha256: zz",
    "x-ext: 1",
    "- ",
    ": ",
    ":",
    ",",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "\\",
    "\\u00e9",
    "\\ud800",
    "&a ",
    "*a",
    "!Ref ",
    "!!str ",
    "? ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "#",
    "\t",
    "\n",
    "\r\n",
    " ",
    "  ",
    "é",
    "💉",
    "\u{feff}",
    "1e999",
    "-0",
    "0x1F",
    ".inf",
    "~",
    "null",
    "true",
    "",
    "\u{0}",
    "\u{85}",
    "\u{2028}",
];

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(256);
    (0..len).map(|_| rng.next() as u8).collect()
}

fn random_tokens(rng: &mut Rng) -> Vec<u8> {
    let n = rng.below(64);
    let mut text = String::new();
    for _ in 0..n {
        text.push_str(TOKENS[rng.below(TOKENS.len())]);
    }
    text.into_bytes()
}

fn mutated_example(rng: &mut Rng, example: &[u8]) -> Vec<u8> {
    let mut bytes = example.to_vec();
    for _ in 0..1 + rng.below(8) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(4) {
            0 => bytes[at] = rng.next() as u8,
            1 => {
                bytes.remove(at);
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            _ => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
        }
    }
    bytes
}

#[test]
fn random_input_never_panics() {
    let example = std::fs::read(examples_dir().join("sepsis-ews.yaml")).expect("example");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let names = ["fuzz.yaml", "fuzz.json"];
    let start = Instant::now();

    for case in 0..2_000 {
        let bytes = match case % 3 {
            0 => random_bytes(&mut rng),
            1 => random_tokens(&mut rng),
            _ => mutated_example(&mut rng, &example),
        };
        let name = names[rng.below(names.len())];
        // Includes resolve against the same file system, so a random
        // `include` reaches these too.
        let mut fs = MemoryFileSystem::new();
        fs.insert(name, bytes.clone());
        fs.insert("a.yaml", random_tokens(&mut rng));
        fs.insert("b.json", random_bytes(&mut rng));

        let outcome = std::panic::catch_unwind(|| {
            let loaded = Loader::new(&fs).load(Path::new(name));
            for diagnostic in &loaded.diagnostics {
                render_human(diagnostic, &loaded.sources, RenderOptions::default());
                to_json(diagnostic, &loaded.sources);
            }
        });
        assert!(
            outcome.is_ok(),
            "case {case} panicked on {name}: {:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
    println!("2,000 random inputs: {:?}", start.elapsed());
}

// (f) Includes.

fn load_fs(fs: &MemoryFileSystem, root: &str) -> Loaded {
    Loader::new(fs).load(Path::new(root))
}

#[test]
fn an_include_cycle_is_reported_once() {
    let mut fs = MemoryFileSystem::new();
    fs.insert(
        "model.yaml",
        format!("{SYSTEM}include: [parts/hospital.yaml]\n"),
    );
    fs.insert("parts/hospital.yaml", "noharm: 1\ninclude: [vendor.yaml]\n");
    fs.insert(
        "parts/vendor.yaml",
        "noharm: 1\ninclude: [../parts/hospital.yaml]\n",
    );

    let loaded = load_fs(&fs, "model.yaml");
    assert_eq!(codes(&loaded), ["include"], "{:#?}", loaded.diagnostics);
    assert!(loaded.diagnostics[0].message.contains("cycle"));
    let span = loaded.diagnostics[0].span().expect("span");
    assert_eq!(loaded.sources.file(span.file).name(), "parts/vendor.yaml");
}

#[test]
fn a_file_including_itself_is_a_cycle() {
    let mut fs = MemoryFileSystem::new();
    fs.insert("model.yaml", format!("{SYSTEM}include: [./model.yaml]\n"));
    let loaded = load_fs(&fs, "model.yaml");
    assert_eq!(codes(&loaded), ["include"], "{:#?}", loaded.diagnostics);
}

#[test]
fn a_file_included_twice_is_reported_at_the_second_include() {
    let mut fs = MemoryFileSystem::new();
    fs.insert(
        "model.yaml",
        format!("{SYSTEM}include: [parts/data.yaml, parts/elements.yaml]\n"),
    );
    fs.insert(
        "parts/data.yaml",
        "noharm: 1\ndata:\n  - id: vital-signs\n    classification: phi\n",
    );
    fs.insert(
        "parts/elements.yaml",
        "noharm: 1\ninclude: [./data.yaml]\nelements:\n  - id: ehr\n    kind: external\n  \
         - id: risk-model\n    kind: model\nflows:\n  - id: feed\n    from: ehr\n    to: risk-model\n    \
         data: [vital-signs]\n",
    );

    let loaded = load_fs(&fs, "model.yaml");
    assert_eq!(codes(&loaded), ["include"], "{:#?}", loaded.diagnostics);
    let diagnostic = &loaded.diagnostics[0];
    assert!(diagnostic.message.contains("included twice"));
    let span = diagnostic.span().expect("span");
    assert_eq!(loaded.sources.file(span.file).name(), "parts/elements.yaml");
    assert_eq!(diagnostic.secondary.len(), 1);
}

#[test]
fn a_missing_include_is_reported_at_the_include() {
    let mut fs = MemoryFileSystem::new();
    fs.insert(
        "model.yaml",
        format!("{SYSTEM}include: [parts/vendor.yaml]\n"),
    );
    let loaded = load_fs(&fs, "model.yaml");
    // A missing include is an `include` problem, reported where it is named.
    assert_eq!(codes(&loaded), ["include"], "{:#?}", loaded.diagnostics);
    let diagnostic = &loaded.diagnostics[0];
    assert!(
        diagnostic.message.contains("parts/vendor.yaml"),
        "{}",
        diagnostic.message
    );
    let span = diagnostic.span().expect("span");
    assert_eq!(loaded.sources.file(span.file).name(), "model.yaml");
}

#[test]
fn includes_nested_too_deep_are_refused() {
    let mut fs = MemoryFileSystem::new();
    fs.insert("model.yaml", format!("{SYSTEM}include: [part-1.yaml]\n"));
    for i in 1..40 {
        fs.insert(
            format!("part-{i}.yaml"),
            format!("noharm: 1\ninclude: [part-{}.yaml]\n", i + 1),
        );
    }
    fs.insert("part-40.yaml", "noharm: 1\n");
    let loaded = load_fs(&fs, "model.yaml");
    assert_eq!(codes(&loaded), ["include"], "{:#?}", loaded.diagnostics);
}

#[test]
fn a_wide_include_fan_out_is_bounded() {
    // Many distinct files: the loader stops at its file limit instead of
    // reading them all.
    let mut fs = MemoryFileSystem::new();
    let list = (0..2_000)
        .map(|i| format!("part-{i}.yaml"))
        .collect::<Vec<_>>()
        .join(", ");
    fs.insert("model.yaml", format!("{SYSTEM}include: [{list}]\n"));
    for i in 0..2_000 {
        fs.insert(format!("part-{i}.yaml"), "noharm: 1\n");
    }
    let loaded = timed("2,000 includes", Duration::from_secs(10), || {
        load_fs(&fs, "model.yaml")
    });
    assert!(loaded.model.is_none());
    assert!(codes(&loaded).iter().all(|code| *code == "include"));
    assert!(loaded.sources.files().count() <= 513);
}

// (g) The shipped examples are clean.

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn every_example_loads_without_errors_or_warnings() {
    let dir = examples_dir();
    let mut roots = std::fs::read_dir(&dir)
        .expect("examples directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|ext| ext.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect::<Vec<_>>();
    // The split model's root; its `parts/` are fragments, not models.
    roots.push(dir.join("split/sepsis-ews.yaml"));
    roots.sort();
    assert!(
        roots.len() >= 6,
        "expected the examples in {}",
        dir.display()
    );

    let options = RenderOptions {
        color: false,
        unicode: false,
        width: 100,
    };
    for path in &roots {
        let loaded = noharm_model::load(path);
        let rendered = loaded
            .diagnostics
            .iter()
            .map(|d| render_human(d, &loaded.sources, options))
            .collect::<String>();
        assert!(
            loaded.diagnostics.is_empty(),
            "{} is not clean:\n{rendered}",
            path.display()
        );
        assert!(loaded.model.is_some(), "{}", path.display());
    }
}

//! Loading rule packs into a [`Catalog`]: the built-in packs and the user's,
//! decoded with located diagnostics, conditions compiled, cross-references
//! (supersedes, mitigations, ATLAS ids) checked.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use noharm_model::keywords::FailureMode;
use noharm_model::{DiskFileSystem, FileSystem, ReadError};
use noharm_syntax::{
    Decoder, Diagnostic, FileId, Limits, Node, NodeKind, SourceMap, Span, Spanned, decode_text,
    did_you_mean, parse_yaml,
};

use crate::atlas::AtlasTable;
use crate::condition::fields::SubjectKind;
use crate::condition::{ConditionError, Expr, compile};
use crate::rule::{AppliesTo, Control, PackInfo, Rule, RuleDoc, RuleStatus, StatementTemplate};
use crate::statement::check_placeholders;
use crate::vocab::Vocabularies;

include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// Every rule and control noharm knows for a run.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// The packs loaded, in load order.
    pub packs: Vec<PackInfo>,
    /// Every rule, in pack order.
    pub rules: Vec<Rule>,
    /// Every control.
    pub controls: Vec<Control>,
    /// MITRE ATLAS ids and names.
    pub atlas: AtlasTable,
    pub(crate) vocabularies: Vocabularies,
}

impl Catalog {
    /// The rule with id `id`.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id.as_str() == id)
    }

    /// The control with id `id`.
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls
            .iter()
            .find(|control| control.id.as_str() == id)
    }
}

/// Which packs to load.
#[derive(Clone, Debug)]
pub struct CatalogOptions {
    /// Load the built-in packs.
    pub builtin: bool,
    /// More packs: files, or folders of `.yaml` files.
    pub extra: Vec<PathBuf>,
    /// The ATLAS table to check ids against; the built-in one when absent.
    pub atlas: Option<AtlasTable>,
}

impl Default for CatalogOptions {
    fn default() -> CatalogOptions {
        CatalogOptions {
            builtin: true,
            extra: Vec::new(),
            atlas: None,
        }
    }
}

/// The result of loading packs.
#[derive(Debug)]
pub struct CatalogLoaded {
    /// The catalog, when no pack has errors.
    pub catalog: Option<Catalog>,
    /// Problems in the packs.
    pub diagnostics: Vec<Diagnostic>,
    /// The pack files, for rendering diagnostics.
    pub sources: SourceMap,
}

/// The catalog of the built-in packs alone.
pub fn builtin_catalog() -> CatalogLoaded {
    load_catalog(&CatalogOptions::default())
}

/// Loads the packs `options` names.
pub fn load_catalog(options: &CatalogOptions) -> CatalogLoaded {
    let mut sources = SourceMap::new();
    let mut decoder = Decoder::new();
    let mut files: Vec<FileId> = Vec::new();

    if options.builtin {
        for (name, text) in BUILTIN_PACKS {
            files.push(sources.add(format!("builtin:{name}"), PathBuf::from(name), text));
        }
    }
    for path in &options.extra {
        for pack_path in pack_files(path, &mut decoder) {
            if let Some(file) = read_pack(&pack_path, &mut sources, &mut decoder) {
                files.push(file);
            }
        }
    }

    let parsed: Vec<(FileId, Node)> = files
        .iter()
        .filter_map(
            |&file| match parse_yaml(sources.file(file), file, &Limits::default()) {
                Ok(node) => Some((file, node)),
                Err(diagnostic) => {
                    decoder.report(*diagnostic);
                    None
                }
            },
        )
        .collect();

    let atlas = options.atlas.clone().unwrap_or_else(AtlasTable::builtin);
    let mut builder = CatalogBuilder {
        decoder,
        atlas,
        packs: Vec::new(),
        rules: Vec::new(),
        controls: Vec::new(),
        vocabularies: Vocabularies::new(Vec::new()),
    };
    builder.build(&sources, &parsed);

    let CatalogBuilder {
        decoder,
        atlas,
        packs,
        rules,
        controls,
        vocabularies,
    } = builder;
    let mut diagnostics = decoder.into_diagnostics();
    diagnostics.sort_by_key(|d| d.span().map(|span| (span.file, span.start)));
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    tracing::debug!(
        n_rules = rules.len(),
        n_controls = controls.len(),
        "catalog loaded"
    );

    CatalogLoaded {
        catalog: (!has_errors).then_some(Catalog {
            packs,
            rules,
            controls,
            atlas,
            vocabularies,
        }),
        diagnostics,
        sources,
    }
}

/// The pack files a `--rules` path names: the file, or the `.yaml` and `.yml`
/// files of a folder, sorted.
fn pack_files(path: &Path, decoder: &mut Decoder) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_path_buf()];
    }
    match std::fs::read_dir(path) {
        Ok(entries) => {
            let mut files: Vec<PathBuf> = entries
                .flatten()
                .map(|entry| entry.path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|ext| ext == "yaml" || ext == "yml")
                })
                .collect();
            files.sort();
            if files.is_empty() {
                decoder.report(Diagnostic::error(
                    "unreadable-file",
                    format!(
                        "the folder `{}` holds no `.yaml` rule packs",
                        path.display()
                    ),
                ));
            }
            files
        }
        Err(error) => {
            decoder.report(Diagnostic::error(
                "unreadable-file",
                format!("cannot read the folder `{}`: {error}", path.display()),
            ));
            Vec::new()
        }
    }
}

fn read_pack(path: &Path, sources: &mut SourceMap, decoder: &mut Decoder) -> Option<FileId> {
    let name = path.display().to_string();
    let bytes = match DiskFileSystem.read(path, Limits::default().max_file_bytes) {
        Ok(bytes) => bytes,
        Err(error) => {
            let reason = match error {
                ReadError::NotFound => "no such file".to_string(),
                ReadError::TooLarge { size } => {
                    format!("it is {size} bytes, more than a pack may be")
                }
                ReadError::Other(reason) => reason,
            };
            decoder.report(Diagnostic::error(
                "unreadable-file",
                format!("cannot read `{name}`: {reason}"),
            ));
            return None;
        }
    };
    match decode_text(&bytes) {
        Ok(text) => Some(sources.add(name, path, &text)),
        Err(error) => {
            decoder.report(Diagnostic::error(
                "unreadable-file",
                format!("cannot read `{name}`: {error}"),
            ));
            None
        }
    }
}

const PACK_FILE_FIELDS: &[&str] = &["noharm-pack", "pack", "rules", "controls"];
const PACK_FIELDS: &[&str] = &["id", "name", "description"];
const RULE_FIELDS: &[&str] = &[
    "id",
    "name",
    "title",
    "applies_to",
    "when",
    "severity",
    "exploitability",
    "failure_mode",
    "stride",
    "linddun",
    "atlas",
    "owasp",
    "cwe",
    "statement",
    "mitigations",
    "cvss",
    "supersedes",
    "status",
    "doc",
];
const STATEMENT_FIELDS: &[&str] = &[
    "source",
    "prerequisites",
    "action",
    "impact",
    "goals",
    "assets",
];
const DOC_FIELDS: &[&str] = &["detects", "why", "example", "quiet", "references"];
const CONTROL_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "atlas_mitigations",
    "nist_ai_rmf",
];

struct CatalogBuilder {
    decoder: Decoder,
    atlas: AtlasTable,
    packs: Vec<PackInfo>,
    rules: Vec<Rule>,
    controls: Vec<Control>,
    vocabularies: Vocabularies,
}

/// A pack file's top level, read in the first pass.
struct PackFile<'n> {
    info: PackInfo,
    rules: Option<&'n Node>,
}

impl CatalogBuilder {
    fn build(&mut self, sources: &SourceMap, parsed: &[(FileId, Node)]) {
        // Controls first: rules name them in conditions and mitigations.
        let mut pack_files = Vec::new();
        for (file, node) in parsed {
            if let Some(pack) = self.read_pack_file(sources, *file, node) {
                pack_files.push(pack);
            }
        }
        self.vocabularies =
            Vocabularies::new(self.controls.iter().map(|c| c.id.value.clone()).collect());

        for pack in &mut pack_files {
            let rules_before = self.rules.len();
            if let Some(rules) = pack.rules {
                let items = self.decoder.seq(rules, "`rules`").unwrap_or_default();
                for item in items {
                    if let Some(rule) = self.read_rule(sources, item, &pack.info.id) {
                        self.rules.push(rule);
                    }
                }
            }
            pack.info.n_rules = self.rules.len() - rules_before;
        }
        self.packs = pack_files.into_iter().map(|pack| pack.info).collect();

        self.check_unique_rules();
        self.check_supersedes();
    }

    fn read_pack_file<'n>(
        &mut self,
        sources: &SourceMap,
        file: FileId,
        node: &'n Node,
    ) -> Option<PackFile<'n>> {
        let decoder = &mut self.decoder;
        let mut map = decoder.map(node, "the rule pack", PACK_FILE_FIELDS)?;
        match map.get("noharm-pack") {
            Some(version) if version.scalar_text() == Some("1") => {}
            Some(version) => decoder.report(
                Diagnostic::error(
                    "unsupported-version",
                    "this noharm reads rule packs of version `1`",
                )
                .at(version.span),
            ),
            None => decoder.report(
                Diagnostic::error("missing-field", "the file is not marked as a rule pack")
                    .at(node.head_span())
                    .with_help("add `noharm-pack: 1` as the first line"),
            ),
        }

        let info = map.required(decoder, "pack").and_then(|pack| {
            let mut pack_map = decoder.map(pack, "`pack`", PACK_FIELDS)?;
            let id = pack_map
                .required(decoder, "id")
                .and_then(|n| decoder.text(n, "the pack id"));
            let name = pack_map
                .required(decoder, "name")
                .and_then(|n| decoder.text(n, "the pack name"));
            let description = pack_map
                .get("description")
                .and_then(|n| decoder.text(n, "the description"));
            pack_map.finish(decoder);
            Some(PackInfo {
                id: id?.value,
                name: name?.value,
                description: description.map(|d| d.value),
                source: sources.file(file).name().to_string(),
                n_rules: 0,
                n_controls: 0,
            })
        });
        let rules = map.get("rules");
        let controls = map.get("controls");
        map.finish(decoder);
        let mut info = info?;

        if let Some(controls) = controls {
            let before = self.controls.len();
            let items = self.decoder.seq(controls, "`controls`").unwrap_or_default();
            for item in items {
                if let Some(control) = self.read_control(item, &info.id) {
                    self.add_control(control);
                }
            }
            info.n_controls = self.controls.len() - before;
        }
        Some(PackFile { info, rules })
    }

    fn read_control(&mut self, node: &Node, pack: &str) -> Option<Control> {
        let decoder = &mut self.decoder;
        let mut map = decoder.map(node, "a control", CONTROL_FIELDS)?;
        let id = map
            .required(decoder, "id")
            .and_then(|n| decoder.text(n, "the control id"));
        if let Some(id) = &id {
            map.describe_as(format!("control `{}`", id.value));
        }
        let name = map.required_text(decoder, "name").map(|t| t.value);
        let description = map.required_text(decoder, "description").map(|t| t.value);
        let atlas_mitigations = map.text_list(decoder, "atlas_mitigations");
        let nist_ai_rmf = map.text_list(decoder, "nist_ai_rmf");
        map.finish(decoder);

        for mitigation in &atlas_mitigations {
            if self.atlas.mitigation(mitigation).is_none() {
                let known = self.atlas.mitigations.iter().map(|m| m.id.as_str());
                self.decoder.report(
                    Diagnostic::error(
                        "unknown-reference",
                        format!("`{}` is not an ATLAS mitigation", mitigation.value),
                    )
                    .at(mitigation.span)
                    .with_optional_help(
                        did_you_mean(mitigation, known).map(|s| format!("did you mean `{s}`?")),
                    ),
                );
            }
        }
        Some(Control {
            id: id?,
            name: name?,
            description: description?,
            atlas_mitigations: atlas_mitigations.into_iter().map(|m| m.value).collect(),
            nist_ai_rmf: nist_ai_rmf.into_iter().map(|m| m.value).collect(),
            pack: pack.to_string(),
        })
    }

    fn add_control(&mut self, control: Control) {
        if let Some(first) = self
            .controls
            .iter()
            .find(|c| c.id.value == control.id.value)
        {
            self.decoder.report(
                Diagnostic::error(
                    "duplicate-id",
                    format!("the control `{}` is defined twice", control.id.value),
                )
                .at_labeled(control.id.span, "second definition")
                .with_secondary(first.id.span, "first definition"),
            );
            return;
        }
        self.controls.push(control);
    }

    fn read_rule(&mut self, sources: &SourceMap, node: &Node, pack: &str) -> Option<Rule> {
        let decoder = &mut self.decoder;
        let mut map = decoder.map(node, "a rule", RULE_FIELDS)?;
        let id = map
            .required(decoder, "id")
            .and_then(|n| decoder.text(n, "the rule id"));
        if let Some(id) = &id {
            map.describe_as(format!("rule `{}`", id.value));
            if !is_rule_id(id) {
                decoder.report(
                    Diagnostic::error(
                        "invalid-id",
                        format!("`{}` is not a valid rule id", id.value),
                    )
                    .at(id.span)
                    .with_help("a rule id is 2 to 4 capital letters and 3 digits, like `AIL004`"),
                );
            }
        }
        let name = map
            .required(decoder, "name")
            .and_then(|n| decoder.text(n, "the rule name"));
        if let Some(name) = &name
            && !is_kebab(name)
        {
            decoder.report(
                Diagnostic::error(
                    "invalid-value",
                    format!("`{}` is not a kebab-case rule name", name.value),
                )
                .at(name.span)
                .with_help(
                    "use lowercase words joined by `-`, like `unauthenticated-training-feed`",
                ),
            );
        }
        let title = map
            .required(decoder, "title")
            .and_then(|n| decoder.text(n, "the title"));
        let applies_to_node = map.required(decoder, "applies_to");
        let applies_to =
            applies_to_node.map(|n| decoder.keyword_list::<AppliesTo>(n, "`applies_to`"));
        // Items that failed to decode are already reported.
        let applies_to_written = applies_to_node.is_some_and(|n| match &n.kind {
            NodeKind::Seq(items) => !items.is_empty(),
            _ => true,
        });
        let when_node = map.get("when");
        let severity = map
            .required(decoder, "severity")
            .and_then(|n| decoder.keyword(n));
        let exploitability = map
            .required(decoder, "exploitability")
            .and_then(|n| decoder.keyword(n));
        let failure_mode = map.required(decoder, "failure_mode").and_then(|n| {
            // `none`: the threat changes no output, so it reaches no harm.
            if n.scalar_text() == Some("none") {
                return Some(None);
            }
            decoder
                .keyword::<FailureMode>(n)
                .map(|mode| Some(mode.value))
        });
        let stride = map
            .get("stride")
            .map(|n| decoder.keyword_list(n, "`stride`"))
            .unwrap_or_default();
        let linddun = map
            .get("linddun")
            .map(|n| decoder.keyword_list(n, "`linddun`"))
            .unwrap_or_default();
        let atlas = map.text_list(decoder, "atlas");
        let owasp = map.text_list(decoder, "owasp");
        let cwe = map.text_list(decoder, "cwe");
        let statement_node = map.required(decoder, "statement");
        let mitigations = map.text_list(decoder, "mitigations");
        let cvss = map.get("cvss").and_then(|n| decoder.text(n, "`cvss`")).and_then(|vector| {
            match crate::rule::Cvss::parse(&vector) {
                Ok(cvss) => Some(cvss),
                Err(reason) => {
                    decoder.report(
                        Diagnostic::error("invalid-value", format!("`{}` is not a CVSS v4.0 vector: {reason}", vector.value))
                            .at(vector.span)
                            .with_help("write a full vector such as `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N`"),
                    );
                    None
                }
            }
        });
        let supersedes = map.text_list(decoder, "supersedes");
        let status = map
            .get("status")
            .and_then(|n| decoder.keyword::<RuleStatus>(n));
        let doc = map.get("doc").and_then(|n| read_doc(decoder, n));
        let rule_span = map.node().head_span();
        map.finish(decoder);

        let applies_to = applies_to?;
        if applies_to.is_empty() && applies_to_written {
            return None;
        }
        let subject = self.subject_of(&applies_to, rule_span)?;
        let statement = statement_node.and_then(|n| read_statement(&mut self.decoder, n));
        let condition = match when_node {
            Some(when) => self.compile_condition(sources, when, subject),
            None => Some(Expr::True),
        };
        self.check_references(&atlas, &owasp, &cwe, &mitigations);

        let title = title?;
        let statement = statement?;
        check_placeholders(&mut self.decoder, &title, subject);
        for slot in statement_slots(&statement) {
            check_placeholders(&mut self.decoder, slot, subject);
        }

        Some(Rule {
            id: id?,
            name: name?.value,
            title: title.value,
            pack: pack.to_string(),
            applies_to: applies_to.into_iter().map(|a| a.value).collect(),
            when: when_node
                .and_then(|n| n.scalar_text())
                .map(ToString::to_string),
            severity: severity?.value,
            exploitability: exploitability?.value,
            failure_mode: failure_mode?,
            stride: stride.into_iter().map(|s| s.value).collect(),
            linddun: linddun.into_iter().map(|s| s.value).collect(),
            atlas: atlas.into_iter().map(|a| a.value).collect(),
            owasp: owasp.into_iter().map(|a| a.value).collect(),
            cwe: cwe.into_iter().map(|a| a.value).collect(),
            statement: statement.into_template(),
            mitigations: mitigations.into_iter().map(|m| m.value).collect(),
            cvss,
            supersedes_spans: supersedes.iter().map(|s| s.span).collect(),
            supersedes: supersedes.into_iter().map(|s| s.value).collect(),
            status: status.map_or(RuleStatus::Stable, |s| s.value),
            doc: doc.unwrap_or_default(),
            condition: condition?,
            subject,
        })
    }

    fn subject_of(
        &mut self,
        applies_to: &[Spanned<AppliesTo>],
        rule_span: Span,
    ) -> Option<SubjectKind> {
        let flows = applies_to.iter().any(|a| a.value == AppliesTo::Flow);
        let elements = applies_to.iter().any(|a| a.value != AppliesTo::Flow);
        match (flows, elements) {
            (true, false) => Some(SubjectKind::Flow),
            (false, true) => Some(SubjectKind::Element),
            (true, true) => {
                self.decoder.report(
                    Diagnostic::error(
                        "invalid-value",
                        "a rule applies to elements or to data flows, not both",
                    )
                    .at(applies_to.first().map_or(rule_span, |a| a.span))
                    .with_help("split it into an element rule and a flow rule"),
                );
                None
            }
            (false, false) => {
                self.decoder.report(
                    Diagnostic::error("invalid-value", "the rule applies to nothing")
                        .at(rule_span)
                        .with_help("list element kinds or `flow` under `applies_to`"),
                );
                None
            }
        }
    }

    fn compile_condition(
        &mut self,
        sources: &SourceMap,
        node: &Node,
        subject: SubjectKind,
    ) -> Option<Expr> {
        let NodeKind::String(text) = &node.kind else {
            self.decoder.wrong_type(node, "text", "`when`");
            return None;
        };
        match compile(text, subject, &mut self.vocabularies) {
            Ok(expr) => Some(expr),
            Err(error) => {
                self.decoder
                    .report(condition_diagnostic(sources, node, text, error));
                None
            }
        }
    }

    fn check_references(
        &mut self,
        atlas: &[Spanned<String>],
        owasp: &[Spanned<String>],
        cwe: &[Spanned<String>],
        mitigations: &[Spanned<String>],
    ) {
        for id in atlas {
            if self.atlas.technique(id).is_none() {
                let known = self.atlas.techniques.iter().map(|t| t.id.as_str());
                self.decoder.report(
                    Diagnostic::error(
                        "unknown-reference",
                        format!("`{}` is not an ATLAS technique", id.value),
                    )
                    .at(id.span)
                    .with_optional_help(
                        did_you_mean(id, known).map(|s| format!("did you mean `{s}`?")),
                    ),
                );
            }
        }
        for id in owasp {
            if !is_owasp_id(id) {
                self.decoder.report(
                    Diagnostic::error(
                        "invalid-value",
                        format!("`{}` is not an OWASP Top 10 id", id.value),
                    )
                    .at(id.span)
                    .with_help("write `ML01:2023` to `ML10:2023` or `LLM01:2025` to `LLM10:2025`"),
                );
            }
        }
        for id in cwe {
            let valid = id
                .strip_prefix("CWE-")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !valid {
                self.decoder.report(
                    Diagnostic::error("invalid-value", format!("`{}` is not a CWE id", id.value))
                        .at(id.span)
                        .with_help("write CWE ids as `CWE-345`"),
                );
            }
        }
        for control in mitigations {
            if !self.controls.iter().any(|c| c.id.value == control.value) {
                let known = self.controls.iter().map(|c| c.id.as_str());
                self.decoder.report(
                    Diagnostic::error(
                        "unknown-reference",
                        format!("`{}` is not a control in the catalog", control.value),
                    )
                    .at(control.span)
                    .with_optional_help(
                        did_you_mean(control, known).map(|s| format!("did you mean `{s}`?")),
                    ),
                );
            }
        }
    }

    fn check_unique_rules(&mut self) {
        let mut ids: HashMap<&str, Span> = HashMap::new();
        let mut names: HashMap<&str, Span> = HashMap::new();
        for rule in &self.rules {
            if let Some(&first) = ids.get(rule.id.as_str()) {
                self.decoder.report(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("the rule id `{}` is used twice", rule.id.value),
                    )
                    .at_labeled(rule.id.span, "second rule")
                    .with_secondary(first, "first rule"),
                );
            }
            ids.insert(rule.id.as_str(), rule.id.span);
            if let Some(&first) = names.get(rule.name.as_str()) {
                self.decoder.report(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("the rule name `{}` is used twice", rule.name),
                    )
                    .at_labeled(rule.id.span, "second rule")
                    .with_secondary(first, "first rule"),
                );
            }
            names.insert(rule.name.as_str(), rule.id.span);
        }
    }

    fn check_supersedes(&mut self) {
        let ids: HashSet<&str> = self.rules.iter().map(|rule| rule.id.as_str()).collect();
        for rule in &self.rules {
            for (superseded, span) in rule.supersedes.iter().zip(&rule.supersedes_spans) {
                if !ids.contains(superseded.as_str()) {
                    self.decoder.report(
                        Diagnostic::error(
                            "unknown-reference",
                            format!("no rule has the id `{superseded}`"),
                        )
                        .at(*span)
                        .with_optional_help(
                            did_you_mean(superseded, ids.iter().copied())
                                .map(|s| format!("did you mean `{s}`?")),
                        ),
                    );
                } else if superseded == rule.id.as_str() {
                    self.decoder.report(
                        Diagnostic::error("invalid-value", "a rule cannot supersede itself")
                            .at(*span),
                    );
                }
            }
        }
    }
}

/// Locates a condition error inside the YAML value: precisely when the text
/// appears verbatim in the file (plain or quoted on one line), otherwise on
/// the whole value.
fn condition_diagnostic(
    sources: &SourceMap,
    node: &Node,
    text: &str,
    error: ConditionError,
) -> Diagnostic {
    let snippet = sources.snippet(node.span);
    let span = match snippet.find(text) {
        Some(offset) => {
            let start = node.span.start as usize + offset + error.range.start;
            let end = node.span.start as usize + offset + error.range.end.max(error.range.start);
            Span::new(node.span.file, start, end)
        }
        None => node.span,
    };
    Diagnostic::error("invalid-condition", error.message)
        .at(span)
        .with_optional_help(error.help)
}

struct StatementSlots {
    source: Spanned<String>,
    prerequisites: Option<Spanned<String>>,
    action: Spanned<String>,
    impact: Spanned<String>,
    goals: Vec<crate::rule::Goal>,
    assets: Vec<Spanned<String>>,
}

impl StatementSlots {
    fn into_template(self) -> StatementTemplate {
        StatementTemplate {
            source: self.source.value,
            prerequisites: self.prerequisites.map(|p| p.value),
            action: self.action.value,
            impact: self.impact.value,
            goals: self.goals,
            assets: self.assets.into_iter().map(|a| a.value).collect(),
        }
    }
}

fn statement_slots(statement: &StatementSlots) -> impl Iterator<Item = &Spanned<String>> {
    [&statement.source, &statement.action, &statement.impact]
        .into_iter()
        .chain(statement.prerequisites.as_ref())
        .chain(&statement.assets)
}

fn read_statement(decoder: &mut Decoder, node: &Node) -> Option<StatementSlots> {
    let mut map = decoder.map(node, "the statement", STATEMENT_FIELDS)?;
    let source = map
        .required(decoder, "source")
        .and_then(|n| decoder.text(n, "`source`"));
    let prerequisites = map
        .get("prerequisites")
        .and_then(|n| decoder.text(n, "`prerequisites`"));
    let action = map
        .required(decoder, "action")
        .and_then(|n| decoder.text(n, "`action`"));
    let impact = map
        .required(decoder, "impact")
        .and_then(|n| decoder.text(n, "`impact`"));
    let goals = map
        .required(decoder, "goals")
        .map(|n| decoder.keyword_list(n, "`goals`"))
        .unwrap_or_default();
    let assets = map
        .required(decoder, "assets")
        .map(|n| decoder.list(n, "`assets`", |d, item| d.text(item, "an asset")))
        .unwrap_or_default();
    map.finish(decoder);
    Some(StatementSlots {
        source: source?,
        prerequisites,
        action: action?,
        impact: impact?,
        goals: goals.into_iter().map(|g| g.value).collect(),
        assets,
    })
}

fn read_doc(decoder: &mut Decoder, node: &Node) -> Option<RuleDoc> {
    let mut map = decoder.map(node, "the rule doc", DOC_FIELDS)?;
    let detects = map.required_text(decoder, "detects").map(|t| t.value);
    let why = map.required_text(decoder, "why").map(|t| t.value);
    let example = map
        .get("example")
        .and_then(|n| decoder.text(n, "`example`"));
    let quiet = map.get("quiet").and_then(|n| decoder.text(n, "`quiet`"));
    let references = map.text_list(decoder, "references");
    map.finish(decoder);
    Some(RuleDoc {
        detects: detects.unwrap_or_default(),
        why: why.unwrap_or_default(),
        example: example.map(|e| e.value),
        quiet: quiet.map(|q| q.value),
        references: references.into_iter().map(|r| r.value).collect(),
    })
}

fn is_rule_id(id: &str) -> bool {
    let letters = id.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &id[letters..];
    (2..=4).contains(&letters) && digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_kebab(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn is_owasp_id(id: &str) -> bool {
    let (entry, edition) = match id.split_once(':') {
        Some(parts) => parts,
        None => return false,
    };
    let (number, expected_edition) = if let Some(number) = entry.strip_prefix("LLM") {
        (number, "2025")
    } else if let Some(number) = entry.strip_prefix("ML") {
        (number, "2023")
    } else {
        return false;
    };
    let number_ok = number.len() == 2 && number.parse::<u8>().is_ok_and(|n| (1..=10).contains(&n));
    number_ok && edition == expected_edition
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_formats() {
        assert!(is_rule_id("AIL004"));
        assert!(is_rule_id("ST001"));
        assert!(!is_rule_id("A001"));
        assert!(!is_rule_id("AIL04"));
        assert!(!is_rule_id("ail004"));
        assert!(is_kebab("unauthenticated-training-feed"));
        assert!(!is_kebab("Bad_Name"));
        assert!(!is_kebab("double--dash"));
        assert!(is_owasp_id("LLM01:2025"));
        assert!(is_owasp_id("ML10:2023"));
        assert!(!is_owasp_id("LLM11:2025"));
        assert!(!is_owasp_id("LLM01:2023"));
        assert!(!is_owasp_id("ML1:2023"));
    }
}

//! Import of ADTool 2 XML: `<adtree>` (attack-defence trees) and
//! `<sandtree>` (trees with sequential AND).
//!
//! ADTool writes each node as `<node refinement="disjunctive|conjunctive|
//! sequential">` with a `<label>`, its attribute values as
//! `<parameter domainId="...">value</parameter>`, and declares each domain
//! as `<domain id="..."><class>...</class></domain>`. A child with
//! `switchRole="yes"` belongs to the other player: under an attack node it is
//! a countermeasure. ADTool keys values by label, so steps with the same
//! label are one step here too, shared by every gate that lists it.
//!
//! What noharm cannot represent is left out and reported as an
//! `import-dropped` warning: the refinement of a countermeasure into
//! sub-defences and attacks against it, values of domains noharm has no
//! counterpart for, values out of range.

use std::collections::{HashMap, HashSet};

use noharm_syntax::{Diagnostic, FileId, SourceMap, Span};

use crate::builder::TreeBuilder;
use crate::codes;
use crate::tree::{Countermeasure, Gate, Node, NodeId, Step};
use crate::xml::{self, Element};
use crate::{Loaded, TreeError};

/// What an ADTool domain measures, as far as noharm has a counterpart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Metric {
    Cost,
    Skill,
    Difficulty,
    Time,
    Probability,
    Other,
}

impl Metric {
    /// From a domain class (`lu.uni.adtool.domains.adtpredefined.MinCost`)
    /// or, without a declaration, a domain id such as `MinCost1`.
    fn from_name(name: &str) -> Metric {
        let last = name.rsplit('.').next().unwrap_or(name);
        let base = last.trim_end_matches(|c: char| c.is_ascii_digit());
        match base.to_ascii_lowercase().as_str() {
            "mincost" | "cost" => Metric::Cost,
            "minskill" | "skill" => Metric::Skill,
            "difflmh" | "difflmhe" => Metric::Difficulty,
            "mintimepar" | "mintimeseq" | "mintime" | "time" => Metric::Time,
            "probsucc" | "probability" => Metric::Probability,
            _ => Metric::Other,
        }
    }
}

/// Reads an ADTool 2 XML file as one attack tree.
pub fn import_adtool(sources: &SourceMap, file: FileId) -> Loaded {
    let source = sources.file(file);
    let document = match xml::parse(source.text(), file) {
        Ok(document) => document,
        Err(diagnostic) => return Loaded::failed(*diagnostic),
    };
    let mut import = Import::new(&document, file);
    let tree = import.run(&document).and_then(|(root, title)| {
        let id = crate::file_stem(source.name());
        match std::mem::take(&mut import.builder).build(id, title, root) {
            Ok(tree) => Some(tree),
            Err(error) => {
                import.error(document.span, &error);
                None
            }
        }
    });
    Loaded {
        trees: tree.into_iter().collect(),
        diagnostics: import.diagnostics,
    }
}

struct Import {
    file: FileId,
    builder: TreeBuilder,
    diagnostics: Vec<Diagnostic>,
    domains: HashMap<String, Metric>,
    steps_by_label: HashMap<String, (NodeId, Step)>,
    countermeasures_by_label: HashMap<String, usize>,
    countermeasure_count: usize,
    ids: HashSet<String>,
    warned_domains: HashSet<String>,
}

impl Import {
    fn new(document: &Element, file: FileId) -> Import {
        let domains = document
            .children_named("domain")
            .filter_map(|domain| {
                let id = domain.attribute("id")?.to_string();
                let class = domain.child_text("class").unwrap_or("");
                Some((id, Metric::from_name(class)))
            })
            .collect();
        Import {
            file,
            builder: TreeBuilder::new(),
            diagnostics: Vec::new(),
            domains,
            steps_by_label: HashMap::new(),
            countermeasures_by_label: HashMap::new(),
            countermeasure_count: 0,
            ids: HashSet::new(),
            warned_domains: HashSet::new(),
        }
    }

    fn run(&mut self, document: &Element) -> Option<(NodeId, String)> {
        if document.name != "adtree" && document.name != "sandtree" {
            self.report(
                Diagnostic::error(
                    codes::NOT_AN_ATTACK_TREE,
                    format!(
                        "the root element is `<{}>`, not ADTool's `<adtree>` or `<sandtree>`",
                        document.name
                    ),
                )
                .at(document.span)
                .with_help("export the tree from ADTool 2 with File > Export > XML"),
            );
            return None;
        }
        self.report_other_children(document, &["node", "domain"]);
        let mut tops = document.children_named("node");
        let Some(top) = tops.next() else {
            self.report(
                Diagnostic::error(codes::NOT_AN_ATTACK_TREE, "the file holds no `<node>`")
                    .at(document.span)
                    .with_help("an ADTool tree has one root `<node>` under `<adtree>`"),
            );
            return None;
        };
        for extra in tops {
            self.dropped(
                extra.span,
                "a second root `<node>` is left out; noharm reads one tree per file".to_string(),
            );
        }
        if is_switched(top) {
            self.report(
                Diagnostic::error(
                    codes::NOT_AN_ATTACK_TREE,
                    "the root is the defender's goal; noharm reads trees rooted in an attack",
                )
                .at(top.span)
                .with_help("switch the root's role back to the attacker in ADTool"),
            );
            return None;
        }
        let root = self.attack_node(top)?;
        Some((root, label_of(top)))
    }

    /// An attacker's node: a step when it has no attacker children, a gate
    /// otherwise; its defender children become countermeasures on it.
    fn attack_node(&mut self, element: &Element) -> Option<NodeId> {
        let (attacks, defences): (Vec<&Element>, Vec<&Element>) = element
            .children_named("node")
            .partition(|child| !is_switched(child));
        let id = if attacks.is_empty() {
            self.step(element)
        } else {
            self.gate(element, &attacks)
        }?;
        for defence in defences {
            self.countermeasure(defence, id);
        }
        Some(id)
    }

    fn gate(&mut self, element: &Element, attacks: &[&Element]) -> Option<NodeId> {
        let gate = self.refinement(element);
        if has_values(element) {
            self.dropped(
                element.span,
                format!(
                    "values given on `{}` are left out: noharm derives a gate's values from its steps",
                    label_of(element)
                ),
            );
        }
        let children: Vec<NodeId> = attacks
            .iter()
            .filter_map(|child| self.attack_node(child))
            .collect();
        if children.is_empty() {
            return None;
        }
        let label = label_of(element);
        let id = self.fresh_id(&label);
        self.add(Node::gate(id, label, gate, children), element.span)
    }

    fn refinement(&mut self, element: &Element) -> Gate {
        let written = element.attribute("refinement").unwrap_or("");
        match written.to_ascii_lowercase().as_str() {
            "disjunctive" | "or" => Gate::Or,
            "conjunctive" | "and" => Gate::And,
            "sequential" | "sand" => Gate::Sand,
            _ => {
                self.dropped(
                    element.span,
                    format!(
                        "refinement `{written}` of `{}` is not one noharm knows; read as conjunctive, as ADTool does",
                        label_of(element)
                    ),
                );
                Gate::And
            }
        }
    }

    /// A step; steps with the same label are one shared step.
    fn step(&mut self, element: &Element) -> Option<NodeId> {
        let label = label_of(element);
        let step = self.step_values(element);
        if let Some(&(id, first)) = self.steps_by_label.get(&label) {
            // A repeat without values of its own refers to the first.
            if has_values(element) && first != step {
                self.dropped(
                    element.span,
                    format!(
                        "`{label}` appears twice with different values; the first values are kept"
                    ),
                );
            }
            return Some(id);
        }
        let id = self.fresh_id(&label);
        let node = self.add(Node::step(id, label.clone(), step), element.span)?;
        self.steps_by_label.insert(label, (node, step));
        Some(node)
    }

    fn step_values(&mut self, element: &Element) -> Step {
        let mut step = Step::default();
        let mut skill_given = false;
        let mut difficulty = None;
        for parameter in element.children_named("parameter") {
            if parameter
                .attribute("category")
                .is_some_and(|c| c != "basic")
            {
                continue;
            }
            let metric = self.metric(parameter);
            let raw = parameter.text.trim();
            match metric {
                Some(Metric::Cost) => {
                    step.cost = self
                        .non_negative(parameter, raw, "cost")
                        .unwrap_or(step.cost)
                }
                Some(Metric::Time) => {
                    step.time = self
                        .non_negative(parameter, raw, "time")
                        .unwrap_or(step.time)
                }
                Some(Metric::Probability) => {
                    step.probability = self.probability(parameter, raw).unwrap_or(step.probability);
                }
                Some(Metric::Skill) => {
                    if let Some(skill) = self.skill(parameter, raw) {
                        step.skill = skill;
                        skill_given = true;
                    }
                }
                Some(Metric::Difficulty) => difficulty = self.difficulty(parameter, raw),
                Some(Metric::Other) | None => {}
            }
        }
        if let (false, Some(skill)) = (skill_given, difficulty) {
            step.skill = skill;
        }
        step
    }

    /// What a parameter measures; `None` (reported once per domain) when
    /// noharm has no counterpart.
    fn metric(&mut self, parameter: &Element) -> Option<Metric> {
        let domain = parameter.attribute("domainId").unwrap_or("").to_string();
        let metric = self
            .domains
            .get(&domain)
            .copied()
            .unwrap_or_else(|| Metric::from_name(&domain));
        if metric == Metric::Other && self.warned_domains.insert(domain.clone()) {
            self.dropped(
                parameter.span,
                format!("values of domain `{domain}` are left out: noharm has cost, skill, time and probability"),
            );
            return None;
        }
        (metric != Metric::Other).then_some(metric)
    }

    fn number(&mut self, parameter: &Element, raw: &str, what: &str) -> Option<f64> {
        match raw.parse::<f64>() {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                self.dropped(
                    parameter.span,
                    format!("{what} `{raw}` is not a finite number and is left out"),
                );
                None
            }
        }
    }

    fn non_negative(&mut self, parameter: &Element, raw: &str, what: &str) -> Option<f64> {
        let value = self.number(parameter, raw, what)?;
        if value < 0.0 {
            self.dropped(
                parameter.span,
                format!("{what} `{raw}` is negative and is left out"),
            );
            return None;
        }
        Some(value)
    }

    fn probability(&mut self, parameter: &Element, raw: &str) -> Option<f64> {
        let value = self.number(parameter, raw, "probability")?;
        if !(0.0..=1.0).contains(&value) {
            self.dropped(
                parameter.span,
                format!("probability `{raw}` is outside 0 to 1 and is left out"),
            );
            return None;
        }
        Some(value)
    }

    fn skill(&mut self, parameter: &Element, raw: &str) -> Option<u8> {
        let value = self.number(parameter, raw, "skill")?;
        let clamped = value.round().clamp(1.0, 5.0);
        if clamped != value {
            self.dropped(
                parameter.span,
                format!("skill `{raw}` is outside noharm's 1 to 5 and is read as {clamped}"),
            );
        }
        Some(clamped as u8)
    }

    fn difficulty(&mut self, parameter: &Element, raw: &str) -> Option<u8> {
        match raw.to_ascii_uppercase().as_str() {
            "L" | "LOW" => Some(2),
            "M" | "MEDIUM" => Some(3),
            "H" | "HIGH" => Some(4),
            "E" | "EXTREME" => Some(5),
            _ => {
                self.dropped(
                    parameter.span,
                    format!("difficulty `{raw}` is not L, M, H or E and is left out"),
                );
                None
            }
        }
    }

    /// A defender's node under `target`: one countermeasure blocking it.
    /// Countermeasures with the same label are one, blocking every target.
    fn countermeasure(&mut self, element: &Element, target: NodeId) {
        let label = label_of(element);
        if element.children_named("node").next().is_some() {
            self.dropped(
                element.span,
                format!("the refinement of countermeasure `{label}` and any attacks against it are left out; it counts as one defence"),
            );
        }
        if let Some(&index) = self.countermeasures_by_label.get(&label) {
            let id = format!("cm-{}", index + 1);
            if let Some(existing) = self.builder.countermeasure_mut(&id)
                && !existing.blocks.contains(&target)
            {
                existing.blocks.push(target);
            }
            return;
        }
        let cost = self.step_values(element).cost;
        let index = self.countermeasure_count;
        self.countermeasure_count += 1;
        self.countermeasures_by_label.insert(label.clone(), index);
        self.builder.countermeasure(Countermeasure {
            id: format!("cm-{}", index + 1),
            label,
            cost,
            blocks: vec![target],
            applied: false,
        });
    }

    fn add(&mut self, node: Node, span: Span) -> Option<NodeId> {
        match self.builder.add(node) {
            Ok(id) => Some(id),
            Err(error) => {
                self.error(span, &error);
                None
            }
        }
    }

    fn fresh_id(&mut self, label: &str) -> String {
        let base = slug(label);
        let mut id = base.clone();
        let mut n = 2;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn report_other_children(&mut self, document: &Element, known: &[&str]) {
        let mut seen = HashSet::new();
        for child in &document.children {
            if !known.contains(&child.name.as_str()) && seen.insert(child.name.clone()) {
                self.dropped(
                    child.span,
                    format!(
                        "`<{}>` is left out; noharm reads the nodes and domains",
                        child.name
                    ),
                );
            }
        }
    }

    fn dropped(&mut self, span: Span, message: String) {
        let span = if span.file == self.file {
            span
        } else {
            Span::file_start(self.file)
        };
        self.report(Diagnostic::warning(codes::IMPORT_DROPPED, message).at(span));
    }

    fn error(&mut self, span: Span, error: &TreeError) {
        self.report(Diagnostic::error(codes::INVALID_TREE, error.to_string()).at(span));
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

fn has_values(element: &Element) -> bool {
    element
        .children_named("parameter")
        .any(|p| p.attribute("category").is_none_or(|c| c == "basic"))
}

fn is_switched(element: &Element) -> bool {
    element
        .attribute("switchRole")
        .is_some_and(|value| matches!(value.to_ascii_lowercase().as_str(), "yes" | "true"))
}

fn label_of(element: &Element) -> String {
    let label = element.child_text("label").unwrap_or("");
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty() {
        "unnamed".to_string()
    } else {
        label
    }
}

/// A node id from a label: lowercase words joined by `-`.
pub(crate) fn slug(label: &str) -> String {
    let mut slug = String::new();
    for word in label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        if slug.len() >= 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_lowercase());
    }
    if slug.is_empty() {
        "node".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_known_by_class_or_by_id() {
        assert_eq!(
            Metric::from_name("lu.uni.adtool.domains.adtpredefined.MinCost"),
            Metric::Cost
        );
        assert_eq!(Metric::from_name("MinTimeSeq12"), Metric::Time);
        assert_eq!(
            Metric::from_name("lu.uni.adtool.domains.predefined.ProbSucc"),
            Metric::Probability
        );
        assert_eq!(Metric::from_name("SatScenario1"), Metric::Other);
    }

    #[test]
    fn slugs_are_short_lowercase_words() {
        assert_eq!(
            slug("Steal the engineer's key!"),
            "steal-the-engineer-s-key"
        );
        assert_eq!(slug("***"), "node");
        assert!(slug(&"word ".repeat(100)).len() < 70);
    }
}

//! Reading trees: the hand-written format with its located diagnostics, and
//! the ADTool and deciduous importers on files written the way those tools
//! write them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use noharm_syntax::{Diagnostic, SourceMap};
use noharm_trees::{EvalLimits, Format, Gate, Loaded, NodeKind, analyze, load};

fn read(name: &str, text: &str, format: Format) -> (Loaded, SourceMap) {
    let mut sources = SourceMap::new();
    let file = sources.add(name, name, text);
    (load(&sources, file, format), sources)
}

fn codes(loaded: &Loaded) -> Vec<&'static str> {
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

fn find<'a>(loaded: &'a Loaded, code: &str) -> &'a Diagnostic {
    loaded
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no `{code}` in {:#?}", loaded.diagnostics))
}

/// The line a diagnostic points at.
fn line(sources: &SourceMap, diagnostic: &Diagnostic) -> u32 {
    sources.start_of(diagnostic.span().unwrap()).line
}

const TRIAGE: &str = "\
noharm-tree: 1
id: triage-poisoning
title: Make the triage model under-rate sepsis
root: goal
nodes:
  - id: goal
    label: Make the triage model under-rate sepsis
    or: [poison-training, swap-model]
  - id: poison-training
    label: Poison the next training run
    sand: [store-access, inject-records]
  - id: swap-model
    label: Replace the deployed model
    sand: [store-access, swap-weights]
  - id: store-access
    label: Get write access to the feature store
    cost: 2000
    skill: 3
    time: 16
    probability: 0.3
  - id: inject-records
    label: Inject mislabelled sepsis cases
    cost: 500
    skill: 2
    time: 8
    probability: 0.6
  - id: swap-weights
    label: Overwrite the model weights
    cost: 100
    skill: 4
    time: 1
    probability: 0.5
countermeasures:
  - id: signed-models
    label: Sign model artefacts and check them at load
    cost: 5000
    blocks: [swap-weights]
  - id: data-provenance
    label: Track the provenance of training records
    cost: 3000
    blocks: [inject-records]
    applied: false
";

#[test]
fn reads_a_hand_written_tree_with_a_shared_step() {
    let (loaded, _) = read("triage.yaml", TRIAGE, Format::Noharm);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let tree = &loaded.trees[0];
    assert_eq!(tree.id(), "triage-poisoning");
    assert_eq!(tree.name(tree.root()), "goal");
    let access = tree.find("store-access").unwrap();
    let parents = tree
        .nodes()
        .iter()
        .filter(|n| n.children().contains(&access))
        .count();
    assert_eq!(parents, 2, "the access step is shared");
    let swap = tree.find("swap-model").unwrap();
    assert!(matches!(
        tree.node(swap).unwrap().kind,
        NodeKind::Gate {
            gate: Gate::Sand,
            ..
        }
    ));

    let analysis = analyze(tree, &EvalLimits::default()).unwrap();
    assert_eq!(analysis.min_cost.unwrap().value, 2100.0);
    assert_eq!(analysis.raises_cost_most.as_deref(), Some("signed-models"));
}

#[test]
fn format_detection_goes_by_content() {
    assert_eq!(Format::detect("t.yaml", TRIAGE), Format::Noharm);
    assert_eq!(Format::detect("t.yaml", DECIDUOUS), Format::Deciduous);
    assert_eq!(Format::detect("t.xml", ""), Format::AdTool);
    assert_eq!(Format::detect("t.txt", "\n  <adtree>"), Format::AdTool);
}

#[test]
fn unknown_references_suggest_the_closest_id() {
    let text = TRIAGE.replace(
        "sand: [store-access, swap-weights]",
        "sand: [store-acess, swap-weights]",
    );
    let (loaded, sources) = read("t.yaml", &text, Format::Noharm);
    assert!(loaded.trees.is_empty());
    let diagnostic = find(&loaded, "unknown-node");
    assert_eq!(
        diagnostic.message,
        "node `swap-model` refers to `store-acess`, which is not a node"
    );
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("did you mean `store-access`?")
    );
    assert_eq!(line(&sources, diagnostic), 14);
}

#[test]
fn cycles_are_refused_with_their_path() {
    let text = "\
noharm-tree: 1
root: a
nodes:
  - {id: a, or: [b, leaf]}
  - {id: b, and: [c]}
  - {id: c, sand: [a]}
  - {id: leaf, cost: 1}
";
    let (loaded, sources) = read("loop.yaml", text, Format::Noharm);
    assert!(loaded.trees.is_empty());
    let diagnostic = find(&loaded, "tree-cycle");
    assert_eq!(
        diagnostic.message,
        "node `a` leads back to itself: a -> b -> c -> a"
    );
    assert_eq!(
        line(&sources, diagnostic),
        6,
        "points at the reference that closes it"
    );
    assert_eq!(codes(&loaded), ["tree-cycle"]);
}

#[test]
fn values_out_of_range_and_unknown_fields_are_located() {
    let text = "\
noharm-tree: 1
nodes:
  - {id: goal, and: [a, b, c]}
  - {id: a, probability: 1.5}
  - {id: b, skill: 7, time: -2}
  - {id: c, skill: 2.5, costs: 3}
";
    let (loaded, sources) = read("range.yaml", text, Format::Noharm);
    assert!(loaded.trees.is_empty());
    let mut found: Vec<(&str, u32)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, line(&sources, d)))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("out-of-range", 4),
            ("out-of-range", 5),
            ("out-of-range", 5),
            ("out-of-range", 6),
            ("unknown-field", 6)
        ]
    );
    let probability = find(&loaded, "out-of-range");
    assert_eq!(
        probability.message,
        "`probability` of node `a` is 1.5, outside its range"
    );
    assert_eq!(
        probability.help.as_deref(),
        Some("`probability` must be a number from 0 to 1")
    );
    let unknown = find(&loaded, "unknown-field");
    assert!(
        unknown
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `cost`?")
    );
}

#[test]
fn shape_problems_each_get_their_code() {
    let text = "\
root: a
nodes:
  - {id: a, or: [b, d], cost: 3}
  - {id: b, and: [c]}
  - {id: b, cost: 1}
  - {id: c, cost: 1}
  - {id: d, sand: []}
";
    let (loaded, _) = read("shape.yaml", text, Format::Noharm);
    let mut found = codes(&loaded);
    found.sort_unstable();
    assert_eq!(
        found,
        [
            "ambiguous-node",
            "duplicate-id",
            "empty-gate",
            "unsupported-version"
        ],
        "a node written wrongly still answers references to it"
    );
}

#[test]
fn the_root_must_be_clear() {
    let text = "noharm-tree: 1\nnodes:\n  - {id: a, cost: 1}\n  - {id: c, cost: 2}\n";
    let (loaded, _) = read("roots.yaml", text, Format::Noharm);
    assert_eq!(codes(&loaded), ["no-root"]);
    let no_root = find(&loaded, "no-root");
    assert_eq!(no_root.message, "several nodes could be the root: `a`, `c`");
    assert_eq!(
        no_root.help.as_deref(),
        Some("say which node is the attacker's goal with `root: <node id>`")
    );
}

#[test]
fn nodes_outside_the_root_are_a_warning_only() {
    let text = "\
noharm-tree: 1
root: goal
nodes:
  - {id: goal, or: [a]}
  - {id: a, cost: 1}
  - {id: stray, cost: 2}
";
    let (loaded, _) = read("stray.yaml", text, Format::Noharm);
    assert_eq!(codes(&loaded), ["unreachable-node"]);
    assert!(!loaded.has_errors());
    assert_eq!(loaded.trees.len(), 1);
    assert_eq!(
        loaded.trees[0].id(),
        "stray",
        "the id defaults to the file name"
    );
}

#[test]
fn broken_yaml_is_one_located_error() {
    let (loaded, _) = read("bad.yaml", "noharm-tree: 1\nnodes: [\n", Format::Noharm);
    assert!(loaded.has_errors());
    assert!(loaded.trees.is_empty());
}

/// Written as ADTool 2 writes it: derived values on gates, basic values on
/// steps, a countermeasure (`switchRole`) with its own refinement and an
/// attack against it, a domain noharm has no counterpart for, and a step
/// that appears under two gates with the same label.
const ADTOOL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<adtree>
  <node refinement="disjunctive">
    <label>Alter sepsis alerts</label>
    <parameter domainId="MinCost1" category="derived">500.0</parameter>
    <node refinement="conjunctive">
      <label>Tamper with the model</label>
      <node refinement="disjunctive">
        <label>Steal an engineer's credentials</label>
        <parameter domainId="MinCost1" category="basic">300.0</parameter>
        <parameter domainId="ProbSucc2" category="basic">0.4</parameter>
        <parameter domainId="MinSkill3" category="basic">3</parameter>
        <parameter domainId="Custom4" category="basic">7</parameter>
      </node>
      <node refinement="disjunctive">
        <label>Push a modified model</label>
        <parameter domainId="MinCost1" category="basic">200.0</parameter>
        <parameter domainId="ProbSucc2" category="basic">0.5</parameter>
        <parameter domainId="MinSkill3" category="basic">9</parameter>
        <node refinement="conjunctive" switchRole="yes">
          <label>Model signing</label>
          <parameter domainId="MinCost1" category="basic">4000</parameter>
          <node refinement="disjunctive" switchRole="yes">
            <label>Steal the signing key</label>
          </node>
        </node>
      </node>
    </node>
    <node refinement="sequential">
      <label>Tamper with the lab feed</label>
      <node refinement="disjunctive">
        <label>Steal an engineer&apos;s credentials</label>
      </node>
      <node refinement="disjunctive">
        <label>Rewrite lab values in transit</label>
        <parameter domainId="MinCost1" category="basic">900</parameter>
      </node>
    </node>
  </node>
  <domain id="MinCost1">
    <class>lu.uni.adtool.domains.adtpredefined.MinCost</class>
    <tool>ADTool2</tool>
  </domain>
  <domain id="ProbSucc2">
    <class>lu.uni.adtool.domains.adtpredefined.ProbSucc</class>
    <tool>ADTool2</tool>
  </domain>
  <domain id="MinSkill3">
    <class>lu.uni.adtool.domains.adtpredefined.MinSkill</class>
    <tool>ADTool2</tool>
  </domain>
  <domain id="Custom4">
    <class>lu.uni.adtool.domains.custom.AdtRealDomain</class>
    <tool>ADTool2</tool>
  </domain>
</adtree>
"#;

#[test]
fn imports_adtool_xml_sharing_steps_by_label() {
    let (loaded, _) = read("alerts.xml", ADTOOL, Format::detect("alerts.xml", ADTOOL));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let tree = &loaded.trees[0];
    assert_eq!(tree.id(), "alerts");
    assert_eq!(tree.title(), "Alter sepsis alerts");

    let creds = tree.find("steal-an-engineer-s-credentials").unwrap();
    let step = tree.node(creds).unwrap().as_step().copied().unwrap();
    assert_eq!((step.cost, step.probability, step.skill), (300.0, 0.4, 3));
    let parents = tree
        .nodes()
        .iter()
        .filter(|n| n.children().contains(&creds))
        .count();
    assert_eq!(parents, 2, "one step, shared by label");
    let feed = tree.find("tamper-with-the-lab-feed").unwrap();
    assert!(matches!(
        tree.node(feed).unwrap().kind,
        NodeKind::Gate {
            gate: Gate::Sand,
            ..
        }
    ));

    let signing = &tree.countermeasures()[0];
    assert_eq!(signing.label, "Model signing");
    assert_eq!(signing.cost, 4000.0);
    assert!(!signing.applied);
    assert_eq!(tree.name(signing.blocks[0]), "push-a-modified-model");

    let messages: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "values of domain `Custom4` are left out: noharm has cost, skill, time and probability",
            "skill `9` is outside noharm's 1 to 5 and is read as 5",
            "the refinement of countermeasure `Model signing` and any attacks against it are left out; it counts as one defence",
        ]
    );
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.code == "import-dropped")
    );

    let analysis = analyze(tree, &EvalLimits::default()).unwrap();
    assert_eq!(analysis.min_cost.unwrap().value, 500.0);
    let effect = &analysis.countermeasures[0];
    assert_eq!(effect.min_cost_after, Some(1200.0));
}

#[test]
fn adtool_errors_are_located() {
    let (loaded, _) = read(
        "x.xml",
        "<adtree><node><label>a</label></adtree>",
        Format::AdTool,
    );
    assert_eq!(codes(&loaded), ["xml-syntax"]);

    let (loaded, _) = read("x.xml", "<project><node/></project>", Format::AdTool);
    assert_eq!(codes(&loaded), ["not-an-attack-tree"]);

    let defence_root = r#"<adtree><node refinement="disjunctive" switchRole="yes"><label>d</label></node></adtree>"#;
    let (loaded, _) = read("x.xml", defence_root, Format::AdTool);
    assert_eq!(codes(&loaded), ["not-an-attack-tree"]);

    let odd = r#"<adtree><node refinement="weird"><label>g</label><node refinement="disjunctive"><label>s</label></node></node></adtree>"#;
    let (loaded, _) = read("x.xml", odd, Format::AdTool);
    assert_eq!(codes(&loaded), ["import-dropped"]);
    assert_eq!(loaded.trees.len(), 1);
}

/// Written the way deciduous files are: labels after the name, `from`
/// lists, a mitigation with an attack around it, a mitigation not yet
/// implemented, a backwards edge, and a typo.
const DECIDUOUS: &str = "\
title: Tamper with sepsis alerts
facts:
- vendor_vpn: Vendor VPN reaches the model host
  from:
  - reality
attacks:
- steal_creds: Steal a vendor engineer's credentials
  from:
  - vendor_vpn
- phish_token: Phish a one-time code
  from:
  - mfa
  - model_signing:
    backwards: true
- push_model: Push a modified model
  from:
  - steal_creds: '#yolosec'
  - phish_token
  - steal_cred
- forge_signature:
  from:
  - model_signing
mitigations:
- mfa: Multi-factor login
  from:
  - steal_creds
- model_signing: Sign models
  from:
  - push_model:
    implemented: false
goals:
- bad_alerts: Clinicians get wrong sepsis alerts
  from:
  - push_model
  - forge_signature
theme: accessible
";

#[test]
fn imports_deciduous_with_mitigations_as_countermeasures() {
    let (loaded, _) = read("alerts.yaml", DECIDUOUS, Format::Deciduous);
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let messages: Vec<&str> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "the backwards edge from `model_signing` to `phish_token` is left out: it points back up the attack",
            "`push_model` comes from `steal_cred`, which is not declared; the edge is left out; did you mean `steal_creds`?",
        ]
    );

    let tree = &loaded.trees[0];
    assert_eq!(tree.id(), "bad_alerts");
    assert_eq!(tree.title(), "Clinicians get wrong sepsis alerts");
    let ids: Vec<(&str, bool)> = tree
        .countermeasures()
        .iter()
        .map(|c| (c.id.as_str(), c.applied))
        .collect();
    assert_eq!(
        ids,
        [("mfa", true), ("model_signing:not-implemented", false)]
    );
    assert_eq!(
        tree.node(tree.find("forge_signature").unwrap())
            .unwrap()
            .label,
        "Forge signature"
    );

    // With MFA in place the attacker must phish the code as well.
    let analysis = analyze(tree, &EvalLimits::default()).unwrap();
    let sets: Vec<Vec<String>> = analysis
        .attack_sets
        .iter()
        .map(|s| s.steps.clone())
        .collect();
    assert_eq!(
        sets,
        [vec![
            "steal_creds".to_string(),
            "phish_token".into(),
            "push_model".into()
        ]]
    );

    // Implementing signing leaves only the forged signature.
    let signing = &analysis.countermeasures[0];
    assert_eq!(signing.id, "model_signing:not-implemented");
    assert_eq!(signing.sets_removed, 1);
    assert!(!signing.stops_every_attack);
}

#[test]
fn deciduous_without_goals_is_an_error_and_loops_are_dropped() {
    let (loaded, _) = read(
        "x.yaml",
        "attacks:\n- a: A\n  from: [reality]\n",
        Format::Deciduous,
    );
    assert_eq!(codes(&loaded), ["not-an-attack-tree"]);

    let looped = "\
attacks:
- a:
  from: [reality, b]
- b:
  from: [a]
goals:
- g:
  from: [b]
";
    let (loaded, _) = read("x.yaml", looped, Format::Deciduous);
    assert!(!loaded.has_errors());
    assert_eq!(codes(&loaded), ["import-dropped"]);
    assert!(loaded.diagnostics[0].message.contains("closes a loop"));
    let analysis = analyze(&loaded.trees[0], &EvalLimits::default()).unwrap();
    assert_eq!(analysis.attack_sets[0].steps, ["a", "b"]);
}

//! Checks across the merged model: unique ids, references that resolve to
//! the right kind of thing, flows, boundary nesting, and the warnings that
//! point at probable mistakes.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;

use noharm_syntax::{Diagnostic, Span, did_you_mean};

use crate::codes;
use crate::keywords::ElementKind;
use crate::model::{Id, Model};

/// What an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ItemKind {
    System,
    Harm,
    Data,
    Boundary,
    Element,
    Flow,
    Artifact,
    Assumption,
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ItemKind::System => "the system",
            ItemKind::Harm => "a harm",
            ItemKind::Data => "a data asset",
            ItemKind::Boundary => "a boundary",
            ItemKind::Element => "an element",
            ItemKind::Flow => "a data flow",
            ItemKind::Artifact => "an artifact",
            ItemKind::Assumption => "an assumption",
        })
    }
}

/// Every id in the model with what it names and where it is defined.
struct IdIndex<'m> {
    /// The first definition of each id.
    items: HashMap<&'m str, (ItemKind, Span)>,
    /// Every kind an id names, for ids defined twice: a reference is fine
    /// when any of them fits, and the duplicate is reported once already.
    duplicate_kinds: HashMap<&'m str, Vec<ItemKind>>,
    /// Sorted candidate ids per expected kinds, built on first use.
    candidates: RefCell<HashMap<Vec<ItemKind>, Vec<&'m str>>>,
    /// How many suggestions were computed; past a bound, a model full of
    /// broken references stays fast.
    n_suggestions: Cell<usize>,
}

/// Suggestions computed per model at most; each costs a pass over the ids.
const MAX_SUGGESTIONS: usize = 200;

pub(crate) fn validate(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let index = index_ids(model, diagnostics);
    check_references(model, &index, diagnostics);
    check_flows(model, diagnostics);
    check_boundary_nesting(model, diagnostics);
    warn_unused(model, diagnostics);
}

fn index_ids<'m>(model: &'m Model, diagnostics: &mut Vec<Diagnostic>) -> IdIndex<'m> {
    let all_ids = std::iter::once((&model.system.id, ItemKind::System))
        .filter(|(id, _)| !id.value.is_empty())
        .chain(model.harms.iter().map(|item| (&item.id, ItemKind::Harm)))
        .chain(model.data.iter().map(|item| (&item.id, ItemKind::Data)))
        .chain(
            model
                .boundaries
                .iter()
                .map(|item| (&item.id, ItemKind::Boundary)),
        )
        .chain(
            model
                .elements
                .iter()
                .map(|item| (&item.id, ItemKind::Element)),
        )
        .chain(model.flows.iter().map(|item| (&item.id, ItemKind::Flow)))
        .chain(
            model
                .artifacts
                .iter()
                .map(|item| (&item.id, ItemKind::Artifact)),
        )
        .chain(
            model
                .assumptions
                .iter()
                .map(|item| (&item.id, ItemKind::Assumption)),
        );

    let mut items: HashMap<&str, (ItemKind, Span)> = HashMap::new();
    let mut duplicate_kinds: HashMap<&str, Vec<ItemKind>> = HashMap::new();
    for (id, kind) in all_ids {
        if let Some(&(first_kind, first_span)) = items.get(id.as_str()) {
            duplicate_kinds
                .entry(id.as_str())
                .or_insert_with(|| vec![first_kind])
                .push(kind);
            diagnostics.push(
                Diagnostic::error(
                    codes::DUPLICATE_ID,
                    format!("the id `{}` is used twice", id.value),
                )
                .at_labeled(id.span, format!("{kind} here"))
                .with_secondary(first_span, format!("{first_kind} first"))
                .with_help("ids are unique across the whole model; rename one of them"),
            );
            continue;
        }
        items.insert(id.as_str(), (kind, id.span));
    }
    IdIndex {
        items,
        duplicate_kinds,
        candidates: RefCell::new(HashMap::new()),
        n_suggestions: Cell::new(0),
    }
}

fn check_references(model: &Model, index: &IdIndex<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let mut check = |reference: &Id, expected: &[ItemKind], role: &str| {
        if let Some(diagnostic) = index.check(reference, expected, role) {
            diagnostics.push(diagnostic);
        }
    };

    for boundary in &model.boundaries {
        if let Some(parent) = &boundary.parent {
            check(parent, &[ItemKind::Boundary], "parent boundary");
        }
    }
    for element in &model.elements {
        if let Some(boundary) = &element.boundary {
            check(boundary, &[ItemKind::Boundary], "boundary");
        }
        for data in element.stores.iter().chain(&element.processes) {
            check(data, &[ItemKind::Data], "data asset");
        }
        for harm in &element.drives {
            check(harm, &[ItemKind::Harm], "harm");
        }
    }
    for flow in &model.flows {
        check(&flow.from, &[ItemKind::Element], "source element");
        check(&flow.to, &[ItemKind::Element], "destination element");
        for data in &flow.data {
            check(data, &[ItemKind::Data], "data asset");
        }
    }
    for artifact in &model.artifacts {
        if let Some(element) = &artifact.element {
            check(element, &[ItemKind::Element], "element");
        }
    }
    for assumption in &model.assumptions {
        for target in &assumption.targets {
            check(
                target,
                &[ItemKind::Element, ItemKind::Flow],
                "element or data flow",
            );
        }
    }
}

impl IdIndex<'_> {
    /// A diagnostic when `reference` does not name one of `expected`.
    fn check(&self, reference: &Id, expected: &[ItemKind], role: &str) -> Option<Diagnostic> {
        let kinds_fit = |kind: &ItemKind| {
            expected.contains(kind)
                || self
                    .duplicate_kinds
                    .get(reference.as_str())
                    .is_some_and(|kinds| kinds.iter().any(|k| expected.contains(k)))
        };
        match self.items.get(reference.as_str()) {
            Some((kind, _)) if kinds_fit(kind) => None,
            Some((kind, defined_at)) => Some(
                Diagnostic::error(
                    codes::UNKNOWN_REFERENCE,
                    format!(
                        "`{}` is {kind}, not {}",
                        reference.value,
                        describe_expected(expected)
                    ),
                )
                .at_labeled(reference.span, format!("expected a {role}"))
                .with_secondary(
                    *defined_at,
                    format!("`{}` is defined here", reference.value),
                )
                .with_optional_help(self.suggest(reference, expected)),
            ),
            None => Some(
                Diagnostic::error(
                    codes::UNKNOWN_REFERENCE,
                    format!("no {role} has the id `{}`", reference.value),
                )
                .at(reference.span)
                .with_optional_help(self.suggest(reference, expected)),
            ),
        }
    }

    fn suggest(&self, reference: &Id, expected: &[ItemKind]) -> Option<String> {
        let n = self.n_suggestions.get();
        if n >= MAX_SUGGESTIONS {
            return None;
        }
        self.n_suggestions.set(n + 1);

        let mut cache = self.candidates.borrow_mut();
        let candidates = cache.entry(expected.to_vec()).or_insert_with(|| {
            // Sorted, so that suggestions do not depend on hash order when
            // two candidates score the same.
            let mut ids: Vec<&str> = self
                .items
                .iter()
                .filter(|(_, (kind, _))| expected.contains(kind))
                .map(|(id, _)| *id)
                .collect();
            ids.sort_unstable();
            ids
        });
        did_you_mean(reference, candidates.iter().copied())
            .map(|id| format!("did you mean `{id}`?"))
    }
}

fn describe_expected(expected: &[ItemKind]) -> String {
    expected
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

fn check_flows(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    for flow in &model.flows {
        if flow.from.value == flow.to.value {
            diagnostics.push(
                Diagnostic::error(
                    codes::SELF_FLOW,
                    format!("data flow `{}` goes from `{}` to itself", flow.id.value, flow.from.value),
                )
                .at_labeled(flow.to.span, "same as `from`")
                .with_help("a data flow connects two different elements; model internal steps as separate processes"),
            );
        }
    }
}

/// Finds every cycle in the boundary nesting. Each boundary has at most one
/// parent, so following parents from each unvisited boundary, with the
/// boundaries of the current walk remembered, finds each cycle once in time
/// linear in the number of boundaries.
fn check_boundary_nesting(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let parents: HashMap<&str, &Id> = model
        .boundaries
        .iter()
        .filter_map(|boundary| {
            boundary
                .parent
                .as_ref()
                .map(|parent| (boundary.id.as_str(), parent))
        })
        .collect();
    let mut done: HashSet<&str> = HashSet::new();

    for boundary in &model.boundaries {
        let mut walk: Vec<&str> = Vec::new();
        let mut on_walk: HashMap<&str, usize> = HashMap::new();
        let mut current = boundary.id.as_str();
        loop {
            if done.contains(current) {
                break;
            }
            if let Some(&start) = on_walk.get(current) {
                diagnostics.push(cycle_diagnostic(&walk[start..], &parents));
                break;
            }
            on_walk.insert(current, walk.len());
            walk.push(current);
            match parents.get(current) {
                Some(parent) => current = parent.as_str(),
                None => break,
            }
        }
        done.extend(walk);
    }
}

fn cycle_diagnostic(cycle: &[&str], parents: &HashMap<&str, &Id>) -> Diagnostic {
    let mut path = cycle.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>();
    path.push(format!("`{}`", cycle[0]));
    let first_parent = parents.get(cycle[0]).map(|id| id.span).unwrap_or_default();
    let mut diagnostic = Diagnostic::error(
        codes::BOUNDARY_CYCLE,
        format!(
            "boundaries are nested in a cycle: {}",
            path.join(" inside ")
        ),
    )
    .at_labeled(first_parent, "this parent closes the cycle")
    .with_help("a boundary cannot sit inside itself; remove one `parent` from the cycle");
    for id in &cycle[1..] {
        if let Some(parent) = parents.get(id) {
            diagnostic = diagnostic.with_secondary(parent.span, "part of the cycle");
        }
    }
    diagnostic
}

fn warn_unused(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let driven: HashSet<&str> = model
        .elements
        .iter()
        .flat_map(|element| element.drives.iter().map(Id::as_str))
        .collect();
    for harm in &model.harms {
        if !driven.contains(harm.id.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    codes::UNUSED_HARM,
                    format!("no element drives the harm `{}`", harm.id.value),
                )
                .at(harm.id.span)
                .with_help("add the harm to `drives` on the element whose output can cause it"),
            );
        }
    }

    let used_data: HashSet<&str> = model
        .elements
        .iter()
        .flat_map(|element| element.stores.iter().chain(&element.processes))
        .chain(model.flows.iter().flat_map(|flow| &flow.data))
        .map(Id::as_str)
        .collect();
    for asset in &model.data {
        if !used_data.contains(asset.id.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    codes::UNUSED_DATA,
                    format!(
                        "no element or data flow uses the data asset `{}`",
                        asset.id.value
                    ),
                )
                .at(asset.id.span)
                .with_help("list it under `data` of the flows that carry it, or remove it"),
            );
        }
    }

    let connected: HashSet<&str> = model
        .flows
        .iter()
        .flat_map(|flow| [flow.from.as_str(), flow.to.as_str()])
        .collect();
    for element in &model.elements {
        if element.kind == ElementKind::Store && element.stores.is_empty() {
            diagnostics.push(
                Diagnostic::warning(
                    codes::EMPTY_STORE,
                    format!("the store `{}` stores no data", element.id.value),
                )
                .at(element.id.span)
                .with_help("list the data assets it keeps under `stores`"),
            );
        }
        if !connected.contains(element.id.as_str()) {
            diagnostics.push(
                Diagnostic::warning(
                    codes::ISOLATED_ELEMENT,
                    format!("the element `{}` has no data flows", element.id.value),
                )
                .at(element.id.span)
                .with_help(
                    "connect it with a data flow, or remove it if it is not part of the system",
                ),
            );
        }
    }
}

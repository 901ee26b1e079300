//! What conditions read: per-element and per-flow facts computed once from
//! the model graph, in time linear in its size. Reachability is summarised
//! per strongly connected component, so "what lies downstream" costs one
//! pass over the condensed graph instead of a search per element.

use std::collections::HashMap;

use noharm_model::Model;
use noharm_model::keywords::{BoundaryKind, Exposure};

use crate::condition::fields::Vocab;
use crate::mask::Mask;
use crate::vocab::Vocabularies;

/// Aggregates over the flows on one side of an element.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SideFacts {
    pub(crate) protocols: Mask,
    pub(crate) data: Mask,
    pub(crate) kinds: Mask,
    pub(crate) stages: Mask,
    pub(crate) unauthenticated: bool,
    pub(crate) unencrypted: bool,
    pub(crate) crosses_boundary: bool,
    pub(crate) crosses_vendor_boundary: bool,
    pub(crate) from_internet: bool,
}

/// What an element can reach, or be reached from.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ReachFacts {
    pub(crate) kinds: Mask,
    pub(crate) stages: Mask,
    pub(crate) tech: Mask,
    pub(crate) data: Mask,
    pub(crate) controls: Mask,
    pub(crate) drives_harm: bool,
    pub(crate) unreviewed_harm: bool,
    pub(crate) reviewed: bool,
}

impl ReachFacts {
    fn union(self, other: ReachFacts) -> ReachFacts {
        ReachFacts {
            kinds: self.kinds.union(other.kinds),
            stages: self.stages.union(other.stages),
            tech: self.tech.union(other.tech),
            data: self.data.union(other.data),
            controls: self.controls.union(other.controls),
            drives_harm: self.drives_harm || other.drives_harm,
            unreviewed_harm: self.unreviewed_harm || other.unreviewed_harm,
            reviewed: self.reviewed || other.reviewed,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct ElementFacts {
    pub(crate) kind: u8,
    pub(crate) stage: Option<u8>,
    pub(crate) exposure: Option<u8>,
    pub(crate) updates: Option<u8>,
    pub(crate) tech: Mask,
    pub(crate) controls: Mask,
    pub(crate) stores: Mask,
    pub(crate) data: Mask,
    pub(crate) boundary_kinds: Mask,
    pub(crate) in_boundary: bool,
    pub(crate) vendor_operated: bool,
    pub(crate) reviews_output: bool,
    pub(crate) drives_harm: bool,
    pub(crate) harm_severity: Option<u8>,
    pub(crate) has_fallback: bool,
    pub(crate) artifacts: Mask,
    pub(crate) artifacts_unhashed: bool,
    pub(crate) inbound_count: u32,
    pub(crate) outbound_count: u32,
    pub(crate) inbound: SideFacts,
    pub(crate) outbound: SideFacts,
    pub(crate) upstream: ReachFacts,
    pub(crate) downstream: ReachFacts,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct FlowFacts {
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) protocol: Option<u8>,
    pub(crate) authenticated: bool,
    pub(crate) encrypted: bool,
    pub(crate) authentication_known: bool,
    pub(crate) encryption_known: bool,
    pub(crate) data: Mask,
    pub(crate) controls: Mask,
    pub(crate) crosses_boundary: bool,
    pub(crate) crosses_vendor_boundary: bool,
    pub(crate) crossed_kinds: Mask,
    pub(crate) leaves_organization: bool,
    /// Index of the first boundary crossed, for `{boundary}`.
    pub(crate) first_crossed: Option<usize>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct SystemFacts {
    pub(crate) clinical_use: u8,
    pub(crate) regulated: u8,
    pub(crate) risk_tier: u8,
}

/// Every fact conditions can read, for one model.
#[derive(Clone, Debug, Default)]
pub(crate) struct Facts {
    pub(crate) elements: Vec<ElementFacts>,
    pub(crate) flows: Vec<FlowFacts>,
    pub(crate) system: SystemFacts,
    /// Boundary chain of each element, innermost first.
    pub(crate) element_boundaries: Vec<Vec<usize>>,
}

fn small(index: usize) -> u8 {
    u8::try_from(index).unwrap_or(u8::MAX)
}

fn word_mask<'a>(
    vocabularies: &Vocabularies,
    vocab: Vocab,
    words: impl Iterator<Item = &'a str>,
) -> Mask {
    let mut mask = Mask::EMPTY;
    for word in words {
        if let Some(index) = vocabularies.lookup(vocab, word) {
            mask.insert(index);
        }
    }
    mask
}

/// Computes the facts of a valid model.
pub(crate) fn compute(model: &Model, vocabularies: &Vocabularies) -> Facts {
    let element_index: HashMap<&str, usize> = model
        .elements
        .iter()
        .enumerate()
        .map(|(idx, element)| (element.id.as_str(), idx))
        .collect();
    let data_classes: HashMap<&str, usize> = model
        .data
        .iter()
        .map(|asset| {
            (
                asset.id.as_str(),
                Vocab::index_of(asset.classification) as usize,
            )
        })
        .collect();
    let class_mask = |ids: &mut dyn Iterator<Item = &str>| {
        let mut mask = Mask::EMPTY;
        for id in ids {
            if let Some(&class) = data_classes.get(id) {
                mask.insert(class);
            }
        }
        mask
    };

    let boundary_chains = boundary_chains(model);
    let element_boundaries: Vec<Vec<usize>> = model
        .elements
        .iter()
        .map(|element| {
            element
                .boundary
                .as_ref()
                .and_then(|id| model.boundaries.iter().position(|b| b.id.value == id.value))
                .map(|idx| boundary_chains[idx].clone())
                .unwrap_or_default()
        })
        .collect();

    let mut elements: Vec<ElementFacts> = model
        .elements
        .iter()
        .enumerate()
        .map(|(idx, element)| {
            let chain = &element_boundaries[idx];
            let mut boundary_kinds = Mask::EMPTY;
            for &boundary in chain {
                boundary_kinds.insert(Vocab::index_of(model.boundaries[boundary].kind) as usize);
            }
            let vendor_boundary = chain
                .iter()
                .any(|&boundary| model.boundaries[boundary].kind == BoundaryKind::Vendor);
            let worst_harm = element
                .drives
                .iter()
                .filter_map(|id| model.harm(id))
                .map(|harm| harm.severity)
                .max();
            let artifacts: Vec<_> = model
                .artifacts
                .iter()
                .filter(|artifact| {
                    artifact
                        .element
                        .as_ref()
                        .is_some_and(|e| e.value == element.id.value)
                })
                .collect();
            let stores = class_mask(&mut element.stores.iter().map(|id| id.as_str()));
            let processes = class_mask(&mut element.processes.iter().map(|id| id.as_str()));

            ElementFacts {
                kind: Vocab::index_of(element.kind),
                stage: element.stage.map(Vocab::index_of),
                exposure: element.exposure.map(Vocab::index_of),
                updates: element.updates.map(Vocab::index_of),
                tech: word_mask(
                    vocabularies,
                    Vocab::Tech,
                    element.tech.iter().map(|t| t.as_str()),
                ),
                controls: word_mask(
                    vocabularies,
                    Vocab::Control,
                    element.controls.iter().map(|c| c.as_str()),
                ),
                stores,
                data: stores.union(processes),
                boundary_kinds,
                in_boundary: !chain.is_empty(),
                vendor_operated: element.vendor.is_some() || vendor_boundary,
                reviews_output: element.reviews_output,
                drives_harm: !element.drives.is_empty(),
                harm_severity: worst_harm.map(Vocab::index_of),
                has_fallback: element.fallback.is_some(),
                artifacts: artifacts.iter().fold(Mask::EMPTY, |mask, a| {
                    mask.union(Mask::bit(Vocab::index_of(a.kind) as usize))
                }),
                artifacts_unhashed: artifacts.iter().any(|a| a.sha256.is_none()),
                ..ElementFacts::default()
            }
        })
        .collect();

    let flows: Vec<FlowFacts> = model
        .flows
        .iter()
        .map(|flow| {
            let from = element_index.get(flow.from.as_str()).copied().unwrap_or(0);
            let to = element_index.get(flow.to.as_str()).copied().unwrap_or(0);
            let crossed = crossed_boundaries(&element_boundaries[from], &element_boundaries[to]);
            let mut crossed_kinds = Mask::EMPTY;
            for &boundary in &crossed {
                crossed_kinds.insert(Vocab::index_of(model.boundaries[boundary].kind) as usize);
            }
            let vendor = Vocab::index_of(BoundaryKind::Vendor) as usize;
            let organization = Vocab::index_of(BoundaryKind::Organization) as usize;
            FlowFacts {
                from,
                to,
                protocol: flow
                    .protocol
                    .as_deref()
                    .and_then(|p| vocabularies.lookup(Vocab::Protocol, &p.to_ascii_lowercase()))
                    .map(small),
                authenticated: flow.authenticated == Some(true),
                encrypted: flow.encrypted == Some(true),
                authentication_known: flow.authenticated.is_some(),
                encryption_known: flow.encrypted.is_some(),
                data: class_mask(&mut flow.data.iter().map(|id| id.as_str())),
                controls: word_mask(
                    vocabularies,
                    Vocab::Control,
                    flow.controls.iter().map(|c| c.as_str()),
                ),
                crosses_boundary: !crossed.is_empty(),
                crosses_vendor_boundary: crossed_kinds.contains(vendor),
                crossed_kinds,
                leaves_organization: crossed_kinds.contains(organization),
                first_crossed: crossed.first().copied(),
            }
        })
        .collect();

    add_flow_sides(&mut elements, &flows);
    add_reach(&mut elements, &flows);

    Facts {
        elements,
        flows,
        system: SystemFacts {
            clinical_use: Vocab::index_of(model.system.clinical_use),
            regulated: Vocab::index_of(model.system.regulated),
            risk_tier: Vocab::index_of(model.system.effective_risk_tier()),
        },
        element_boundaries,
    }
}

/// For each boundary, itself and every boundary around it, innermost first.
fn boundary_chains(model: &Model) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = model
        .boundaries
        .iter()
        .enumerate()
        .map(|(idx, boundary)| (boundary.id.as_str(), idx))
        .collect();
    model
        .boundaries
        .iter()
        .enumerate()
        .map(|(idx, _)| {
            let mut chain = vec![idx];
            let mut current = idx;
            // A valid model has no cycles; the length bound guards anyway.
            while let Some(parent) = model.boundaries[current].parent.as_ref() {
                let Some(&parent_idx) = index.get(parent.as_str()) else {
                    break;
                };
                if chain.contains(&parent_idx) || chain.len() > model.boundaries.len() {
                    break;
                }
                chain.push(parent_idx);
                current = parent_idx;
            }
            chain
        })
        .collect()
}

/// Boundaries a flow enters or leaves: those around one end but not the
/// other, the source's innermost first.
fn crossed_boundaries(from: &[usize], to: &[usize]) -> Vec<usize> {
    let mut crossed: Vec<usize> = from.iter().filter(|b| !to.contains(b)).copied().collect();
    crossed.extend(to.iter().filter(|b| !from.contains(b)));
    crossed
}

fn add_flow_sides(elements: &mut [ElementFacts], flows: &[FlowFacts]) {
    let internet = Vocab::index_of(Exposure::Internet);
    for flow in flows {
        let (from, to) = (flow.from, flow.to);
        let from_kind = elements[from].kind as usize;
        let to_kind = elements[to].kind as usize;
        let from_stage = elements[from].stage;
        let to_stage = elements[to].stage;
        let from_internet = elements[from].exposure == Some(internet);

        elements[from].outbound_count += 1;
        elements[from].data = elements[from].data.union(flow.data);
        update_side(&mut elements[from].outbound, flow, to_kind, to_stage);

        elements[to].inbound_count += 1;
        elements[to].data = elements[to].data.union(flow.data);
        update_side(&mut elements[to].inbound, flow, from_kind, from_stage);
        elements[to].inbound.from_internet |= from_internet;
    }
}

fn update_side(side: &mut SideFacts, flow: &FlowFacts, other_kind: usize, other_stage: Option<u8>) {
    if let Some(protocol) = flow.protocol {
        side.protocols.insert(protocol as usize);
    }
    side.data = side.data.union(flow.data);
    side.kinds.insert(other_kind);
    if let Some(stage) = other_stage {
        side.stages.insert(stage as usize);
    }
    side.unauthenticated |= !flow.authenticated;
    side.unencrypted |= !flow.encrypted;
    side.crosses_boundary |= flow.crosses_boundary;
    side.crosses_vendor_boundary |= flow.crosses_vendor_boundary;
}

/// What each element contributes to the reach of others.
fn own_reach(element: &ElementFacts) -> ReachFacts {
    let mut stages = Mask::EMPTY;
    if let Some(stage) = element.stage {
        stages.insert(stage as usize);
    }
    ReachFacts {
        kinds: Mask::bit(element.kind as usize),
        stages,
        tech: element.tech,
        data: element.data,
        controls: element.controls,
        drives_harm: element.drives_harm,
        unreviewed_harm: false,
        reviewed: element.reviews_output,
    }
}

fn add_reach(elements: &mut [ElementFacts], flows: &[FlowFacts]) {
    let n = elements.len();
    let mut successors = vec![Vec::new(); n];
    let mut predecessors = vec![Vec::new(); n];
    for flow in flows {
        successors[flow.from].push(flow.to);
        predecessors[flow.to].push(flow.from);
    }

    let components = strongly_connected_components(&successors);
    let own: Vec<ReachFacts> = elements.iter().map(own_reach).collect();
    let downstream = reach_over_components(&components, &successors, 0..components.len(), &own, n);
    let upstream = reach_over_components(
        &components,
        &predecessors,
        (0..components.len()).rev(),
        &own,
        n,
    );
    let unreviewed = unreviewed_harm_reachers(elements, &predecessors);

    for (idx, element) in elements.iter_mut().enumerate() {
        element.downstream = downstream[idx];
        element.downstream.unreviewed_harm = successors[idx].iter().any(|&next| unreviewed[next]);
        element.upstream = upstream[idx];
    }
}

/// Elements from which an unreviewed decision point can be reached through
/// elements that review nothing, the element itself included.
fn unreviewed_harm_reachers(elements: &[ElementFacts], predecessors: &[Vec<usize>]) -> Vec<bool> {
    let mut marked = vec![false; elements.len()];
    let mut queue: Vec<usize> = (0..elements.len())
        .filter(|&idx| elements[idx].drives_harm && !elements[idx].reviews_output)
        .collect();
    for &idx in &queue {
        marked[idx] = true;
    }
    while let Some(idx) = queue.pop() {
        for &prev in &predecessors[idx] {
            if !marked[prev] && !elements[prev].reviews_output {
                marked[prev] = true;
                queue.push(prev);
            }
        }
    }
    marked
}

/// Tarjan's algorithm without recursion, so a long chain of elements cannot
/// overflow the stack. Components come out in reverse topological order:
/// every component after the ones it reaches.
fn strongly_connected_components(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = successors.len();
    let mut index = vec![usize::MAX; n];
    let mut lowlink = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0;

    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call_stack: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        lowlink[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;

        while let Some(&mut (node, ref mut edge)) = call_stack.last_mut() {
            if let Some(&next) = successors[node].get(*edge) {
                *edge += 1;
                if index[next] == usize::MAX {
                    index[next] = next_index;
                    lowlink[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    call_stack.push((next, 0));
                } else if on_stack[next] {
                    lowlink[node] = lowlink[node].min(index[next]);
                }
                continue;
            }

            call_stack.pop();
            if let Some(&(parent, _)) = call_stack.last() {
                lowlink[parent] = lowlink[parent].min(lowlink[node]);
            }
            if lowlink[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

/// Reach along `neighbours` (successors for downstream, predecessors for
/// upstream), visiting components in `order` so that every neighbour
/// component is done before the components that depend on it: Tarjan's
/// order for successors, its reverse for predecessors.
fn reach_over_components(
    components: &[Vec<usize>],
    neighbours: &[Vec<usize>],
    order: impl Iterator<Item = usize>,
    own: &[ReachFacts],
    n: usize,
) -> Vec<ReachFacts> {
    let mut component_of = vec![0; n];
    for (c, members) in components.iter().enumerate() {
        for &member in members {
            component_of[member] = c;
        }
    }
    let component_own: Vec<ReachFacts> = components
        .iter()
        .map(|members| own_component(members, own))
        .collect();
    let mut reach = vec![ReachFacts::default(); components.len()];
    for c in order {
        let members = &components[c];
        let mut total = ReachFacts::default();
        for &member in members {
            for &next in &neighbours[member] {
                let d = component_of[next];
                if d != c {
                    total = total.union(component_own[d]).union(reach[d]);
                }
            }
        }
        // Inside a cycle every member reaches every other, itself included.
        if members.len() > 1 {
            total = total.union(component_own[c]);
        }
        reach[c] = total;
    }
    (0..n).map(|idx| reach[component_of[idx]]).collect()
}

fn own_component(members: &[usize], own: &[ReachFacts]) -> ReachFacts {
    members
        .iter()
        .fold(ReachFacts::default(), |total, &member| {
            total.union(own[member])
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_come_out_in_reverse_topological_order() {
        // 0 -> 1 <-> 2 -> 3
        let successors = vec![vec![1], vec![2], vec![1, 3], vec![]];
        let components = strongly_connected_components(&successors);
        let position = |node: usize| components.iter().position(|c| c.contains(&node)).unwrap();
        assert_eq!(components.len(), 3);
        assert!(position(3) < position(1));
        assert!(position(1) < position(0));
        assert_eq!(position(1), position(2));
    }

    #[test]
    fn long_chains_do_not_overflow_the_stack() {
        let n = 200_000;
        let successors: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        assert_eq!(strongly_connected_components(&successors).len(), n);
    }
}

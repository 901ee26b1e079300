//! Geometric guarantees of the layout, on fixed and random graphs.

use proptest::prelude::*;

use super::tree::ClusterTree;
use super::*;

/// The clusters around `cluster`, innermost first.
fn chain(graph: &Graph, cluster: Option<usize>) -> Vec<usize> {
    ClusterTree::new(&graph.clusters).chain(cluster)
}

/// Shrinks a rectangle a little so that touching edges do not count as
/// overlapping.
fn inner(rect: &Rect) -> Rect {
    Rect {
        x: rect.x + 0.01,
        y: rect.y + 0.01,
        w: (rect.w - 0.02).max(0.0),
        h: (rect.h - 0.02).max(0.0),
    }
}

/// Everything the layout promises.
fn check(graph: &Graph, layout: &Layout) -> Result<(), String> {
    let tree = ClusterTree::new(&graph.clusters);
    // Things that must not overlap: nodes, titles, edge labels, each with
    // the clusters it is inside.
    let mut things: Vec<(String, Rect, Vec<usize>)> = Vec::new();
    for (index, rect) in layout.nodes.iter().enumerate() {
        things.push((
            format!("node {index}"),
            *rect,
            chain(graph, graph.nodes[index].cluster),
        ));
    }
    for (index, cluster) in layout.clusters.iter().enumerate() {
        things.push((
            format!("title {index}"),
            cluster.title,
            tree.chain(Some(index)),
        ));
    }
    let mut labels: Vec<(String, Rect, Vec<usize>, Vec<usize>)> = Vec::new();
    for (index, route) in layout.edges.iter().enumerate() {
        if let Some(label) = route.as_ref().and_then(|r| r.label) {
            let edge = &graph.edges[index];
            let common = tree.common(graph.nodes[edge.from].cluster, graph.nodes[edge.to].cluster);
            let mut allowed = tree.chain(graph.nodes[edge.from].cluster);
            allowed.extend(tree.chain(graph.nodes[edge.to].cluster));
            things.push((format!("label {index}"), label, Vec::new()));
            labels.push((format!("label {index}"), label, tree.chain(common), allowed));
        }
    }
    for (i, (name_a, a, _)) in things.iter().enumerate() {
        for (name_b, b, _) in &things[i + 1..] {
            if inner(a).overlaps(&inner(b)) {
                return Err(format!("{name_a} {a:?} overlaps {name_b} {b:?}"));
            }
        }
    }
    // A label is inside the clusters around both ends, and may be inside
    // clusters around one end, but never inside a cluster around neither.
    for (name, rect, inside, allowed) in &labels {
        for (cluster, placed) in layout.clusters.iter().enumerate() {
            if inside.contains(&cluster) && !placed.rect.contains(rect) {
                return Err(format!(
                    "{name} {rect:?} outside cluster {cluster} {:?}",
                    placed.rect
                ));
            }
            if !allowed.contains(&cluster) && inner(&placed.rect).overlaps(&inner(rect)) {
                return Err(format!(
                    "{name} {rect:?} inside foreign cluster {cluster} {:?}",
                    placed.rect
                ));
            }
        }
    }
    for (name, rect, inside) in things.iter().filter(|t| !t.0.starts_with("label")) {
        for (cluster, placed) in layout.clusters.iter().enumerate() {
            let member = inside.contains(&cluster);
            if member && !placed.rect.contains(rect) {
                return Err(format!(
                    "{name} {rect:?} outside cluster {cluster} {:?}",
                    placed.rect
                ));
            }
            if !member && inner(&placed.rect).overlaps(&inner(rect)) {
                return Err(format!(
                    "{name} {rect:?} inside foreign cluster {cluster} {:?}",
                    placed.rect
                ));
            }
        }
    }
    for (a, first) in layout.clusters.iter().enumerate() {
        for (b, second) in layout.clusters.iter().enumerate().skip(a + 1) {
            let nested_ab = tree.chain(Some(b)).contains(&a);
            let nested_ba = tree.chain(Some(a)).contains(&b);
            if nested_ab && !first.rect.contains(&second.rect) {
                return Err(format!("cluster {b} sticks out of cluster {a}"));
            }
            if nested_ba && !second.rect.contains(&first.rect) {
                return Err(format!("cluster {a} sticks out of cluster {b}"));
            }
            if !nested_ab && !nested_ba && inner(&first.rect).overlaps(&inner(&second.rect)) {
                return Err(format!("clusters {a} and {b} overlap"));
            }
        }
    }
    for rect in layout
        .nodes
        .iter()
        .chain(layout.clusters.iter().map(|c| &c.rect))
    {
        if rect.x < 0.0
            || rect.y < 0.0
            || rect.right() > layout.width
            || rect.bottom() > layout.height
        {
            return Err(format!("{rect:?} off the canvas"));
        }
    }
    Ok(())
}

fn node(cluster: Option<usize>) -> NodeSpec {
    NodeSpec {
        width: 110.0,
        height: 46.0,
        cluster,
    }
}

fn cluster(parent: Option<usize>) -> ClusterSpec {
    ClusterSpec {
        parent,
        title_width: 90.0,
        title_height: 28.0,
    }
}

fn edge(from: usize, to: usize) -> EdgeSpec {
    EdgeSpec {
        from,
        to,
        label: Some((70.0, 24.0)),
    }
}

#[test]
fn nested_clusters_with_cycles() {
    let graph = Graph {
        nodes: vec![
            node(None),
            node(Some(0)),
            node(Some(1)),
            node(Some(1)),
            node(Some(2)),
            node(Some(0)),
        ],
        clusters: vec![cluster(None), cluster(Some(0)), cluster(None)],
        edges: vec![
            edge(0, 1),
            edge(1, 2),
            edge(2, 3),
            edge(3, 1),
            edge(3, 4),
            edge(4, 5),
            edge(5, 0),
            edge(0, 4),
        ],
        direction: Direction::LeftToRight,
    };
    let layout = layout(&graph);
    assert_eq!(check(&graph, &layout), Ok(()));
    assert!(layout.edges.iter().all(Option::is_some));
}

#[test]
fn self_loops_and_dangling_edges_are_skipped() {
    let graph = Graph {
        nodes: vec![node(None), node(None)],
        clusters: vec![],
        edges: vec![edge(0, 0), edge(0, 9), edge(0, 1)],
        direction: Direction::TopToBottom,
    };
    let layout = layout(&graph);
    assert!(layout.edges[0].is_none() && layout.edges[1].is_none());
    let route = layout.edges[2]
        .as_ref()
        .map(|r| r.points.clone())
        .unwrap_or_default();
    assert!(route.len() >= 4);
    // Top to bottom: the route starts at the bottom of node 0 and ends at
    // the top of node 1.
    assert!((route[0].y - layout.nodes[0].bottom()).abs() < 1e-6);
    assert!((route[route.len() - 1].y - layout.nodes[1].y).abs() < 1e-6);
}

#[test]
fn empty_clusters_and_empty_graphs() {
    let graph = Graph {
        nodes: vec![node(Some(0))],
        clusters: vec![cluster(None), cluster(Some(0)), cluster(None)],
        edges: vec![],
        direction: Direction::LeftToRight,
    };
    let layout = layout(&graph);
    assert_eq!(check(&graph, &layout), Ok(()));
    let empty = Graph {
        nodes: vec![],
        clusters: vec![],
        edges: vec![],
        direction: Direction::LeftToRight,
    };
    let layout = super::layout(&empty);
    assert!(layout.width > 0.0 && layout.nodes.is_empty());
}

#[test]
fn routes_end_on_node_borders() {
    let graph = Graph {
        nodes: vec![node(None), node(None), node(None)],
        clusters: vec![],
        edges: vec![edge(0, 1), edge(1, 2), edge(2, 0)],
        direction: Direction::LeftToRight,
    };
    let layout = layout(&graph);
    for (index, route) in layout.edges.iter().enumerate() {
        let points = route.as_ref().map(|r| r.points.clone()).unwrap_or_default();
        let (from, to) = (
            &layout.nodes[graph.edges[index].from],
            &layout.nodes[graph.edges[index].to],
        );
        let (first, last) = (points[0], points[points.len() - 1]);
        assert!(
            first.x == from.x || first.x == from.right(),
            "{first:?} {from:?}"
        );
        assert!(last.x == to.x || last.x == to.right(), "{last:?} {to:?}");
        assert!(first.y > from.y && first.y < from.bottom());
        assert!(last.y > to.y && last.y < to.bottom());
    }
}

/// A random graph: up to 12 nodes, 5 clusters nested at random, 20 edges.
fn graphs() -> impl Strategy<Value = Graph> {
    (1usize..12, 0usize..6).prop_flat_map(|(node_count, cluster_count)| {
        let parents = proptest::collection::vec(proptest::option::of(0usize..6), cluster_count);
        let memberships = proptest::collection::vec(proptest::option::of(0usize..6), node_count);
        let edges = proptest::collection::vec(
            (
                0..node_count,
                0..node_count,
                proptest::option::of((20.0f64..120.0, 12.0f64..40.0)),
            ),
            0..20,
        );
        let sizes = proptest::collection::vec((40.0f64..160.0, 20.0f64..70.0), node_count);
        let horizontal = any::<bool>();
        (parents, memberships, edges, sizes, horizontal).prop_map(
            move |(parents, memberships, edges, sizes, horizontal)| Graph {
                nodes: memberships
                    .into_iter()
                    .zip(sizes)
                    .map(|(cluster, (width, height))| NodeSpec {
                        width,
                        height,
                        cluster: cluster.filter(|&c| c < cluster_count),
                    })
                    .collect(),
                clusters: parents
                    .into_iter()
                    .enumerate()
                    .map(|(index, parent)| ClusterSpec {
                        // Parents come earlier, so there are no cycles.
                        parent: parent.filter(|&p| p < index),
                        title_width: 60.0 + 10.0 * index as f64,
                        title_height: 26.0,
                    })
                    .collect(),
                edges: edges
                    .into_iter()
                    .map(|(from, to, label)| EdgeSpec { from, to, label })
                    .collect(),
                direction: if horizontal {
                    Direction::LeftToRight
                } else {
                    Direction::TopToBottom
                },
            },
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_graphs_keep_containment_and_separation(graph in graphs()) {
        let layout = layout(&graph);
        prop_assert_eq!(check(&graph, &layout), Ok(()));
    }
}

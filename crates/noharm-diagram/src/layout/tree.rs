//! The nesting of clusters.

use super::ClusterSpec;

/// Parents of clusters, cleaned of cycles and dangling references.
#[derive(Clone, Debug)]
pub(super) struct ClusterTree {
    parent: Vec<Option<usize>>,
}

impl ClusterTree {
    /// The tree of `specs`; a parent out of range or leading into a cycle is
    /// dropped, making that cluster a top-level one.
    pub(super) fn new(specs: &[ClusterSpec]) -> ClusterTree {
        let count = specs.len();
        let mut parent: Vec<Option<usize>> = specs
            .iter()
            .map(|spec| spec.parent.filter(|&p| p < count))
            .collect();
        for start in 0..count {
            let mut steps = 0;
            let mut current = parent[start];
            while let Some(cluster) = current {
                steps += 1;
                if cluster == start || steps > count {
                    parent[start] = None;
                    break;
                }
                current = parent[cluster];
            }
        }
        ClusterTree { parent }
    }

    /// How many clusters there are.
    pub(super) fn len(&self) -> usize {
        self.parent.len()
    }

    /// The cluster a cluster sits in.
    pub(super) fn parent(&self, cluster: usize) -> Option<usize> {
        self.parent.get(cluster).copied().flatten()
    }

    /// `cluster` and the clusters around it, innermost first.
    pub(super) fn chain(&self, cluster: Option<usize>) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = cluster;
        while let Some(c) = current {
            chain.push(c);
            current = self.parent(c);
        }
        chain
    }

    /// The innermost cluster around both (`None`: the top level).
    pub(super) fn common(&self, a: Option<usize>, b: Option<usize>) -> Option<usize> {
        let around_b = self.chain(b);
        self.chain(a).into_iter().find(|c| around_b.contains(c))
    }

    /// The cluster directly inside `outer` on the way to `inner`; `None`
    /// when `inner` is `outer` itself or not inside it.
    pub(super) fn child_toward(&self, outer: Option<usize>, inner: Option<usize>) -> Option<usize> {
        self.chain(inner)
            .into_iter()
            .find(|&c| self.parent(c) == outer)
            .filter(|_| inner != outer)
    }

    /// How many cluster borders lie between an item in `inner` and the
    /// outside of `outer`: 0 when the item is not inside `outer`.
    pub(super) fn borders_to(&self, inner: Option<usize>, outer: usize) -> usize {
        let chain = self.chain(inner);
        chain
            .iter()
            .position(|&c| c == outer)
            .map_or(0, |index| index + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(parent: Option<usize>) -> ClusterSpec {
        ClusterSpec {
            parent,
            title_width: 10.0,
            title_height: 10.0,
        }
    }

    #[test]
    fn cycles_and_dangling_parents_are_dropped() {
        let tree = ClusterTree::new(&[spec(Some(1)), spec(Some(0)), spec(Some(9)), spec(Some(0))]);
        assert_eq!(tree.parent(2), None);
        assert!(tree.parent(0).is_none() || tree.parent(1).is_none());
        assert_eq!(
            tree.chain(Some(3)).last().copied(),
            tree.chain(Some(0)).last().copied()
        );
    }

    #[test]
    fn common_ancestor_and_child_toward() {
        // 0 ⊃ 1 ⊃ 2, 0 ⊃ 3
        let tree = ClusterTree::new(&[spec(None), spec(Some(0)), spec(Some(1)), spec(Some(0))]);
        assert_eq!(tree.common(Some(2), Some(3)), Some(0));
        assert_eq!(tree.common(Some(2), None), None);
        assert_eq!(tree.child_toward(Some(0), Some(2)), Some(1));
        assert_eq!(tree.child_toward(None, Some(2)), Some(0));
        assert_eq!(tree.child_toward(Some(2), Some(2)), None);
        assert_eq!(tree.borders_to(Some(2), 0), 3);
        assert_eq!(tree.borders_to(Some(3), 1), 0);
    }
}

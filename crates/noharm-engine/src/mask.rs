/// A set of up to 256 words of one vocabulary, as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Mask([u64; 4]);

/// The most words one vocabulary may have.
pub(crate) const MAX_WORDS: usize = 256;

impl Mask {
    pub(crate) const EMPTY: Mask = Mask([0; 4]);

    pub(crate) fn bit(index: usize) -> Mask {
        let mut mask = Mask::EMPTY;
        mask.insert(index);
        mask
    }

    pub(crate) fn insert(&mut self, index: usize) {
        if let Some(word) = self.0.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }

    pub(crate) fn contains(self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    pub(crate) fn union(self, other: Mask) -> Mask {
        let mut out = self;
        for (word, other_word) in out.0.iter_mut().zip(other.0) {
            *word |= other_word;
        }
        out
    }

    pub(crate) fn intersects(self, other: Mask) -> bool {
        self.0.iter().zip(other.0).any(|(a, b)| a & b != 0)
    }

    pub(crate) fn contains_all(self, other: Mask) -> bool {
        self.0.iter().zip(other.0).all(|(a, b)| a & b == b)
    }

    pub(crate) fn is_empty(self) -> bool {
        self.0.iter().all(|word| *word == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut a = Mask::bit(3);
        a.insert(200);
        let b = Mask::bit(200);
        assert!(a.contains(3) && a.contains(200) && !a.contains(4));
        assert!(a.intersects(b) && a.contains_all(b) && !b.contains_all(a));
        let union = a.union(Mask::bit(7));
        assert!(union.contains(7) && union.contains(3) && union.contains(200));
        assert!(Mask::EMPTY.is_empty());
        assert!(!Mask::bit(300).contains(300));
    }
}

/// The candidate closest to `input`, when one is close enough to be what the
/// user meant.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;

    for candidate in candidates {
        let score = similarity(&input_lower, &candidate.to_lowercase());
        if best.is_none_or(|(best_score, _)| score > best_score) {
            best = Some((score, candidate));
        }
    }

    best.filter(|&(score, _)| score >= 0.8)
        .map(|(_, candidate)| candidate)
}

fn similarity(input: &str, candidate: &str) -> f64 {
    if input == candidate {
        return 1.0;
    }
    // Jaro-Winkler rewards a shared prefix, which is how ids are usually
    // mistyped (`training-data` for `training-set`); a small edit distance
    // catches transpositions in short words that Jaro-Winkler scores low.
    let jaro = strsim::jaro_winkler(input, candidate);
    let edits = strsim::damerau_levenshtein(input, candidate);
    let longest = input.chars().count().max(candidate.chars().count());
    if edits <= 2 && longest >= 4 {
        jaro.max(0.85)
    } else {
        jaro
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids() {
        let ids = ["training-set", "risk-model", "ehr"];
        assert_eq!(did_you_mean("training-data", ids), Some("training-set"));
        assert_eq!(did_you_mean("risk_model", ids), Some("risk-model"));
        assert_eq!(did_you_mean("modle", ["model", "store"]), Some("model"));
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(did_you_mean("pharmacy", ["ehr", "risk-model"]), None);
        assert_eq!(did_you_mean("x", std::iter::empty()), None);
    }
}

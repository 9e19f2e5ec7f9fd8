//! "Did you mean" suggestions: the known names nearest to an unknown one by edit distance.

/// Most suggestions shown for one unknown name (hazel's choice: issue 4 asks for
/// "the nearest known names", a short list; rustc and stanc3 likewise show a few).
pub const MAX_SUGGESTIONS: usize = 3;

/// Levenshtein distance between two strings, counted in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let subst = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = subst.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Up to [`MAX_SUGGESTIONS`] candidates close to `name` (distance at most a third of
/// its length, at least 1), nearest first, ties alphabetical.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let limit = (name.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= limit && *c != name)
        .collect();
    scored.sort();
    scored.dedup();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// "did you mean `a` or `b`?" or nothing.
pub fn did_you_mean(names: &[String]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(format!("help: did you mean `{one}`?")),
        many => {
            let quoted: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
            Some(format!("help: did you mean one of {}?", quoted.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("normal", "normal"), 0);
        assert_eq!(edit_distance("nromal", "normal"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn nearest_names_ranked() {
        let got = nearest("nromal", ["normal", "lognormal", "poisson", "nromal"]);
        assert_eq!(got, vec!["normal".to_string()]);
        assert!(nearest("xyz", ["normal"]).is_empty());
    }
}

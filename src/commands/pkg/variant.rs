//! `pkg variant -H [NAME…]` (reference §3.8): b151 prints `variant.opensolaris.zone nonglobal`,
//! current pkg strips the `variant.` prefix: `opensolaris.zone nonglobal`. Names are returned
//! with the prefix restored.

/// `(full variant name, value)` pairs; lines without two fields are skipped.
pub fn parse_variants(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let (name, value) = (it.next()?, it.next()?);
            if it.next().is_some() || name == "VARIANT" {
                return None;
            }
            let full = if name.starts_with("variant.") {
                name.to_string()
            } else {
                format!("variant.{name}")
            };
            Some((full, value.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_generations() {
        let want = vec![("variant.opensolaris.zone".to_string(), "nonglobal".to_string())];
        assert_eq!(parse_variants("variant.opensolaris.zone nonglobal\n"), want);
        assert_eq!(parse_variants("opensolaris.zone nonglobal\n"), want);
        assert_eq!(
            parse_variants("VARIANT VALUE\narch i386\nopensolaris.zone global\n"),
            vec![
                ("variant.arch".to_string(), "i386".to_string()),
                ("variant.opensolaris.zone".to_string(), "global".to_string())
            ]
        );
        assert!(parse_variants("garbage\n").is_empty());
    }
}

//! Catalog refresh failures (reference §3.9, client.py `display_catalog_failures`):
//! ```text
//! pkg: 0/1 catalogs successfully updated:
//!
//! 1/1 repositories for publisher 'extra' could not be reached for catalog refresh.
//! ```
//! Knowing *which* publisher could not be reached is what the publisher strategies need.

/// One `N/M repositories for publisher 'P' could not be reached` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreachablePublisher {
    pub publisher: String,
    pub failed: u32,
    pub total: u32,
}

/// Every publisher pkg reported as unreachable, in the order printed (each once).
pub fn parse_unreachable_publishers(stderr: &str) -> Vec<UnreachablePublisher> {
    const MID: &str = " repositories for publisher '";
    let mut out: Vec<UnreachablePublisher> = Vec::new();
    for line in stderr.lines() {
        let Some(pos) = line.find(MID) else { continue };
        let counts = line[..pos].split_whitespace().last().unwrap_or("");
        let Some((failed, total)) = counts.split_once('/') else { continue };
        let (Ok(failed), Ok(total)) = (failed.parse(), total.parse()) else { continue };
        let Some((publisher, rest)) = line[pos + MID.len()..].split_once('\'') else { continue };
        if !rest.trim_start().starts_with("could not be reached") {
            continue;
        }
        if !out.iter().any(|u| u.publisher == publisher) {
            out.push(UnreachablePublisher { publisher: publisher.to_string(), failed, total });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_unreachable_publishers() {
        let err = "\npkg: 1/3 catalogs successfully updated:\n\n1/1 repositories for publisher 'extra' could not be reached for catalog refresh.\n\nFramework error: code: E_COULDNT_RESOLVE_HOST (6) reason: Could not resolve host: pkg.example.net\nURL: 'http://pkg.example.net/extra/'\n\n2/2 repositories for publisher 'dev' could not be reached for catalog refresh.\n";
        let u = parse_unreachable_publishers(err);
        assert_eq!(
            u,
            [
                UnreachablePublisher { publisher: "extra".into(), failed: 1, total: 1 },
                UnreachablePublisher { publisher: "dev".into(), failed: 2, total: 2 },
            ]
        );
        assert!(
            parse_unreachable_publishers("pkg: 1/1 catalogs successfully updated.\n").is_empty()
        );
        assert!(
            parse_unreachable_publishers(
                "x/1 repositories for publisher 'a' could not be reached\n"
            )
            .is_empty()
        );
    }
}

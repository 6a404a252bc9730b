//! `pkg info` (reference §3.8): per package, `Label: value` lines with the labels
//! right-justified (current: to the longest label; S11.0/b134: fixed 14 characters), blocks
//! separated by a blank line. Continuation lines of a wrapped value (Description) have no
//! label at the colon column.
//!
//! ```text
//!           Name: entire
//!          State: Installed
//!      Publisher: solaris
//!        Version: 0.5.11
//!  Build Release: 5.11
//!         Branch: 0.175.0.0.0.2.1
//!           FMRI: pkg://solaris/entire@0.5.11,5.11-0.175.0.0.0.2.1:20111019T082311Z
//! ```

use crate::commands::{Fmri, ParseError};

/// One package's `pkg info` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageInfo {
    /// Labels and values in printed order (labels without padding or colon).
    pub fields: Vec<(String, String)>,
    /// The parsed `FMRI:` line.
    pub fmri: Option<Fmri>,
}

impl PackageInfo {
    pub fn get(&self, label: &str) -> Option<&str> {
        self.fields.iter().find(|(l, _)| l == label).map(|(_, v)| v.as_str())
    }

    pub fn name(&self) -> Option<&str> {
        self.get("Name")
    }

    /// `State` starts with `Installed`.
    pub fn is_installed(&self) -> bool {
        self.get("State").is_some_and(|s| s.starts_with("Installed"))
    }

    /// The stems a rename record requires (`Renamed to`, one FMRI per line), empty when the
    /// package is not renamed.
    pub fn renamed_to(&self) -> Vec<String> {
        let Some(v) = self.get("Renamed to") else { return Vec::new() };
        v.lines().filter_map(|l| Fmri::parse(l.trim()).ok()).map(|f| f.name).collect()
    }
}

/// The colon column of a labelled line: `Label: value` or `Label:` with the label made of
/// letters, digits, spaces and dots.
fn label_split(line: &str) -> Option<(usize, &str, &str)> {
    let colon = line.find(':')?;
    let label = line[..colon].trim_start();
    let value = line[colon + 1..].strip_prefix(' ').unwrap_or(&line[colon + 1..]);
    let plausible = !label.is_empty()
        && label.starts_with(|c: char| c.is_ascii_uppercase())
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '.');
    plausible.then_some((colon, label, value))
}

/// Parses `pkg info` output into one [`PackageInfo`] per block.
pub fn parse_info(stdout: &str) -> Result<Vec<PackageInfo>, ParseError> {
    let mut out = Vec::new();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut column: Option<usize> = None;
    let mut fmri_line = 0;
    let mut finish = |fields: &mut Vec<(String, String)>, fmri_line: usize| {
        if fields.is_empty() {
            return Ok(());
        }
        let fields = std::mem::take(fields);
        let fmri = match fields.iter().find(|(l, _)| l == "FMRI") {
            Some((_, v)) => {
                Some(Fmri::parse(v).map_err(|e| ParseError::at(fmri_line, e.to_string()))?)
            }
            None => None,
        };
        out.push(PackageInfo { fields, fmri });
        Ok(())
    };
    for (i, line) in stdout.lines().enumerate() {
        if line.trim().is_empty() {
            finish(&mut fields, fmri_line)?;
            column = None;
            continue;
        }
        match label_split(line) {
            Some((col, label, value)) if column.is_none_or(|c| c == col) => {
                column = Some(col);
                if label == "FMRI" {
                    fmri_line = i + 1;
                }
                fields.push((label.to_string(), value.trim_end().to_string()));
            }
            _ => match fields.last_mut() {
                Some((_, v)) => {
                    v.push('\n');
                    v.push_str(line.trim());
                }
                None => {
                    return Err(ParseError::at(
                        i + 1,
                        format!("unexpected line '{}'", line.trim()),
                    ));
                }
            },
        }
    }
    finish(&mut fields, fmri_line)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s11_fixed_labels() {
        let out = "          Name: entire\n       Summary: Incorporation to lock all system packages to the same build\n         State: Installed\n     Publisher: solaris\n       Version: 0.5.11\n Build Release: 5.11\n        Branch: 0.175.0.0.0.2.1\nPackaging Date: October 20, 2011 02:38:22 PM\n          Size: 5.45 kB\n          FMRI: pkg://solaris/entire@0.5.11,5.11-0.175.0.0.0.2.1:20111019T082311Z\n";
        let infos = parse_info(out).unwrap();
        assert_eq!(infos.len(), 1);
        let i = &infos[0];
        assert_eq!(i.name(), Some("entire"));
        assert!(i.is_installed());
        assert_eq!(i.get("Build Release"), Some("5.11"));
        let f = i.fmri.as_ref().unwrap();
        assert_eq!(f.publisher.as_deref(), Some("solaris"));
        assert_eq!(f.version.as_ref().unwrap().short(), "0.5.11-0.175.0.0.0.2.1");
    }

    #[test]
    fn current_labels_wrapped_description_and_two_blocks() {
        let out = "          Name: entire\n       Summary: Minimal set of core system packages\n   Description: A long text that wraps\n                onto a second line: with a colon\n         State: Installed\n     Publisher: openindiana.org\n       Version: 0.5.11\n        Branch: 2020.0.1.20000\n          FMRI: pkg://openindiana.org/entire@0.5.11-2020.0.1.20000:20200518T195237Z\n\n          Name: SUNWcs\n         State: Installed (Obsolete)\n          FMRI: pkg://openindiana.org/SUNWcs@0.5.11-0.151.1.8:20130513T163628Z\n";
        let infos = parse_info(out).unwrap();
        assert_eq!(infos.len(), 2);
        assert_eq!(
            infos[0].get("Description"),
            Some("A long text that wraps\nonto a second line: with a colon")
        );
        assert_eq!(
            infos[0].fmri.as_ref().unwrap().to_pattern(),
            "pkg://openindiana.org/entire@0.5.11-2020.0.1.20000:20200518T195237Z"
        );
        assert_eq!(infos[1].name(), Some("SUNWcs"));
        assert!(infos[1].is_installed());
    }

    #[test]
    fn bad_fmri_is_an_error() {
        let e = parse_info("Name: x\nFMRI: pkg://a b/x\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse_info("").unwrap().is_empty());
        assert!(parse_info("   no label here\n").is_err());
    }

    #[test]
    fn renamed_to_from_a_remote_query() {
        let out = "          Name: SUNWapch22\n       Summary: Apache\n         State: Installed (Renamed)\n    Renamed to: web/server/apache-22@0.5.11-0.140\n                consolidation/sfw/sfw-incorporation\n     Publisher: solaris\n          FMRI: pkg://solaris/SUNWapch22@0.5.11,5.11-0.140:20100501T000000Z\n\n          Name: SUNWcs\n         State: Installed\n          FMRI: pkg://solaris/SUNWcs@0.5.11,5.11-0.151:20101105T000000Z\n";
        let infos = parse_info(out).unwrap();
        assert_eq!(
            infos[0].renamed_to(),
            ["web/server/apache-22", "consolidation/sfw/sfw-incorporation"]
        );
        assert!(infos[1].renamed_to().is_empty());
    }
}

//! A small getopt: short flags (clustered), short options with values, `--long[=value]`.

#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// (option name without dashes, value) in command-line order.
    pub opts: Vec<(String, Option<String>)>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, name: &str) -> bool {
        self.opts.iter().any(|(o, _)| o == name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.opts.iter().rev().find(|(o, _)| o == name).and_then(|(_, v)| v.as_deref())
    }

    pub fn values(&self, name: &str) -> Vec<&str> {
        self.opts.iter().filter(|(o, _)| o == name).filter_map(|(_, v)| v.as_deref()).collect()
    }
}

/// `short`: letters; a letter followed by `:` takes a value. `long`: names; `name=` takes a value.
/// Options stop at the first operand (`stop_at_operand`) or `--`.
pub fn parse(
    args: &[String],
    short: &str,
    long: &[&str],
    stop_at_operand: bool,
) -> Result<Parsed, String> {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    let takes = |c: char| short.find(c).map(|at| short[at + c.len_utf8()..].starts_with(':'));
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            operands.extend(args[i + 1..].iter().cloned());
            break;
        }
        if let Some(l) = a.strip_prefix("--") {
            let (name, inline) = match l.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (l, None),
            };
            if long.contains(&name) {
                opts.push((name.to_string(), None));
            } else if long.contains(&format!("{name}=").as_str()) {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i)
                            .cloned()
                            .ok_or_else(|| format!("option --{name} requires an argument"))?
                    }
                };
                opts.push((name.to_string(), Some(v)));
            } else {
                return Err(format!("illegal option -- {name}"));
            }
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                match if c == ':' { None } else { takes(c) } {
                    None => return Err(format!("illegal option -- {c}")),
                    Some(false) => opts.push((c.to_string(), None)),
                    Some(true) => {
                        let rest: String = chars[j + 1..].iter().collect();
                        let v = if !rest.is_empty() {
                            rest
                        } else {
                            i += 1;
                            args.get(i)
                                .cloned()
                                .ok_or_else(|| format!("option requires an argument -- {c}"))?
                        };
                        opts.push((c.to_string(), Some(v)));
                        break;
                    }
                }
                j += 1;
            }
        } else {
            operands.push(a.clone());
            if stop_at_operand {
                operands.extend(args[i + 1..].iter().cloned());
                break;
            }
        }
        i += 1;
    }
    Ok(Parsed { opts, operands })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn clusters_values_and_longs() {
        let p = parse(
            &v(&["-nvR", "/r", "--accept", "--be-name=x", "entire@1"]),
            "nvR:",
            &["accept", "be-name="],
            false,
        )
        .unwrap();
        assert!(p.has("n") && p.has("v") && p.has("accept"));
        assert_eq!(p.value("R"), Some("/r"));
        assert_eq!(p.value("be-name"), Some("x"));
        assert_eq!(p.operands, v(&["entire@1"]));
        assert!(parse(&v(&["-x"]), "n", &[], false).is_err());
    }
}

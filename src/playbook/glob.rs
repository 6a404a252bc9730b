/// Minimal glob on package stems: `*` matches any run of characters (including `/`), every
/// other character matches itself. Enough for playbook patterns; no regex compilation per call.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("SUNWapch*", "SUNWapch22"));
        assert!(glob_match("*incorporation", "consolidation/osnet/osnet-incorporation"));
        assert!(glob_match("consolidation/*", "consolidation/sfw/sfw-incorporation"));
        assert!(glob_match("entire", "entire"));
        assert!(!glob_match("entire", "entire2"));
        assert!(!glob_match("web/php-*", "web/server/apache-22"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("*", ""));
    }
}

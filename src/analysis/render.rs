//! Human-readable rendering of a [`Report`] (the default output of `zonerescue analyze`).

use std::fmt::Write as _;

use super::findings::keys;
use super::generation::Generation;
use super::report::{Evidence, Finding, FollowedUp, LogKind, Report, Severity, Verdict};
use crate::strategies::StrategyName;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn severity(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, sev.as_str())
    }
    fn verdict(&self, v: Verdict) -> String {
        let code = match v {
            Verdict::Attached => "1;32",
            Verdict::Failed => "1;31",
            Verdict::Incomplete => "1;33",
            Verdict::NotAnAttachLog => "1",
        };
        self.paint(code, v.as_str())
    }
}

/// The report as plain text (ANSI colour when `color`). Deterministic: snapshot-tested.
pub fn render_human(r: &Report, color: bool) -> String {
    let st = Style { color };
    let mut o = String::new();
    let _ = writeln!(o, "{} {}", st.bold("Verdict:   "), st.verdict(r.verdict));
    let generation = match r.generation {
        Generation::Unknown => r.generation.describe().to_string(),
        g => format!("{g} ({})", g.describe()),
    };
    let _ = writeln!(o, "{} {generation}", st.bold("Generation:"));
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(o, "{} {}", st.bold("Zone:      "), opt(&r.zone));
    if r.zone_root.is_some() {
        let _ = writeln!(o, "{} {}", st.bold("Zone root: "), opt(&r.zone_root));
    }
    if r.log_file.is_some() {
        let _ = writeln!(o, "{} {}", st.bold("Log file:  "), opt(&r.log_file));
    }
    let _ = writeln!(
        o,
        "{} global zone {}, zone {}",
        st.bold("Entire:    "),
        opt(&r.gz_entire),
        opt(&r.zone_entire)
    );
    let described = match r.followed_up_at {
        Some(n) if r.followed_up_how == FollowedUp::Silent => {
            format!("the attempt before the last (the command at line {n} printed nothing)")
        }
        Some(n) if r.followed_up_how == FollowedUp::MatchedNothing => format!(
            "the attempt before the last (the command at line {n} matched no package and \
             changed nothing)"
        ),
        Some(n) => {
            format!("the attempt before the last (the command at line {n} only followed it up)")
        }
        None => "the last attempt".to_string(),
    };
    let _ = writeln!(
        o,
        "{} {} attempt(s), {} line(s) read; findings describe {described}",
        st.bold("Input:     "),
        r.attempts,
        r.lines_read
    );
    for (i, f) in r.findings.iter().enumerate() {
        o.push('\n');
        finding(&mut o, &st, i + 1, f);
    }
    // The unknown-failure finding already shows these lines as its evidence.
    if !r.notable_lines.is_empty() && r.finding(keys::UNKNOWN_FAILURE).is_none() {
        let _ = writeln!(o, "\n{}", st.bold("Lines most likely to matter:"));
        lines(&mut o, &r.notable_lines);
    }
    // log-truncated already shows the last lines as its evidence.
    if !r.tail.is_empty()
        && r.verdict == Verdict::Incomplete
        && r.finding(keys::LOG_TRUNCATED).is_none()
    {
        let _ = writeln!(o, "\n{}", st.bold("Last lines of the input:"));
        lines(&mut o, &r.tail);
    }
    o.push('\n');
    match (r.verdict, r.recommended) {
        (Verdict::Attached, _) => {
            let _ = writeln!(o, "{} nothing to do: the zone attached.", st.bold("Recommended:"));
        }
        (Verdict::NotAnAttachLog, _) if r.log_kind.is_other_operation() => {
            let what = match r.log_kind {
                LogKind::Onu => "onu output",
                _ => "a zone install log",
            };
            let _ = writeln!(
                o,
                "{} none: this is {what}, not an attach log; no attach strategy applies.",
                st.bold("Recommended:")
            );
        }
        (Verdict::NotAnAttachLog, _) if r.finding(keys::PKG_SESSION).is_some() => {
            let _ = writeln!(
                o,
                "{} none: this is a pkg session that reported no error, not an attach log; \
                 no attach strategy applies.",
                st.bold("Recommended:")
            );
        }
        (Verdict::NotAnAttachLog, _) if r.finding(keys::NOT_TEXT).is_some() => {
            let _ = writeln!(
                o,
                "{} none: the input is binary data, not an attach log. Give the attach log \
                 (/var/tmp/ZONE.attach_log.*, /var/log/zones/zoneadm.*.attach).",
                st.bold("Recommended:")
            );
        }
        (Verdict::NotAnAttachLog, _) => {
            let _ = writeln!(
                o,
                "{} nothing recognisable. Give the attach log (/var/tmp/ZONE.attach_log.*, \
                 /var/log/zones/zoneadm.*.attach) or the terminal output of zoneadm attach.",
                st.bold("Recommended:")
            );
        }
        (_, Some(s)) => {
            let zone = r.zone.clone().unwrap_or_else(|| "<zone>".into());
            let zone = crate::cli::rescue_operand(&zone);
            let words = strategy_words(s);
            let _ = writeln!(
                o,
                "{} {s}  (zonerescue --strategy {words} {zone})",
                st.bold("Recommended:")
            );
            if r.remedies.len() > 1 {
                let all: Vec<&str> = r.remedies.iter().map(|s| s.as_str()).collect();
                let _ = writeln!(o, "{} {}", st.bold("Remedies:   "), all.join(", "));
            }
        }
        (_, None) => match &r.blocked_by {
            Some(k) if !r.remedies.is_empty() => {
                let _ = writeln!(
                    o,
                    "{} no strategy until {k} is fixed (see its commands above); then \
                         attach again, or analyze the next attach log.",
                    st.bold("Recommended:")
                );
                if !r.remedies.is_empty() {
                    let all: Vec<&str> = r.remedies.iter().map(|s| s.as_str()).collect();
                    let _ =
                        writeln!(o, "{} {} (after that)", st.bold("Remedies:   "), all.join(", "));
                }
            }
            _ => {
                let _ = writeln!(
                    o,
                    "{} no strategy applies; see the commands above.",
                    st.bold("Recommended:")
                );
            }
        },
    }
    o
}

fn finding(o: &mut String, st: &Style, n: usize, f: &Finding) {
    let _ = writeln!(o, "[{n}] {} {} — {}", st.severity(f.severity), st.bold(&f.key), f.title);
    for l in wrap(&f.explanation, 88) {
        let _ = writeln!(o, "    {l}");
    }
    if !f.evidence.is_empty() {
        let _ = writeln!(o, "    Evidence:");
        lines(o, &f.evidence);
        if f.evidence_omitted > 0 {
            let _ = writeln!(o, "      … and {} more line(s)", f.evidence_omitted);
        }
    }
    for (label, v) in [
        ("Packages", &f.packages),
        ("Publishers", &f.publishers),
        ("Origins", &f.origins),
        ("Datasets", &f.datasets),
    ] {
        if !v.is_empty() {
            let _ = writeln!(o, "    {label}: {}", v.join(", "));
        }
    }
    if let Some(s) = f.strategy {
        let _ = writeln!(o, "    Strategy: {s}");
    }
    if !f.next_commands.is_empty() {
        let _ = writeln!(o, "    Next:");
        for c in &f.next_commands {
            let _ = writeln!(o, "      {c}");
        }
    }
}

fn lines(o: &mut String, ev: &[Evidence]) {
    for e in ev {
        match (&e.file, e.file_line) {
            (Some(file), Some(line)) => {
                let _ = writeln!(o, "      {file}:{line}: {}", e.text);
            }
            _ => {
                let _ = writeln!(o, "      {:>6}: {}", e.line, e.text);
            }
        }
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
        if !cur.is_empty() && cur.len() + 1 + w.len() > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// What follows `zonerescue --strategy` for `s`: a destructive strategy runs only with
/// `--allow-destructive` (without it the command is refused).
pub(crate) fn strategy_words(s: StrategyName) -> String {
    if s.is_destructive() { format!("{s} --allow-destructive") } else { s.as_str().to_string() }
}

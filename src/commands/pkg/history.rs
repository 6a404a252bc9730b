//! `pkg history -H` (reference §3.8): columns START(25) OPERATION(25) CLIENT(19) OUTCOME built
//! as `"{0!s:25}{1!s:25}{2!s:19}{3!s:}"` — fixed widths, no separator, so a value that fills
//! its column runs into the next. Row values are UNVERIFIED in the reference; the parser
//! reads by column position and falls back to whitespace splitting for overlong values.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub start: String,
    pub operation: String,
    pub client: String,
    pub outcome: String,
}

const WIDTHS: [usize; 3] = [25, 25, 19];

pub fn parse_history(stdout: &str) -> Vec<HistoryEntry> {
    stdout.lines().filter_map(parse_history_line).collect()
}

fn parse_history_line(line: &str) -> Option<HistoryEntry> {
    if line.trim().is_empty() || line.starts_with("START ") {
        return None;
    }
    let fixed = || -> Option<HistoryEntry> {
        let (a, b, c) = (WIDTHS[0], WIDTHS[0] + WIDTHS[1], WIDTHS[0] + WIDTHS[1] + WIDTHS[2]);
        let col = |from: usize, to: usize| line.get(from..to.min(line.len())).map(str::trim);
        // Each column must end in padding (or be exactly full) for the positions to hold.
        let padded = |end: usize| line.get(end - 1..end).is_some_and(|ch| ch == " ");
        if !(padded(a) && padded(b) && padded(c)) {
            return None;
        }
        Some(HistoryEntry {
            start: col(0, a)?.to_string(),
            operation: col(a, b)?.to_string(),
            client: col(b, c)?.to_string(),
            outcome: line.get(c..)?.trim().to_string(),
        })
    };
    fixed().or_else(|| {
        let mut it = line.split_whitespace();
        Some(HistoryEntry {
            start: it.next()?.to_string(),
            operation: it.next()?.to_string(),
            client: it.next()?.to_string(),
            outcome: it.collect::<Vec<_>>().join(" "),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_columns() {
        let out = "START                    OPERATION                CLIENT             OUTCOME\n\
                   2024-01-01T12:00:00      install                  pkg                Succeeded\n\
                   2024-01-02T08:30:00      set-publisher            pkg                Nothing to do\n\
                   2024-01-03T09:00:00      refresh-publishers       transfer_module_xy Failed\n";
        let h = parse_history(out);
        assert_eq!(h.len(), 3);
        assert_eq!(h[0].operation, "install");
        assert_eq!(h[1].outcome, "Nothing to do");
        assert_eq!(h[2].client, "transfer_module_xy");
        assert_eq!(h[2].outcome, "Failed");
    }

    #[test]
    fn overlong_values_fall_back_to_words() {
        let h = parse_history(
            "2024-01-01T12:00:00 a-very-long-operation-name-that-overflows pkg Failed\n",
        );
        assert_eq!(h[0].operation, "a-very-long-operation-name-that-overflows");
        assert_eq!(h[0].outcome, "Failed");
    }
}

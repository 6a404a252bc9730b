//! The committed man page must be what the code generates (`zonerescue::manpage::render`).
//! Run with `UPDATE_MAN=1` to rewrite man/zonerescue.8 after changing the CLI or the page.

use std::path::Path;

#[test]
fn committed_man_page_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("man/zonerescue.8");
    let generated = zonerescue::manpage::render().expect("rendering the man page");
    if std::env::var_os("UPDATE_MAN").is_some() {
        std::fs::write(&path, &generated).expect("writing man/zonerescue.8");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    if committed != generated {
        let first_diff = committed
            .split(|b| *b == b'\n')
            .zip(generated.split(|b| *b == b'\n'))
            .position(|(a, b)| a != b)
            .map_or_else(|| "at the end".to_string(), |n| format!("at line {}", n + 1));
        panic!(
            "man/zonerescue.8 is out of date (first difference {first_diff}); regenerate it with\n\
             \n    UPDATE_MAN=1 cargo test --test man_page\n\nand commit the result"
        );
    }
}

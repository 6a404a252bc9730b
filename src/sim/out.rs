//! What a simulated command produced: stdout, stderr and its exit code.

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    pub fn ok() -> Output {
        Output::default()
    }

    /// Only stderr text and an exit code.
    pub fn fail(code: i32, stderr: impl Into<String>) -> Output {
        let mut stderr = stderr.into();
        if !stderr.is_empty() && !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        Output { stdout: String::new(), stderr, code }
    }

    pub fn line(&mut self, s: impl AsRef<str>) {
        self.stdout.push_str(s.as_ref());
        self.stdout.push('\n');
    }

    pub fn lines<I: IntoIterator<Item = S>, S: AsRef<str>>(&mut self, lines: I) {
        for l in lines {
            self.line(l);
        }
    }

    pub fn eline(&mut self, s: impl AsRef<str>) {
        self.stderr.push_str(s.as_ref());
        self.stderr.push('\n');
    }

    pub fn with_code(mut self, code: i32) -> Output {
        self.code = code;
        self
    }
}

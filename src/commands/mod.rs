//! Typed wrappers for the system commands: for each, a builder of its argv
//! ([`crate::system::CommandSpec`]) and a parser of its output, both unit-testable on the
//! exact formats of `../shared/reference/solaris-interfaces.md`.

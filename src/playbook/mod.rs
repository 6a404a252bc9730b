//! Recovery playbooks: per-platform data (problem package groups, intermediate releases,
//! image-create publisher) in `playbooks/*.toml`, embedded as defaults.

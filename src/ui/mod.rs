//! What people see: colour, progress bars (stderr), prompts (only on a terminal), reports.

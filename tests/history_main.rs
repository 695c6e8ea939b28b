// Temporary harness until tests/main.rs declares `mod history;`.
mod history;

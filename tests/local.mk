# tests: integration tests (shell, TAP)

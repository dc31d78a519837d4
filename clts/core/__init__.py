"""Small kernel helpers that every app uses, one home each (see docs/architecture.md, "Kernel")."""

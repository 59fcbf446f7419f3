"""xAPI 1.0.3: learning-record statements of what happens to an officer, kept in a durable
outbox and sent to a learning record store (docs/interoperability.md)."""

"""The reference deployment: nginx and systemd files, their renderer, and the local cluster."""

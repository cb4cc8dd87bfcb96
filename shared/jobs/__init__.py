"""Report jobs: their states, timing, storage and the operations admins perform on them."""

boot image for Acme agent clients

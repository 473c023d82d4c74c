boot image for Acme clients

"""Load balancing: balancer policies, a queueing simulation of them, and Maglev hashing."""

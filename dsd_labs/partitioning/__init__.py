"""Partitioning and sharding: hash rings, rendezvous and jump hashing, hot keys, scatter-gather."""

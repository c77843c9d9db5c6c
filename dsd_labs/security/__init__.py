"""Distributed system security: tokens, mutual TLS, relationship checks, replay defense.

The labs use the Python standard library only. ``p256`` and ``x509`` are
small teaching implementations of ECDSA over P-256 and of X.509 certificate
encoding, written so that the mutual TLS lab can run a real TLS 1.3
handshake (through the standard ``ssl`` module) with certificates the lab
issues itself. They are deliberately minimal and not hardened against side
channels: production code uses a vetted library such as ``cryptography``.
"""

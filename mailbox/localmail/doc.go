// Package localmail runs a small mail world on loopback ports for the demo and the
// tests: an IMAP server (go-imap's in-memory backend) and an SMTP server that keeps
// what it accepts. Both have knobs to misbehave (refuse keywords, drop every
// connection, defer or refuse mail), so the daemon's recovery can be shown and
// tested against real protocol peers.
//
// The IMAP session adds what imapmemserver v2.0.0-beta.8 lacks: SPECIAL-USE
// attributes in LIST (its Create ignores them) and the XOAUTH2 mechanism.
package localmail

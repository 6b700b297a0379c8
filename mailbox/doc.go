// Package mailbox is the long-running side of Returnsdesk: it watches the stores'
// support mailboxes over IMAP, hands each new mail to the desk, marks it in the
// mailbox (processed, flagged for staff, moved for review), delivers the queued
// replies over SMTP (or places them in Drafts), files a copy in Sent, and runs the
// scheduled jobs.
//
// Exactly once: the desk records a decision and its reply in one transaction before
// anything is sent or marked, so after a crash the next start finds either nothing
// (the mail is read again and decided again) or a recorded decision (the Message-ID
// is known, the desk answers "duplicate", and only the mailbox marks are applied
// again). The outbox row of a reply is marked sent only after the SMTP server
// accepted it; the one window left is a crash between the server's acceptance and
// that mark, which repeats one reply.
package mailbox

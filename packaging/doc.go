// Package packaging holds the service files for running returnsdesk: the systemd unit
// (returnsdesk.service), the systemd-sysusers entry for its user (sysusers.conf) and,
// at the repository root, the Dockerfile. It has no code; its tests check those files
// against systemd-analyze, docker and the daemon's own flags.
package packaging

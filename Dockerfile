# Container image for the returnsdesk daemon. Build: docker build -t returnsdesk .
#
# Run with the configuration mounted read-only at /etc/returnsdesk and the state in a
# volume; the configuration must name an absolute state path in that volume
# (state = "/var/lib/returnsdesk/returnsdesk.db"), since a relative one is resolved
# from the configuration's directory:
#
#   docker run -d --name returnsdesk \
#     -v /srv/returnsdesk/returnsdesk.toml:/etc/returnsdesk/returnsdesk.toml:ro \
#     -v returnsdesk-state:/var/lib/returnsdesk \
#     -p 127.0.0.1:9464:9464 returnsdesk
#
# A bind-mounted state directory must be writable by uid 65532.

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# modernc.org/sqlite is pure Go: with cgo off the binary is static and runs on distroless.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/returnsdesk ./cmd/returnsdesk
# The state directory, to be copied with the non-root owner (distroless has no shell
# to mkdir or chown in the final stage).
RUN mkdir -p /out/state

# static-debian12 has CA certificates and tzdata (CRON_TZ, store time zones), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/returnsdesk /usr/local/bin/returnsdesk
# Owned by nonroot (65532), so a fresh named volume mounted here is writable.
COPY --from=build --chown=65532:65532 /out/state /var/lib/returnsdesk
USER 65532:65532
VOLUME /var/lib/returnsdesk
WORKDIR /var/lib/returnsdesk
# /metrics and /healthz (--listen).
EXPOSE 9464
# SIGTERM (docker stop) makes the daemon finish the message in hand and exit; give it
# time with docker stop -t 30 / stop_grace_period: 30s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/returnsdesk"]
CMD ["run", "--config", "/etc/returnsdesk/returnsdesk.toml", "--listen", "0.0.0.0:9464"]

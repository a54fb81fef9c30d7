# The sandbox (a local stand-in of the Conversations API) as a container:
#   docker build -t conversations-sandbox .
#   docker run --rm -p 8080:8080 conversations-sandbox            # empty, unprovisioned
#   docker run --rm -p 8080:8080 conversations-sandbox --seed-demo
#   docker run --rm -p 8080:8080 -v sandbox-data:/data conversations-sandbox --data /data/state.json
# Arguments after the image name are passed to the sandbox (see sandbox/README.md).
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY core core
COPY sandbox sandbox
COPY bindings-node bindings-node
COPY bindings-wasm bindings-wasm
RUN cargo build --locked -p conversations-sandbox --profile sandbox-dist

FROM debian:bookworm-slim
COPY --from=build /src/target/sandbox-dist/conversations-sandbox /usr/local/bin/conversations-sandbox
RUN useradd --system --uid 10001 sandbox && mkdir /data && chown sandbox /data
USER sandbox
EXPOSE 8080
# 0.0.0.0 inside the container: the port is published only as `docker run -p` says.
ENTRYPOINT ["conversations-sandbox", "--host", "0.0.0.0", "--port", "8080"]

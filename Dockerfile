# syntax=docker/dockerfile:1
# Build: compile TypeScript with the dev dependencies, then ship only the
# compiled service, its production dependencies and the files it reads at
# run time (package.json, schemas/, fixtures/catalog/ for the built-in
# catalog; the tree-sitter wasm files come with node_modules).
# test/build.test.ts lays a folder out from this file's COPY lines and runs
# the CMD and the HEALTHCHECK in it: keep to the syntax it reads.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim AS runtime
# HOST=0.0.0.0: reachable from outside the container (the service's own default is loopback).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    CATALOG_CACHE_DIR=/var/cache/rbee-worker-catalog
# glibc hands memory back once it is freed, instead of keeping it: after the cold
# index frees its pack buffers, glibc's adaptive thresholds otherwise keep
# 100-150 MB of a 10,000-worker service's RSS that nothing uses (measured with
# npm run bench, which runs the service with these too). Two arenas, not one per
# thread: the indexer threads' arenas outlive the threads, and trimming hands back
# only their tops (at 10,000 workers: 460 MB settled instead of 482; one arena
# gave 441 but made the cold index ~7% slower).
ENV MALLOC_MMAP_THRESHOLD_=65536 \
    MALLOC_TRIM_THRESHOLD_=1048576 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the one install script among the runtime dependencies builds
# tree-sitter-bash's native binding, which the service never loads (it uses the
# grammar's wasm through web-tree-sitter), and the slim image has no compiler.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY fixtures/catalog ./fixtures/catalog
# The mirror lives in the cache dir: a volume, so a restart does not clone again.
RUN mkdir -p /var/cache/rbee-worker-catalog && chown node:node /var/cache/rbee-worker-catalog
USER node
VOLUME ["/var/cache/rbee-worker-catalog"]
EXPOSE 8787
# /health answers as soon as the process listens (before the first index: /ready
# says when it serves); node's fetch is all the slim image needs, no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.js"]

# syntax=docker/dockerfile:1
# Build: compile TypeScript with the dev dependencies, then ship only the
# compiled service, its production dependencies and the files it reads.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    CATALOG_CACHE_DIR=/var/cache/rbee-worker-catalog
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the one install script among the runtime dependencies builds
# tree-sitter-bash's native binding, which the service never loads (it uses the
# grammar's wasm through web-tree-sitter), and the slim image has no compiler.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schemas ./schemas
COPY fixtures/catalog ./fixtures/catalog
RUN mkdir -p /var/cache/rbee-worker-catalog && chown node:node /var/cache/rbee-worker-catalog
USER node
VOLUME ["/var/cache/rbee-worker-catalog"]
EXPOSE 8787
CMD ["node", "dist/server.js"]

# whop-auth-mock as a container: docker build -t whop-auth-mock . && docker run -p 4010:4010 whop-auth-mock
# Configuration is by environment (see README, "Running in Docker and CI").

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds, and the sources are not copied yet.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build generates types from the spec, the fixture schema and the conformance config's schema.
COPY scripts ./scripts
COPY conformance/config.schema.json ./conformance/
# The build validates the spec and the built-in fixtures and records them by hash; its
# incremental record (dist/.tsbuildinfo) only speeds up rebuilds, so the image leaves it out.
COPY spec ./spec
COPY fixtures ./fixtures
RUN npm run build && chmod +x dist/cli/main.cjs && rm dist/.tsbuildinfo

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY spec ./spec
COPY fixtures ./fixtures
COPY conformance/config.schema.json ./conformance/
# The app stays root-owned and read-only to the server; only the key and state directory is node's.
RUN ln -s /app/dist/cli/main.cjs /usr/local/bin/whop-auth-mock \
 && mkdir -p /var/lib/whop-auth-mock \
 && chown node:node /var/lib/whop-auth-mock

# PORT, HOST               where to listen; 0.0.0.0 so other containers and published ports reach it
# PUBLIC_URL               the URL to advertise (banner, discovery, redirects, iss), e.g. http://whop-mock:4010
# WHOP_MOCK_ALLOWED_HOSTS  Host names served besides loopback and PUBLIC_URL's host, e.g. whop-mock
# WHOP_MOCK_CONTROL_TOKEN  locks /_mock/ (but health); unset, the banner warns that it is open
# WHOP_MOCK_FIXTURES       your fixtures, e.g. mounted at /fixtures/fixtures.json; unset: the built-in ones
# WHOP_MOCK_ISSUER         `iss` of the tokens; unset: PUBLIC_URL
# WHOP_MOCK_KEY_FILE       the signing key, created on first start; mount /var/lib/whop-auth-mock to keep it
# WHOP_MOCK_LOG_LEVEL      fatal, error, warn, info, debug, trace or silent
# WHOP_MOCK_AUTO_APPROVE   true approves OAuth consent without a click (WARNING: weakens the flow; tests only)
# WHOP_MOCK_TLS            true serves HTTPS with a self-signed certificate (the healthcheck follows it)
# WHOP_MOCK_STATE_FILE     keep every tenant's codes, refresh tokens and sessions across restarts, e.g.
#                          /var/lib/whop-auth-mock/state.json (mount /var/lib/whop-auth-mock as a volume);
#                          written at a clean stop (docker stop sends SIGTERM). Unset: nothing is kept.
# WHOP_MOCK_MAX_TENANTS    named tenants (/t/<name>/...) kept at once, default 100
ENV HOST=0.0.0.0 \
    PORT=4010 \
    WHOP_MOCK_KEY_FILE=/var/lib/whop-auth-mock/signing-key.json \
    WHOP_MOCK_LOG_LEVEL=info \
    WHOP_MOCK_AUTO_APPROVE=false

USER node
VOLUME ["/var/lib/whop-auth-mock"]
EXPOSE 4010
# No curl in the image: the CLI checks itself, reading PORT and HOST like serve does.
HEALTHCHECK --interval=5s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "/app/dist/cli/main.cjs", "healthcheck"]
ENTRYPOINT ["node", "/app/dist/cli/main.cjs"]
CMD ["serve"]

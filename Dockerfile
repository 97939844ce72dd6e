# Qliro Checkout adapter for Norce Checkout: a production image (see README, "Operations").
#   docker build -t qliro-checkout-adapter .
#   docker run --rm -p 8080:8080 --env-file adapter.env qliro-checkout-adapter
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Build: all dependencies, TypeScript compiled to dist/ (src and sandbox).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY sandbox ./sandbox
RUN npm run build

# 2. Production dependencies only (no TypeScript, ts-node, test tools).
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. Runtime: compiled JavaScript and production node_modules, owned by root, run as the unprivileged `node` user.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
# Slim images have no curl: node asks /health/live (liveness; no upstream is called).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||8080,path:'/health/live',timeout:3000},(r)=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (graceful shutdown, exit within 15 s).
CMD ["node", "dist/src/infrastructure/main.js"]
